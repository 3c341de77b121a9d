"""Who may use each API route: no token, every wrong role, the other
area's allowed roles and the area's (tests/api/matrix.py), so no route
leaks a record across areas or to a role that may not see it."""

from __future__ import annotations

import pytest

from tests.access import access_data  # noqa: F401
from tests.api.matrix import ApiCase, api_access_tests
from tests.ehc.helpers import pdf_bytes

EVERYONE = frozenset({"administrator", "officer", "practitioner", "commissioner", "la_officer"})
READERS = frozenset({"administrator", "officer", "practitioner", "la_officer"})  # view_ehc
LOGGERS = frozenset({"administrator", "officer", "la_officer"})  # log_requests
RECORDERS = frozenset({"administrator", "officer", "practitioner"})  # record_advice
FIGURES = frozenset({"administrator", "officer", "commissioner"})  # view_aggregate_reports


def child_pk(d) -> dict:
    return {"pk": d.child.pk}


def request_pk(d) -> dict:
    return {"pk": d.request.pk}


def contribution_pk(d) -> dict:
    return {"pk": d.contribution.pk}


def advice_pk(d) -> dict:
    return {"pk": d.advice.pk}


def new_request(d) -> dict:
    return {"child_id": d.child.pk, "process": "needs_assessment", "sent_on": "2026-11-02"}


def new_child(d) -> dict:
    return {
        "given_name": "Robin",
        "family_name": "Newchild",
        "date_of_birth": "2017-03-04",
        "local_authority": d.area.local_authority.pk,
    }


def a_return(d) -> dict:
    return {"version": 1, "returned_on": "2026-10-02", "outcome": "advice_given"}


CASES = [
    ApiCase("api:child-list", READERS, hidden=lambda d: d.child.family_name),
    ApiCase("api:child-list", LOGGERS, post=new_child, other_area=400, writes=True),
    ApiCase("api:child-detail", READERS, kwargs=child_pk, other_area=404),
    ApiCase(
        "api:child-detail",
        LOGGERS,
        kwargs=child_pk,
        method="patch",
        post={"version": 1, "family_name": "Renamed"},
        other_area=404,
        writes=True,
    ),
    ApiCase("api:request-list", READERS, hidden=lambda d: d.child.family_name),
    ApiCase("api:request-list", LOGGERS, post=new_request, other_area=400, writes=True),
    ApiCase("api:request-detail", READERS, kwargs=request_pk, other_area=404),
    ApiCase("api:contribution-list", READERS, hidden=lambda d: f'"request": {d.request.pk},'),
    ApiCase("api:contribution-detail", READERS, kwargs=contribution_pk, other_area=404),
    ApiCase(
        "api:contribution-record-return",
        RECORDERS,
        kwargs=contribution_pk,
        post=a_return,
        other_area=404,
        writes=True,
    ),
    ApiCase(
        "api:contribution-record-advice",
        RECORDERS,
        kwargs=contribution_pk,
        post=lambda d: {
            "version": d.advice.version,
            "written_on": "2026-10-01",
            "author_name": "Dr B Example",
            "author_profession": "Community paediatrician",
            "provision": [
                {
                    "description": "Programme of speech therapy",
                    "delivered_by": "Speech and language therapist",
                    "frequency": "Weekly",
                    "duration": "One term",
                    "section": "F",
                }
            ],
        },
        other_area=404,
        writes=True,
    ),
    ApiCase("api:advice-list", READERS, hidden=lambda d: f'"contribution": {d.contribution.pk},'),
    ApiCase("api:advice-detail", READERS, kwargs=advice_pk, other_area=404),
    ApiCase("api:advice-document", READERS, kwargs=advice_pk, other_area=404),
    ApiCase(
        "api:local-authority-list",
        EVERYONE,
        hidden=lambda d: d.area.local_authority.name,
    ),
    ApiCase(
        "api:local-authority-detail",
        EVERYONE,
        kwargs=lambda d: {"pk": d.area.local_authority.pk},
        other_area=404,
    ),
    ApiCase("api:service-list", EVERYONE, not_scoped="a public directory of services"),
    ApiCase(
        "api:service-detail",
        EVERYONE,
        kwargs=lambda d: {"pk": d.area.service.pk},
        not_scoped="a public directory of services",
    ),
    # Another area's users cannot choose this area's local authority: 400.
    ApiCase(
        "api:figures",
        FIGURES,
        query=lambda d: f"?local_authority={d.area.local_authority.pk}",
        other_area=400,
    ),
]

test_api_access = api_access_tests(CASES)


@pytest.fixture(autouse=True)
def advice_file(settings, tmp_path, access_data):  # noqa: F811
    """The advice document on disk, for the download."""
    settings.MEDIA_ROOT = tmp_path
    path = tmp_path / access_data.advice.document.name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pdf_bytes("access test"))
