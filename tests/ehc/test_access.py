"""Who may use the EHC casework screens: anonymous, wrong role, right role
and other area, by GET and by POST, for every URL (tests/access.py)."""

from __future__ import annotations

from datetime import date

import pytest

from ehc.models import Outcome, PrimaryNeed, Reg8Exception
from tests.access import AccessCase, access_data, access_tests, date_data  # noqa: F401
from tests.ehc.helpers import pdf_bytes


def _date_range(start: date, end: date) -> str:
    """A sample's date range as the GOV.UK date fields send it."""
    return (
        f"?start_0={start.day}&start_1={start.month}&start_2={start.year}"
        f"&end_0={end.day}&end_1={end.month}&end_2={end.year}"
    )


READERS = frozenset({"administrator", "officer", "practitioner", "la_officer"})
LOGGERS = frozenset({"administrator", "officer", "la_officer"})
RECORDERS = frozenset({"administrator", "officer", "practitioner"})
CASEWORKERS = frozenset({"administrator", "officer"})

RECORD_KINDS = ("section-23", "reviews", "mediation", "tribunal", "health-budgets")


def request_pk(d) -> dict:
    return {"pk": d.request.pk}


def contribution_pk(d) -> dict:
    return {"pk": d.contribution.pk}


def advice_pk(d) -> dict:
    return {"pk": d.advice.pk}


def child_pk(d) -> dict:
    return {"pk": d.child.pk}


def family_name(d) -> str:
    return d.child.family_name


