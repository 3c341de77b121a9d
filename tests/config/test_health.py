import datetime
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings
from django.utils import timezone

from tests.conftest import requires_service

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def test_healthz_ok_without_redis(client, settings):
    from ehc.models import ReminderRun

    settings.REDIS_URL = ""
    ReminderRun.objects.create(run_for=timezone.localdate(), finished_at=timezone.now())
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "redis": "not configured", "reminders": "ok"},
    }


def test_healthz_warns_when_no_reminder_run_finished_in_26_hours(client, settings):
    from ehc.models import ReminderRun

    settings.REDIS_URL = ""
    response = client.get("/healthz/")
    assert response.status_code == 200  # a warning, not a failure
    assert response.json()["checks"]["reminders"] == "stale"
    assert "26 hours" in response.json()["warnings"][0]
    # A dry run does not count; nor does a run that finished 27 hours ago.
    now = timezone.now()
    ReminderRun.objects.create(run_for=now.date(), finished_at=now, dry_run=True)
    ReminderRun.objects.create(
        run_for=now.date(), started_at=now, finished_at=now - datetime.timedelta(hours=27)
    )
    assert client.get("/healthz/").json()["checks"]["reminders"] == "stale"
    ReminderRun.objects.create(run_for=now.date(), finished_at=now - datetime.timedelta(hours=25))
    assert client.get("/healthz/").json()["checks"]["reminders"] == "ok"


@pytest.mark.redis
def test_healthz_ok_with_real_redis(client, settings):
    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        requires_service("Redis", "install and start redis-server on 127.0.0.1:6379")
    settings.REDIS_URL = url
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json()["checks"]["redis"] == "ok"


def test_healthz_503_when_redis_is_down(client, settings):
    # Nothing listens on port 1: a real refused connection.
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz/")
    assert response.status_code == 503
    assert response.json()["checks"]["redis"] == "unavailable"


def test_healthz_503_when_database_is_down(tmp_path):
    """A separate process whose database cannot be opened (a real failure)."""
    script = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/healthz/');"
        "print(json.dumps({'status': r.status_code, 'body': r.json()}))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path}/missing-dir/db.sqlite3",
        "REDIS_URL": "",
        "LOG_LEVEL": "CRITICAL",
    }
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["status"] == 503
    assert result["body"]["checks"]["database"] == "unavailable"


@override_settings(SECURE_SSL_REDIRECT=True)
def test_healthz_is_not_redirected_to_https(client):
    assert client.get("/healthz/").status_code in (200, 503)
