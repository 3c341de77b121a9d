"""/healthz/: is this instance able to serve?

Answers 200 when every configured dependency responds and 503 otherwise,
with a JSON body naming each check, for load balancers and uptime monitors:
the database and, when one is configured, Redis, each "ok" or "unavailable".

Anyone may ask. Administrators, and a request whose ``X-Healthz-Token``
header matches ``HEALTHZ_TOKEN``, also see what the instance is configured
with ("redis": "not configured"), the state of the reminder runs and hints
on what to check. It never reveals host names or credentials.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import connections
from django.http import JsonResponse
from django.utils.crypto import constant_time_compare
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.roles import Role, role_of
from accounts.two_factor.policy import pending_step

logger = logging.getLogger(__name__)

TOKEN_HEADER = "X-Healthz-Token"


def check_database() -> str:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any failure means "down"; the detail goes to the log
        logger.exception("Health check: database unavailable")
        return "unavailable"
    return "ok"


def check_redis() -> str:
    if not settings.REDIS_URL:
        return "not configured"
    import redis

    client = None
    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2
        )
        client.ping()
    except Exception:
        logger.exception("Health check: Redis unavailable")
        return "unavailable"
    finally:
        if client is not None:
            client.close()
    return "ok"


def check_reminders() -> str:
    """ "ok" when a reminder run finished in the last 26 hours, else "stale".

    A stale beat is a warning, not a failure: the instance can still serve,
    so a load balancer must not take it out of rotation for this."""
    try:
        from ehc.reminders import reminders_stale

        return "stale" if reminders_stale() else "ok"
    except Exception:
        logger.exception("Health check: reminder runs unreadable")
        return "unknown"


def shows_details(request) -> bool:
    """Whether ``request`` may see configuration details and hints: it
    carries the configured token, or comes from a signed-in administrator
    who has also given their second factor where their role needs one
    (a password alone is not enough: accounts.two_factor.policy)."""
    token = settings.HEALTHZ_TOKEN
    if token and constant_time_compare(request.headers.get(TOKEN_HEADER, ""), token):
        return True
    try:
        if role_of(getattr(request, "user", None)) != Role.ADMINISTRATOR:
            return False
        return pending_step(request) is None
    except Exception:  # the session or user could not be read: the database is down
        return False


@never_cache
@require_GET
def healthz(request):
    checks = {"database": check_database(), "redis": check_redis()}
    healthy = all(state in ("ok", "not configured") for state in checks.values())
    body = {"status": "ok" if healthy else "unavailable", "checks": checks}
    if not shows_details(request):
        # The contract every monitor relies on, and no more.
        if checks["redis"] == "not configured":
            del checks["redis"]
        return JsonResponse(body, status=200 if healthy else 503)
    if healthy:
        reminders = check_reminders()
        checks["reminders"] = reminders
        if reminders != "ok":
            body["warnings"] = [
                "No deadline reminder run has finished in the last 26 hours: check the "
                "Celery beat and worker, or the cron job running send_deadline_reminders."
            ]
    return JsonResponse(body, status=200 if healthy else 503)
