"""A Celery worker process for the reminder trials (tests/ehc/test_reminder_trials.py)
that kills itself with SIGKILL at a chosen point:

    python -m tests.ehc.trial_worker KILL_AT QUEUE

KILL_AT: ``before_commit`` (the daily run, claims written, not committed),
``queuing`` (the run committed and queued its first digest, not the
second), ``after_send`` (the relay replied 250, the rows not yet marked
sent), or ``none``. A worker killed mid-send is killed from outside by the
trial while the relay stalls. Settings come from the environment the trial
passes (DATABASE_URL of the test database, REDIS_URL, EMAIL_*); the
broker's transport options from TRIAL_TRANSPORT_OPTIONS (JSON).
"""

from __future__ import annotations

import json
import os
import signal
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.conf import settings  # noqa: E402

from config.celery import app  # noqa: E402


def die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def arm(kill_at: str) -> None:
    if kill_at == "before_commit":
        from ehc.reminders import runs

        runs._dispatch = lambda run_id, recipient: die()
    elif kill_at == "queuing":
        from core import dispatch

        real, calls = dispatch.send_task, []

        def send_task(name, args, kwargs):
            calls.append(name)
            if name == "ehc.send_reminder_digest" and len(calls) == 2:
                die()
            real(name, args, kwargs)

        dispatch.send_task = send_task
    elif kill_at == "after_send":
        from ehc.reminders import smtp

        real_deliver = smtp.deliver

        def deliver(message):
            delivery = real_deliver(message)
            if delivery.outcome is smtp.Outcome.SENT:
                die()
            return delivery

        smtp.deliver = deliver


if __name__ == "__main__":
    kill_at, queue = sys.argv[1], sys.argv[2]
    settings.EMAIL_TIMEOUT = float(os.environ.get("TRIAL_EMAIL_TIMEOUT", "1"))
    arm(kill_at)
    app.conf.update(
        task_default_queue=queue,
        broker_transport_options=json.loads(os.environ["TRIAL_TRANSPORT_OPTIONS"]),
    )
    app.worker_main(
        [
            "worker",
            "-Q",
            queue,
            "-P",
            "solo",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "-l",
            "warning",
        ]
    )
