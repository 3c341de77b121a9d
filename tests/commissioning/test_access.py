"""Who may use the organisations directory: anonymous, wrong role, right
role and other area for every URL (tests/access.py)."""

from __future__ import annotations

from tests.access import ROLES, AccessCase, access_data, access_tests  # noqa: F401

EVERYONE = frozenset(ROLES)

CASES = [
    AccessCase(
        "commissioning:la_list",
        allowed=EVERYONE,
        hidden=lambda d: d.area.local_authority.name,
    ),
    AccessCase(
        "commissioning:la_detail",
        allowed=EVERYONE,
        kwargs=lambda d: {"gss_code": d.area.local_authority.gss_code},
        other_area=404,
    ),
    AccessCase(
        "commissioning:body_detail",
        allowed=EVERYONE,
        kwargs=lambda d: {"ods_code": d.area.body.ods_code},
        other_area=404,
    ),
]

test_access = access_tests(CASES)
