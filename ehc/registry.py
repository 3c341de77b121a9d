"""The one registry of the record types that hold data about a child.

Retention, erasure, subject access and the audit of a child's record all
need to know every table that holds something about a child. None of them
lists the tables: each app **registers** its own record types here from its
``AppConfig.ready()`` (``ehc`` registers the child and its casework in
``ehc/apps.py``), and the code that acts on a child's records walks the
registry. A record type a later app adds (plans, enquiries) plugs in by
registering; nothing here or in its users changes
(docs/architecture.md, "When a lower floor needs a higher one").

An entry (:class:`ChildRecord`) says:

- ``child``: the path from the record to its child, as a Django lookup
  (``"child"``, ``"request__child"``; ``""`` for the child itself);
- ``identifying``: fields whose values identify the child or may, being free
  text, name them or their family: an erased child's audit entries keep the
  field names but lose these values (``governance.erasure``);
- ``files``: file fields; their files go into a subject access export and are
  deleted with the record. When the model has a ``<field>_name`` attribute
  (``document_name``), that is the file's name for people;
- ``open_when``: a filter matching the rows that keep a child's record open
  (an open request, an undecided tribunal): no child is erased while one
  matches;
- ``activity``: date or date-time fields whose latest value is the last
  activity on the record (the retention clock runs from it);
- ``subject_access``: whether the record belongs in a subject access export
  (the machinery of erasure and legal holds does not).

A model that links to a child but is not a record about them (the erasure
list's own rows, which outlive the child) says so with :func:`exempt`.
``tests/ehc/test_registry.py`` walks every installed model and fails, naming
it, for any model with a foreign-key path to the child that is neither.

Two smaller hooks live here for the same reason: **history sources**
(:func:`register_history_source`: where a child's access and change history
comes from; django-auditlog today, the access-event table later) and **child
page links** (:func:`register_child_link`: actions a higher app offers on the
child's page, shown only to users with the permission).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Max, Q
from django.utils import timezone

# Ids per query when a lookup takes a list of children (SQLite allows a few
# hundred bound parameters comfortably on every version).
CHUNK = 500


@dataclass(frozen=True, eq=False)
class ChildRecord:
    """One registered record type: see the module docstring for each field."""

    model: type[models.Model]
    child: str
    identifying: tuple[str, ...] = ()
    files: tuple[str, ...] = ()
    open_when: Q | None = None
    activity: tuple[str, ...] = ()
    subject_access: bool = True

    @property
    def label(self) -> str:
        """``app_label.modelname``, the record type's key in exports and counts."""
        return self.model._meta.label_lower

    @property
    def name(self) -> str:
        """What people call a row of it ("health advice request")."""
        return str(self.model._meta.verbose_name)

    @property
    def plural(self) -> str:
        return str(self.model._meta.verbose_name_plural)

    @property
    def child_field(self) -> str:
        """The lookup giving the row's child id (``pk`` for the child itself)."""
        return self.child or "pk"

    def rows_for(self, child_ids: Iterable[int]) -> models.QuerySet:
        """Every row of this type about the given children, unscoped: callers
        have already decided the user may act on the child as a whole."""
        return self.model._default_manager.filter(**{f"{self.child_field}__in": list(child_ids)})


_records: dict[type[models.Model], ChildRecord] = {}
_exempt: dict[type[models.Model], str] = {}
_history_sources: list[Callable[..., Iterable[HistoryEvent]]] = []
_child_links: list[ChildLink] = []


def register(
    model: type[models.Model],
    *,
    child: str,
    identifying: Iterable[str] = (),
    files: Iterable[str] = (),
    open_when: Q | None = None,
    activity: Iterable[str] = (),
    subject_access: bool = True,
) -> ChildRecord:
    """Register ``model`` as a record about a child (called from an app's
    ``ready()``). Registering the same model again replaces its entry.
    Raises ValueError for a field the model does not have."""
    record = ChildRecord(
        model=model,
        child=child,
        identifying=tuple(identifying),
        files=tuple(files),
        open_when=open_when,
        activity=tuple(activity),
        subject_access=subject_access,
    )
    known = {field.name for field in model._meta.get_fields()}
    for name in (*record.identifying, *record.files, *record.activity):
        if name not in known:
            raise ValueError(f"{record.label} has no field {name!r}")
    _records[model] = record
    return record


