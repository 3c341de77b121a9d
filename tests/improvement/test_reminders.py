"""Overdue improvement actions in the daily digest (improvement/reminders.py):
due on the day and when overdue, to the owner's account (else the area's
officers), once; dropped once complete or moved later."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.core import mail

from ehc import reminders
from ehc.models import Reminder
from improvement import reminders as actions_due
from improvement.models import ActionStatus
from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)

TODAY = datetime.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.SITE_URL = "https://portal.example.org"


def action(area, days_from_today: int, **kwargs):
    return f.ImprovementActionFactory(
        plan__local_authority=area.local_authority,
        plan__title="Local area SEND plan",
        due_on=TODAY + datetime.timedelta(days=days_from_today),
        **kwargs,
    )


def targets(today=TODAY) -> set[str]:
    return {d.target for d in reminders.select_due(today) if d.source == actions_due.SOURCE}


def test_due_on_the_day_and_when_overdue_never_before(area):
    today, late, ahead = action(area, 0), action(area, -3), action(area, 2)
    assert targets() == {f"i{today.pk}", f"i{late.pk}"}
    assert f"i{ahead.pk}" not in targets()


def test_closed_actions_are_not_reminded(area):
    action(area, -1, status=ActionStatus.COMPLETE, completed_on=TODAY)
    action(area, -1, status=ActionStatus.SUPERSEDED)
    going = action(area, -1, status=ActionStatus.IN_PROGRESS)
    assert targets() == {f"i{going.pk}"}


def test_the_owner_gets_the_digest_once(area):
    overdue = action(area, -2, owner_user=area.commissioner, number="3.4")
    reminders.run_reminders(today=TODAY)
    (message,) = [m for m in mail.outbox if area.commissioner.email in m.to]
    assert "Improvement action 3.4" in message.body
    assert "2 days overdue" in message.body
    assert f"/improvement/actions/{overdue.pk}/" in message.body
    assert "Local area SEND plan" in message.body
    count = len(mail.outbox)
    reminders.run_reminders(today=TODAY)
    assert len(mail.outbox) == count


def test_without_an_owner_account_the_areas_officers_are_told(area):
    overdue = action(area, -1)
    reminders.run_reminders(today=TODAY)
    assert [m for m in mail.outbox if area.officer.email in m.to]
    assert Reminder.objects.get(target=f"i{overdue.pk}").recipient == area.officer.email.lower()


def test_a_claimed_action_completed_or_moved_later_is_no_longer_owed(area):
    kept, done, moved = action(area, 0), action(area, 0), action(area, 0)
    rows = [SimpleNamespace(target=f"i{a.pk}", due_on=TODAY) for a in (kept, done, moved)]
    done.status, done.completed_on = ActionStatus.COMPLETE, TODAY
    done.save()
    moved.due_on = TODAY + datetime.timedelta(days=14)
    moved.save()
    assert [r.target for r in actions_due.live(rows)] == [f"i{kept.pk}"]
