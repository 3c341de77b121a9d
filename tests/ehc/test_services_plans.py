"""ehc.services.plans, called with plain values as an importer or the API
would: recording plans, auditing their health sections and recording the
section G provision with its delivery (docs/plans.md)."""

from __future__ import annotations

import datetime

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError

from ehc import plan_checklist, services
from ehc.models import EHCPlan, PlanAudit, PlanProvision
from ehc.saving import StaleEdit
from tests import factories as f

pytestmark = pytest.mark.django_db
D = datetime.date


def errors_of(call) -> dict:
    with pytest.raises(ValidationError) as exc:
        call()
    return exc.value.message_dict


@pytest.fixture
def plan(case, area):
    child, request, _ = case
    return services.record_plan(
        child=child,
        kind="final",
        issued_on=D(2026, 10, 20),
        la_reference="EHCP-1",
        informed_by=[request],
        by=area.officer,
    )


def test_recording_a_plan_links_the_advice_and_audits_the_change(plan, case, area):
    _, request, _ = case
    assert list(plan.informed_by.all()) == [request]
    assert plan.created_by == area.officer
    entries = list(LogEntry.objects.get_for_object(plan).order_by("pk"))
    assert [e.actor for e in entries] == [area.officer, area.officer]
    assert "informed_by" in entries[1].changes_dict  # the linked advice is audited too


def test_the_informing_requests_must_be_the_childs_and_received_before_issue(case, area):
    child, request, _ = case
    other = f.HealthAdviceRequestFactory(child=f.ChildFactory(local_authority=area.local_authority))
    problems = errors_of(
        lambda: services.record_plan(
            child=child,
            kind="final",
            issued_on=D(2026, 10, 20),
            informed_by=[request, other],
            by=area.officer,
        )
    )
    assert problems["informed_by"] == [f"Request {other.reference} is about another child"]
    problems = errors_of(
        lambda: services.record_plan(
            child=child,
            kind="final",
            issued_on=D(2026, 9, 1),
            informed_by=[request],
            by=area.officer,
        )
    )
    assert "received after the plan was issued" in problems["informed_by"][0]
    assert not EHCPlan.objects.exists()


def test_plan_dates_and_duplicates_are_refused_beside_the_field(plan, case, area, today_is):
    child, _, _ = case
    today_is(D(2026, 11, 30))
    future = errors_of(
        lambda: services.record_plan(
            child=child, kind="amended", issued_on=D(2026, 12, 1), by=area.officer
        )
    )
    assert future["issued_on"] == ["The date cannot be in the future"]
    unborn = errors_of(
        lambda: services.record_plan(
            child=child, kind="final", issued_on=D(2010, 1, 1), by=area.officer
        )
    )
    assert "before the child was born" in unborn["issued_on"][0]
    twice = errors_of(
        lambda: services.record_plan(
            child=child, kind="amended", issued_on=plan.issued_on, by=area.officer
        )
    )
    assert twice["issued_on"] == ["A plan issued on this date is already recorded for this child."]


def test_only_designated_officers_and_administrators_in_scope_record_plans(case, area, other_area):
    child, _, _ = case
    for user in (area.la_officer, area.practitioner, area.commissioner):
        with pytest.raises(PermissionDenied):
            services.record_plan(child=child, kind="final", issued_on=D(2026, 10, 1), by=user)
    problems = errors_of(
        lambda: services.record_plan(
            child=child, kind="final", issued_on=D(2026, 10, 1), by=other_area.officer
        )
    )
    assert "child" in problems
    saved = services.record_plan(
        child=child, kind="final", issued_on=D(2026, 10, 1), by=area.administrator
    )
    assert saved.pk


