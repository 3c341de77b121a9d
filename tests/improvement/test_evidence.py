"""Evidence links stay inside the portal (improvement/evidence.py): a path
or this portal's own address, to a page about the area, never elsewhere."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from improvement.evidence import NOT_EVIDENCE, NOT_HERE, clean_path


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = "https://portal.example.org"


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("/reports/quarterly/?period=2026-q1", "/reports/quarterly/?period=2026-q1"),
        ("  /reports/annual/#timeliness ", "/reports/annual/#timeliness"),
        ("https://portal.example.org/reports/dashboard/?x=1", "/reports/dashboard/?x=1"),
        ("HTTPS://PORTAL.EXAMPLE.ORG/ehc/quality/sample/", "/ehc/quality/sample/"),
        ("/roles/resourcing/", "/roles/resourcing/"),
        ("/improvement/", "/improvement/"),
        ("/ehc/plans/sample/", "/ehc/plans/sample/"),
        ("/services/", "/services/"),
    ],
)
def test_addresses_in_the_portal_are_kept_as_paths(given, stored):
    assert clean_path(given) == stored


@pytest.mark.parametrize(
    "given",
    [
        "https://evil.example.com/reports/dashboard/",
        "//evil.example.com/reports/dashboard/",
        "javascript:alert(1)",
        "reports/dashboard/",
        "/\\evil.example.com",
        "/reports/dash\nboard/",
        "/reports/ dashboard/",
        "ftp://portal.example.org/reports/dashboard/",
        "https://portal.example.org.evil.com/reports/dashboard/",
    ],
)
def test_anything_elsewhere_is_refused(given):
    with pytest.raises(ValidationError) as raised:
        clean_path(given)
    assert raised.value.messages[0] in (NOT_HERE, "There is no page at that address in this portal")


def test_a_page_about_a_child_is_not_evidence():
    with pytest.raises(ValidationError) as raised:
        clean_path("/ehc/children/12/")
    assert raised.value.messages == [NOT_EVIDENCE]


def test_an_address_with_no_page_is_refused():
    with pytest.raises(ValidationError) as raised:
        clean_path("/reports/nothing-here/")
    assert "no page" in raised.value.messages[0]


def test_empty_and_too_long():
    with pytest.raises(ValidationError):
        clean_path("   ")
    with pytest.raises(ValidationError):
        clean_path("/reports/dashboard/?" + "a" * 600)
