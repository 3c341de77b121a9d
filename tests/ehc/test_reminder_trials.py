"""Trials of the reminder guarantee on the real services (docs/reminders.md,
"Exactly once"): PostgreSQL (another process and other threads must reach the
test database, so SQLite's in-memory test database cannot take part), Redis,
Celery workers (a process killed with SIGKILL, and one in a thread), and a real
SMTP relay on a socket that can refuse, drop and answer late.

Each trial ends with a recovery run at a clock past every lease and delay,
then counts what the relay kept: no reminder lost (every row sent, its digest
kept), none duplicated (one kept message per Message-ID), except in the window
the docs name (a worker killed between the relay's 250 and the UPDATE that
marks the rows sent, or the relay keeping a message whose 250 never arrived),
where the repeat is exactly one, marked, with the same Message-ID.
"""

from __future__ import annotations

import collections
import datetime
import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid

import pytest
from django.conf import settings as django_settings
from django.db import connection, connections
from django.utils import timezone

from ehc import reminders
from ehc.models import Reminder
from tests.conftest import requires_service
from tests.ehc.smtp_relay import running_relay
from tests.ehc.test_reminders import TODAY, contribution_due

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow, pytest.mark.redis]
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/11"
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture
def relay(settings):
    yield from running_relay(settings)


@pytest.fixture(autouse=True)
def in_process(settings):
    """Digests are sent in this process (cron mode) unless a trial queues them."""
    settings.CELERY_TASK_ALWAYS_EAGER = True


@pytest.fixture
def postgres(db):
    if connection.vendor != "postgresql":
        pytest.skip("The trials need a database other processes can reach: run on PostgreSQL")


@pytest.fixture
def redis_url():
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        requires_service("Redis", "install and start redis-server on 127.0.0.1:6379")
    return REDIS_URL


def today() -> datetime.date:
    """The trials run the beat task, which counts from the real date."""
    return timezone.localdate()


@pytest.fixture
def recipients(area, other_area):
    """Four recipients: two service mailboxes and two officers, with
    overdue and due-soon items (the officers get owner and area lines),
    dated from the real today."""
    shift = (today() - TODAY).days
    for a, mailbox in ((area, "team-a@example.org"), (other_area, "team-b@example.org")):
        a.service.contact_email = mailbox
        a.service.save()
        for n in (7, -3):
            contribution_due(a, n + shift)
    return [
        "team-a@example.org",
        "team-b@example.org",
        area.officer.email,
        other_area.officer.email,
    ]


def assert_once(relay, *, window: bool = False) -> dict:
    """0 lost, 0 duplicated (at most one marked repeat per digest when the
    trial aims at the documented window). Returns the figures."""
    kept = collections.Counter(m["Message-ID"] for m in relay.kept)
    rows = list(Reminder.objects.exclude(state="dropped"))
    lost = [r for r in rows if r.state != "sent" or r.message_id not in kept]
    repeats = {mid: n - 1 for mid, n in kept.items() if n > 1}
    assert not lost, [(r.recipient, r.state, r.message_id) for r in lost]
    if window:
        assert all(n == 1 for n in repeats.values()), repeats
        for message in relay.kept:
            if message["Message-ID"] in repeats and message is not next(
                m for m in relay.kept if m["Message-ID"] == message["Message-ID"]
            ):
                assert message["Subject"].startswith(reminders.REPEAT_MARK)
    else:
        assert not repeats, repeats
    return {"reminders": len(rows), "messages": len(relay.kept), "repeats": sum(repeats.values())}


