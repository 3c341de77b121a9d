"""Who may use the landing redirect and a user's own settings: anonymous,
wrong role, right role and other area, by GET and by POST for the forms,
for every URL (tests/access.py). Sign-in and password reset are public;
tests/test_access_coverage.py lists them."""

from __future__ import annotations

from tests.access import ROLES, AccessCase, access_data, access_tests  # noqa: F401

EVERYONE = frozenset(ROLES)
OWN = "a user's own account: it holds nothing of any area"
PASSWORD = "a-long-test-password"  # tests/factories.py UserFactory


CASES = [
    # Signing in lands here; it sends each user on to their own home page.
    AccessCase("accounts:home", allowed=EVERYONE, allowed_status=302, not_scoped=OWN),
    AccessCase(
        "accounts:preferences",
        allowed=EVERYONE,
        not_scoped=OWN,
        post={"receive_digests": None},  # untick: users receive digests by default
        writes=True,
    ),
    AccessCase(
        "accounts:password_change",
        allowed=EVERYONE,
        not_scoped=OWN,
        post={
            "old_password": PASSWORD,
            "new_password1": "another-long-test-password",
            "new_password2": "another-long-test-password",
        },
        writes=True,
    ),
    AccessCase("accounts:password_change_done", allowed=EVERYONE, not_scoped=OWN),
]

test_access = access_tests(CASES)
