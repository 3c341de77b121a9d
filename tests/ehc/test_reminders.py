"""Deadline reminders: who gets what, exactly once (ehc/reminders/)."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from ehc import reminders, services
from ehc.models import Contribution, Reminder, ReminderPolicy, ReminderRun, RequestStatus
from ehc.reminders import sources
from ehc.services.urgency import refresh_urgency
from tests import factories as f
from tests.ehc.smtp_relay import running_relay

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def relay(settings):
    yield from running_relay(settings)


TODAY = datetime.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.SITE_URL = "https://portal.example.org"


def contribution_due(area, due_in: int, **kwargs):
    """A contribution (and its request) due ``due_in`` days after TODAY."""
    received = TODAY + datetime.timedelta(days=due_in) - datetime.timedelta(weeks=6)
    child = f.ChildFactory(
        local_authority=area.local_authority, given_name="Robin", family_name="Secretname"
    )
    request = f.HealthAdviceRequestFactory(
        child=child,
        sent_on=received,
        received_on=received,
        owner=kwargs.pop("owner", area.officer),
    )
    return f.ContributionFactory(request=request, service=area.service, asked_on=received, **kwargs)


@pytest.fixture
def service_mailbox(area):
    area.service.contact_email = "Team@Example.org"
    area.service.save()
    return "team@example.org"


def sent_to(address: str):
    return [m for m in mail.outbox if address in m.to]


def test_selection_at_each_offset(area, service_mailbox):
    due = {n: contribution_due(area, n) for n in (20, 14, 10, 7, 2, 0, -1, -9)}
    candidates = reminders.select_due(TODAY)
    service = {c.contribution_id: c.stage for c in candidates if c.kind == "service"}
    assert service == {
        due[14].pk: "due_in_14",
        due[10].pk: "due_in_14",
        due[7].pk: "due_in_7",
        due[2].pk: "due_in_2",
        due[0].pk: "due_in_2",
        due[-1].pk: "overdue_1",
        due[-9].pk: "overdue_2",
    }
    owner = {c.request_id for c in candidates if c.kind == "owner"}
    assert due[20].request_id not in owner and len(owner) == 7
    area_overdue = {c.request_id for c in candidates if c.kind == "area_overdue"}
    assert area_overdue == {due[-1].request_id, due[-9].request_id}


def test_one_digest_per_recipient_with_references_not_names(area, service_mailbox):
    for n in (14, 7, -3):
        contribution_due(area, n)
    result = reminders.run_reminders(today=TODAY)
    assert result.run.finished_at is not None
    team = sent_to(service_mailbox)
    assert len(team) == 1
    message = team[0]
    body = message.body
    html = message.alternatives[0][0]
    assert "1 overdue, 2 due soon" in message.subject
    assert "HA-" in body and "(RS, " in body
    assert "https://portal.example.org/ehc/requests/" in html
    for secret in ("Robin", "Secretname", "2016", "14 May"):
        assert secret not in body and secret not in html and secret not in message.subject
    officer = sent_to(area.officer.email)
    assert len(officer) == 1  # owner reminders and the area's overdue digest together
    assert Reminder.objects.filter(sent_at__isnull=True).count() == 0


def test_a_second_run_the_same_day_sends_nothing(area, service_mailbox):
    contribution_due(area, 7)
    reminders.run_reminders(today=TODAY)
    count = len(mail.outbox)
    assert count >= 2
    again = reminders.run_reminders(today=TODAY)
    assert again.run.claimed == 0
    assert len(mail.outbox) == count


def test_the_next_stage_is_sent_on_a_later_day(area, service_mailbox):
    contribution_due(area, 8)
    reminders.run_reminders(today=TODAY)  # 8 days left: stage 14
    reminders.run_reminders(today=TODAY + datetime.timedelta(days=1))  # 7 left: stage 7
    reminders.run_reminders(today=TODAY + datetime.timedelta(days=2))  # still stage 7
    assert len(sent_to(service_mailbox)) == 2


def test_concurrent_runs_claim_each_reminder_once(area, service_mailbox):
    for n in (7, 2, -1):
        contribution_due(area, n)
    first = reminders.run_reminders(today=TODAY)
    second = reminders.run_reminders(today=TODAY)
    claimed = Reminder.objects.count()
    assert first.run.claimed == claimed and second.run.claimed == 0
    # Each (recipient, item, stage, due date) exists once, sent once.
    assert Reminder.objects.filter(sent_at__isnull=False).count() == claimed
    assert len(sent_to(service_mailbox)) == 1


def test_a_refused_digest_is_retried_in_the_command_then_by_a_rerun_the_same_day(
    area,
    service_mailbox,
    relay,
):
    """Cron mode: a refusal is retried within the run (three tries); once
    they are used up the rows are released, and a rerun the same day,
    well inside the claim lease, sends them once."""
    for n in (7, -1):
        contribution_due(area, n)
    relay.plan(service_mailbox, "refuse", "refuse", "refuse")
    run = reminders.run_reminders(today=TODAY).run
    assert run.failed == 1
    assert relay.to(service_mailbox) == []
    assert len(relay.to(area.officer.email)) == 1
    unsent = Reminder.objects.exclude(state="sent")
    assert set(unsent.values_list("recipient", "state")) == {(service_mailbox, "failed")}

    later = timezone.now() + datetime.timedelta(minutes=1)
    rerun = reminders.run_reminders(today=TODAY, now=later).run
    assert rerun.taken_over == 2
    assert len(relay.to(service_mailbox)) == 1
    assert len(relay.to(area.officer.email)) == 1
    assert not Reminder.objects.exclude(state="sent").exists()
    reminders.run_reminders(today=TODAY, now=later + datetime.timedelta(hours=1))
    assert len(relay.kept) == 2


def test_a_refusal_then_success_within_the_command(area, service_mailbox, relay):
    contribution_due(area, 7)
    relay.plan(service_mailbox, "refuse")
    run = reminders.run_reminders(today=TODAY).run
    assert run.failed == 0 and run.sent == 2
    assert len(relay.to(service_mailbox)) == 1


def test_worker_killed_after_claiming_is_caught_up_by_the_next_run(area, service_mailbox):
    contribution_due(area, 2)
    # A run that claimed and died before sending: rows exist, nothing sent.
    dead = ReminderRun.objects.create(run_for=TODAY)
    for c in reminders.select_due(TODAY):
        Reminder.objects.create(
            recipient=c.recipient,
            kind=c.kind,
            request_id=c.request_id,
            contribution_id=c.contribution_id,
            target=c.target,
            stage=c.stage,
            due_on=c.due_on,
            run=dead,
            claimed_at=timezone.now() - datetime.timedelta(hours=1),
        )
    claimed = Reminder.objects.count()
    reminders.run_reminders(today=TODAY)
    assert Reminder.objects.count() == claimed  # nothing claimed twice
    assert Reminder.objects.filter(sent_at__isnull=False).count() == claimed
    assert len(sent_to(service_mailbox)) == 1


def test_returned_in_the_meantime_is_not_sent(area, service_mailbox, monkeypatch):
    contribution = contribution_due(area, 2)
    dispatched = []
    monkeypatch.setattr(
        "ehc.reminders.runs._dispatch", lambda run_id, r: dispatched.append((run_id, r))
    )
    run = reminders.run_reminders(today=TODAY).run
    contribution.returned_on = TODAY
    contribution.outcome = "advice_given"
    contribution.save()
    contribution.request.status = RequestStatus.RETURNED
    contribution.request.save()
    for run_id, recipient in dispatched:
        reminders.send_digest(run_id=run_id, recipient=recipient)
    assert mail.outbox == []
    assert not Reminder.objects.filter(run=run, sent_at__isnull=True).exists()


def test_digest_preference_is_respected_but_escalations_are_not_optional(area, service_mailbox):
    area.officer.receive_digests = False
    area.officer.save()
    contribution_due(area, 7)
    reminders.run_reminders(today=TODAY)
    assert sent_to(area.officer.email) == []
    contribution_due(area, -2)
    reminders.run_reminders(today=TODAY + datetime.timedelta(days=1))
    kinds = set(
        Reminder.objects.filter(recipient=area.officer.email).values_list("kind", flat=True)
    )
    assert kinds == {"area_overdue"}
    assert len(sent_to(area.officer.email)) == 1


def test_other_areas_officers_are_not_told(area, other_area, service_mailbox):
    contribution_due(area, -3)
    reminders.run_reminders(today=TODAY)
    assert sent_to(other_area.officer.email) == []


def test_policy_switches(area, service_mailbox):
    ReminderPolicy.objects.create(
        offsets="5", remind_services=False, remind_owners=True, area_overdue_digest=False
    )
    contribution_due(area, 7)
    contribution_due(area, 5)
    candidates = reminders.select_due(TODAY)
    assert {(c.kind, c.stage) for c in candidates} == {("owner", "due_in_5")}


def test_closed_history_is_not_read(area, service_mailbox, django_assert_max_num_queries):
    for n in (3, -4):
        contribution_due(area, n)
    for _ in range(5):
        old = contribution_due(area, -200)
        services.change_status(
            request=old.request,
            to=RequestStatus.CLOSED,
            by=area.officer,
            expected_version=old.request.version,
            confirm_outstanding=True,
        )
    candidates = reminders.select_due(TODAY)
    assert {c.due_on for c in candidates} == {
        TODAY + datetime.timedelta(days=3),
        TODAY - datetime.timedelta(days=4),
    }
    # The policy and the officers, then one read per registered source: ehc's
    # outstanding contributions and requests nobody was asked for, and those
    # of the apps above (enquiry follow-ups).
    with django_assert_max_num_queries(2 + len(sources.registered_sources())):
        reminders.select_due(TODAY)


def test_command_dry_run_prints_and_sends_nothing(area, service_mailbox):
    contribution_due(area, 7)
    out = StringIO()
    call_command("send_deadline_reminders", "--today", TODAY.isoformat(), "--dry-run", stdout=out)
    text = out.getvalue()
    assert "Dry run for 2026-11-23: nothing sent." in text
    assert "team@example.org: 1 reminder(s)" in text
    assert "due within 7 days" in text
    assert mail.outbox == []
    assert not Reminder.objects.exists()
    assert ReminderRun.objects.get().dry_run


def test_command_sends_and_reports(area, service_mailbox):
    contribution_due(area, 7)
    out = StringIO()
    call_command("send_deadline_reminders", "--today", TODAY.isoformat(), stdout=out)
    assert "sent, 0 digest(s) failed" in out.getvalue()
    assert len(sent_to(service_mailbox)) == 1
    call_command("send_deadline_reminders", "--today", TODAY.isoformat(), stdout=StringIO())
    assert len(sent_to(service_mailbox)) == 1


def test_command_refuses_a_bad_date():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="2026-11-23"):
        call_command("send_deadline_reminders", "--today", "23/11/2026")


def test_an_owner_told_twice_about_one_request_sees_it_once(area, service_mailbox):
    contribution = contribution_due(area, -3)
    reminders.run_reminders(today=TODAY)
    # Owner and area escalation are the same reminder (same recipient, item,
    # stage and due date): claimed once.
    rows = Reminder.objects.filter(recipient=area.officer.email)
    assert rows.count() == 1
    (message,) = sent_to(area.officer.email)
    assert message.body.count(contribution.request.reference) == 1
    assert "3 days overdue" in message.body


# --- Working dates, the left-outstanding marker and lawful exceptions ------------------


def test_a_return_by_date_brings_the_reminders_forward(area, service_mailbox):
    """Due 13 December 2026 (20 days after TODAY, past the 14-day offset):
    nothing yet. Asked to return by 3 December (10 days): reminded now, at
    the 14-day stage, counted from 3 December."""
    plain = contribution_due(area, 20)
    assert plain.due_on == datetime.date(2026, 12, 13)
    assert reminders.select_due(TODAY) == []
    early = contribution_due(area, 20, return_by=datetime.date(2026, 12, 3))
    candidates = reminders.select_due(TODAY)
    assert {(c.kind, c.target, c.stage, c.due_on) for c in candidates} == {
        ("service", f"c{early.pk}", "due_in_14", datetime.date(2026, 12, 3)),
        ("owner", f"r{early.request_id}", "due_in_14", datetime.date(2026, 12, 3)),
    }
    reminders.run_reminders(today=TODAY)
    assert set(Reminder.objects.values_list("due_on", flat=True)) == {datetime.date(2026, 12, 3)}
    (message,) = sent_to(service_mailbox)
    assert "Return by 3 December 2026: 10 days left (statutory due 13 December 2026)" in (
        message.body
    )


def test_a_return_by_date_passed_is_chased_but_not_called_overdue(area, service_mailbox):
    """Due 28 November (5 days after TODAY), asked to return by 21 November:
    in the first overdue stage of its return-by date, in "due soon", and
    not escalated to the area (its statutory date is still ahead)."""
    contribution_due(area, 5, return_by=datetime.date(2026, 11, 21))
    candidates = reminders.select_due(TODAY)
    assert {(c.kind, c.stage, c.due_on) for c in candidates} == {
        ("service", "overdue_1", datetime.date(2026, 11, 21)),
        ("owner", "overdue_1", datetime.date(2026, 11, 21)),
    }
    reminders.run_reminders(today=TODAY)
    (message,) = sent_to(service_mailbox)
    assert message.subject.endswith(": 1 due soon")
    assert (
        "Return by 21 November 2026 passed 2 days ago (statutory due 28 November 2026)"
        in message.body
    )
    assert "OVERDUE" not in message.body


def test_a_new_return_by_date_starts_its_stages_again(area, service_mailbox):
    """The claim is keyed on the date the stage was counted from: moving the
    return-by date from 3 to 1 December sends the 14-day stage for the new
    date once, and the old claim stays as it was."""
    contribution = contribution_due(area, 20, return_by=datetime.date(2026, 12, 3))
    reminders.run_reminders(today=TODAY)
    assert len(sent_to(service_mailbox)) == 1
    contribution.return_by = datetime.date(2026, 12, 1)
    contribution.save()
    reminders.run_reminders(today=TODAY)
    reminders.run_reminders(today=TODAY)
    assert len(sent_to(service_mailbox)) == 2
    assert sorted(
        Reminder.objects.filter(recipient=service_mailbox).values_list("due_on", flat=True)
    ) == [datetime.date(2026, 12, 1), datetime.date(2026, 12, 3)]


@pytest.mark.parametrize("state", ["withdrawn", "closed"])
def test_services_left_outstanding_at_withdrawal_or_closure_are_not_chased(
    area, service_mailbox, state
):
    contribution = contribution_due(area, -3)
    request = contribution.request
    services.change_status(
        request=request,
        to=state,
        by=area.officer,
        expected_version=request.version,
        confirm_outstanding=True,
    )
    contribution.refresh_from_db()
    assert contribution.left_outstanding == state
    assert reminders.select_due(TODAY) == []


def test_the_marker_alone_keeps_a_contribution_out_of_the_reminders(area, service_mailbox):
    """Selection reads the one marker (Contribution.objects.outstanding(),
    and the request's stored dates worked out from it), not the request's
    status."""
    contribution = contribution_due(area, -3)
    Contribution.objects.filter(pk=contribution.pk).update(left_outstanding="withdrawn")
    refresh_urgency([contribution.request_id])  # what every writer does after
    assert reminders.select_due(TODAY) == []


def test_a_contribution_marked_after_claiming_is_not_sent(area, service_mailbox, monkeypatch):
    contribution = contribution_due(area, 2)
    dispatched = []
    monkeypatch.setattr(
        "ehc.reminders.runs._dispatch", lambda run_id, r: dispatched.append((run_id, r))
    )
    reminders.run_reminders(today=TODAY)
    Contribution.objects.filter(pk=contribution.pk).update(left_outstanding="closed")
    for run_id, recipient in dispatched:
        if recipient == service_mailbox:
            assert reminders.send_digest(run_id=run_id, recipient=recipient) == 0
    assert sent_to(service_mailbox) == []


def test_a_lawful_exception_is_still_reminded_and_the_email_says_so(area, service_mailbox):
    """Due 20 November (3 days before TODAY), received 9 October; the child
    was away from 12 October (reg 8(2)(b)). Still owed, so still chased, in
    its own section, never as overdue."""
    contribution = contribution_due(
        area,
        -3,
        exception="absent_from_area",
        exception_evidence="Family abroad for 5 weeks.",
        exception_on=datetime.date(2026, 10, 12),
    )
    assert contribution.due_on == datetime.date(2026, 11, 20)
    candidates = reminders.select_due(TODAY)
    assert {(c.kind, c.stage) for c in candidates} == {
        ("service", "overdue_1"),
        ("owner", "overdue_1"),
        ("area_overdue", "overdue_1"),
    }
    reminders.run_reminders(today=TODAY)
    note = "Late: lawful exception (reg 8(2)(b)) recorded - the advice is still owed"
    for address in (service_mailbox, area.officer.email):
        (message,) = sent_to(address)
        assert message.subject.endswith(": 1 late with a lawful exception")
        assert note in message.body
        assert note in message.alternatives[0][0]
        assert "Was due 20 November 2026, 3 days ago" in message.body
        assert "overdue" not in message.body.split("You can stop")[0].lower()


def test_an_excepted_and_an_unexcepted_service_on_one_request(area, service_mailbox):
    """The officer's line for the request is overdue: one of its late
    services has no exception. Each service's own line says its own."""
    excused = contribution_due(
        area,
        -3,
        exception="missed_appointment",
        exception_evidence="Did not attend on 2 November.",
        exception_on=datetime.date(2026, 11, 2),
    )
    other = f.ServiceFactory(
        provider=area.provider, local_authorities=[area.local_authority], contact_email=""
    )
    f.ContributionFactory(request=excused.request, service=other, asked_on=excused.asked_on)
    reminders.run_reminders(today=TODAY)
    (officer,) = sent_to(area.officer.email)
    assert "1 overdue" in officer.subject
    assert "Was due 20 November 2026: 3 days overdue" in officer.body
    assert "lawful" not in officer.body.split("Health advice for an EHC")[0].lower()
    (team,) = sent_to(service_mailbox)
    assert "Late: lawful exception (reg 8(2)(c)) recorded" in team.body


def test_a_request_nobody_has_been_asked_for_is_reminded_by_its_own_date(area):
    """Received 9 October, so due 20 November: 3 days overdue on TODAY, for
    its owner and the area, though no service has been asked yet."""
    received = datetime.date(2026, 10, 9)
    child = f.ChildFactory(local_authority=area.local_authority)
    request = f.HealthAdviceRequestFactory(
        child=child, sent_on=received, received_on=received, owner=area.officer
    )
    candidates = reminders.select_due(TODAY)
    assert {(c.kind, c.target, c.stage, c.due_on) for c in candidates} == {
        ("owner", f"r{request.pk}", "overdue_1", datetime.date(2026, 11, 20)),
        ("area_overdue", f"r{request.pk}", "overdue_1", datetime.date(2026, 11, 20)),
    }
