"""Erasing a child: every registered record and its files, and the
identifiers inside the audit log entries about them.

Called by :func:`governance.services.approve_batch` inside its transaction;
nothing here commits or checks who may erase. The record types come from the
registry (``ehc/registry.py``), so a record type a later app registers is
erased with the rest without a change here.

- Rows are deleted record type by record type, a type that refers to another
  before the one it refers to (:func:`deletion_order`), so no protected
  foreign key stops the erasure half way.
- File names are gathered before the rows go; the files are deleted only
  once the transaction commits (a rolled-back erasure leaves them).
- Audit log entries about the erased rows are **kept** and pseudonymised:
  the record's description becomes "<record type> of erased child #<hash>"
  (:func:`pseudonym`, the same for every entry about the child), the values
  of the registered identifying fields become ``[erased]`` (field names
  stay), the change text is emptied and the entry is tagged with the list
  that erased it. Who did what and when is still there.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field

from auditlog.models import LogEntry
from django.db import transaction
from django.utils.crypto import salted_hmac

from ehc import registry
from ehc.registry import ChildRecord
from governance.history import entries_about, with_deleted_rows

logger = logging.getLogger(__name__)

ERASED = "[erased]"


def pseudonym(child_pk: int) -> str:
    """ "erased child #<10 hex digits>": stable for one child (keyed on the
    site's secret, so it cannot be worked back to the child's id)."""
    digest = salted_hmac("governance.erasure.child", str(child_pk)).hexdigest()
    return f"erased child #{digest[:10]}"


def deletion_order() -> list[ChildRecord]:
    """Registered record types ordered so that each comes before every
    registered type it has a foreign key to (children last). Raises
    ValueError on a circle of foreign keys, which no order can delete."""
    pending = {record.model: record for record in registry.records()}
    refers_to = {
        model: {
            f.related_model
            for f in model._meta.concrete_fields
            if f.is_relation and f.related_model in pending and f.related_model is not model
        }
        for model in pending
    }
    ordered: list[ChildRecord] = []
    while pending:
        # A type nobody still pending refers to can go now.
        ready = [
            model
            for model in pending
            if not any(model in refers_to[other] for other in pending if other is not model)
        ]
        if not ready:
            raise ValueError(f"foreign keys in a circle: {sorted(m.__name__ for m in pending)}")
        for model in ready:
            ordered.append(pending.pop(model))
    return ordered


@dataclass
class Erased:
    """What one erasure removed: rows per record type, files, audit entries."""

    children: int = 0
    rows: Counter = field(default_factory=Counter)
    files: list[tuple[object, str]] = field(default_factory=list)  # (storage, name)
    audit_entries: int = 0

    def counts(self) -> dict:
        return {
            "children": self.children,
            "rows": dict(sorted(self.rows.items())),
            "files": len(self.files),
            "audit_entries_pseudonymised": self.audit_entries,
        }


def erase_children(child_ids: list[int], *, batch_pk: int) -> Erased:
    """Delete the children and every registered record of theirs, pseudonymise
    the audit entries about them (tagged with ``batch_pk``), and delete the
    files after commit. Must run inside a transaction."""
    erased = Erased()
    for child_id in child_ids:
        _erase_one(child_id, batch_pk=batch_pk, erased=erased)
    files = list(erased.files)
    transaction.on_commit(lambda: delete_files(files))
    return erased


def _erase_one(child_id: int, *, batch_pk: int, erased: Erased) -> None:
    order = deletion_order()
    rows = {
        record: list(record.rows_for([child_id]).values_list("pk", flat=True)) for record in order
    }
    for record in order:
        queryset = record.model._default_manager.filter(pk__in=rows[record])
        for name in record.files:
            for stored in queryset.exclude(**{name: ""}).values_list(name, flat=True):
                erased.files.append((record.model._meta.get_field(name).storage, stored))
        queryset.delete()
        if rows[record]:
            erased.rows[record.label] += len(rows[record])
    erased.children += 1
    # After the deletes, so the entries the deletes wrote are pseudonymised too.
    erased.audit_entries += pseudonymise_entries(
        child_id, with_deleted_rows(rows), batch_pk=batch_pk
    )


def pseudonymise_entries(child_id: int, rows: dict[ChildRecord, list], *, batch_pk: int) -> int:
    """Pseudonymise the audit entries about ``rows`` (record type -> primary
    keys: every row the child had, deleted ones included); returns how many
    entries were changed."""
    name = pseudonym(child_id)
    by_model = {record.model: record for record in rows}
    changed = []
    for entry in entries_about(rows).select_related("content_type").iterator(chunk_size=500):
        record = by_model.get(entry.content_type.model_class())
        if record is None:
            continue
        _pseudonymise(entry, record, name, batch_pk)
        changed.append(entry)
    LogEntry.objects.bulk_update(
        changed,
        ["object_repr", "changes", "changes_text", "serialized_data", "additional_data"],
        batch_size=500,
    )
    return len(changed)


def _pseudonymise(entry: LogEntry, record: ChildRecord, name: str, batch_pk: int) -> None:
    entry.object_repr = name if record.child == "" else f"{record.name} of {name}"
    if isinstance(entry.changes, dict):
        entry.changes = {
            key: _erased_value(value) if key in record.identifying else value
            for key, value in entry.changes.items()
        }
    entry.changes_text = ""
    data = entry.serialized_data
    if isinstance(data, dict) and isinstance(data.get("fields"), dict):
        data["fields"] = {
            key: ERASED if key in record.identifying else value
            for key, value in data["fields"].items()
        }
        entry.serialized_data = data
    entry.additional_data = {"erased_by": f"erasure list {batch_pk}"}


def _erased_value(value):
    """A change's value with the data gone and its shape kept: [old, new]
    pairs stay pairs (an empty side stays empty), anything else is replaced."""
    if isinstance(value, list):
        return [ERASED if item not in (None, "", "None") else item for item in value]
    return ERASED


def delete_files(files: list[tuple[object, str]]) -> None:
    """Delete each ``(storage, name)``; one that cannot be deleted is logged
    and the rest still go. Called after commit."""
    for storage, stored in files:
        try:
            storage.delete(stored)
        except OSError:
            logger.exception("Could not delete an erased file (%s)", stored)
