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


def requires_service(name: str, install_hint: str):
    """Skip when a service is missing locally; fail under CI, where it must exist."""
    message = f"{name} is not available: {install_hint}"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{message} (CI=true, so this is a failure, not a skip)")
    pytest.skip(message)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Hashing a password properly takes ~0.3 s by design; tests create many users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
