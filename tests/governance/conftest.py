import pytest


@pytest.fixture(autouse=True)
def subject_access_in_process(settings):
    """Build subject access ZIPs (and erase files) in this process unless a
    test chooses a worker, so the results do not depend on whether this run
    has REDIS_URL set (CI sets it): core.dispatch runs the work itself when
    CELERY_TASK_ALWAYS_EAGER is true."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
