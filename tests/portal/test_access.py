"""Who may use each role's home page: anonymous, wrong role, right role and
other area, for every URL (tests/access.py)."""

from __future__ import annotations

from tests.access import AccessCase, access_data, access_tests  # noqa: F401

CASES = [
    AccessCase(
        "portal:officer_home",
        allowed=frozenset({"officer", "administrator"}),
        hidden=lambda d: d.area.local_authority.name,
    ),
    AccessCase(
        "portal:practitioner_home",
        allowed=frozenset({"practitioner", "administrator"}),
        hidden=lambda d: d.area.service.name,
    ),
    AccessCase(
        "portal:commissioner_home",
        allowed=frozenset({"commissioner", "administrator"}),
        hidden=lambda d: d.area.local_authority.name,
    ),
    AccessCase(
        "portal:la_home",
        allowed=frozenset({"la_officer", "administrator"}),
        hidden=lambda d: d.area.local_authority.name,
    ),
    AccessCase(
        "portal:admin_home",
        allowed=frozenset({"administrator"}),
        not_scoped="only administrators may use it, and they have no area",
    ),
]

test_access = access_tests(CASES)
