"""A designated officer's first day, in Chromium: bring the tracker in. A
20-row tracker with two broken rows is refused with its problems by line
and column; the corrected file is previewed and imported. Every page passes
axe-core at WCAG 2.2 AA and reflows at 320 CSS px."""

from __future__ import annotations

import pytest

from ehc.models import Child, HealthAdviceRequest
from tests.access import make_area
from tests.ehc.caseload_import.helpers import csv_bytes, row
from tests.functional.conftest import assert_accessible

pytestmark = [pytest.mark.functional, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"


def nhs_numbers(count: int) -> list[str]:
    found = []
    base = 450_000_000
    while len(found) < count:
        digits = str(base)
        check = 11 - sum(int(d) * w for d, w in zip(digits, range(10, 1, -1), strict=True)) % 11
        if check != 10:
            found.append(f"{digits[:3]} {digits[3:6]} {digits[6:]}{0 if check == 11 else check}")
        base += 1
    return found


def tracker(area, broken: bool) -> bytes:
    """20 rows: 10 children, each with one request asking the area's service
    and a second service (two rows each)."""
    second = area.extra_service.name
    rows = []
    for n, nhs in enumerate(nhs_numbers(10)):
        child = {"NHS number": nhs, "LA reference": f"LA-{n}", "Last name": f"Importee{n}"}
        rows.append(row(area, **child))
        rows.append(row(area, Service=second, **child))
    if broken:
        rows[3]["Date of birth"] = "31/02/2016"  # line 5: no such day
        rows[10]["Date health received request"] = "01/03/2026"  # line 12: before sent
    return csv_bytes(rows)


def assert_reflows(page) -> None:
    """WCAG 2.2 1.4.10: at 320 CSS px nothing makes the page scroll sideways."""
    size = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 640})
    try:
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"{page.url} is {width} px wide at 320 px"
    finally:
        page.set_viewport_size(size)


def check(page) -> None:
    assert_accessible(page)
    assert_reflows(page)


def upload(page, data: bytes) -> None:
    page.get_by_label("Your tracker").set_input_files(
        {"name": "tracker.csv", "mimeType": "text/csv", "buffer": data}
    )
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_load_state()


def test_the_officer_imports_their_tracker_after_fixing_two_rows(page, live_server):
    from tests import factories as f

    area = make_area()
    area.extra_service = f.ServiceFactory(
        provider=area.provider, local_authorities=[area.local_authority]
    )
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(area.officer.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Import your tracker (CSV or Excel)").click()
    page.get_by_role("heading", name="Import your tracker").wait_for()
    check(page)

    # Two broken rows: nothing is saved, each problem is on its line.
    upload(page, tracker(area, broken=True))
    page.get_by_role("heading", name="Your tracker cannot be imported yet").wait_for()
    problems = page.get_by_role("table", name="Problems by line").inner_text()
    assert "5\tDate of birth\t“31/02/2016” is not a real date" in problems
    assert "12\tDate health received request\tThe date health received" in problems
    assert not Child.objects.exists()
    check(page)

    # The corrected file: the preview, then the import.
    page.get_by_role("button", name="Upload the corrected file").click()
    upload(page, tracker(area, broken=False))
    page.get_by_role("heading", name="Check before importing").wait_for()
    counts = page.get_by_role("table", name="What the import will do").inner_text()
    assert "Children and young people\t10\t0\t0" in counts
    assert "Services asked\t20\t0\t0" in counts
    check(page)
    page.get_by_role("button", name="Import all 20 rows").click()
    page.get_by_role("heading", name="Your tracker has been imported").wait_for()
    check(page)
    assert Child.objects.count() == 10
    assert HealthAdviceRequest.objects.filter(owner=area.officer).count() == 10