def test_updating_a_plan_is_versioned_and_keeps_the_advice_before_the_date(plan, area):
    saved = services.update_plan(
        plan=plan,
        values={"la_reference": "EHCP-1A", "kind": "amended"},
        by=area.officer,
        expected_version=1,
    )
    assert (saved.la_reference, saved.version) == ("EHCP-1A", 2)
    with pytest.raises(StaleEdit):
        services.update_plan(
            plan=EHCPlan.objects.get(pk=plan.pk),
            values={"la_reference": "late"},
            by=area.officer,
            expected_version=1,
        )
    # Moving the date before the linked advice was asked for is refused.
    problems = errors_of(
        lambda: services.update_plan(
            plan=EHCPlan.objects.get(pk=plan.pk),
            values={"issued_on": D(2026, 9, 1)},
            by=area.officer,
            expected_version=2,
        )
    )
    assert "received after the plan was issued" in problems["issued_on"][0]
    # Clearing the links, then the same date is allowed.
    services.update_plan(
        plan=EHCPlan.objects.get(pk=plan.pk),
        values={"issued_on": D(2026, 9, 1)},
        informed_by=[],
        by=area.officer,
        expected_version=2,
    )
    assert not EHCPlan.objects.get(pk=plan.pk).informed_by.exists()
    with pytest.raises(TypeError):
        services.update_plan(
            plan=plan, values={"child": plan.child}, by=area.officer, expected_version=3
        )


def all_answers(answer: str) -> dict:
    return dict.fromkeys(plan_checklist.CRITERIA_NAMES, answer)


def test_an_audit_is_scored_and_rated_and_can_be_changed(plan, area):
    answers = all_answers("yes") | {"outcomes_smart": "no", "therapy_in_f": "na"}
    audit = services.save_plan_audit(
        plan=plan,
        audited_on=D(2026, 11, 2),
        answers=answers,
        notes="Outcomes vague",
        by=area.officer,
    )
    assert (audit.score, audit.rating, audit.auditor) == (86, "green", area.officer)  # 12 of 14
    assert audit.therapy_in_f == "na"
    changed = services.save_plan_audit(
        plan=PlanAudit.objects.get(pk=audit.pk).plan,
        audited_on=D(2026, 11, 3),
        answers=answers | {"child_views": "partly", "needs_in_c": "no"},
        by=area.officer,
        expected_version=1,
    )
    assert (changed.score, changed.rating) == (64, "amber")  # 9 of 14
    assert PlanAudit.objects.count() == 1
    with pytest.raises(StaleEdit):
        services.save_plan_audit(
            plan=EHCPlan.objects.get(pk=plan.pk),
            audited_on=D(2026, 11, 3),
            answers=answers,
            by=area.officer,
            expected_version=1,
        )


def test_an_audit_refuses_bad_answers_dates_and_people(plan, area):
    def audit(by=area.officer, **kwargs):
        values = {"plan": plan, "audited_on": D(2026, 11, 2), "answers": all_answers("yes")}
        return services.save_plan_audit(by=by, **(values | kwargs))

    assert "answers" in errors_of(lambda: audit(answers={"made_up": "yes"}))
    assert "needs_in_c" in errors_of(lambda: audit(answers={"needs_in_c": "maybe"}))
    nothing = errors_of(lambda: audit(answers=all_answers("na")))
    assert nothing["needs_in_c"] == ["Answer at least one question with yes, partly or no"]
    early = errors_of(lambda: audit(audited_on=D(2026, 10, 1)))
    assert "before the plan was issued" in early["audited_on"][0]
    with pytest.raises(PermissionDenied):
        audit(by=area.la_officer)
    assert not PlanAudit.objects.exists()


def provision_values(area, **overrides) -> dict:
    return {
        "description": "Enteral feeding by trained staff, 3 times each school day",
        "service": area.service,
        "delivered_by": "",
        "specific": True,
        "quantified": True,
        "status": "waiting",
        "waiting_since": D(2026, 9, 15),
        "checked_on": D(2026, 11, 2),
    } | overrides


def test_provision_rows_record_their_delivery(plan, area):
    row = services.save_plan_provision(plan=plan, values=provision_values(area), by=area.officer)
    assert (row.status, row.waiting_since, row.service) == ("waiting", D(2026, 9, 15), area.service)
    assert row.waiting_days(D(2026, 9, 25)) == 10
    # In place: the waiting date goes, whatever was sent with it.
    row = services.save_plan_provision(
        plan=plan,
        provision=row,
        values={"status": "in_place", "waiting_since": D(2026, 9, 15)},
        by=area.officer,
        expected_version=1,
    )
    assert (row.status, row.waiting_since, row.version) == ("in_place", None, 2)
    assert row.waiting_days(D(2026, 9, 25)) is None


