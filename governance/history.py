"""A child's history from django-auditlog: who created, changed, deleted or
looked at each of the child's registered records, and when.

:func:`auditlog_history` is a history source (``ehc.registry``), registered
in ``governance/apps.py``. The access-event table (one row per page that
showed a child) is to be registered beside it as a second source, and every
user of the history (the subject access export, the child's access history)
then sees both.
"""

from __future__ import annotations

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from ehc.registry import ChildRecord, HistoryEvent

ACTIONS = {
    LogEntry.Action.CREATE: "created",
    LogEntry.Action.UPDATE: "changed",
    LogEntry.Action.DELETE: "deleted",
    LogEntry.Action.ACCESS: "viewed",
}


def with_deleted_rows(rows: dict[ChildRecord, list]) -> dict[ChildRecord, list[str]]:
    """``rows`` (record type -> primary keys of a child's rows) plus the rows
    deleted before now that the audit log still describes: a provision row
    removed from the advice, say. Such a row is found through its own entries,
    which record the key of the row it hung from (its first step towards the
    child, ``advice`` for a provision row); a row found so can lead to rows
    that hung from it in turn. Primary keys come back as strings."""
    known = {record: {str(pk) for pk in pks} for record, pks in rows.items()}
    by_model = {record.model: record for record in rows}
    links = []  # (record type, the type it hangs from, the field between)
    for record in rows:
        if record.child:
            step = record.child.split("__")[0]
            parent = by_model.get(record.model._meta.get_field(step).related_model)
            if parent is not None:
                links.append((record, parent, step))
    grown = set(known)
    while grown:
        searched, grown = grown, set()
        for record, parent, step in links:
            if parent not in searched or not known[parent]:
                continue
            keys = sorted(known[parent])
            found = LogEntry.objects.filter(
                Q(**{f"changes__{step}__0__in": keys}) | Q(**{f"changes__{step}__1__in": keys}),
                content_type=ContentType.objects.get_for_model(record.model),
            ).values_list("object_pk", flat=True)
            new = set(found) - known[record]
            if new:
                known[record] |= new
                grown.add(record)
    return {record: sorted(pks) for record, pks in known.items()}


def entries_about(rows: dict[ChildRecord, list]):
    """The audit log entries about the given rows (record type -> primary
    keys), as one query; none when there are no rows."""
    condition = Q()
    for record, pks in rows.items():
        if pks:
            content_type = ContentType.objects.get_for_model(record.model)
            condition |= Q(content_type=content_type, object_pk__in=[str(pk) for pk in pks])
    if not condition:
        return LogEntry.objects.none()
    return LogEntry.objects.filter(condition)


def _who(entry: LogEntry) -> str:
    if entry.actor is not None:
        return entry.actor.full_name or entry.actor.email
    return entry.actor_email or "the portal"


def auditlog_history(child, rows: dict[ChildRecord, list]) -> list[HistoryEvent]:
    """Every audit log entry about ``child``'s rows, and about rows of theirs
    deleted before (:func:`with_deleted_rows`), as history events. Changed
    fields are named, their values are not (the records themselves are
    exported beside the history)."""
    names = {record.model: record.name for record in rows}
    events = []
    entries = (
        entries_about(with_deleted_rows(rows))
        .select_related("actor", "content_type")
        .order_by("timestamp")
    )
    for entry in entries:
        model = entry.content_type.model_class()
        changes = entry.changes if isinstance(entry.changes, dict) else {}
        fields = sorted(changes) if entry.action == LogEntry.Action.UPDATE else []
        events.append(
            HistoryEvent(
                when=entry.timestamp,
                who=_who(entry),
                action=ACTIONS.get(entry.action, "logged"),
                record=f"{names.get(model, entry.content_type.name)} {entry.object_pk}",
                detail=", ".join(fields),
            )
        )
    return events
