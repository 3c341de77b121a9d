"""The subject access ZIP, opened and read (governance/subject_access.py and
governance.services.request_subject_access and build_subject_access_export)."""

from __future__ import annotations

import datetime
import io
import json
import zipfile

import pytest
from auditlog.models import LogEntry
from pypdf import PdfReader

from ehc import registry
from governance.models import SubjectAccessExport
from governance.subject_access import DRAFT
from tests.ehc.helpers import pdf_bytes
from tests.governance.helpers import old_case, prepare_export


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def prepared(area, django_capture_on_commit_callbacks):
    case = old_case(area)
    export = prepare_export(case.child, area.officer, django_capture_on_commit_callbacks)
    with export.file.open("rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    return case, export, archive


def test_the_request_is_recorded_with_who_and_when(prepared, area):
    case, export, _archive = prepared
    assert export.child == case.child and export.requested_by == area.officer
    assert export.status == SubjectAccessExport.Status.READY
    assert export.created <= export.finished
    assert export.file.name.startswith(f"subject-access/{case.child.pk}/")
    assert "Oldrecord" not in export.file.name
    entries = LogEntry.objects.get_for_object(export).order_by("pk")
    assert [(e.action, e.actor) for e in entries][0] == (LogEntry.Action.CREATE, area.officer)
    # Each change of status is audited: waiting, being prepared, ready.
    statuses = [e.changes_dict["status"][1] for e in entries if "status" in e.changes_dict]
    assert statuses[-2:] == ["building", "ready"]
    assert SubjectAccessExport.objects.count() == 1


def test_the_zip_holds_its_five_parts(prepared):
    _case, _request, archive = prepared
    names = archive.namelist()
    assert {"README.txt", "summary.pdf", "records.json", "history.json"} <= set(names)
    readme = archive.read("README.txt").decode()
    assert readme.startswith(DRAFT)
    assert "serious-harm test" in readme and "redacted" in readme


def test_the_summary_is_a_readable_pdf_marked_as_a_draft(prepared):
    case, _request, archive = prepared
    reader = PdfReader(io.BytesIO(archive.read("summary.pdf")))
    text = " ".join(" ".join((page.extract_text() or "") for page in reader.pages).split())
    assert "Erin Oldrecord" in text
    assert "DRAFT: for the serious-harm check and redaction of third parties before release" in text
    assert "Erin loves trains" in text  # the advice's record of the child's views
    assert "Health advice requests (1)" in text
    assert "Who has created, changed or looked at these records" in text
    # Every page carries the mark, not only the first.
    assert all("DRAFT" in (page.extract_text() or "") for page in reader.pages)


def test_the_json_has_every_record_type_with_its_rows(prepared):
    case, _request, archive = prepared
    export = json.loads(archive.read("records.json"))
    assert export["status"] == DRAFT
    expected = {r.label for r in registry.records() if r.subject_access}
    assert set(export["records"]) == expected
    for label, part in export["records"].items():
        assert part["rows"], f"{label} has no rows"
        assert all(row["model"] == label for row in part["rows"])
    child = export["records"]["ehc.child"]["rows"][0]
    assert child["pk"] == case.child.pk
    assert child["fields"]["date_of_birth"] == "1995-03-01"  # ISO 8601
    assert child["fields"]["nhs_number"] == "9434765919"
    request = export["records"]["ehc.healthadvicerequest"]["rows"][0]
    assert request["fields"]["received_on"] == case.request.received_on.isoformat()
    # Not the governance app's own records: holds and earlier requests.
    assert "governance.legalhold" not in export["records"]


def test_the_advice_documents_are_included(prepared):
    case, _request, archive = prepared
    documents = [name for name in archive.namelist() if name.startswith("documents/")]
    assert documents == [f"documents/advice-{case.advice.pk}-Erin Oldrecord report.pdf"]
    assert archive.read(documents[0]) == pdf_bytes("old advice")


def test_the_history_says_who_did_what_to_which_record(prepared, area):
    _case, _request, archive = prepared
    history = json.loads(archive.read("history.json"))
    assert history["status"] == DRAFT
    events = history["events"]
    actions = {(e["action"], e["record"].split(" ")[0]) for e in events}
    assert ("viewed", "child") in actions
    assert ("created", "health") in actions
    assert ("deleted", "provision") in actions  # the row removed from the advice
    assert {e["who"] for e in events} == {area.officer.full_name}
    datetime.datetime.fromisoformat(events[0]["when"])  # ISO 8601 timestamps
    # Changed fields are named without their values.
    assert all("Erin" not in e["fields"] for e in events)


def test_a_missing_document_is_listed_not_fatal(area, media, django_capture_on_commit_callbacks):
    case = old_case(area)
    (media / case.advice.document.name).unlink()
    export = prepare_export(case.child, area.administrator, django_capture_on_commit_callbacks)
    with export.file.open("rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    assert not [n for n in archive.namelist() if n.startswith("documents/")]
    assert "Missing from the portal's file store" in archive.read("README.txt").decode()
