"""The improvement plan's services and rules (improvement/services.py,
improvement/models.py), called with plain values as an importer or the API
would: scope, the partner body, dates, completion, overrides, owners,
stale edits, append-only notes, evidence links, the audit trail and the
table's constraints."""

from __future__ import annotations

import datetime

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from improvement import rag, selectors, services
from improvement.models import (
    ActionStatus,
    ImprovementAction,
    ImprovementPlan,
    PlanArea,
    PlanKind,
)
from tests import factories as f

pytestmark = pytest.mark.django_db

START = datetime.date(2026, 4, 1)


def start(area, by=None, **overrides):
    values = {
        "by": by or area.officer,
        "local_authority": area.local_authority,
        "title": "Written statement of action 2026",
        "kind": PlanKind.WRITTEN_STATEMENT,
        "starts_on": START,
    }
    values.update(overrides)
    return services.create_plan(**values)


def add(plan, by, **overrides):
    values = {
        "by": by,
        "plan": plan,
        "plan_area": PlanArea.TIMELINESS,
        "title": "Agree the 6-week standard with providers",
        "owner": "Designated Clinical Officer",
        "due_on": timezone.localdate() + datetime.timedelta(days=60),
    }
    values.update(overrides)
    return services.add_action(**values)


def errors_of(raised) -> dict:
    return raised.value.message_dict


def test_start_a_plan_with_its_partner_body(area):
    plan = start(area, commissioning_body=area.body, inspected_on=datetime.date(2026, 1, 20))
    assert plan.pk and plan.created_by == area.officer
    assert plan.commissioning_body == area.body
    assert LogEntry.objects.get_for_object(plan).get().actor == area.officer


def test_a_plan_only_for_ones_own_areas(area, other_area):
    with pytest.raises(ValidationError) as raised:
        start(area, local_authority=other_area.local_authority)
    assert "local_authority" in errors_of(raised)
    assert not ImprovementPlan.objects.exists()


def test_the_partner_body_must_be_linked_to_the_authority(area, other_area):
    with pytest.raises(ValidationError) as raised:
        start(area, commissioning_body=other_area.body)
    assert errors_of(raised) == {
        "commissioning_body": ["Choose a commissioning body the local authority is linked to"]
    }


def test_plan_dates(area):
    with pytest.raises(ValidationError) as raised:
        start(
            area,
            ends_on=START - datetime.timedelta(days=1),
            inspected_on=timezone.localdate() + datetime.timedelta(days=1),
        )
    errors = errors_of(raised)
    assert "ends_on" in errors and errors["inspected_on"] == ["The date cannot be in the future"]


def test_plan_end_constraint_in_the_database(area):
    plan = f.ImprovementPlanFactory(local_authority=area.local_authority)
    with pytest.raises(IntegrityError), transaction.atomic():
        ImprovementPlan.objects.filter(pk=plan.pk).update(ends_on=datetime.date(2020, 1, 1))


def test_update_a_plan_refuses_a_stale_copy_and_its_area(area, other_area):
    plan = start(area)
    services.update_plan(
        plan=plan, values={"summary": "Four priorities"}, by=area.officer, expected_version=1
    )
    assert ImprovementPlan.objects.get().summary == "Four priorities"
    with pytest.raises(services.StaleEdit):
        services.update_plan(plan=plan, values={"title": "x"}, by=area.officer, expected_version=1)
    with pytest.raises(TypeError):
        services.update_plan(
            plan=plan,
            values={"local_authority": other_area.local_authority},
            by=area.officer,
            expected_version=plan.version,
        )


def test_add_an_action_and_complete_it(area):
    plan = start(area)
    action = add(plan, area.officer, number=" 1.2 ", owner_user=area.officer)
    assert action.number == "1.2" and action.status == ActionStatus.NOT_STARTED
    assert action.completed_on is None
    services.update_action(
        action=action,
        values={"status": ActionStatus.COMPLETE},
        by=area.officer,
        expected_version=action.version,
    )
    action.refresh_from_db()
    assert action.completed_on == timezone.localdate()
    assert action.rating() == rag.BLUE
    # Reopened: the completion date goes.
    services.update_action(
        action=action,
        values={"status": ActionStatus.IN_PROGRESS},
        by=area.officer,
        expected_version=action.version,
    )
    action.refresh_from_db()
    assert action.completed_on is None


def test_an_override_needs_a_reason_and_goes_with_it(area):
    plan = start(area)
    with pytest.raises(ValidationError) as raised:
        add(plan, area.officer, rag_override=rag.RED)
    assert errors_of(raised) == {"rag_reason": ["Enter the reason for overriding the RAG rating"]}
    action = add(plan, area.officer, rag_override=rag.RED, rag_reason="The provider withdrew")
    assert action.rating() == rag.RED
    services.update_action(
        action=action,
        values={"rag_override": ""},
        by=area.officer,
        expected_version=action.version,
    )
    action.refresh_from_db()
    assert action.rag_reason == "" and action.rating() == rag.GREEN  # not started, 60 days


