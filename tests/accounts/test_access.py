"""Who may use the landing redirect and a user's own settings: anonymous,
wrong role, right role and other area, by GET and by POST for the forms,
for every URL (tests/access.py). Sign-in and password reset are public;
tests/test_access_coverage.py lists them."""

from __future__ import annotations

import datetime

from django.utils import timezone

from tests.access import ROLES, AccessCase, access_data, access_tests, date_data  # noqa: F401

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
    # One's own API tokens: the POST creates one (each user their own: no
    # shared one-time form token).
    AccessCase(
        "accounts:api_tokens",
        allowed=EVERYONE,
        not_scoped=OWN,
        post=lambda d: {
            "name": "Access test token",
            "submission": None,
            **date_data("expires_on", str(timezone.localdate() + datetime.timedelta(days=30))),
        },
        writes=True,
    ),
    # Two-factor sign-in (accounts/two_factor/). The suite runs with it off and
    # nobody here has an app: set-up is offered to everyone; giving a code and
    # recovery codes send a user without an app on (home, or to set one up).
    # A wrong code is posted, so nobody's app is confirmed and the later
    # cases' sign-ins are not asked for a code (tests/accounts/two_factor/).
    AccessCase(
        "accounts:two_factor_enrol", allowed=EVERYONE, not_scoped=OWN, post={"token": "12345"}
    ),
    AccessCase(
        "accounts:two_factor_verify",
        allowed=EVERYONE,
        not_scoped=OWN,
        allowed_status=302,
        post={"code": "12345678"},
    ),
    AccessCase(
        "accounts:two_factor_recovery_codes",
        allowed=EVERYONE,
        not_scoped=OWN,
        allowed_status=302,
        post={},
    ),
]

test_access = access_tests(CASES)