def recover_everything(settings):
    """The next run, in this process, at a clock past every lease and delay."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    later = timezone.now() + datetime.timedelta(hours=2)
    reminders.run_reminders(today=today(), now=later)


# --- Concurrency, in-process (cron mode) ---------------------------------------------


def race(*calls):
    barrier = threading.Barrier(len(calls))
    errors = []

    def go(call):
        try:
            barrier.wait()
            call()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=go, args=(call,)) for call in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors


def test_two_runs_at_the_same_instant(postgres, recipients, relay, settings):
    now = timezone.now()
    race(*[lambda: reminders.run_reminders(today=today(), now=now)] * 2)
    figures = assert_once(relay)
    assert figures["messages"] == len(recipients)


def test_a_stale_claim_taken_over_while_its_first_sender_sends(
    postgres, recipients, relay, settings, monkeypatch
):
    """Five rounds: a run claims and queues, its claims pass the lease, and
    its digests are sent at the very moment a second run takes them over."""
    for _round in range(5):
        Reminder.objects.all().delete()
        relay.kept.clear()
        handed = []
        monkeypatch.setattr(
            "ehc.reminders.runs._dispatch", lambda run_id, r, h=handed: h.append((run_id, r))
        )
        reminders.run_reminders(today=today())
        monkeypatch.undo()
        settings.EMAIL_TIMEOUT = 0.5  # monkeypatch.undo() leaves settings alone
        later = timezone.now() + reminders.claim_lease() + datetime.timedelta(minutes=1)
        senders = [
            (lambda run_id=run_id, r=r: reminders.send_digest(run_id=run_id, recipient=r))
            for run_id, r in handed
        ]
        race(lambda later=later: reminders.run_reminders(today=today(), now=later), *senders)
        assert_once(relay)
        assert len(relay.kept) == len(recipients)


@pytest.mark.parametrize("fault", ["refuse", "drop_before_data", "drop_after_dot", "late_250"])
def test_relay_faults(postgres, recipients, relay, settings, fault):
    """Each recipient's first message meets the fault; the run, its
    in-command retries and the next run deliver every reminder, once, or
    (the relay kept a message whose 250 never arrived) once more, marked."""
    for address in recipients:
        relay.plan(address, fault)
    reminders.run_reminders(today=today())
    recover_everything(settings)
    figures = assert_once(relay, window=fault in ("drop_after_dot", "late_250"))
    expected_repeats = len(recipients) if fault in ("drop_after_dot", "late_250") else 0
    assert figures["repeats"] == expected_repeats


# --- Workers killed with SIGKILL, the broker redelivering ---------------------------------


def transport_options(queue: str) -> dict:
    """A short visibility timeout, checked every second, and keys of the
    trial's own so parallel test processes never restore each other's tasks."""
    return {
        "visibility_timeout": 2,
        "unacked_restore_interval": 1,
        "unacked_restore_throttle": 1,
        "unacked_key": f"unacked-{queue}",
        "unacked_index_key": f"unacked-index-{queue}",
        "unacked_mutex_key": f"unacked-mutex-{queue}",
    }


def start_process_worker(kill_at: str, queue: str, relay) -> subprocess.Popen:
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": REDIS_URL,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(relay.port),
        "SITE_URL": django_settings.SITE_URL,
        "TRIAL_EMAIL_TIMEOUT": "5",
        "TRIAL_TRANSPORT_OPTIONS": json.dumps(transport_options(queue)),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "tests.ehc.trial_worker", kill_at, queue], cwd=ROOT, env=env
    )


class ThreadWorker:
    """A Celery worker in a thread of this process, consuming ``queue``."""

    def __init__(self, queue: str):
        self.queue, self.running = queue, 0

    def __enter__(self):
        from celery.contrib.testing.worker import start_worker
        from celery.signals import task_postrun, task_prerun
        from kombu import pools

        from config.celery import app

        self.app, self.pools = app, pools
        self.saved = {
            k: app.conf[k]
            for k in (
                "broker_url",
                "task_always_eager",
                "task_default_queue",
                "result_backend",
                "broker_transport_options",
            )
        }
        app.conf.update(
            broker_url=REDIS_URL,
            task_always_eager=False,
            task_default_queue=self.queue,
            result_backend=None,
            broker_transport_options=transport_options(self.queue),
        )
        self.forget()
        self.pre, self.post = task_prerun, task_postrun
        task_prerun.connect(self.started, weak=False)
        task_postrun.connect(self.finished, weak=False)
        self.context = start_worker(
            app, perform_ping_check=False, queues=[self.queue], shutdown_timeout=30, pool="solo"
        )
        self.context.__enter__()
        return self

    def started(self, **_kwargs):
        self.running += 1

    def finished(self, **_kwargs):
        connections.close_all()
        self.running -= 1

    def forget(self):
        self.pools.reset()
        self.app._pool = None
        self.app.amqp._producer_pool = None

    def quiet(self, timeout: float = 30.0) -> None:
        """Wait until nothing is queued, held or running for 1.5 s."""
        import redis

        client = redis.Redis.from_url(REDIS_URL)
        options = transport_options(self.queue)
        deadline, calm_since = time.monotonic() + timeout, None
        while time.monotonic() < deadline:
            busy = self.running or client.llen(self.queue) or client.hlen(options["unacked_key"])
            if busy:
                calm_since = None
            elif calm_since is None:
                calm_since = time.monotonic()
            elif time.monotonic() - calm_since > 1.5:
                return
            time.sleep(0.1)
        raise AssertionError("the worker did not go quiet")

    def __exit__(self, *exc):
        try:
            self.context.__exit__(*exc)
        finally:
            self.pre.disconnect(self.started)
            self.post.disconnect(self.finished)
            self.app.conf.update(self.saved)
            self.forget()


def publish(app, queue: str) -> None:
    """What beat does at 07:00, onto the trial's queue."""
    from kombu import pools

    saved = {k: app.conf[k] for k in ("broker_url", "broker_transport_options")}
    app.conf.update(broker_url=REDIS_URL, broker_transport_options=transport_options(queue))
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None
    try:
        app.send_task("ehc.send_deadline_reminders", queue=queue)
    finally:
        app.conf.update(saved)
        pools.reset()
        app._pool = None
        app.amqp._producer_pool = None


@pytest.mark.parametrize("kill_at", ["before_commit", "queuing", "mid_send", "after_send"])
def test_a_worker_killed(postgres, redis_url, recipients, relay, settings, kill_at):
    """The beat task goes to a worker process that dies by SIGKILL at
    ``kill_at``; the broker hands its unacknowledged task back to a new
    worker, and the next run takes over what is left."""
    import redis

    from config.celery import app

    queue = f"trial-{uuid.uuid4().hex[:10]}"
    settings.CELERY_TASK_ALWAYS_EAGER = False
    if kill_at == "mid_send":
        relay.plan("*", "stall_data")
    worker = start_process_worker(kill_at, queue, relay)
    try:
        publish(app, queue)
        if kill_at == "mid_send":
            assert relay.data_started.wait(60), "the worker never reached DATA"
            relay.plans.clear()
            worker.send_signal(signal.SIGKILL)
        assert worker.wait(timeout=60) == -signal.SIGKILL
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    with ThreadWorker(queue) as thread_worker:
        thread_worker.quiet()
        recover_everything(settings)
    redis.Redis.from_url(REDIS_URL).delete(queue)
    figures = assert_once(relay, window=kill_at == "after_send")
    if kill_at == "after_send":
        assert figures["repeats"] == 1
