"""Fenced claims, uncertain deliveries, the dry run's plan, the digest's
content and the source registry (ehc/reminders/). The relay is a real
SMTP server on a socket (tests/ehc/smtp_relay.py)."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from celery.exceptions import Retry
from django.core.management import call_command
from django.utils import timezone

from ehc import reminders
from ehc.models import Reminder, ReminderRun
from ehc.reminders import sources
from ehc.reminders.claims import Plan
from ehc.tasks import DIGEST_RETRIES, send_reminder_digest
from tests.ehc.smtp_relay import running_relay
from tests.ehc.test_reminders import TODAY, contribution_due

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def relay(settings):
    yield from running_relay(settings)


TEAM = "team@example.org"


@pytest.fixture(autouse=True)
def cron_mode(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.SITE_URL = "https://portal.example.org"


@pytest.fixture
def mailbox(area):
    area.service.contact_email = TEAM
    area.service.save()
    return TEAM


def queued(monkeypatch):
    """Capture the digests a run hands on instead of sending them."""
    handed = []
    monkeypatch.setattr(
        "ehc.reminders.runs._dispatch", lambda run_id, r: handed.append((run_id, r))
    )
    return handed


def test_a_sender_whose_claim_was_taken_over_sends_nothing(
    area,
    mailbox,
    relay,
    monkeypatch,
):
    """The issue's smallest case: a run claims and queues; its claims grow
    31 minutes old; a second run takes them over and sends; the first
    run's digest task then arrives and must send nothing."""
    contribution_due(area, 2)
    handed = queued(monkeypatch)
    first = reminders.run_reminders(today=TODAY).run
    monkeypatch.undo()
    later = timezone.now() + reminders.claim_lease() + datetime.timedelta(minutes=1)
    second = reminders.run_reminders(today=TODAY, now=later).run
    assert second.taken_over == 2 and second.sent == 2
    for run_id, recipient in handed:
        assert run_id == first.pk
        assert reminders.send_digest(run_id=run_id, recipient=recipient) == 0
    assert len(relay.to(TEAM)) == 1 and len(relay.to(area.officer.email)) == 1
    assert set(Reminder.objects.values_list("run", "claim_attempt", "state")) == {
        (second.pk, 2, "sent")
    }


def test_rows_being_sent_are_not_taken_over_within_the_sending_lease(
    area,
    mailbox,
    relay,
    monkeypatch,
):
    contribution_due(area, 2)
    queued(monkeypatch)
    reminders.run_reminders(today=TODAY)
    monkeypatch.undo()
    started = timezone.now()
    Reminder.objects.update(state="sending", sending_started_at=started)
    past_claim = started + reminders.claim_lease() + datetime.timedelta(minutes=1)
    assert reminders.run_reminders(today=TODAY, now=past_claim).run.taken_over == 0
    assert relay.kept == []


@pytest.mark.parametrize("fault", ["drop_after_dot", "late_250"])
def test_an_uncertain_delivery_is_resent_once_after_the_delay_marked_as_a_repeat(
    area,
    mailbox,
    relay,
    fault,
):
    """The relay kept the digest but the client never heard its 250: the
    rows are "uncertain", not retried in the run nor by a rerun within the
    policy's delay (60 minutes); after it, resent once with the same
    Message-ID and a marked subject; never again."""
    contribution_due(area, -2)
    relay.plan(TEAM, fault)
    run = reminders.run_reminders(today=TODAY).run
    assert run.uncertain == 1 and run.failed == 0
    (first,) = relay.to(TEAM)
    rows = Reminder.objects.filter(recipient=TEAM)
    assert set(rows.values_list("state", flat=True)) == {"uncertain"}
    now = timezone.now()
    reminders.run_reminders(today=TODAY, now=now + datetime.timedelta(minutes=30))
    assert len(relay.to(TEAM)) == 1
    reminders.run_reminders(today=TODAY, now=now + datetime.timedelta(minutes=61))
    first_copy, repeat = relay.to(TEAM)
    assert repeat["Message-ID"] == first["Message-ID"]
    assert repeat["Subject"].startswith(reminders.REPEAT_MARK)
    assert not first["Subject"].startswith(reminders.REPEAT_MARK)
    assert set(rows.values_list("state", "resends")) == {("sent", 1)}
    reminders.run_reminders(today=TODAY, now=now + datetime.timedelta(hours=5))
    assert len(relay.to(TEAM)) == 2


