import os

import pytest

from tests.access import make_area


@pytest.fixture
def area(db):
    """One local area with a user of every role."""
    return make_area()


@pytest.fixture
def other_area(db):
    """A second, unrelated area: its users must never see the first one's records."""
    return make_area()


@pytest.fixture
def today_is(monkeypatch):
    """Call with a date to make it "today" for the portal
    (``timezone.localdate()``); a date or time passed in is still converted."""
    from django.utils import timezone

    real = timezone.localdate

    def set_today(day):
        def localdate(value=None, timezone=None):
            return day if value is None else real(value, timezone)

        monkeypatch.setattr("django.utils.timezone.localdate", localdate)
        return day

    return set_today


def requires_service(name: str, install_hint: str):
    """Skip when a service is missing locally; fail under CI, where it must exist."""
    message = f"{name} is not available: {install_hint}"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{message} (CI=true, so this is a failure, not a skip)")
    pytest.skip(message)


@pytest.fixture
def two_factor_required(settings):
    """Two-factor sign-in as production has it (the suite runs with it off):
    required of every role that sees identifiable data. Helpers to set up an
    app and verify a session are in tests/two_factor.py."""
    from accounts.two_factor.setup import IDENTIFIABLE_ROLES

    settings.OTP_REQUIRED_ROLES = [str(role) for role in IDENTIFIABLE_ROLES]
    return settings.OTP_REQUIRED_ROLES


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Hashing a password properly takes ~0.3 s by design; tests create many users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def empty_redis_cache(settings):
    """Counters kept in the cache (the password reset limits) must not carry
    from one test to the next. The database cache is rolled back with each
    test's transaction; a Redis cache (REDIS_URL set, as in CI) is not, so
    it is emptied first."""
    if settings.CACHES["default"]["BACKEND"].endswith("RedisCache"):
        from django.core.cache import cache

        cache.clear()


@pytest.fixture
def cache_in_memory(settings):
    """For tests counting a page's own queries: the cache kept in this
    process's memory, not in whichever shared cache the machine has (the
    database table, without REDIS_URL, adds about five queries to each read
    and write of it; Redis none), so the count is the same everywhere."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


class WorkerTasks:
    """The names of the tasks a test's Celery worker has finished, in order.

    Tests wait on this rather than polling the database: SQLite's shared
    in-memory test database refuses concurrent access instead of waiting.
    """

    def __init__(self):
        self.finished: list[str] = []

    def count(self, name: str) -> int:
        return self.finished.count(name)

    def wait_for(self, timeout: float = 30.0, **counts: int) -> bool:
        """Wait until each task (``__`` for ``.`` in its name) has finished
        at least the given number of times."""
        import time

        wanted = {name.replace("__", "."): n for name, n in counts.items()}
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if all(self.count(name) >= n for name, n in wanted.items()):
                return True
            time.sleep(0.05)
        return False


@pytest.fixture
def celery_worker_on_redis(settings):
    """A real Celery worker (in a thread sharing the test database) consuming
    a private queue on the real Redis; yields a :class:`WorkerTasks`."""
    import uuid

    import redis
    from celery.contrib.testing.worker import start_worker
    from celery.signals import task_postrun
    from django.db import connections
    from kombu import pools

    from config.celery import app

    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        requires_service(
            "Redis",
            "install and start redis-server on 127.0.0.1:6379 (apt-get install -y redis-server)",
        )

    def forget_connections():
        # Close and forget every broker pool: the app's pool is also kept in
        # kombu's registry, and a closed pool left there breaks the next test
        # that sends to the same Redis.
        pools.reset()
        app._pool = None
        app.amqp._producer_pool = None

    tasks = WorkerTasks()

    def after_task(sender=None, **_kwargs):
        # The worker thread has its own database connection: close it after
        # each task so the test database can be flushed and dropped.
        connections.close_all()
        tasks.finished.append(sender.name)

    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    queue = f"test-{uuid.uuid4().hex[:12]}"
    keys = ("broker_url", "task_always_eager", "task_default_queue", "result_backend")
    saved = {key: app.conf[key] for key in keys}
    app.conf.update(
        broker_url=url, task_always_eager=False, task_default_queue=queue, result_backend=None
    )
    forget_connections()
    task_postrun.connect(after_task, weak=False)
    try:
        with start_worker(app, perform_ping_check=False, queues=[queue], shutdown_timeout=30):
            yield tasks
    finally:
        task_postrun.disconnect(after_task)
        app.conf.update(saved)
        forget_connections()
        redis.Redis.from_url(url).delete(queue)


# Fixtures that reach the database: a test using any of them is an integration test.
_DATABASE_FIXTURES = frozenset(
    {"db", "transactional_db", "django_db_reset_sequences", "client", "admin_client", "live_server"}
)


def pytest_collection_modifyitems(items):
    """Mark each test unit, integration or functional by what it touches, so the
    split survives a test tree that mirrors the code (tests/<app>/test_<module>.py):
    ``-m unit`` runs the pure tests, ``-m integration`` those with a database, and
    browser tests carry ``functional`` themselves."""
    for item in items:
        if item.get_closest_marker("functional"):
            continue
        uses_db = item.get_closest_marker("django_db") is not None or bool(
            _DATABASE_FIXTURES.intersection(getattr(item, "fixturenames", ()))
        )
        item.add_marker(pytest.mark.integration if uses_db else pytest.mark.unit)
