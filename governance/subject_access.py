"""Everything held about a child, as one ZIP for a subject access request
(docs/information-governance.md, "Subject access").

The ZIP holds:

- ``README.txt``: what is inside, and that it is a **draft**;
- ``summary.pdf``: the records and their history, readable, marked as a draft
  on every page;
- ``records.json``: every registered record type (``ehc/registry.py``) with
  the child's rows, field by field, dates in ISO 8601;
- ``history.json``: who created, changed, deleted or looked at each record,
  and when, from every history source in the registry;
- ``documents/``: the files the records hold (the advice documents).

Reads only; :func:`governance.services.prepare_subject_access` stores the
result. Record types registered with ``subject_access=False`` (the legal
hold, earlier subject access requests) are left out.
"""

from __future__ import annotations

import datetime
import io
import json
import zipfile

from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format

from core.pdf import render_pdf
from ehc import registry

DRAFT = "DRAFT: for the serious-harm check and redaction of third parties before release"

# Bookkeeping columns left out of the readable summary (they stay in the JSON).
NOT_SHOWN = {"id", "version"}

README = """\
{draft}

Subject access: everything the SEND health portal holds about one child or
young person, prepared on {prepared} by {by}.

This is a draft. Before anything is released to the family:

- a health professional checks whether any of it is likely to cause serious
  harm to the physical or mental health of the child or anyone else, and
  withholds that (the serious-harm test);
- information about other people (staff apart from their work role, other
  family members, other children) is redacted unless they have agreed or it
  is reasonable to release it;
- the release is recorded with the subject access request.

Contents

  summary.pdf    the records and their history, for reading
  records.json   every record, field by field (dates as YYYY-MM-DD)
  history.json   who created, changed, deleted or looked at each record, and when
  documents/     the documents attached to the records
{missing}"""


def _display(row: models.Model, field: models.Field) -> str:
    if field.choices:
        value = getattr(row, f"get_{field.name}_display")()
    elif field.is_relation:
        value = getattr(row, field.name)
    elif isinstance(field, models.FileField):
        value = getattr(row, f"{field.name}_name", "") or getattr(row, field.name).name
    else:
        value = getattr(row, field.attname)
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "j F Y, H:i")
    if isinstance(value, datetime.date):
        return date_format(value, "j F Y")
    return str(value)


def _readable(row: models.Model) -> list[tuple[str, str]]:
    return [
        (str(field.verbose_name).capitalize(), _display(row, field))
        for field in row._meta.concrete_fields
        if field.name not in NOT_SHOWN
    ]


def _file_name(row: models.Model, field_name: str) -> str:
    stored = getattr(row, field_name).name
    shown = getattr(row, f"{field_name}_name", "") or stored.rsplit("/", 1)[-1]
    shown = shown.replace("/", "_").replace("\\", "_")
    return f"documents/{row._meta.model_name}-{row.pk}-{shown}"


def gather(child) -> list[tuple[registry.ChildRecord, list[models.Model]]]:
    """Each registered record type that belongs in an export, with the
    child's rows of it (oldest first)."""
    return [
        (record, list(record.rows_for([child.pk]).order_by("pk")))
        for record in registry.records()
        if record.subject_access
    ]


def build_zip(child, *, by, prepared_at: datetime.datetime) -> bytes:
    """The ZIP's bytes for ``child``, prepared by ``by`` at ``prepared_at``."""
    gathered = gather(child)
    history = registry.history_for(child, subject_access_only=True)
    who = getattr(by, "full_name", "") or getattr(by, "email", "") or "the portal"
    prepared = date_format(timezone.localtime(prepared_at), "j F Y, H:i")

    export = {
        "status": DRAFT,
        "prepared_at": prepared_at,
        "prepared_by": who,
        "records": {
            record.label: {
                "name": record.plural,
                "rows": serializers.serialize("python", rows),
            }
            for record, rows in gathered
        },
    }
    events = [
        {
            "when": event.when,
            "who": event.who,
            "action": event.action,
            "record": event.record,
            "fields": event.detail,
        }
        for event in history
    ]
    pdf = render_pdf(
        "pdf/subject_access.html",
        {
            "child": child,
            "draft": DRAFT,
            "prepared": prepared,
            "prepared_by": who,
            "sections": [
                (record, [(row, _readable(row)) for row in rows]) for record, rows in gathered
            ],
            "history": history,
        },
    )

    out = io.BytesIO()
    missing = []
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("summary.pdf", pdf)
        archive.writestr("records.json", _json(export))
        archive.writestr("history.json", _json({"status": DRAFT, "events": events}))
        for record, rows in gathered:
            for row in rows:
                for name in record.files:
                    stored = getattr(row, name)
                    if not stored:
                        continue
                    try:
                        with stored.storage.open(stored.name, "rb") as handle:
                            archive.writestr(_file_name(row, name), handle.read())
                    except FileNotFoundError:
                        missing.append(_file_name(row, name))
        note = ""
        if missing:
            note = "\nMissing from the portal's file store (not included):\n\n" + "".join(
                f"  {name}\n" for name in missing
            )
        archive.writestr(
            "README.txt", README.format(draft=DRAFT, prepared=prepared, by=who, missing=note)
        )
    return out.getvalue()


def _json(data) -> str:
    return json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
