"""Django admin, which administrators use every day, passes axe-core at
WCAG 2.2 AA with the target-size rule on: the index, a changelist and the
heaviest change forms (a post, with its tabular inlines and autocomplete
widgets; a job template, with its sections and criteria inlines; a local
authority, with autocomplete widgets inside an inline; a service, whose
autocomplete box holds choices), and a post's form again after a row is
added to an inline table."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.access import make_dataset
from tests.functional.conftest import assert_accessible
from tests.pages import session_cookie

pytestmark = [pytest.mark.functional, pytest.mark.django_db(transaction=True)]


def test_admin_pages_pass_axe(browser, live_server):
    data = make_dataset()
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.add_cookies([session_cookie(data.area.administrator, live_server.url)])
    page = context.new_page()
    page.set_default_timeout(15_000)
    pages = [
        reverse("admin:index"),
        reverse("admin:roles_post_changelist"),
        reverse("admin:roles_post_change", args=[data.post.pk]),
        reverse("admin:roles_jobtemplate_change", args=[data.template.pk]),
        reverse("admin:commissioning_localauthority_change", args=[data.area.local_authority.pk]),
        reverse("admin:commissioning_service_change", args=[data.area.service.pk]),
    ]
    try:
        for path in pages:
            response = page.goto(path)
            assert response.status == 200, path
            page.wait_for_load_state("load")
            assert_accessible(page)
        # A row added to an inline table after the page loaded is named too.
        page.goto(reverse("admin:roles_post_change", args=[data.post.pk]))
        rows = page.locator("#memberships-group tr.form-row")
        before = rows.count()
        page.locator("#memberships-group .add-row a").click()
        assert rows.count() == before + 1
        assert_accessible(page)
    finally:
        context.close()