def test_action_numbers_are_unique_in_a_plan(area):
    plan = start(area)
    add(plan, area.officer, number="1.1")
    add(plan, area.officer)  # no number: any number of those
    add(plan, area.officer)
    with pytest.raises(ValidationError) as raised:
        add(plan, area.officer, number="1.1")
    assert "number" in errors_of(raised)


def test_the_owner_account_is_someone_of_the_area(area, other_area):
    plan = start(area)
    assert add(plan, area.officer, owner_user=area.commissioner).owner_user == area.commissioner
    for outsider in (other_area.officer, area.practitioner):
        with pytest.raises(ValidationError) as raised:
            add(plan, area.officer, owner_user=outsider)
        assert "owner_user" in errors_of(raised)


def test_an_owner_who_has_left_stays_until_another_is_chosen(area):
    action = add(start(area), area.officer, owner_user=area.officer)
    area.officer.is_active = False
    area.officer.save()
    services.update_action(
        action=action,
        values={"owner_user": area.officer, "status": ActionStatus.IN_PROGRESS},
        by=area.administrator,
        expected_version=action.version,
    )
    action.refresh_from_db()
    assert action.owner_user == area.officer and action.status == ActionStatus.IN_PROGRESS


def test_update_action_refuses_other_fields(area, other_area):
    action = add(start(area), area.officer)
    other_plan = f.ImprovementPlanFactory(local_authority=other_area.local_authority)
    with pytest.raises(TypeError):
        services.update_action(
            action=action,
            values={"plan": other_plan},
            by=area.officer,
            expected_version=action.version,
        )


def test_completion_constraint_in_the_database(area):
    action = f.ImprovementActionFactory(plan__local_authority=area.local_authority)
    with pytest.raises(IntegrityError), transaction.atomic():
        ImprovementAction.objects.filter(pk=action.pk).update(status=ActionStatus.COMPLETE)
    with pytest.raises(IntegrityError), transaction.atomic():
        ImprovementAction.objects.filter(pk=action.pk).update(rag_override=rag.RED)


def test_notes_are_dated_and_added(area):
    action = add(start(area), area.officer)
    note = services.add_note(by=area.officer, action=action, text="  Providers agreed.  ")
    assert note.written_on == timezone.localdate() and note.text == "Providers agreed."
    assert note.created_by == area.officer
    with pytest.raises(ValidationError) as raised:
        services.add_note(
            by=area.officer,
            action=action,
            text="Next week",
            written_on=timezone.localdate() + datetime.timedelta(days=1),
        )
    assert "written_on" in errors_of(raised)
    with pytest.raises(ValidationError) as raised:
        services.add_note(by=area.officer, action=action, text="   ")
    assert "text" in errors_of(raised)
    assert action.notes.count() == 1
    assert LogEntry.objects.get_for_object(note).get().actor == area.officer


def test_evidence_is_stored_as_a_path_in_the_portal(area, settings):
    settings.SITE_URL = "https://portal.example.org"
    action = add(start(area), area.officer)
    link = services.add_evidence(
        by=area.officer,
        action=action,
        label="Annual report",
        path="https://portal.example.org/reports/annual/?period=2025",
    )
    assert link.path == "/reports/annual/?period=2025"
    with pytest.raises(ValidationError) as raised:
        services.add_evidence(
            by=area.officer, action=action, label="", path="https://evil.example.com/"
        )
    assert set(errors_of(raised)) == {"label", "path"}
    assert action.evidence.count() == 1


def test_progress_counts(area):
    plan = start(area)
    today = timezone.localdate()
    add(plan, area.officer, due_on=today - datetime.timedelta(days=3))  # red, overdue
    add(plan, area.officer, due_on=today + datetime.timedelta(days=5))  # amber
    add(plan, area.officer, status=ActionStatus.IN_PROGRESS, plan_area=PlanArea.QUALITY)
    done = add(plan, area.officer, due_on=today + datetime.timedelta(days=3))
    services.update_action(
        action=done,
        values={"status": ActionStatus.COMPLETE},
        by=area.officer,
        expected_version=done.version,
    )
    progress = selectors.progress(plan.actions.all(), today=today)
    assert progress.total == 4 and progress.overdue == 1 and progress.complete == 1
    assert progress.open == 3
    assert progress.by_rag == {rag.RED: 1, rag.AMBER: 1, rag.GREEN: 1, rag.BLUE: 1}
    assert progress.by_area[PlanArea.QUALITY] == 1
    assert progress.completed_late == 0
    # Counted a week later, the completion was late? No: it was done before its date.
    later = selectors.progress(plan.actions.all(), today=today + datetime.timedelta(days=7))
    assert later.completed_late == 0 and later.overdue == 2