CASES = [
    # Worklist and request
    AccessCase("ehc:request_list", allowed=READERS, hidden=family_name, post={}),
    AccessCase(
        "ehc:request_start",
        allowed=LOGGERS,
        query=lambda d: f"?name={d.child.family_name}",
        # The name searched for is shown back in the box: look for the match.
        hidden=lambda d: d.child.get_absolute_url(),
    ),
    AccessCase(
        "ehc:request_download",
        allowed=READERS,
        kwargs=lambda d: {"file_format": "csv"},
        hidden=family_name,
        id="request_download-csv",
    ),
    # The workbook is compressed, so the name cannot be looked for in it:
    # tests/ehc/test_list_views.py opens it and checks its rows are scoped.
    AccessCase(
        "ehc:request_download",
        allowed=READERS,
        kwargs=lambda d: {"file_format": "xlsx"},
        other_area=200,
        id="request_download-xlsx",
    ),
    AccessCase("ehc:request_detail", allowed=READERS, kwargs=request_pk, other_area=404, post={}),
    AccessCase(
        "ehc:request_edit",
        allowed=CASEWORKERS,
        kwargs=request_pk,
        other_area=404,
        post={},
        writes=True,
    ),
    AccessCase(
        "ehc:contribution_add",
        allowed=CASEWORKERS,
        kwargs=request_pk,
        other_area=404,
        post=lambda d: {"service": d.area.service.pk},
    ),
    # Contributions and advice
    AccessCase(
        "ehc:contribution_return",
        allowed=RECORDERS,
        kwargs=contribution_pk,
        other_area=404,
        post={**date_data("returned_on", "2026-10-05"), "outcome": Outcome.NO_HEALTH_NEEDS},
        writes=True,
    ),
    AccessCase(
        "ehc:contribution_asking",
        allowed=CASEWORKERS,
        kwargs=contribution_pk,
        other_area=404,
        post={**date_data("asked_on", "2026-09-02"), **date_data("return_by", "2026-10-01")},
        writes=True,
    ),
    AccessCase(
        "ehc:contribution_exception",
        allowed=CASEWORKERS,
        kwargs=contribution_pk,
        other_area=404,
        post={
            "exception": Reg8Exception.MISSED_APPOINTMENT,
            "exception_evidence": "Missed the clinic on 10 September.",
            **date_data("exception_on", "2026-09-10"),
        },
        writes=True,
    ),
    AccessCase(
        "ehc:advice_edit",
        allowed=RECORDERS,
        kwargs=contribution_pk,
        other_area=404,
        post={},
        writes=True,
    ),
    AccessCase("ehc:advice_document", allowed=READERS, kwargs=advice_pk, other_area=404, post={}),
    AccessCase(
        "ehc:review_edit",
        allowed=CASEWORKERS,
        kwargs=advice_pk,
        other_area=404,
        post={},
        writes=True,
    ),
    # The reviews worklist (ehc/reviews/views.py): the data set's child has a plan due.
    AccessCase("ehc:review_list", allowed=CASEWORKERS, hidden=family_name),
    AccessCase(
        "ehc:review_download",
        allowed=CASEWORKERS,
        kwargs=lambda d: {"file_format": "csv"},
        hidden=family_name,
        id="review_download-csv",
    ),
    AccessCase(
        "ehc:review_download",
        allowed=CASEWORKERS,
        kwargs=lambda d: {"file_format": "xlsx"},
        other_area=200,
        id="review_download-xlsx",
    ),
    AccessCase(
        "ehc:audit_sample",
        allowed=CASEWORKERS,
        query=lambda d: "?start_0=1&start_1=9&start_2=2026&end_0=31&end_1=10&end_2=2026&size=5",
        hidden=lambda d: d.request.reference,
        post={},
    ),
    # Children
    AccessCase("ehc:child_list", allowed=READERS, hidden=family_name, post={}),
    AccessCase(
        "ehc:child_download",
        allowed=READERS,
        kwargs=lambda d: {"file_format": "csv"},
        hidden=family_name,
        id="child_download-csv",
    ),
    AccessCase(
        "ehc:child_download",
        allowed=READERS,
        kwargs=lambda d: {"file_format": "xlsx"},
        other_area=200,
        id="child_download-xlsx",
    ),
    AccessCase(
        "ehc:child_create",
        allowed=LOGGERS,
        # The form offers only the user's own local authorities.
        hidden=lambda d: d.area.local_authority.name,
        post=lambda d: {
            "local_authority": d.area.local_authority.pk,
            "given_name": "Access",
            "family_name": "Testchild",
            **date_data("date_of_birth", "2016-05-14"),
            "primary_need": PrimaryNeed.ASD,
        },
        writes=True,
    ),
    AccessCase("ehc:child_detail", allowed=READERS, kwargs=child_pk, other_area=404, post={}),
    AccessCase(
        "ehc:child_access_history", allowed=CASEWORKERS, kwargs=child_pk, other_area=404, post={}
    ),
    AccessCase(
        "ehc:child_edit",
        allowed=LOGGERS,
        kwargs=child_pk,
        other_area=404,
        post={},
        writes=True,
    ),
    AccessCase(
        "ehc:request_create",
        allowed=LOGGERS,
        kwargs=lambda d: {"child_pk": d.child.pk},
        other_area=404,
        post=lambda d: {
            "process": "needs_assessment",
            **date_data("sent_on", "2026-09-01"),
            **date_data("received_on", "2026-09-02"),
            "services": [d.area.service.pk],
        },
        writes=True,
    ),
    *[
        AccessCase(
            "ehc:child_record_create",
            allowed=CASEWORKERS,
            kwargs=lambda d, kind=kind: {"child_pk": d.child.pk, "kind": kind},
            other_area=404,
            post={},
            id=f"ehc:child_record_create[{kind}]",
        )
        for kind in RECORD_KINDS
    ],
    AccessCase(
        "ehc:child_record_edit",
        allowed=CASEWORKERS,
        kwargs=lambda d: {
            "child_pk": d.child.pk,
            "kind": "health-budgets",
            "record_pk": d.budget.pk,
        },
        other_area=404,
        post={},
        writes=True,
    ),
]

test_access = access_tests(CASES)


@pytest.fixture(autouse=True)
def advice_file(settings, tmp_path, access_data):  # noqa: F811
    """The advice document on disk, for the download."""
    settings.MEDIA_ROOT = tmp_path
    path = tmp_path / access_data.advice.document.name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pdf_bytes("access test"))


# --- The caseload import (ehc/import_views.py) -------------------------------------------------


def import_job_pk(d) -> dict:
    """A checked import of a one-row tracker, started by the area's officer."""
    from ehc.caseload_import import jobs
    from ehc.models import ImportJob, ImportStatus
    from tests.ehc.caseload_import.helpers import csv_bytes, row

    job = ImportJob.objects.filter(
        created_by=d.area.officer, status=ImportStatus.CHECKED, file_name="access.csv"
    ).first()
    if job is None:
        data = csv_bytes([row(d.area)])
        job = jobs.start(by=d.area.officer, name="access.csv", data=data)
    return {"pk": job.pk}


