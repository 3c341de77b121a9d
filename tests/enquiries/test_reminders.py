"""Enquiry follow-ups in the daily digest (enquiries/reminders.py): due on
the day and when overdue, to the officer who logged it (else the area's
officers), once, never naming the enquirer or the question."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.core import mail

from ehc import reminders
from ehc.models import Reminder
from enquiries import reminders as follow_ups
from enquiries.models import EnquiryStatus
from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)

TODAY = datetime.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.SITE_URL = "https://portal.example.org"


def follow_up(area, days_from_today: int, **kwargs):
    on = TODAY + datetime.timedelta(days=days_from_today)
    return f.EnquiryFactory(
        local_authority=area.local_authority,
        received_on=min(on, TODAY) - datetime.timedelta(days=3),
        follow_up_on=on,
        created_by=kwargs.pop("created_by", area.officer),
        enquirer_name="Pat Secretparent",
        question="A question naming nobody in the digest",
        **kwargs,
    )


def enquiry_targets(today=TODAY) -> set[str]:
    return {due.target for due in reminders.select_due(today) if due.source.startswith("enq")}


def test_due_on_the_day_and_when_overdue_never_before(area):
    today, late, ahead = follow_up(area, 0), follow_up(area, -3), follow_up(area, 2)
    assert enquiry_targets() == {f"e{today.pk}", f"e{late.pk}"}
    assert f"e{ahead.pk}" not in enquiry_targets()


def test_closed_enquiries_are_not_reminded(area):
    follow_up(area, -1, status=EnquiryStatus.CLOSED)
    waiting = follow_up(area, -1, status=EnquiryStatus.WAITING)
    assert enquiry_targets() == {f"e{waiting.pk}"}


def test_the_author_gets_the_digest_and_it_names_no_one(area):
    enquiry = follow_up(area, -2, child=f.ChildFactory(local_authority=area.local_authority))
    reminders.run_reminders(today=TODAY)
    (message,) = [m for m in mail.outbox if area.officer.email in m.to]
    text = message.body
    assert f"Enquiry {enquiry.reference}" in text
    assert "2 days overdue" in text
    assert f"/enquiries/{enquiry.pk}/" in text
    for secret in ("Secretparent", "naming nobody", enquiry.child.family_name):
        assert secret not in text
    # Sent once: a second run the same day sends nothing more.
    count = len(mail.outbox)
    reminders.run_reminders(today=TODAY)
    assert len(mail.outbox) == count


def test_without_an_active_author_the_areas_officers_are_told(area):
    gone = f.DesignatedOfficerFactory(local_authorities=[area.local_authority], is_active=False)
    enquiry = follow_up(area, 0, created_by=gone)
    reminders.run_reminders(today=TODAY)
    assert [m for m in mail.outbox if area.officer.email in m.to]
    assert Reminder.objects.get(target=f"e{enquiry.pk}").recipient == area.officer.email.lower()


def test_a_claimed_follow_up_closed_or_moved_later_is_no_longer_owed(area):
    """What the sender reads afresh before sending (``live``)."""
    kept, closed, moved = follow_up(area, 0), follow_up(area, 0), follow_up(area, 0)
    rows = [SimpleNamespace(target=f"e{e.pk}", due_on=TODAY) for e in (kept, closed, moved)]
    closed.status = EnquiryStatus.CLOSED
    closed.save()
    moved.follow_up_on = TODAY + datetime.timedelta(days=7)
    moved.save()
    assert [r.target for r in follow_ups.live(rows)] == [f"e{kept.pk}"]