def test_provision_rules_are_keyed_by_field(plan, area, other_area):
    def save(**overrides):
        return services.save_plan_provision(
            plan=plan, values=provision_values(area, **overrides), by=area.officer
        )

    assert "waiting_since" in errors_of(lambda: save(waiting_since=None))
    late = errors_of(lambda: save(waiting_since=D(2026, 11, 3)))
    assert late["waiting_since"] == ["The wait cannot start after the date checked."]
    unnamed = errors_of(lambda: save(service=None, delivered_by=" "))
    assert unnamed["delivered_by"] == ["Choose the service or say who delivers it"]
    elsewhere = errors_of(lambda: save(service=other_area.service))
    assert elsewhere["service"] == [
        f"{other_area.service.name} does not cover the child's local authority"
    ]
    assert "status" in errors_of(lambda: save(status="lost"))
    with pytest.raises(TypeError):
        save(plan=plan)
    assert not PlanProvision.objects.exists()
    other_plan = f.EHCPlanFactory(child=plan.child, issued_on=D(2026, 10, 25))
    row = f.PlanProvisionFactory(plan=other_plan)
    with pytest.raises(ValidationError, match="belongs to another plan"):
        services.save_plan_provision(
            plan=plan, provision=row, values={}, by=area.officer, expected_version=1
        )


def test_a_plan_keeps_its_audit_and_provision_checks_after_its_date(plan, area):
    # A provision row checked before the plan was issued is refused.
    early = errors_of(
        lambda: services.save_plan_provision(
            plan=plan, values=provision_values(area, checked_on=D(2026, 10, 1)), by=area.officer
        )
    )
    assert early["checked_on"] == [
        "The date checked cannot be before the plan was issued (20 October 2026)"
    ]
    services.save_plan_provision(plan=plan, values=provision_values(area), by=area.officer)

    def move_to(day):
        return services.update_plan(
            plan=EHCPlan.objects.get(pk=plan.pk),
            values={"issued_on": day},
            informed_by=[],
            by=area.officer,
            expected_version=EHCPlan.objects.get(pk=plan.pk).version,
        )

    # Provision checked on 2 November: the plan cannot be dated later.
    moved = errors_of(lambda: move_to(D(2026, 11, 5)))
    assert moved["issued_on"] == [
        "Section G provision was checked on 2 November 2026: the plan was issued before that"
    ]
    services.save_plan_audit(
        plan=EHCPlan.objects.get(pk=plan.pk),
        audited_on=D(2026, 10, 28),
        answers=all_answers("yes"),
        by=area.officer,
    )
    audited = errors_of(lambda: move_to(D(2026, 10, 30)))
    assert audited["issued_on"] == [
        "The plan was audited on 28 October 2026: it was issued before that"
    ]
    assert move_to(D(2026, 10, 27)).issued_on == D(2026, 10, 27)


def test_a_row_recorded_by_mistake_is_removed_unless_changed_meanwhile(plan, area):
    row = services.save_plan_provision(plan=plan, values=provision_values(area), by=area.officer)
    with pytest.raises(PermissionDenied):
        services.remove_plan_provision(provision=row, by=area.la_officer, expected_version=1)
    services.save_plan_provision(
        plan=plan, provision=row, values={"status": "in_place"}, by=area.officer, expected_version=1
    )
    with pytest.raises(StaleEdit):
        services.remove_plan_provision(
            provision=PlanProvision.objects.get(pk=row.pk), by=area.officer, expected_version=1
        )
    services.remove_plan_provision(
        provision=PlanProvision.objects.get(pk=row.pk), by=area.officer, expected_version=2
    )
    assert not PlanProvision.objects.exists()
    assert LogEntry.objects.filter(object_pk=str(row.pk), action=LogEntry.Action.DELETE).exists()