def test_an_uncertain_resend_that_is_uncertain_again_is_left_for_a_person(
    area,
    mailbox,
    relay,
):
    contribution_due(area, -2)
    relay.plan(TEAM, "drop_after_dot", "drop_after_dot")
    reminders.run_reminders(today=TODAY)
    now = timezone.now()
    reminders.run_reminders(today=TODAY, now=now + datetime.timedelta(minutes=61))
    reminders.run_reminders(today=TODAY, now=now + datetime.timedelta(hours=5))
    assert len(relay.to(TEAM)) == 2
    row = Reminder.objects.get(recipient=TEAM)
    assert (row.state, row.resends) == ("uncertain", 1)
    assert "SMTPServerDisconnected" in row.last_error


def test_a_drop_before_the_message_is_a_plain_failure_retried_at_once(
    area,
    mailbox,
    relay,
):
    contribution_due(area, 7)
    relay.plan(TEAM, "drop_before_data", "drop_before_data")
    run = reminders.run_reminders(today=TODAY).run
    (message,) = relay.to(TEAM)
    assert not message["Subject"].startswith(reminders.REPEAT_MARK)
    assert run.uncertain == 0 and run.failed == 0


def test_the_celery_task_does_not_retry_an_uncertain_delivery(
    area,
    mailbox,
    relay,
    monkeypatch,
):
    contribution_due(area, 7)
    handed = queued(monkeypatch)
    run = reminders.run_reminders(today=TODAY).run
    relay.plan(TEAM, "drop_after_dot")
    assert send_reminder_digest.apply(args=(run.pk, TEAM)).get() == 0
    assert len(relay.to(TEAM)) == 1
    assert Reminder.objects.get(recipient=TEAM).state == "uncertain"
    # A refusal is retried under the same claim, with backoff...
    officer = area.officer.email
    relay.plan(officer, "refuse")
    with pytest.raises(Retry):
        send_reminder_digest.apply(args=(run.pk, officer))
    assert Reminder.objects.get(recipient=officer).state == "claimed"
    assert send_reminder_digest.apply(args=(run.pk, officer), retries=1).get() == 1
    # ...and released for the next run on the last try.
    reminders.run_reminders(today=TODAY + datetime.timedelta(days=1))  # the 7-day stage again
    assert len(handed) == 2
    assert len(relay.to(officer)) == 1


def test_the_last_celery_retry_releases_the_rows(area, mailbox, relay, monkeypatch):
    contribution_due(area, 7)
    handed = queued(monkeypatch)
    run = reminders.run_reminders(today=TODAY).run
    relay.plan(TEAM, "refuse")
    assert send_reminder_digest.apply(args=(run.pk, TEAM), retries=DIGEST_RETRIES).get() == 0
    assert Reminder.objects.get(recipient=TEAM).state == "failed"
    monkeypatch.undo()
    reminders.run_reminders(today=TODAY)  # the same day: taken at once
    assert len(relay.to(TEAM)) == 1 and len(handed) == 2


def test_message_ids_are_deterministic():
    a = reminders.message_id_for(TEAM, [3, 1, 2])
    assert a == reminders.message_id_for(TEAM, [1, 2, 3])
    assert a != reminders.message_id_for(TEAM, [1, 2])
    assert a != reminders.message_id_for("other@example.org", [1, 2, 3])
    assert a.startswith("<reminders.") and a.endswith("@portal.example.org>")


def test_every_digest_carries_its_message_id(area, mailbox, relay):
    contribution_due(area, 7)
    reminders.run_reminders(today=TODAY)
    (message,) = relay.to(TEAM)
    ids = Reminder.objects.filter(recipient=TEAM).values_list("pk", flat=True)
    assert message["Message-ID"] == reminders.message_id_for(TEAM, ids)
    assert message["Message-ID"].endswith("@portal.example.org>")


