"""/healthz/: is this instance able to serve?

Answers 200 when every configured dependency responds and 503 otherwise,
with a JSON body naming each check, for load balancers and uptime monitors.
It never reveals configuration (no host names or credentials).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


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


@never_cache
@require_GET
def healthz(request):
    checks = {"database": check_database(), "redis": check_redis()}
    healthy = all(state in ("ok", "not configured") for state in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks},
        status=200 if healthy else 503,
    )
