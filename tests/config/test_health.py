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


def test_anyone_sees_the_state_of_the_database_and_nothing_of_the_set_up(client, settings):
    settings.REDIS_URL = ""
    response = client.get("/healthz/")  # no reminder run either: still not said
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok"}}


def test_a_signed_in_user_other_than_an_administrator_sees_no_more(client, settings, area):
    settings.REDIS_URL = ""
    for user in area.scoped_users():
        client.force_login(user)
        assert client.get("/healthz/").json() == {"status": "ok", "checks": {"database": "ok"}}


def test_administrators_see_the_set_up_and_the_reminder_runs(client, settings, area):
    from ehc.models import ReminderRun

    settings.REDIS_URL = ""
    ReminderRun.objects.create(run_for=timezone.localdate(), finished_at=timezone.now())
    client.force_login(area.administrator)
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "redis": "not configured", "reminders": "ok"},
    }


def test_the_token_shows_the_details_to_a_monitor(client, settings):
    settings.REDIS_URL = ""
    settings.HEALTHZ_TOKEN = "monitor-token-0123456789"
    detailed = client.get("/healthz/", headers={"X-Healthz-Token": "monitor-token-0123456789"})
    assert detailed.json()["checks"]["redis"] == "not configured"
    assert detailed.json()["checks"]["reminders"] == "stale"
    for wrong in ("", "monitor-token", "monitor-token-0123456789x"):
        response = client.get("/healthz/", headers={"X-Healthz-Token": wrong})
        assert response.json() == {"status": "ok", "checks": {"database": "ok"}}, wrong


def test_no_token_is_configured_by_default_so_a_blank_one_shows_nothing(client, settings):
    assert settings.HEALTHZ_TOKEN == ""
    settings.REDIS_URL = ""
    response = client.get("/healthz/", headers={"X-Healthz-Token": ""})
    assert "reminders" not in response.json()["checks"]


def test_healthz_warns_when_no_reminder_run_finished_in_26_hours(client, settings, area):
    from ehc.models import ReminderRun

    settings.REDIS_URL = ""
    client.force_login(area.administrator)
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
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "redis": "ok"}}


def test_healthz_503_when_redis_is_down(client, settings):
    # Nothing listens on port 1: a real refused connection.
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz/")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": "ok", "redis": "unavailable"},
    }


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


def test_an_administrator_who_has_not_given_their_code_sees_no_more(
    client, settings, area, two_factor_required
):
    """A password alone is not enough where the role needs a second factor:
    the details wait until the code is given."""
    from tests.two_factor import set_up_app, verified_client

    settings.REDIS_URL = ""
    device, _codes = set_up_app(area.administrator)
    client.force_login(area.administrator)  # signed in, code not yet given
    assert client.get("/healthz/").json() == {"status": "ok", "checks": {"database": "ok"}}
    details = verified_client(area.administrator, device).get("/healthz/").json()
    assert details["checks"]["redis"] == "not configured"