def exempt(model: type[models.Model], *, why: str) -> None:
    """Say that ``model`` links to a child without being a record about them."""
    _exempt[model] = why


def records() -> tuple[ChildRecord, ...]:
    """Every registered record type, in the order they were registered."""
    return tuple(_records.values())


def record_for(model: type[models.Model]) -> ChildRecord | None:
    return _records.get(model)


def exempt_models() -> dict[type[models.Model], str]:
    return dict(_exempt)


def _chunks(ids: Iterable[int]) -> Iterable[list[int]]:
    ids = list(ids)
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _as_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


def last_activity(child_ids: Iterable[int]) -> dict[int, datetime.date]:
    """Child id -> the latest ``activity`` date on any of its registered
    records (a date-time counts as its local date). A child with no dated
    activity at all is left out. One query per record type (per 500 children)."""
    latest: dict[int, datetime.date] = {}
    for chunk in _chunks(child_ids):
        for record in records():
            if not record.activity:
                continue
            key = record.child_field
            rows = (
                record.rows_for(chunk)
                .order_by()
                .values(key)
                .annotate(**{f"latest_{n}": Max(name) for n, name in enumerate(record.activity)})
            )
            for row in rows:
                child_id = row.pop(key)
                for value in row.values():
                    if value is not None:
                        day = _as_date(value)
                        if child_id not in latest or day > latest[child_id]:
                            latest[child_id] = day
    return latest


def open_records(child_ids: Iterable[int]) -> dict[int, list[str]]:
    """Child id -> the names of the record types holding its record open
    (``open_when`` matches a row), for the children that have any."""
    found: dict[int, list[str]] = {}
    for chunk in _chunks(child_ids):
        for record in records():
            if record.open_when is None:
                continue
            key = record.child_field
            open_ids = (
                record.rows_for(chunk)
                .filter(record.open_when)
                .order_by()
                .values_list(key, flat=True)
                .distinct()
            )
            for child_id in open_ids:
                found.setdefault(child_id, []).append(record.name)
    return found


# --- History sources ---------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryEvent:
    """One thing that happened to a child's record: who looked at or changed
    which record, when. ``detail`` names changed fields, never their values."""

    when: datetime.datetime
    who: str
    action: str  # "viewed", "created", "changed", "deleted", ...
    record: str  # the record type's name and reference, e.g. "health advice request 12"
    detail: str = ""


def register_history_source(source: Callable[..., Iterable[HistoryEvent]]) -> None:
    """Add a source of a child's history: ``source(child, rows)`` returns
    :class:`HistoryEvent` items, where ``rows`` maps each registered record
    type (:class:`ChildRecord`) to the primary keys of the child's rows of it.
    django-auditlog's entries are one source (``governance.history``); the
    access-event table is meant to be another. Registering twice adds once."""
    if source not in _history_sources:
        _history_sources.append(source)


def history_for(child, *, subject_access_only: bool = False) -> list[HistoryEvent]:
    """Every registered source's events about ``child`` and its records,
    oldest first. ``subject_access_only`` leaves out record types that do not
    belong in a subject access export."""
    rows: dict[ChildRecord, list[Any]] = {}
    for record in records():
        if subject_access_only and not record.subject_access:
            continue
        rows[record] = list(record.rows_for([child.pk]).values_list("pk", flat=True))
    events: list[HistoryEvent] = []
    for source in _history_sources:
        events.extend(source(child, rows))
    return sorted(events, key=lambda event: event.when)


# --- Links on the child's page -------------------------------------------------------------


@dataclass(frozen=True)
class ChildLink:
    """An action a higher app offers on the child's page: the link's words,
    the URL name (taking the child's id as its one argument) and the
    permission a user needs to see it."""

    label: str
    url_name: str
    permission: str


def register_child_link(label: str, url_name: str, permission: str) -> None:
    link = ChildLink(label, url_name, permission)
    if link not in _child_links:
        _child_links.append(link)


def child_links() -> tuple[ChildLink, ...]:
    return tuple(_child_links)