def test_the_dry_run_says_exactly_what_a_real_run_at_the_same_moment_sends(
    area,
    mailbox,
    relay,
    monkeypatch,
):
    """Owner and area overlap (one reminder), stale claims of a dead run,
    a released failure and an uncertain digest due a resend: the plan and
    the run agree per recipient, reminders and digests."""
    for n in (7, -3, -10):
        contribution_due(area, n)
    queued(monkeypatch)
    reminders.run_reminders(today=TODAY - datetime.timedelta(days=1))  # dead: never sent
    monkeypatch.undo()
    Reminder.objects.filter(recipient=TEAM, stage="due_in_7").update(state="failed")
    uncertain = Reminder.objects.filter(recipient=area.officer.email).first()
    uncertain_started = timezone.now() - datetime.timedelta(hours=2)
    Reminder.objects.filter(pk=uncertain.pk).update(
        state="uncertain",
        message_id="<reminders.x@portal.example.org>",
        sending_started_at=uncertain_started,
    )
    now = timezone.now() + reminders.claim_lease() + datetime.timedelta(minutes=1)

    dry = reminders.run_reminders(today=TODAY, dry_run=True, now=now)
    planned = {r: len(items) for r, items in dry.by_recipient.items()}
    digests = {r: Plan.digests(i) for r, i in dry.by_recipient.items()}
    assert dry.run.taken_over > 0
    real = reminders.run_reminders(today=TODAY, now=now).run
    sent = {}
    for recipient in planned:
        sent[recipient] = Reminder.objects.filter(
            run=real, recipient=recipient, state="sent"
        ).count()
    assert planned == sent
    assert real.sent == sum(planned.values()) == dry.run.claimed
    assert {r: len(relay.to(r)) for r in planned} == digests


def test_the_command_dry_run_prints_labels_overlaps_and_takeovers(area, mailbox, monkeypatch):
    contribution_due(area, 7)
    queued(monkeypatch)
    reminders.run_reminders(today=TODAY)  # claims, then dies before sending
    Reminder.objects.update(claimed_at=timezone.now() - datetime.timedelta(hours=1))
    contribution_due(area, -3)
    out = StringIO()
    call_command("send_deadline_reminders", "--today", TODAY.isoformat(), "--dry-run", stdout=out)
    text = out.getvalue()
    assert f"{area.officer.email}: 2 reminder(s) in 1 digest(s)" in text
    assert "overdue (by 2026-11-20), as owner and area's designated officer\n" in text
    assert "due within 7 days (by 2026-11-30), as owner - taken over from a run" in text
    assert "area_overdue" not in text and "due_in_" not in text
    assert "4 reminder(s) in 2 digest(s) to 2 recipient(s) would be sent (2 taken over" in text


def test_the_digest_names_services_and_speaks_to_mailboxes_as_mailboxes(
    area,
    mailbox,
    relay,
):
    contribution_due(area, 7)
    reminders.run_reminders(today=TODAY)
    (officer,) = relay.to(area.officer.email)
    (team,) = relay.to(TEAM)
    officer_text = officer.get_payload()[0].get_payload(decode=True).decode()
    team_text = team.get_payload()[0].get_payload(decode=True).decode()
    assert f" - {area.service.name}" in officer_text
    assert "https://portal.example.org/ehc/requests/" in officer_text
    assert "Your settings" in officer_text and "service's contact address" not in officer_text
    assert "Your settings" not in team_text and "service's contact address" in team_text
    for text in (officer_text, team_text):
        for code in ("due_in_", "overdue_", "area_overdue", "ehc.contributions"):
            assert code not in text


def test_a_registered_source_reaches_the_digest(area, relay):
    """An app above ehc registers a source; its items are claimed and sent
    like ehc's own, with no request behind them."""

    def select(today, policy, stage):
        yield sources.Due("test.followups", "owner", "f1", stage(today), today, "lead@example.org")

    def lines(rows, today):
        return [
            sources.Line(
                "soon",
                today,
                "FU-1",
                "AB",
                "Area",
                "Enquiry follow-up",
                "Due today",
                "",
                "https://portal.example.org/enquiries/1/",
            )
            for _ in rows
        ]

    sources.register_source(
        sources.ReminderSource("test.followups", select, lambda qs: qs, list, lines)
    )
    try:
        reminders.run_reminders(today=TODAY)
    finally:
        sources._SOURCES.pop("test.followups")
    (message,) = relay.to("lead@example.org")
    assert "FU-1" in message.as_string()
    row = Reminder.objects.get(source="test.followups")
    assert row.request_id is None and row.state == "sent"
    assert ReminderRun.objects.get().sent == 1
