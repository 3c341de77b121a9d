"""Who may use each role's home page: anonymous, wrong role, right role and
other area, for every URL (tests/access.py)."""

from __future__ import annotations

from django.urls import reverse

from tests.access import AccessCase, access_data, access_tests  # noqa: F401

# Services' waiting times (docs/waits.md): seen by those covering the
# service (commissioners suppressed), entered by officers and practitioners.
SEE_WAITS = frozenset({"administrator", "officer", "practitioner", "commissioner"})
ENTER_WAITS = frozenset({"administrator", "officer", "practitioner"})


def service_link(d) -> str:
    return f'href="{reverse("waits:service_detail", args=[d.area.service.pk])}"'


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
    AccessCase("waits:service_list", allowed=SEE_WAITS, hidden=service_link),
    AccessCase(
        "waits:service_detail",
        allowed=SEE_WAITS,
        kwargs=lambda d: {"pk": d.area.service.pk},
        other_area=404,
    ),
    AccessCase(
        "waits:waits_create",
        allowed=ENTER_WAITS,
        kwargs=lambda d: {"pk": d.area.service.pk},
        other_area=404,
        post={"waiting": "30", "median_weeks": "10", "longest_weeks": "20.5"},
        writes=True,
    ),
    AccessCase(
        "waits:waits_edit",
        allowed=ENTER_WAITS,
        kwargs=lambda d: {"pk": d.service_wait.pk},
        other_area=404,
        post={"waiting": "41", "notes": "Counted again"},
        writes=True,
    ),
]

test_access = access_tests(CASES)
