"""The beat task through a real Celery worker and the real Redis broker.

The worker runs in a thread of the test process (celery.contrib.testing), so
it reads the same test database and Django's locmem outbox; the messages go
through Redis exactly as in production: beat's task -> run -> one digest task
per recipient -> email.
"""

from __future__ import annotations

import datetime
import os
import time
import uuid

import kombu.pools
import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.conf import settings as django_settings
from django.core import mail
from django.db import connections
from django.utils import timezone

from config.celery import app
from ehc.models import Reminder, ReminderRun
from tests import factories as f
from tests.conftest import requires_service

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.redis]

REDIS_HINT = "install and start redis-server on 127.0.0.1:6379 (apt-get install -y redis-server)"


FINISHED: list[str] = []


def _after_task(sender=None, **_kwargs):
    # The worker thread opens its own database connection; close it after
    # each task so the test database can be flushed and dropped. The test
    # waits on this list, not on database polling: SQLite's shared in-memory
    # test database refuses (rather than waits for) concurrent table access.
    connections.close_all()
    FINISHED.append(sender.name)


def _reset_broker_pools():
    """Forget pooled broker connections so the next message uses broker_url."""
    if app._pool is not None:
        app._pool.force_close_all()
        app._pool = None
    app.amqp._producer_pool = None
    kombu.pools.reset()  # the closed pool also sits in kombu's registry


@pytest.fixture
def redis_worker(settings):
    """A Celery worker consuming from a private queue on the real Redis."""
    import redis

    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        requires_service("Redis", REDIS_HINT)

    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://portal.example.org"
    queue = f"test-reminders-{uuid.uuid4().hex[:12]}"
    saved = {
        key: app.conf[key]
        for key in ("broker_url", "task_always_eager", "task_default_queue", "result_backend")
    }
    app.conf.update(
        broker_url=url, task_always_eager=False, task_default_queue=queue, result_backend=None
    )
    _reset_broker_pools()
    FINISHED.clear()
    task_postrun.connect(_after_task, weak=False)
    try:
        with start_worker(app, perform_ping_check=False, queues=[queue], shutdown_timeout=20):
            yield url
    finally:
        task_postrun.disconnect(_after_task)
        app.conf.update(saved)
        _reset_broker_pools()
        redis.Redis.from_url(url).delete(queue)


def wait_for_tasks(runs: int, digests: int, timeout: float = 20.0) -> bool:
    """Wait until the worker has finished this many runs and digests."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if (
            FINISHED.count("ehc.send_deadline_reminders") >= runs
            and FINISHED.count("ehc.send_reminder_digest") >= digests
        ):
            return True
        time.sleep(0.05)
    return False


def test_beat_task_through_worker_sends_each_digest_once(area, redis_worker):
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

    assert wait_for_tasks(runs=1, digests=2), FINISHED
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
    assert wait_for_tasks(runs=2, digests=2), FINISHED
    time.sleep(0.5)  # let any (wrongly) queued digest arrive before counting
    assert FINISHED.count("ehc.send_reminder_digest") == 2
    assert len(mail.outbox) == 2
    assert ReminderRun.objects.filter(finished_at__isnull=False).count() == 2
    assert Reminder.objects.count() == 2
