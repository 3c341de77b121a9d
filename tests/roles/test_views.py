"""Posts, job descriptions, the post-holder's record and area resourcing:
access as anonymous, wrong role, right role and other area; scoping; bad
input; the PDF; query counts."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from roles import selectors
from roles.models import (
    CPDEntry,
    DutyChangeKind,
    Membership,
    PAPolicySettings,
    Post,
    PostDutyChange,
    SectionArea,
    TrainingSession,
)
from tests import factories as f
from tests.access import assert_access

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def post(area):
    return f.PostFactory(
        role="dco",
        title="DCO for Testshire",
        holder=area.officer,
        pas_per_week=Decimal("4"),
        local_authorities=[area.local_authority],
        commissioning_bodies=[area.body],
    )


@pytest.fixture
def other_post(other_area):
    return f.PostFactory(
        role="dmo",
        title="DMO for Elsewhere",
        local_authorities=[other_area.local_authority],
        commissioning_bodies=[other_area.body],
    )


# --- Access ---------------------------------------------------------------------------


def test_post_pages_access(area, other_area, post):
    for url in (
        reverse("roles:post_detail", args=[post.pk]),
        reverse("roles:job_description", args=[post.pk]),
    ):
        assert_access(
            url,
            allowed=[area.administrator, area.officer, area.commissioner],
            denied=[area.practitioner, area.la_officer],
            other_area=[other_area.officer, other_area.commissioner],
        )


def test_list_and_resourcing_access(area, other_area, post):
    for url in (reverse("roles:post_list"), reverse("roles:resourcing")):
        assert_access(
            url,
            allowed=[area.administrator, area.officer, area.commissioner],
            denied=[area.practitioner, area.la_officer],
        )
    assert_access(
        reverse("roles:resourcing_la", args=[area.local_authority.gss_code]),
        allowed=[area.administrator, area.officer, area.commissioner],
        denied=[area.practitioner, area.la_officer],
        other_area=[other_area.officer, other_area.commissioner],
    )
    assert_access(
        reverse("roles:resourcing_body", args=[area.body.ods_code]),
        allowed=[area.administrator, area.officer, area.commissioner],
        denied=[area.practitioner, area.la_officer],
        other_area=[other_area.officer, other_area.commissioner],
    )


def test_record_forms_access(area, other_area, post):
    colleague = f.DesignatedOfficerFactory(local_authorities=[area.local_authority])
    for name in (
        "add_membership",
        "add_training",
        "add_cpd",
        "record_appraisal",
        "record_local_agreement",
    ):
        url = reverse(f"roles:{name}", args=[post.pk])
        assert_access(
            url,
            allowed=[area.administrator, area.officer],
            # A commissioner may read the post but not keep its record;
            # another officer in the same area sees the post, cannot change it.
            denied=[area.practitioner, area.la_officer, area.commissioner, colleague],
            other_area=[other_area.officer],
        )


def test_template_preview_access(area, post):
    assert_access(
        reverse("roles:template_preview", args=[post.template_id]),
        allowed=[area.administrator, area.officer, area.commissioner],
        denied=[area.practitioner, area.la_officer],
    )


# --- Scoping --------------------------------------------------------------------------


def test_officer_sees_their_areas_posts_commissioner_their_bodys(
    area, other_area, post, other_post
):
    assert list(Post.objects.visible_to(area.officer)) == [post]
    assert list(Post.objects.visible_to(area.commissioner)) == [post]
    assert list(Post.objects.visible_to(other_area.commissioner)) == [other_post]
    assert set(Post.objects.visible_to(area.administrator)) == {post, other_post}
    assert not Post.objects.visible_to(area.practitioner).exists()
    assert not Post.objects.visible_to(area.la_officer).exists()

    page = client_for(area.officer).get(reverse("roles:post_list"))
    assert "DCO for Testshire" in page.content.decode()
    assert "DMO for Elsewhere" not in page.content.decode()


def test_holder_sees_own_post_even_outside_their_listed_areas(area, other_area):
    lone = f.PostFactory(
        holder=area.officer, local_authorities=[other_area.local_authority], role="dco"
    )
    assert lone in Post.objects.visible_to(area.officer)


def test_post_covering_two_bodies_is_seen_by_both_commissioners(area, other_area):
    joint = f.PostFactory(
        local_authorities=[area.local_authority, other_area.local_authority],
        commissioning_bodies=[area.body, other_area.body],
    )
    assert joint in Post.objects.visible_to(area.commissioner)
    assert joint in Post.objects.visible_to(other_area.commissioner)
    assert list(Post.objects.visible_to(area.commissioner)) == [joint]


# --- Post page and list ---------------------------------------------------------------


def test_post_page_shows_time_in_both_units_and_the_policy(area, post):
    content = client_for(area.officer).get(post.get_absolute_url()).content.decode()
    assert "4 PAs (2 days) a week" in content
    assert "Meets the policy" in content
    assert "No appraisal recorded" in content
    assert "Appraisal overdue" in content


def test_under_resourced_dmo_post_is_flagged(area):
    dmo = f.PostFactory(
        role="dmo",
        pas_per_week=Decimal("1"),
        local_authorities=[area.local_authority],
        commissioning_bodies=[area.body],
    )
    content = client_for(area.officer).get(dmo.get_absolute_url()).content.decode()
    assert "Below the minimum time for the role" in content
    assert "Vacant" in content
    listing = client_for(area.officer).get(reverse("roles:post_list"), {"flagged": "on"})
    assert dmo.title in listing.content.decode()


def test_list_filters(area, post):
    vacant = f.PostFactory(local_authorities=[area.local_authority], title="Vacant DMO", role="dmo")
    client = client_for(area.officer)
    content = client.get(reverse("roles:post_list"), {"vacancy": "vacant"}).content.decode()
    assert vacant.title in content and post.title not in content
    content = client.get(reverse("roles:post_list"), {"role": "dco"}).content.decode()
    assert post.title in content and vacant.title not in content
    content = client.get(reverse("roles:post_list"), {"q": "testshire"}).content.decode()
    assert post.title in content and vacant.title not in content


def test_a_post_starting_later_is_listed_under_planned(area, other_area, post):
    import datetime

    from django.utils import timezone

    today = timezone.localdate()
    later = f.PostFactory(
        title="DCO from next term",
        start_date=today + datetime.timedelta(days=30),
        local_authorities=[area.local_authority],
        commissioning_bodies=[area.body],
    )
    elsewhere = f.PostFactory(
        title="Planned elsewhere",
        start_date=today + datetime.timedelta(days=30),
        local_authorities=[other_area.local_authority],
    )
    client = client_for(area.officer)
    current = client.get(reverse("roles:post_list")).content.decode()
    assert post.title in current and later.title not in current
    response = client.get(reverse("roles:post_list"), {"period": "planned"})
    planned = response.content.decode()
    assert later.title in planned and post.title not in planned
    assert elsewhere.title not in planned  # still scoped
    assert f"starts {later.start_date:%-d %B %Y}" in planned
    assert "Planned DCO and DMO posts, starting after today" in planned
    assert '<option value="">Current posts</option>' in current.replace(" selected", "")
    bad = client.get(reverse("roles:post_list"), {"period": "someday"})
    assert bad.status_code == 400
    assert "Choose an option from the list" in bad.content.decode()


def test_list_filter_with_bad_input_is_a_message(area, post):
    # Since issue 13 every list answers an invalid filter alike (core.lists):
    # the message next to the field, a 400, and the list filtered by the
    # valid filters only, none here (it was a 200 with an empty list).
    response = client_for(area.officer).get(
        reverse("roles:post_list"), {"local_authority": "99999", "role": "nurse"}
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "Choose an option from the list" in content
    assert post.title in content


def test_list_query_count_does_not_grow_with_posts(area):
    client = client_for(area.officer)
    f.PostFactory(local_authorities=[area.local_authority], commissioning_bodies=[area.body])
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("roles:post_list")).status_code == 200
    for _ in range(5):
        f.PostFactory(
            local_authorities=[area.local_authority],
            commissioning_bodies=[area.body],
            holder=f.DesignatedOfficerFactory(),
        )
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse("roles:post_list")).status_code == 200
    assert len(many) == len(one), [q["sql"] for q in many]


# --- The post-holder's record ---------------------------------------------------------


def test_holder_records_cpd_training_committee_and_appraisal(area, post):
    client = client_for(area.officer)
    today = timezone.localdate()
    response = client.post(
        reverse("roles:add_cpd", args=[post.pk]),
        {
            "activity": "SEND law update",
            "completed_on_0": today.day,
            "completed_on_1": today.month,
            "completed_on_2": today.year,
            "points": "1.5",
        },
    )
    assert response.status_code == 302
    assert CPDEntry.objects.get(post=post).points == Decimal("1.5")

    response = client.post(
        reverse("roles:add_training", args=[post.pk]),
        {
            "title": "Health advice that helps",
            "audience": "Therapists",
            "delivered_on_0": today.day,
            "delivered_on_1": today.month,
            "delivered_on_2": today.year,
            "attendees": "24",
        },
    )
    assert response.status_code == 302
    assert TrainingSession.objects.get(post=post).attendees == 24

    response = client.post(
        reverse("roles:add_membership", args=[post.pk]),
        {"kind": "send_partnership", "name": "Testshire SEND board", "role_on_board": "Member"},
    )
    assert response.status_code == 302
    assert Membership.objects.get(post=post).name == "Testshire SEND board"

    response = client.post(
        reverse("roles:record_appraisal", args=[post.pk]),
        {
            "last_appraisal_on_0": today.day,
            "last_appraisal_on_1": today.month,
            "last_appraisal_on_2": today.year,
        },
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.last_appraisal_on == today

    content = client.get(post.get_absolute_url()).content.decode()
    assert "1.5 of 4 points" in content
    assert "2.5 short of the target" in content
    assert "Up to date" in content
    assert "Testshire SEND board" in content and "Health advice that helps" in content


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("add_cpd", {"activity": "x", "points": "abc"}, "Enter the points as a number"),
        ("add_cpd", {"activity": "x", "points": "0.3"}, "Enter the points in halves"),
        ("add_cpd", {"activity": "x", "points": "999"}, "Enter 50 points or fewer"),
        (
            "add_cpd",
            {"activity": "x", "points": "1", "completed_on_0": "31", "completed_on_1": "2"},
            "Enter the day, month and year",
        ),
        (
            "add_training",
            {"title": "t", "audience": "a", "attendees": "lots"},
            "Enter the number of attendees as a whole number",
        ),
        (
            "add_membership",
            {
                "kind": "panel",
                "name": "Panel",
                "since_0": "1",
                "since_1": "5",
                "since_2": "2024",
                "until_0": "1",
                "until_1": "5",
                "until_2": "2023",
            },
            "The end date must be on or after the start date",
        ),
        (
            "add_membership",
            {"kind": "panel", "name": "Panel", "until_0": "1", "until_1": "5", "until_2": "2005"},
            "Enter a date from 2010 onwards",
        ),
        ("add_membership", {"name": "Panel"}, "Choose the type of board or committee"),
        ("add_membership", {"kind": "panel"}, "Enter the name of the board or committee"),
        (
            "add_training",
            {"title": "t", "audience": "a", "attendees": "-3"},
            "Enter 0 or more attendees",
        ),
        (
            "record_appraisal",
            {"last_appraisal_on_0": "1", "last_appraisal_on_1": "1", "last_appraisal_on_2": "1999"},
            "Enter a date from 2010 onwards",
        ),
        (
            "record_appraisal",
            {
                "last_appraisal_on_0": "1",
                "last_appraisal_on_1": "1",
                "last_appraisal_on_2": str(timezone.localdate().year + 1),
            },
            "The date cannot be in the future",
        ),
    ],
)
def test_bad_input_is_shown_next_to_the_field_and_nothing_is_saved(area, post, name, data, message):
    response = client_for(area.officer).post(reverse(f"roles:{name}", args=[post.pk]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "govuk-error-summary" in response.content.decode()
    assert not CPDEntry.objects.exists()
    assert not TrainingSession.objects.exists()
    assert not Membership.objects.exists()
    post.refresh_from_db()
    assert post.last_appraisal_on is None


def test_a_rule_the_service_refuses_is_shown_on_the_form(area, post, monkeypatch):
    """The view puts the service's field-keyed ValidationError on the form."""
    from django.core.exceptions import ValidationError

    from roles import services

    def refuse(model, **fields):
        raise ValidationError({"points": "Refused by the service"})

    monkeypatch.setattr(services, "_add_to_record", refuse)
    today = timezone.localdate()
    response = client_for(area.officer).post(
        reverse("roles:add_cpd", args=[post.pk]),
        {
            "activity": "SEND law update",
            "completed_on_0": today.day,
            "completed_on_1": today.month,
            "completed_on_2": today.year,
            "points": "1.5",
        },
    )
    assert response.status_code == 400
    assert "Refused by the service" in response.content.decode()
    assert "govuk-error-summary" in response.content.decode()
    assert not CPDEntry.objects.exists()


