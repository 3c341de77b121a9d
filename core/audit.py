"""Name the acting user on the audit log, in a request or outside one.

django-auditlog's middleware names the signed-in user as the actor of the
entries a request writes. A service called from an importer, a shell, a
task or the API has no such request, yet its writes must still say who made
them: services wrap their writes in :func:`acting_as` (docs/architecture.md,
"Services and forms").

:class:`AuditlogMiddleware` replaces the library's middleware so that the
address on each entry is the trusted client address, the one the sign-in
lockout uses (core.client_address).
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterable, Iterator

from auditlog.cid import get_cid
from auditlog.context import auditlog_value, set_extra_data
from auditlog.diff import model_instance_diff
from auditlog.middleware import AuditlogMiddleware as BaseAuditlogMiddleware
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Model
from django.utils.encoding import smart_str

from core.client_address import client_address


def saved_user(by):
    """``by`` when it is a saved user, else None (the portal itself, or an
    unsaved or anonymous user): what a "by whom" field or the audit log
    may record."""
    return by if getattr(by, "pk", None) is not None else None


@contextlib.contextmanager
def acting_as(by) -> Iterator[None]:
    """Name ``by`` (a saved user) as the actor of the audit log entries
    written inside the block.

    Inside a request the middleware has already set a context naming the
    signed-in user and the request's address: the block runs under a copy
    of it naming ``by``, and the request's own context is put back
    afterwards (auditlog's context managers do not restore what was there
    before). ``by`` of ``None`` (a write the system makes) changes nothing.
    """
    if saved_user(by) is None:
        yield
        return
    current = auditlog_value.get(None) or {}
    data = {key: value for key, value in current.items() if key != "signal_duid"}
    token = auditlog_value.set(current or None)
    try:
        with set_extra_data(context_data={**data, "actor": by}):
            yield
    finally:
        auditlog_value.reset(token)


def service_write(function):
    """Decorate a service: it runs in one transaction, with its ``by``
    keyword argument (the acting user; None for the portal itself) named as
    the actor of the audit log entries it writes (:func:`acting_as`)."""

    @functools.wraps(function)
    def run(*args, **kwargs):
        with transaction.atomic(), acting_as(kwargs.get("by")):
            return function(*args, **kwargs)

    return run


def log_created(instances: Iterable[Model]) -> int:
    """Write the audit log's "created" entries for ``instances``, rows just
    inserted together (``bulk_create`` sends no ``post_save``, so
    django-auditlog writes nothing for them), in one insert per batch.

    Each entry is what django-auditlog's own ``post_save`` receiver writes
    for a save: the same changes (its ``model_instance_diff``, with the
    fields the model's registration leaves out), object, representation,
    correlation id and context: the actor named by :func:`acting_as` (or
    the request's user) and the request's address. Models not registered
    with auditlog get none. Nothing can point at a row just inserted, so
    its reverse one-to-one relations are marked empty rather than asked
    for (which would cost a query per row). Returns how many entries were
    written."""
    entries = []
    context = auditlog_value.get(None) or {}
    cid = get_cid()
    content_types: dict[type, ContentType] = {}
    for instance in instances:
        model = type(instance)
        if not auditlog.contains(model):
            continue
        if model not in content_types:
            content_types[model] = ContentType.objects.get_for_model(model)
        for relation in model._meta.related_objects:
            if relation.one_to_one and not relation.is_cached(instance):
                relation.set_cached_value(instance, None)
        changes = model_instance_diff(
            None, instance, use_json_for_changes=settings.AUDITLOG_STORE_JSON_CHANGES
        )
        if not changes:
            continue
        entry = LogEntry(
            content_type=content_types[model],
            object_pk=str(instance.pk),
            object_id=instance.pk if isinstance(instance.pk, int) else None,
            object_repr=smart_str(instance),
            # None unless a model is registered to keep a copy of its data.
            serialized_data=LogEntry.objects._get_serialized_data_or_none(instance),
            action=LogEntry.Action.CREATE,
            changes=changes,
            cid=cid,
        )
        if callable(getattr(instance, "get_additional_data", None)):
            entry.additional_data = instance.get_additional_data()
        _apply_context(entry, context)
        entries.append(entry)
    LogEntry.objects.bulk_create(entries, batch_size=500)
    return len(entries)


def _apply_context(entry, context: dict) -> None:
    """What django-auditlog's ``pre_save`` hook sets on an entry from the
    context of :func:`acting_as` or the middleware: the actor and its
    email, and the other values the entry has a field for (the address)."""
    actor = context.get("actor")
    if isinstance(actor, get_user_model()):
        entry.actor = actor
        entry.actor_email = getattr(actor, "email", None)
    for key, value in context.items():
        if key not in ("actor", "signal_duid") and hasattr(LogEntry, key):
            setattr(entry, key, value() if callable(value) else value)


class AuditlogMiddleware(BaseAuditlogMiddleware):
    """django-auditlog's middleware, recording the trusted client address.

    The library's own takes the first ``X-Forwarded-For`` entry, which any
    client can write; this one records :func:`core.client_address.client_address`,
    the address the sign-in lockout uses too. The port is not recorded: the
    only source the library knows, ``X-Forwarded-Port``, is also a header the
    client may have chosen.
    """

    @staticmethod
    def _get_remote_addr(request):
        if settings.AUDITLOG_DISABLE_REMOTE_ADDR:
            return None
        return client_address(request)

    @staticmethod
    def _get_remote_port(request):
        return None