IMPORT_CASES = [
    AccessCase("ehc:import", allowed=CASEWORKERS, not_scoped="an upload form", post={}),
    AccessCase("ehc:import_job", allowed=CASEWORKERS, kwargs=import_job_pk, other_area=404),
    AccessCase("ehc:import_progress", allowed=CASEWORKERS, kwargs=import_job_pk, other_area=404),
    AccessCase(
        "ehc:import_confirm",
        allowed=CASEWORKERS,
        kwargs=import_job_pk,
        other_area=404,
        allowed_status=302,
        post={},
        writes=True,
    ),
]

test_import_access = access_tests(IMPORT_CASES)


# --- Plan quality assurance (ehc/plan_views.py) ------------------------------------------------

PLAN_MARKER = "EHCP-MARKER-1"  # the data set's plan's LA reference (tests/access.py)


def plan_pk(d) -> dict:
    return {"pk": d.plan.pk}


def new_plan(d) -> dict:
    return {"kind": "amended", **date_data("issued_on", "2026-11-02"), "la_reference": "EHCP-2"}


def new_provision(d) -> dict:
    return {
        "description": "Tracheostomy care by trained staff throughout the school day",
        "service": str(d.area.service.pk),
        "status": "waiting",
        **date_data("waiting_since", "2026-10-01"),
        **date_data("checked_on", "2026-11-02"),
    }


def audit_answers(d) -> dict:
    return {
        **date_data("audited_on", "2026-11-03"),
        "needs_in_c": "yes",
        "provision_specific": "yes",
        "provision_quantified": "no",
        "provider_named": "yes",
        "therapy_in_f": "na",
        "outcomes_smart": "partly",
        "child_views": "yes",
        "needs_have_provision": "yes",
    }


PLAN_CASES = [
    AccessCase("ehc:plan_list", allowed=CASEWORKERS, hidden=lambda d: PLAN_MARKER),
    AccessCase(
        "ehc:plan_download",
        allowed=CASEWORKERS,
        kwargs=lambda d: {"file_format": "csv"},
        hidden=lambda d: PLAN_MARKER,
        id="plan_download-csv",
    ),
    # Compressed: tests/ehc/test_plan_views.py opens it and checks its rows are scoped.
    AccessCase(
        "ehc:plan_download",
        allowed=CASEWORKERS,
        kwargs=lambda d: {"file_format": "xlsx"},
        other_area=200,
        id="plan_download-xlsx",
    ),
    AccessCase(
        "ehc:plan_sample",
        allowed=CASEWORKERS,
        # From the day the dataset's plan was issued to today.
        query=lambda d: _date_range(d.plan.issued_on, date.today()) + "&size=5",
        hidden=lambda d: d.plan.reference + "</a>",
    ),
    AccessCase(
        "ehc:plan_create",
        allowed=CASEWORKERS,
        kwargs=lambda d: {"child_pk": d.child.pk},
        other_area=404,
        post=new_plan,
        writes=True,
    ),
    AccessCase("ehc:plan_detail", allowed=CASEWORKERS, kwargs=plan_pk, other_area=404),
    AccessCase(
        "ehc:plan_edit",
        allowed=CASEWORKERS,
        kwargs=plan_pk,
        other_area=404,
        post={"la_reference": "EHCP-MARKER-1A"},
        writes=True,
    ),
    AccessCase(
        "ehc:plan_audit",
        allowed=CASEWORKERS,
        kwargs=plan_pk,
        other_area=404,
        post=audit_answers,
        writes=True,
    ),
    AccessCase(
        "ehc:provision_create",
        allowed=CASEWORKERS,
        kwargs=plan_pk,
        other_area=404,
        post=new_provision,
        writes=True,
    ),
    AccessCase(
        "ehc:provision_edit",
        allowed=CASEWORKERS,
        kwargs=lambda d: {"pk": d.plan_provision.pk},
        other_area=404,
        post={"status": "not_available"},
        writes=True,
    ),
    # Asks only: the answer is sent to provision_edit ("remove").
    AccessCase(
        "ehc:provision_remove",
        allowed=CASEWORKERS,
        kwargs=lambda d: {"pk": d.plan_provision.pk},
        other_area=404,
    ),
]

test_plan_access = access_tests(PLAN_CASES)