def test_cpd_counts_only_this_financial_year(area, post):
    today = datetime.date(2026, 11, 23)
    CPDEntry.objects.create(
        post=post, activity="Last year", completed_on=datetime.date(2026, 3, 31), points=3
    )
    CPDEntry.objects.create(
        post=post, activity="This year", completed_on=datetime.date(2026, 4, 1), points=1
    )
    record = selectors.holder_record(post, on=today)
    assert record.year_start == datetime.date(2026, 4, 1)
    assert record.cpd_points == Decimal("1")
    assert record.cpd_short and record.cpd_shortfall == Decimal("3")


def test_appraisal_due_after_the_configured_interval(area, post):
    post.last_appraisal_on = datetime.date(2025, 11, 23)
    record = selectors.holder_record(post, on=datetime.date(2026, 11, 23))
    assert record.appraisal_due_on == datetime.date(2026, 11, 23)
    assert not record.appraisal_overdue
    assert selectors.holder_record(post, on=datetime.date(2026, 11, 24)).appraisal_overdue
    PAPolicySettings.objects.create(appraisal_interval_months=18)
    assert not selectors.holder_record(post, on=datetime.date(2026, 11, 24)).appraisal_overdue


# --- The local agreement on a post's time ----------------------------------------------
#
# A DMO post covering two local authorities (60,000 children each, one body):
# the minimum is 2 PAs and the pro-rata reference 2 x 2/1 = 4 PAs.


