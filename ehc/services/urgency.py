"""The worklist's stored keys (docs/performance.md, "The worklist").

A request's ``urgency``, ``working_due_on``, ``due_owed_on``,
``due_unexcused_on`` and ``has_lawful_exception`` are derived from its own
row (status, due date) and its contributions (returned, left outstanding,
exception, due and working dates), never from today's date, so they are
stored and indexed.
:func:`refresh_urgency` is the one writer of them: every service that
changes a request's status or due date, or a contribution's due or working
date, return, exception or "left outstanding" mark, calls it once for the
requests it touched, inside its transaction; it also recomputes those
requests' buckets of the summary store (:func:`ehc.summary.refresh_summary`,
decision 0010). The rules are
:func:`ehc.selectors.with_worklist_keys`; this module only stores them.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from ehc.models import HealthAdviceRequest
from ehc.selectors import with_worklist_keys
from ehc.summary import refresh_summary

# The request's fields the rule gives (each from with_worklist_keys'
# ``computed_<name>``).
STORED = ("urgency", "working_due_on", "due_owed_on", "due_unexcused_on", "has_lawful_exception")


def refresh_urgency(request_ids: Iterable[int], *, model=HealthAdviceRequest) -> int:
    """Recompute and store the worklist keys of the requests ``request_ids``
    (primary keys; repeats and unknown ids are harmless) in one UPDATE
    from one aggregate query, after locking those request rows (so that of
    two transactions changing one request's contributions at once, the
    one that commits last computes from the other's committed rows).
    Returns how many requests' stored keys changed. ``model`` is the
    request model (a migration passes its historical one). Raises nothing
    of its own: a database error propagates."""
    ids = sorted({int(pk) for pk in request_ids})
    if not ids:
        return 0
    with transaction.atomic():
        list(
            model._default_manager.select_for_update()
            .filter(pk__in=ids)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        changed = _store(model._default_manager.filter(pk__in=ids), model)
        if model is HealthAdviceRequest:
            # The same writes change the summary store's counts: their
            # buckets are recomputed here, so every caller keeps it exact.
            refresh_summary(ids)
        return changed


def refresh_all(*, model=HealthAdviceRequest, touch: bool = True) -> int:
    """Recompute every request's stored keys in one UPDATE ... FROM one
    aggregate over all requests and contributions (hash-joined: one pass
    over each table; batches would read the contributions once per batch),
    for the data migration and ``manage.py refresh_urgency``. Only rows
    whose keys were wrong are written (and locked), and their ``updated_at``
    moves on, so the next daily reminder run, which reads the requests
    changed since the last (docs/reminders.md), reads them too. Returns how
    many requests' keys changed (0 when every stored key was right).

    ``touch=False`` leaves ``updated_at`` as it was: for a bulk load whose
    rows carry their own history (``bench/national_data.py``), where no
    reminder run has read them yet."""
    with transaction.atomic():
        return _store(model._default_manager.all(), model, touch=touch)


def _store(requests, model, *, touch: bool = False) -> int:
    """One UPDATE setting the keys of ``requests`` (a queryset of
    ``model``) from :func:`ehc.selectors.with_worklist_keys`, touching
    only rows whose stored keys differ (with ``touch``, their
    ``updated_at`` set to now as well). The statement is
    ``UPDATE ... SET ... FROM (aggregate) WHERE ...``, which PostgreSQL
    and SQLite (3.33 and later) both run; the aggregate is the selector's
    own SQL, so the rule is written once."""
    keys = (
        with_worklist_keys(requests.order_by())
        .values(key_pk=F("pk"), **{f"key_{name}": F(f"computed_{name}") for name in STORED})
        .order_by()
    )
    sql, params = keys.query.sql_with_params()
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    pk = quote(model._meta.pk.column)
    assignments = ", ".join(f"{quote(name)} = k.key_{name}" for name in STORED)
    if touch:
        assignments += f", {quote('updated_at')} = %s"
        # Before the aggregate's own parameters: SET comes before FROM.
        params = (connection.ops.adapt_datetimefield_value(timezone.now()), *params)
    # A stored key differs from the rule's, NULLs included: SQL's IS
    # DISTINCT FROM, spelled IS NOT in SQLite (every version).
    distinct = "IS NOT" if connection.vendor == "sqlite" else "IS DISTINCT FROM"
    differs = " OR ".join(f"{table}.{quote(name)} {distinct} k.key_{name}" for name in STORED)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {assignments} FROM ({sql}) AS k "
            f"WHERE {table}.{pk} = k.key_pk AND ({differs})",
            params,
        )
        return cursor.rowcount