def test_plans_are_scoped(area, other_area):
    plan = start(area)
    assert list(ImprovementPlan.objects.visible_to(area.officer)) == [plan]
    assert list(ImprovementPlan.objects.visible_to(area.commissioner)) == [plan]
    assert list(ImprovementPlan.objects.visible_to(area.administrator)) == [plan]
    for user in (other_area.officer, other_area.commissioner, area.practitioner, area.la_officer):
        assert not ImprovementPlan.objects.visible_to(user).exists()


def test_an_actions_history_says_what_changed_and_who_changed_it(area):
    action = add(start(area), area.officer, due_on=datetime.date(2027, 1, 31))
    services.update_action(
        action=action,
        values={
            "due_on": datetime.date(2027, 3, 31),
            "owner_user": area.commissioner,
            "rag_override": rag.AMBER,
            "rag_reason": "Waiting for funding",
        },
        by=area.officer,
        expected_version=action.version,
    )
    latest, first = selectors.action_history(action)
    assert first["action"] == "added" and first["actor"] == area.officer.full_name
    assert latest["action"] == "changed"
    changes = {c["field"]: (c["old"], c["new"]) for c in latest["changes"]}
    assert changes["Due date"] == ("31 January 2027", "31 March 2027")
    assert changes["Owner's portal account"] == ("nothing", area.commissioner.full_name)
    assert changes["RAG rating override"] == ("nothing", "Amber")


def test_an_overdue_action_refuses_a_new_override_but_a_lapsed_one_blocks_nothing(area):
    plan = start(area)
    overdue = add(plan, area.officer, due_on=timezone.localdate() - datetime.timedelta(days=1))
    with pytest.raises(ValidationError) as raised:
        services.update_action(
            action=overdue,
            values={"rag_override": rag.GREEN, "rag_reason": "Nearly there"},
            by=area.officer,
            expected_version=overdue.version,
        )
    assert "keeps its own rating" in errors_of(raised)["rag_override"][0]
    # An override given while on track lapses when the action falls overdue:
    # still stored, ignored by the rating, and other changes still save.
    action = add(plan, area.officer, rag_override=rag.AMBER, rag_reason="Provider short-staffed")
    ImprovementAction.objects.filter(pk=action.pk).update(
        due_on=timezone.localdate() - datetime.timedelta(days=3)
    )
    action.refresh_from_db()
    assert action.rating() == rag.RED
    saved = services.update_action(
        action=action,
        values={"status": ActionStatus.IN_PROGRESS},
        by=area.officer,
        expected_version=action.version,
    )
    assert saved.status == ActionStatus.IN_PROGRESS


def test_actions_and_notes_are_not_dated_before_the_plan_starts(area):
    plan = start(area)
    with pytest.raises(ValidationError) as raised:
        add(plan, area.officer, due_on=START - datetime.timedelta(days=1))
    assert errors_of(raised) == {
        "due_on": ["The due date cannot be before the plan starts (1 April 2026)"]
    }
    action = add(plan, area.officer)
    with pytest.raises(ValidationError) as raised:
        services.add_note(
            by=area.officer,
            action=action,
            text="Agreed with providers",
            written_on=datetime.date(1990, 12, 1),
        )
    assert errors_of(raised) == {
        "written_on": ["The update cannot be before the plan starts (1 April 2026)"]
    }


def test_an_action_recorded_complete_late_keeps_the_day_it_was_done(area):
    plan = start(area)
    action = add(plan, area.officer, due_on=timezone.localdate() - datetime.timedelta(days=5))
    done = timezone.localdate() - datetime.timedelta(days=10)
    saved = services.update_action(
        action=action,
        values={"status": ActionStatus.COMPLETE, "completed_on": done},
        by=area.officer,
        expected_version=action.version,
    )
    assert saved.completed_on == done
    # Completed by its due date, though recorded after it.
    assert saved.completed_on <= saved.due_on
    # A later edit that sends no date keeps the day held.
    again = services.update_action(
        action=saved, values={"title": "Renamed"}, by=area.officer, expected_version=saved.version
    )
    assert again.completed_on == done
    with pytest.raises(ValidationError) as raised:
        services.update_action(
            action=again,
            values={"completed_on": timezone.localdate() + datetime.timedelta(days=1)},
            by=area.officer,
            expected_version=again.version,
        )
    assert "completed_on" in errors_of(raised)
