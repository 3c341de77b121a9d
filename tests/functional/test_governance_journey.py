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


def test_an_officer_prepares_a_subject_access_zip(page, settings, tmp_path):
    """The ZIP is asked for from the child's page and, with no broker, ready
    when its status page opens. A page still waiting never reloads itself
    (no meta refresh): its script asks the export's status and loads the
    page again once the worker has finished. Every state passes axe."""
    from governance.models import SubjectAccessExport

    settings.MEDIA_ROOT = tmp_path
    settings.CELERY_TASK_ALWAYS_EAGER = True  # built in the request, REDIS_URL or not
    area = make_area()
    case = old_case(area)

    sign_in(page, area.officer)
    page.goto(case.child.get_absolute_url())
    page.get_by_role("link", name="Prepare a subject access request").click()
    page.get_by_role("button", name="Prepare the ZIP").click()
    page.get_by_role("heading", name="The subject access ZIP is ready").wait_for()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the draft ZIP").click()
    assert download.value.suggested_filename.startswith("subject-access-draft-")

    waiting = SubjectAccessExport.objects.create(child=case.child, requested_by=area.officer)
    page.clock.install()
    page.goto(waiting.get_absolute_url())
    page.get_by_role("heading", name="The subject access ZIP is being prepared").wait_for()
    assert page.locator('meta[http-equiv="refresh"]').count() == 0
    assert_accessible(page)
    # Still waiting at the first check: the page stays as it is.
    page.clock.run_for(11_000)
    page.get_by_role("heading", name="The subject access ZIP is being prepared").wait_for()
    # The worker gives up; the next check loads the page with what to do next.
    SubjectAccessExport.objects.filter(pk=waiting.pk).update(
        status=SubjectAccessExport.Status.FAILED, error="The worker stopped."
    )
    page.clock.run_for(11_000)
    page.get_by_role("heading", name="The subject access ZIP could not be prepared").wait_for()
    assert page.get_by_role("button", name="Prepare it again").is_visible()
    assert_accessible(page)
