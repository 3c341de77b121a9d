"""Who may use the improvement plans: anonymous, wrong role, right role and
other area, by GET and by POST, for every URL (tests/access.py).
Designated officers keep their own areas' plans, commissioners read their
body's areas' plans, administrators do both everywhere."""

from __future__ import annotations

from improvement.models import ActionStatus, PlanArea, PlanKind
from tests.access import AccessCase, access_data, access_tests, date_data  # noqa: F401
from tests.improvement.data import PLAN_MARKER

READ = frozenset({"administrator", "officer", "commissioner"})
EDIT = frozenset({"administrator", "officer"})


def new_plan(d) -> dict:
    return {
        "local_authority": str(d.area.local_authority.pk),
        "title": "Health improvement plan",
        "kind": PlanKind.IMPROVEMENT,
        **date_data("starts_on", "2026-04-01"),
    }


def new_action(d) -> dict:
    return {
        "plan_area": PlanArea.QUALITY,
        "title": "Audit ten pieces of advice a quarter",
        "owner": "Designated Clinical Officer",
        **date_data("due_on", "2027-03-31"),
        "status": ActionStatus.NOT_STARTED,
        "number": "2.1",
    }


def plan(d) -> dict:
    return {"pk": d.improvement_plan.pk}


def action(d) -> dict:
    return {"pk": d.action.pk}


CASES = [
    AccessCase("improvement:plan_list", allowed=READ, hidden=lambda d: PLAN_MARKER),
    AccessCase(
        "improvement:plan_create",
        allowed=EDIT,
        # The form offers the user's own local authorities only.
        hidden=lambda d: d.area.local_authority.name,
        post=new_plan,
        writes=True,
    ),
    AccessCase("improvement:plan_detail", allowed=READ, kwargs=plan, other_area=404),
    AccessCase(
        "improvement:plan_edit",
        allowed=EDIT,
        kwargs=plan,
        other_area=404,
        post={"summary": "Priorities agreed with the parent carer forum."},
        writes=True,
    ),
    AccessCase(
        "improvement:action_create",
        allowed=EDIT,
        kwargs=plan,
        other_area=404,
        post=new_action,
        writes=True,
    ),
    AccessCase(
        "improvement:plan_download",
        allowed=READ,
        kwargs=lambda d: {"pk": d.improvement_plan.pk, "file_format": "csv"},
        other_area=404,
        id="plan_download-csv",
    ),
    AccessCase(
        "improvement:plan_download",
        allowed=READ,
        kwargs=lambda d: {"pk": d.improvement_plan.pk, "file_format": "xlsx"},
        other_area=404,
        id="plan_download-xlsx",
    ),
    AccessCase("improvement:action_detail", allowed=READ, kwargs=action, other_area=404),
    AccessCase(
        "improvement:action_edit",
        allowed=EDIT,
        kwargs=action,
        other_area=404,
        post={"status": ActionStatus.IN_PROGRESS},
        writes=True,
    ),
    AccessCase(
        "improvement:note_create",
        allowed=EDIT,
        kwargs=action,
        other_area=404,
        post={"text": "Two providers have signed up."},
        writes=True,
    ),
    AccessCase(
        "improvement:evidence_create",
        allowed=EDIT,
        kwargs=action,
        other_area=404,
        post={"label": "Dashboard", "path": "/reports/dashboard/"},
        writes=True,
    ),
]

test_access = access_tests(CASES)
