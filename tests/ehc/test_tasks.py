"""The beat task through a real Celery worker and the real Redis broker.

The worker (tests/conftest.py, celery_worker_on_redis) runs in a thread of
the test process, so it reads the same test database and Django's locmem
outbox; the messages go through Redis exactly as in production: beat's task
-> run -> one digest task per recipient -> email.
"""

from __future__ import annotations

import datetime
import time

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.utils import timezone

from config.celery import app
from ehc.models import Reminder, ReminderRun
from tests import factories as f

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.redis]


def test_beat_task_through_worker_sends_each_digest_once(area, celery_worker_on_redis, settings):
    worker = celery_worker_on_redis
    settings.SITE_URL = "https://portal.example.org"
    area.service.contact_email = "team@example.org"
    area.service.save()
    today = timezone.localdate()
    received = today + datetime.timedelta(days=7) - datetime.timedelta(weeks=6)
    child = f.ChildFactory(local_authority=area.local_authority, family_name="Secretname")
    request = f.HealthAdviceRequestFactory(
        child=child, sent_on=received, received_on=received, owner=area.officer
    )
    f.ContributionFactory(request=request, service=area.service, asked_on=received)

    entry = django_settings.CELERY_BEAT_SCHEDULE["daily-deadline-reminders"]
    # What beat does at 07:00: publish the named task to the broker.
    app.send_task(entry["task"])

    assert worker.wait_for(ehc__send_deadline_reminders=1, ehc__send_reminder_digest=2), (
        worker.finished
    )
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted([area.officer.email, "team@example.org"])
    for message in mail.outbox:
        assert request.reference in message.body
        assert "Secretname" not in message.body
    run = ReminderRun.objects.get()
    assert run.finished_at is not None and run.claimed == 2
    assert not Reminder.objects.filter(sent_at__isnull=True).exists()

    # The same task again the same day (a retry, a second beat): nothing new.
    app.send_task(entry["task"])
    assert worker.wait_for(ehc__send_deadline_reminders=2, ehc__send_reminder_digest=2), (
        worker.finished
    )
    time.sleep(0.5)  # let any (wrongly) queued digest arrive before counting
    assert worker.count("ehc.send_reminder_digest") == 2
    assert len(mail.outbox) == 2
    assert ReminderRun.objects.filter(finished_at__isnull=False).count() == 2
    assert Reminder.objects.count() == 2
