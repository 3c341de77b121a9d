"""Counting uses of something per hour, in the cache every worker shares.

The counters live in Django's default cache: Redis when ``REDIS_URL`` is set,
otherwise a database table (config/settings.py, "Redis, cache and Celery"),
never memory private to one process, so a limit holds however many gunicorn
workers answer the requests.

Windows are fixed (they start on the multiple of ``window`` seconds since the
epoch): simple and cheap, at the price of letting up to twice the limit
through across the boundary of two windows.
"""

from __future__ import annotations

import hashlib
import time

from django.core.cache import cache


def cache_key(*parts: str) -> str:
    """A cache key for ``parts`` that keeps what was counted (an email
    address, say) out of the cache in clear and within every backend's
    length and character limits."""
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    return f"ratelimit:{digest}"


def count_use(*parts: str, window: int) -> int:
    """Count one use of the thing named by ``parts`` in the current window
    of ``window`` seconds; return how many uses the window now holds,
    this one included."""
    slot = int(time.time()) // window
    key = f"{cache_key(*parts)}:{slot}"
    # add() only creates the counter; incr() is atomic on Redis. On the
    # database cache two racing requests may both count as the first.
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=window)
        return 1