@pytest.fixture
def two_la_dmo(area):
    second = f.LocalAuthorityFactory(name="Secondshire Council")
    f.ChildPopulationFactory(local_authority=second)
    return f.PostFactory(
        role="dmo",
        title="DMO for Testshire and Secondshire",
        holder=area.officer,
        pas_per_week=Decimal("2"),
        local_authorities=[area.local_authority, second],
        commissioning_bodies=[area.body],
    )


def agreement_data(day: datetime.date, parties: str, pas: str) -> dict:
    return {
        "local_agreement_on_0": str(day.day) if day else "",
        "local_agreement_on_1": str(day.month) if day else "",
        "local_agreement_on_2": str(day.year) if day else "",
        "local_agreement_parties": parties,
        "local_agreement_pas": pas,
    }


def page_of(client, post) -> str:
    response = client.get(post.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


ADDITIONAL = "Covers more local authorities than the minimum allows for"
BELOW = "Fewer PAs funded than the local agreement"
REFERENCE = "For reference: pro rata would be 4 PAs a week"


def test_two_las_at_the_minimum_are_flagged_with_the_reference_shown(area, two_la_dmo):
    content = page_of(client_for(area.officer), two_la_dmo)
    assert ADDITIONAL in content
    assert REFERENCE in content
    assert "so its additional time needs a local agreement" in content
    assert "Record the local agreement" in content


def test_the_pro_rata_figure_without_an_agreement_is_still_flagged(area, two_la_dmo):
    Post.objects.filter(pk=two_la_dmo.pk).update(pas_per_week=Decimal("4"))
    content = page_of(client_for(area.officer), two_la_dmo)
    assert ADDITIONAL in content
    assert REFERENCE in content
    listing = client_for(area.officer).get(reverse("roles:post_list"), {"flagged": "on"})
    assert two_la_dmo.title in listing.content.decode()


def test_holder_records_an_agreement_and_the_post_page_shows_it(area, two_la_dmo):
    client = client_for(area.officer)
    url = reverse("roles:record_local_agreement", args=[two_la_dmo.pk])
    form = client.get(url)
    assert form.status_code == 200
    assert "The post is funded for 2 PAs (1 day) a week" in form.content.decode()
    Post.objects.filter(pk=two_la_dmo.pk).update(pas_per_week=Decimal("3"))
    response = client.post(
        url, agreement_data(datetime.date(2025, 5, 1), "NHS Testshire ICB and Testshire Trust", "3")
    )
    assert response.status_code == 302
    assert response["Location"] == two_la_dmo.get_absolute_url()
    two_la_dmo.refresh_from_db()
    assert two_la_dmo.local_agreement_on == datetime.date(2025, 5, 1)
    assert two_la_dmo.local_agreement_parties == "NHS Testshire ICB and Testshire Trust"
    assert two_la_dmo.local_agreement_pas == Decimal("3")

    content = page_of(client, two_la_dmo)
    assert (
        "3 PAs (1.5 days) a week, agreed on 1 May 2025 by NHS Testshire ICB and Testshire Trust"
        in content
    )
    assert ADDITIONAL not in content and BELOW not in content
    assert REFERENCE in content  # still shown, as a reference
    assert "Meets the policy" in content
    listing = client.get(reverse("roles:post_list")).content.decode()
    assert "Local agreement: 3 PAs (1.5 days) a week, agreed on 1 May 2025" in listing
    assert REFERENCE in listing
    resourcing = client.get(
        reverse("roles:resourcing_la", args=[area.local_authority.gss_code])
    ).content.decode()
    assert "Local agreement: 3 PAs (1.5 days) a week" in resourcing


def test_fewer_pas_funded_than_agreed_is_its_own_flag(area, two_la_dmo):
    Post.objects.filter(pk=two_la_dmo.pk).update(
        pas_per_week=Decimal("2.5"),
        local_agreement_on=datetime.date(2025, 5, 1),
        local_agreement_parties="NHS Testshire ICB and Testshire Trust",
        local_agreement_pas=Decimal("3"),
    )
    content = page_of(client_for(area.officer), two_la_dmo)
    assert BELOW in content
    assert ADDITIONAL not in content
    listing = client_for(area.commissioner).get(reverse("roles:post_list"), {"flagged": "on"})
    assert BELOW in listing.content.decode()


def test_clearing_all_three_answers_removes_the_agreement(area, two_la_dmo):
    Post.objects.filter(pk=two_la_dmo.pk).update(
        local_agreement_on=datetime.date(2025, 5, 1),
        local_agreement_parties="NHS Testshire ICB and Testshire Trust",
        local_agreement_pas=Decimal("3"),
    )
    client = client_for(area.officer)
    url = reverse("roles:record_local_agreement", args=[two_la_dmo.pk])
    shown = client.get(url).content.decode()
    assert 'value="NHS Testshire ICB and Testshire Trust"' in shown
    assert client.post(url, agreement_data(None, "", "")).status_code == 302
    two_la_dmo.refresh_from_db()
    assert not two_la_dmo.has_local_agreement
    assert two_la_dmo.local_agreement_on is None and two_la_dmo.local_agreement_parties == ""
    assert ADDITIONAL in page_of(client, two_la_dmo)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            agreement_data(datetime.date(2025, 5, 1), "", "3"),
            "local_agreement_parties",
            "Enter who agreed it",
        ),
        (
            agreement_data(None, "ICB and Trust", "3"),
            "local_agreement_on",
            "Enter the date the agreement was made",
        ),
        (
            agreement_data(datetime.date(2025, 5, 1), "ICB and Trust", ""),
            "local_agreement_pas",
            "Enter the PAs a week agreed",
        ),
        (
            agreement_data(datetime.date(2025, 5, 1), "ICB and Trust", "0"),
            "local_agreement_pas",
            "Enter more than 0 and at most 10 PAs a week",
        ),
        (
            agreement_data(datetime.date(2025, 5, 1), "ICB and Trust", "10.5"),
            "local_agreement_pas",
            "Enter more than 0 and at most 10 PAs a week",
        ),
        (
            agreement_data(datetime.date(2025, 5, 1), "ICB and Trust", "three"),
            "local_agreement_pas",
            "Enter the PAs as a number",
        ),
        (
            agreement_data(timezone.localdate() + datetime.timedelta(days=7), "ICB and Trust", "3"),
            "local_agreement_on",
            "The date cannot be in the future",
        ),
    ],
)
def test_agreement_errors_are_shown_beside_the_field(area, two_la_dmo, data, field, message):
    response = client_for(area.officer).post(
        reverse("roles:record_local_agreement", args=[two_la_dmo.pk]), data
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert [e for e in form.errors[field] if message in e], form.errors
    assert message in response.content.decode()
    assert "govuk-error-summary" in response.content.decode()
    two_la_dmo.refresh_from_db()
    assert not two_la_dmo.has_local_agreement


def test_a_colleague_cannot_record_the_agreement(area, two_la_dmo):
    colleague = f.DesignatedOfficerFactory(local_authorities=[area.local_authority])
    url = reverse("roles:record_local_agreement", args=[two_la_dmo.pk])
    response = client_for(colleague).post(
        url, agreement_data(datetime.date(2025, 5, 1), "ICB and Trust", "3")
    )
    assert response.status_code == 403
    assert "Record the local agreement" not in page_of(client_for(colleague), two_la_dmo)
    two_la_dmo.refresh_from_db()
    assert not two_la_dmo.has_local_agreement


# --- Job descriptions -----------------------------------------------------------------


def test_job_description_shows_the_roles_duties_with_local_changes(area, post):
    duties = {d.text: d for d in post.template.sections.get().duties.all()}
    PostDutyChange.objects.create(
        post=post,
        kind=DutyChangeKind.REWORDED,
        duty=duties["Shared duty for both roles"],
        text="Shared duty, in Testshire's words",
    )
    PostDutyChange.objects.create(
        post=post, kind=DutyChangeKind.REMOVED, duty=duties["Duty only a DCO does"]
    )
    PostDutyChange.objects.create(
        post=post,
        kind=DutyChangeKind.ADDED,
        section_area=SectionArea.TRAINING,
        text="Run the local SENCO network's health session",
    )
    jd = selectors.post_job_description(post)
    texts = [d.text for s in jd.sections for d in s.duties]
    assert texts == [
        "Shared duty, in Testshire's words",
        "Run the local SENCO network's health session",
    ]
    assert jd.removed == ["Duty only a DCO does"]
    # A DCO post leaves out DMO-only criteria.
    rows = [r.text for c in jd.person_specification for r in c.rows]
    assert "Specialist paediatric qualification" not in rows
    assert "Experience of leading a therapy team" in rows

    content = (
        client_for(area.officer)
        .get(reverse("roles:job_description", args=[post.pk]))
        .content.decode()
    )
    assert "Duty only a DMO does" not in content
    assert "Shared duty, in Testshire&#x27;s words" in content
    assert "Desirable" in content and "Essential" in content


def test_job_description_pdf(area, post):
    from pypdf import PdfReader

    response = client_for(area.commissioner).get(
        reverse("roles:job_description_pdf", args=[post.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    body = response.content
    assert body.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(body))
    assert reader.metadata.title == "Job description: DCO for Testshire"
    first = reader.pages[0]
    width, height = float(first.mediabox.width), float(first.mediabox.height)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "DCO for Testshire" in text
    assert "Shared duty for both roles" in text
    assert "Person specification" in text
    assert f"Page 1 of {len(reader.pages)}" in text
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "en-GB"
    assert "/StructTreeRoot" in catalog  # tagged for assistive technology


def test_job_description_pdf_outside_scope_is_404(other_area, post):
    response = client_for(other_area.officer).get(
        reverse("roles:job_description_pdf", args=[post.pk])
    )
    assert response.status_code == 404


def test_template_preview_shows_markings(area, post):
    content = (
        client_for(area.officer)
        .get(reverse("roles:template_preview", args=[post.template_id]))
        .content.decode()
    )
    assert "Duty only a DMO does" in content and "DMO only" in content
    assert "Duty only a DCO does" in content and "DCO only" in content


# --- Resourcing -----------------------------------------------------------------------


def test_la_resourcing_delivery_model_and_time(area, post):
    f.PostFactory(
        role="dmo",
        pas_per_week=Decimal("2"),
        holder=f.DesignatedOfficerFactory(officer_kind="dmo"),
        local_authorities=[area.local_authority],
        commissioning_bodies=[area.body],
    )
    result = selectors.la_resourcing(area.local_authority, on=timezone.localdate())
    assert result.delivery_model == "Both DCO and DMO"
    assert result.dco_pas == Decimal("4") and result.dmo_pas == Decimal("2")
    assert result.children == 60_000
    assert result.dmo_survey.band.label == "1 day"
    assert result.dco_survey.band.label == "2 days"

    content = (
        client_for(area.commissioner)
        .get(reverse("roles:resourcing_la", args=[area.local_authority.gss_code]))
        .content.decode()
    )
    assert "Both DCO and DMO" in content
    assert "In the &#x27;1 day&#x27; band" in content


def test_vacant_posts_do_not_count_towards_the_delivery_model(area):
    f.PostFactory(role="dmo", local_authorities=[area.local_authority])
    result = selectors.la_resourcing(area.local_authority, on=timezone.localdate())
    assert result.delivery_model == "None"
    assert result.vacant_posts == 1
    assert result.dmo_pas == 0


def test_post_covering_two_areas_is_shared_by_population(area, other_area):
    f.ChildPopulationFactory(
        local_authority=other_area.local_authority, year=2026, aged_0_17=20_000, aged_0_25=30_000
    )
    shared = f.PostFactory(
        role="dco",
        pas_per_week=Decimal("8"),
        holder=area.officer,
        local_authorities=[area.local_authority, other_area.local_authority],
    )
    on = datetime.date(2026, 6, 1)
    first = selectors.la_resourcing(area.local_authority, on=on)
    second = selectors.la_resourcing(other_area.local_authority, on=on)
    assert first.dco_pas == Decimal("6.00")  # 60,000 of 80,000 children
    assert second.dco_pas == Decimal("2.00")
    assert shared in [s.post for s in first.posts]


def test_ended_posts_are_not_counted(area):
    f.PostFactory(
        role="dco",
        holder=area.officer,
        local_authorities=[area.local_authority],
        start_date=datetime.date(2020, 1, 1),
        end_date=datetime.date(2021, 1, 1),
    )
    assert selectors.la_resourcing(area.local_authority, on=timezone.localdate()).posts == []


def test_body_resourcing_page_lists_its_areas(area, post):
    content = (
        client_for(area.commissioner)
        .get(reverse("roles:resourcing_body", args=[area.body.ods_code]))
        .content.decode()
    )
    assert area.local_authority.name in content
    assert post.title in content
    assert "DCO only" in content


def test_resourcing_overview_query_count_is_fixed(area, post):
    client = client_for(area.administrator)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("roles:resourcing"))
    for _ in range(4):
        la = f.LocalAuthorityFactory()
        f.ChildPopulationFactory(local_authority=la)
        f.PostFactory(local_authorities=[la], holder=f.DesignatedOfficerFactory())
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("roles:resourcing"))
    assert len(many) == len(few)


def test_pa_policy_settings_change_the_flags(area):
    dmo = f.PostFactory(
        role="dmo",
        pas_per_week=Decimal("2"),
        holder=area.officer,
        local_authorities=[area.local_authority],
    )
    summary = selectors.posts_with_assessment(
        Post.objects.filter(pk=dmo.pk), on=timezone.localdate()
    )
    assert summary[0].assessment.flags == ()
    PAPolicySettings.objects.create(baseline_children=50_000)
    summary = selectors.posts_with_assessment(
        Post.objects.filter(pk=dmo.pk), on=timezone.localdate()
    )
    assert summary[0].assessment.flags == ("more_children",)


def test_home_pages_show_the_post_and_resourcing(area, post):
    f.PostFactory(
        role="dmo", local_authorities=[area.local_authority], commissioning_bodies=[area.body]
    )
    officer_home = client_for(area.officer).get(reverse("portal:officer_home")).content.decode()
    assert "Your post" in officer_home and post.title in officer_home
    assert "Appraisal overdue" in officer_home
    assert "CPD: 0 of 4 points this year" in officer_home
    home = client_for(area.commissioner).get(reverse("portal:commissioner_home")).content.decode()
    assert "2 current DCO or DMO posts" in home
    assert "<strong>1</strong> is flagged" in home


def test_draft_templates_are_for_administrators_only(area):
    draft = f.JobTemplateFactory()
    url = reverse("roles:template_preview", args=[draft.pk])
    assert client_for(area.officer).get(url).status_code == 404
    assert client_for(area.commissioner).get(url).status_code == 404
    assert client_for(area.administrator).get(url).status_code == 200
