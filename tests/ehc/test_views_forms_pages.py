"""Forms and pages of the EHC screens (issue 17): adding provision rows, the
review beside the advice, the return's revealed decline reason, no dashes in
selects, Section 23 dates, the audit sample, each role's view of the clock
and of the quality review."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from ehc.models import Advice, ProvisionItem, QualityReview
from tests import factories as f
from tests.ehc.helpers import advice_post, case_in, date_data, login

pytestmark = pytest.mark.django_db


def _count(response, key: str) -> int:
    return response.context["caseload"][key]


# --- Advice: provision rows ---------------------------------------------------------------


def test_advice_page_offers_an_empty_row_template_and_the_script(client, area, case):
    _, _, contribution = case
    login(client, area.practitioner)
    page = client.get(reverse("ehc:advice_edit", args=[contribution.pk])).content.decode()
    template = re.search(r"<template data-add-another-template>(.*?)</template>", page, re.S)
    assert template, "the empty row the script copies"
    row = template.group(1)
    assert 'name="provision-__prefix__-description"' in row
    assert "Provision __number__" in row
    assert "Remove this provision" not in row  # only stored rows can be removed
    assert 'data-prefix="provision"' in page
    assert '<script type="module" src="/static/js/add-another.js"></script>' in page
    assert "<script>" not in page  # nothing inline: the CSP stays strict
    assert 'name="add_row"' in page and "Save and add another row" in page


def test_save_and_add_another_row_saves_and_comes_back_with_spare_rows(client, area, case):
    _, _, contribution = case
    login(client, area.practitioner)
    url = reverse("ehc:advice_edit", args=[contribution.pk])
    second = {
        "provision-1-description": "Sensory diet",
        "provision-1-delivered_by": "Occupational therapist",
        "provision-1-frequency": "Daily",
        "provision-1-duration": "A year",
        "provision-1-section": "G",
    }
    response = client.post(url, {**advice_post(), **second, "add_row": "1"})
    assert response.status_code == 302
    assert response["Location"] == f"{url}#provision"
    advice = Advice.objects.get(contribution=contribution)
    assert [p.description for p in advice.provision.order_by("pk")] == [
        "Language group",
        "Sensory diet",
    ]
    again = client.get(url)
    formset = again.context["formset"]
    assert formset.initial_form_count() == 2
    assert formset.total_form_count() == 4  # two saved, two spare
    assert "Advice saved. Add the next provision below." in again.content.decode()


def test_a_row_added_by_the_script_is_saved(client, area, case):
    """What the script sends: a third row numbered from the empty form and
    TOTAL_FORMS raised to 3."""
    _, _, contribution = case
    login(client, area.practitioner)
    data = advice_post(
        **{
            "provision-TOTAL_FORMS": "3",
            "provision-2-description": "Hydrotherapy",
            "provision-2-delivered_by": "Physiotherapist",
            "provision-2-frequency": "Fortnightly",
            "provision-2-duration": "Two terms",
            "provision-2-section": "G",
        }
    )
    response = client.post(reverse("ehc:advice_edit", args=[contribution.pk]), data)
    assert response.status_code == 302
    assert response["Location"] == contribution.request.get_absolute_url()
    assert set(ProvisionItem.objects.values_list("description", flat=True)) == {
        "Language group",
        "Hydrotherapy",
    }


# --- Quality review beside the advice -------------------------------------------------------


def test_review_page_shows_the_advice_beside_the_checklist(
    client, area, case, django_assert_max_num_queries
):
    _, _, contribution = case
    advice = f.AdviceFactory(contribution=contribution, child_views="Likes trains.")
    f.ProvisionItemFactory(advice=advice, description="Weekly social skills group")
    f.ProvisionItemFactory(advice=advice, description="Hearing check", available=False)
    login(client, area.officer)
    url = reverse("ehc:review_edit", args=[advice.pk])
    client.get(url)  # warm the session
    with django_assert_max_num_queries(20):
        page = client.get(url).content.decode()
    advice_column, checklist = page.split("The checklist", 1)
    for text in (
        "Social communication needs.",
        "will ask an adult for help.",
        "Likes trains.",
        "Weekly social skills group",
        "Hearing check",
        "Section F (special educational provision)",
        "Gap",
    ):
        assert text in advice_column, text
    assert 'name="criteria"' in checklist
    assert "govuk-grid-column-one-half" in page


# --- The return: conditional reveal, no dashes -------------------------------------------


def test_return_form_reveals_the_decline_reason_under_declined(client, area, case):
    _, _, contribution = case
    login(client, area.practitioner)
    page = client.get(reverse("ehc:contribution_return", args=[contribution.pk])).content.decode()
    # Run by the portal's script, not GOV.UK Frontend's radios module, which
    # would mark the radio aria-expanded (not allowed on a radio).
    assert 'data-module="app-conditional-reveal"' in page
    assert 'data-module="govuk-radios"' not in page
    assert '<script type="module" src="/static/js/conditional-reveal.js"></script>' in page
    declined = re.search(r'<input[^>]*value="declined"[^>]*>', page, re.S).group(0)
    assert 'id="id_outcome_4"' in declined
    assert 'aria-controls="conditional_outcome_4"' in declined
    revealed = page[page.index('id="conditional_outcome_4"') :].split("</textarea>")[0]
    assert 'name="declined_reason"' in revealed
    # Shown until the script hides it: answerable without JavaScript.
    assert "govuk-radios__conditional--hidden" not in page
    # The other radios reveal nothing, so point at nothing.
    assert page.count('aria-controls="conditional_') == 1
    assert 'id="id_outcome_1"' in page  # counted from 1 like every radio


def test_a_declined_return_without_a_reason_shows_the_message_in_the_reveal(client, area, case):
    _, _, contribution = case
    login(client, area.practitioner)
    response = client.post(
        reverse("ehc:contribution_return", args=[contribution.pk]),
        {
            "version": contribution.version,
            "outcome": "declined",
            **date_data("returned_on", contribution.asked_on),
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    revealed = page[page.index('id="conditional_outcome_4"') :].split("</textarea>")[0]
    assert "Say why the service declined" in revealed
    assert re.search(r'value="declined"\s+checked', page)


def test_a_reason_typed_then_hidden_is_not_kept(client, area, case):
    _, _, contribution = case
    login(client, area.practitioner)
    response = client.post(
        reverse("ehc:contribution_return", args=[contribution.pk]),
        {
            "version": contribution.version,
            "outcome": "no_health_needs",
            "declined_reason": "Typed before choosing another answer",
            **date_data("returned_on", contribution.asked_on),
        },
    )
    assert response.status_code == 302
    contribution.refresh_from_db()
    assert contribution.declined_reason == ""


def test_the_portal_forms_have_no_dashes_for_an_empty_choice(client, area, case):
    child, request, contribution = case
    login(client, area.officer)
    post = f.PostFactory(holder=area.officer)
    post.local_authorities.set([area.local_authority])
    urls = [
        reverse("ehc:contribution_return", args=[contribution.pk]),
        reverse("ehc:contribution_add", args=[request.pk]),
        reverse("ehc:contribution_exception", args=[contribution.pk]),
        reverse("ehc:contribution_asking", args=[contribution.pk]),
        reverse("ehc:request_edit", args=[request.pk]),
        reverse("ehc:request_create", args=[child.pk]),
        reverse("ehc:child_create"),
        reverse("ehc:child_edit", args=[child.pk]),
        reverse("ehc:advice_edit", args=[contribution.pk]),
        reverse("ehc:audit_sample"),
        *[
            reverse("ehc:child_record_create", args=[child.pk, kind])
            for kind in ("section-23", "reviews", "mediation", "tribunal", "health-budgets")
        ],
        reverse("roles:add_membership", args=[post.pk]),
        reverse("roles:post_list"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "---------" not in response.content.decode(), url
    page = client.get(reverse("ehc:contribution_add", args=[request.pk])).content.decode()
    assert '<option value="" selected>Choose a service</option>' in page


# --- Section 23 and the article ---------------------------------------------------------------


def test_child_page_says_until_when_a_notice_is_possible(client, area, today_is):
    today_is(datetime.date(2026, 10, 1))
    young = f.ChildFactory(
        local_authority=area.local_authority, date_of_birth=datetime.date(2023, 3, 1)
    )
    older = f.ChildFactory(local_authority=area.local_authority)  # school age from 31 Aug 2021
    login(client, area.officer)
    page = client.get(young.get_absolute_url()).content.decode()
    assert (
        f"{young.given_name} reaches compulsory school age on 31 March 2028: a notice can be "
        "recorded if the parent was told before that day."
    ) in page
    page = client.get(older.get_absolute_url()).content.decode()
    assert (
        f"{older.given_name} reached compulsory school age on 31 August 2021, so no new notice "
        "can be given. A notice given before that day can still be recorded."
    ) in page


def test_section_23_form_hints_and_errors_on_the_notice_date(client, area, case):
    child, _, _ = case  # born 14 May 2016: school age from 31 August 2021
    login(client, area.officer)
    url = reverse("ehc:child_record_create", args=[child.pk, "section-23"])
    form = client.get(url).context["form"]
    assert "a day before 31 August 2021" in form.fields["parent_told_on"].help_text
    response = client.post(
        url,
        {
            "provider": area.provider.pk,
            "professional_name": "Health visitor",
            **date_data("parent_told_on", datetime.date(2021, 8, 31)),
            **date_data("la_notified_on", None),
        },
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == ["parent_told_on"]
    assert "This child reached it on 31 August 2021" in errors["parent_told_on"][0]
    # A notice from before that day, recorded now, is accepted.
    response = client.post(
        url,
        {
            "provider": area.provider.pk,
            "professional_name": "Health visitor",
            **date_data("parent_told_on", datetime.date(2021, 8, 30)),
            **date_data("la_notified_on", None),
        },
    )
    assert response.status_code == 302


def test_record_kinds_say_their_article_as_spoken():
    from ehc.child_views import RECORD_KINDS

    assert RECORD_KINDS["reviews"].one == "an annual review health input"
    assert RECORD_KINDS["section-23"].one == "a Section 23 notice"
    assert RECORD_KINDS["health-budgets"].one == "a personal health budget"


# --- Audit sample ------------------------------------------------------------------------


def _advice_in(area, n: int) -> list[Advice]:
    return [f.AdviceFactory(contribution=case_in(area)[2]) for _ in range(n)]


SAMPLE = {
    **date_data("start", datetime.date(2026, 9, 1)),
    **date_data("end", datetime.date(2026, 10, 31)),
    "size": "3",
}


def test_audit_sample_depends_on_scope_dates_and_size_not_on_who_draws_it(client, area):
    _advice_in(area, 8)
    login(client, area.officer)
    url = reverse("ehc:audit_sample")
    mine = [a.pk for a in client.get(url, SAMPLE).context["sample"]]
    # A second officer with the same areas draws the same three.
    colleague = f.DesignatedOfficerFactory(
        local_authorities=[area.local_authority], commissioning_body=area.body
    )
    login(client, colleague)
    assert [a.pk for a in client.get(url, SAMPLE).context["sample"]] == mine
    bigger = client.get(url, {**SAMPLE, "size": "4"}).context["sample"]
    assert len(bigger) == 4


def test_audit_sample_form_is_a_get_form_with_no_token_and_is_in_the_menu(client, area):
    login(client, area.officer)
    response = client.get(reverse("ehc:audit_sample"), SAMPLE)
    page = response.content.decode()
    form = page[page.index('<form method="get"') :].split("</form>")[0]
    assert "csrfmiddlewaretoken" not in form and 'name="submission"' not in form
    menu = {item["label"]: item["url"] for item in response.context["nav_items"]}
    assert menu["Quality audit"] == reverse("ehc:audit_sample")
    for user in (area.practitioner, area.la_officer, area.commissioner, area.administrator):
        login(client, user)
        home = client.get("/", follow=True)
        assert "Quality audit" not in [i["label"] for i in home.context["nav_items"]]
    # An administrator (whose menu is full) reaches it from the worklist.
    worklist = client.get(reverse("ehc:request_list")).content.decode()
    assert f'href="{reverse("ehc:audit_sample")}"' in worklist


# --- A practitioner's part; what the LA sees -----------------------------------------------


def test_practitioner_home_counts_only_their_own_outstanding_part(client, area, today_is):
    today = today_is(datetime.date(2026, 10, 20))
    _, request, theirs = case_in(area)  # received 2 Sep 2026: due 14 Oct, overdue
    other_service = f.ServiceFactory(local_authorities=[area.local_authority])
    f.ContributionFactory(request=request, service=other_service)
    # Another request, where only the other service still owes advice.
    _, waiting_on_others, returned = case_in(area)
    returned.returned_on, returned.outcome = datetime.date(2026, 10, 1), "no_health_needs"
    returned.save()
    f.ContributionFactory(request=waiting_on_others, service=other_service)
    # A third, theirs, due in a week.
    case_in(
        area,
        sent_on=today - datetime.timedelta(days=36),
        received_on=today - datetime.timedelta(days=36),
    )
    login(client, area.practitioner)
    response = client.get(reverse("portal:practitioner_home"))
    assert response.status_code == 200
    assert _count(response, "awaiting") == 2
    assert _count(response, "overdue") == 1
    assert _count(response, "due_soon") == 1
    assert "for your services' advice not yet returned" in response.content.decode()
    # The officer's home still counts whole requests.
    login(client, area.officer)
    officer = client.get(reverse("portal:officer_home"))
    assert _count(officer, "awaiting") == 3


def test_practitioner_worklist_clock_shows_their_part(client, area, today_is):
    today_is(datetime.date(2026, 10, 20))
    _, request, theirs = case_in(area)  # due 14 Oct 2026
    theirs.returned_on, theirs.outcome = datetime.date(2026, 10, 1), "no_health_needs"
    theirs.save()
    late = f.ContributionFactory(
        request=request, service=f.ServiceFactory(local_authorities=[area.local_authority])
    )
    assert late.due_on < datetime.date(2026, 10, 20)
    login(client, area.practitioner)
    page = client.get(reverse("ehc:request_list")).content.decode()
    assert "Your part returned" in page and "overdue" not in page.split("<tbody", 1)[1]
    login(client, area.officer)
    page = client.get(reverse("ehc:request_list")).content.decode()
    assert "6 days overdue" in page


def test_la_officer_sees_returned_advice_but_not_the_quality_review(client, area, case):
    _, request, contribution = case
    contribution.returned_on, contribution.outcome = datetime.date(2026, 10, 1), "advice_given"
    contribution.save()
    advice = f.AdviceFactory(contribution=contribution)
    login(client, area.officer)
    client.post(
        reverse("ehc:review_edit", args=[advice.pk]),
        {
            "criteria": ["dated_recently"],
            "notes": "Internal: outcomes are not specific",
            **date_data("reviewed_on", datetime.date(2026, 10, 2)),
        },
    )
    assert QualityReview.objects.filter(advice=advice).exists()
    officer_page = client.get(request.get_absolute_url()).content.decode()
    assert "Internal: outcomes are not specific" in officer_page
    assert (
        "changed the quality review" in officer_page or "added the quality review" in officer_page
    )

    login(client, area.la_officer)
    page = client.get(request.get_absolute_url()).content.decode()
    assert "Social communication needs." in page  # the advice returned
    assert "Quality review" not in page
    assert "quality review" not in page  # nor in the history
    assert "Internal: outcomes are not specific" not in page
    assert client.get(reverse("ehc:review_edit", args=[advice.pk])).status_code == 403

    login(client, area.practitioner)  # the service gets the feedback
    assert (
        "Internal: outcomes are not specific"
        in client.get(request.get_absolute_url()).content.decode()
    )


def test_the_child_form_records_continuing_care_and_the_page_shows_it(client, area, case):
    child, _, _ = case
    login(client, area.officer)
    url = reverse("ehc:child_edit", args=[child.pk])
    page = client.get(url).content.decode()
    assert 'name="continuing_care"' in page
    data = {
        "version": str(child.version),
        "given_name": child.given_name,
        "family_name": child.family_name,
        "date_of_birth_0": str(child.date_of_birth.day),
        "date_of_birth_1": str(child.date_of_birth.month),
        "date_of_birth_2": str(child.date_of_birth.year),
        "local_authority": str(child.local_authority_id),
        "primary_need": child.primary_need,
        "continuing_care": "on",
    }
    assert client.post(url, data).status_code == 302
    child.refresh_from_db()
    assert child.continuing_care is True
    detail = client.get(child.get_absolute_url()).content.decode()
    assert "Eligible for continuing care" in detail
