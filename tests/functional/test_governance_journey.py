"""An administrator checks the month's erasure list and approves it in the
browser. Every page on the way passes axe-core at WCAG 2.2 AA."""

from __future__ import annotations

import pytest
from django.utils import timezone

from ehc.models import Child
from governance import services
from tests.access import make_area
from tests.functional.conftest import assert_accessible
from tests.functional.test_ehc_journey import sign_in
from tests.governance.helpers import old_case

pytestmark = [pytest.mark.functional, pytest.mark.django_db(transaction=True)]


def test_an_administrator_approves_an_erasure_list(page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    area = make_area()
    case = old_case(area)
    document = tmp_path / case.advice.document.name
    batch = services.prepare_retention_batch(today=timezone.localdate())

    sign_in(page, area.administrator)
    page.get_by_role("link", name="erasure lists").click()
    page.get_by_role("heading", name="Erasure lists").wait_for()
    assert "Waiting for approval" in page.content()
    assert_accessible(page)

    page.get_by_role("link", name=str(batch)).click()
    page.get_by_role("heading", name=str(batch)).wait_for()
    assert "Erin Oldrecord" in page.content()
    assert "26th birthday (17 when the work ended)" in page.content()
    assert_accessible(page)

    # Approving without ticking the box is refused, and says why.
    page.get_by_role("button", name="Approve and erase").click()
    summary = page.locator(".govuk-error-summary")
    assert "Confirm that you have checked the list" in summary.inner_text()
    assert Child.objects.filter(pk=case.child.pk).exists()
    assert_accessible(page)

    page.get_by_label("I have checked this list").check()
    page.get_by_role("button", name="Approve and erase").click()
    page.get_by_text("1 children's records erased, 0 kept").wait_for()
    assert "Erin" not in page.content()
    assert "erased child #" in page.content()
    assert_accessible(page)

    assert not Child.objects.filter(pk=case.child.pk).exists()
    assert not document.exists()  # deleted once the erasure committed
