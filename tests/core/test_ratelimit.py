"""core.ratelimit: counters per window in the shared cache."""

import time

import pytest
from django.core.cache import cache

from core import ratelimit

pytestmark = pytest.mark.django_db


def test_each_use_is_counted_in_the_window():
    assert [ratelimit.count_use("a", "b", window=3600) for _ in range(3)] == [1, 2, 3]
    assert ratelimit.count_use("a", "c", window=3600) == 1
    # Parts are joined with a separator no text field holds, so they cannot run together.
    assert ratelimit.count_use("a", "bc", window=3600) == 1
    assert ratelimit.count_use("ab", "c", window=3600) == 1


def test_a_new_window_starts_again(monkeypatch):
    now = 1_800_000_000  # the start of a 60-second window
    monkeypatch.setattr(time, "time", lambda: now)
    assert ratelimit.count_use("x", window=60) == 1
    assert ratelimit.count_use("x", window=60) == 2
    monkeypatch.setattr(time, "time", lambda: now + 60)
    assert ratelimit.count_use("x", window=60) == 1


def test_what_is_counted_is_not_kept_in_clear():
    key = ratelimit.cache_key("password-reset", "email", "dana.cole@example.org")
    assert "dana" not in key and "example" not in key
    assert len(key) < 100


def test_the_counter_lives_in_the_configured_cache_shared_by_every_worker(settings):
    backend = settings.CACHES["default"]["BACKEND"]
    assert backend in (
        "django.core.cache.backends.db.DatabaseCache",
        "django.core.cache.backends.redis.RedisCache",
    )
    ratelimit.count_use("shared", window=3600)
    slot = int(time.time()) // 3600
    assert cache.get(f"{ratelimit.cache_key('shared')}:{slot}") == 1
