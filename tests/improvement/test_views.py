"""The improvement plan pages: what each role sees, the filters (an invalid
one beside its field with status 400), the query counts of the lists, and
the forms' messages."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from improvement.models import ActionStatus, ImprovementAction, PlanArea
from tests import factories as f
from tests.access import date_data

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def make_actions(plan, n: int, first: int = 0):
    today = timezone.localdate()
    for i in range(first, first + n):
        f.ImprovementActionFactory(
            plan=plan,
            number=f"{i + 1}.1",
            plan_area=PlanArea.values[i % len(PlanArea.values)],
            due_on=today + datetime.timedelta(days=i * 10 - 15),
            owner_user=plan.created_by,
        )


def test_the_plans_page_reads_a_fixed_number_of_queries(area, django_assert_max_num_queries):
    client = client_for(area.officer)
    for _ in range(2):
        plan = f.ImprovementPlanFactory(local_authority=area.local_authority)
        make_actions(plan, 3)
    client.get(reverse("improvement:plan_list"))  # warm the session
    with django_assert_max_num_queries(12):
        small = client.get(reverse("improvement:plan_list"))
    for _ in range(5):
        make_actions(f.ImprovementPlanFactory(local_authority=area.local_authority), 10)
    with django_assert_max_num_queries(12):
        large = client.get(reverse("improvement:plan_list"))
    assert small.status_code == large.status_code == 200
    assert large.content.decode().count("Overdue</strong>") > 2


def test_a_plans_actions_read_a_fixed_number_of_queries(area, django_assert_max_num_queries):
    plan = f.ImprovementPlanFactory(local_authority=area.local_authority, created_by=area.officer)
    make_actions(plan, 3)
    client = client_for(area.commissioner)
    url = plan.get_absolute_url()
    client.get(url)
    with django_assert_max_num_queries(12):
        client.get(url)
    make_actions(plan, 30, first=3)
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.content.decode().count('href="/improvement/actions/') == 33


def test_commissioners_read_but_are_offered_no_changes(area):
    plan = f.ImprovementPlanFactory(local_authority=area.local_authority)
    action = f.ImprovementActionFactory(plan=plan)
    page = client_for(area.commissioner).get(plan.get_absolute_url()).content.decode()
    assert plan.title in page and "Add an action" not in page
    page = client_for(area.commissioner).get(action.get_absolute_url()).content.decode()
    assert "Add a progress note" not in page
    page = client_for(area.officer).get(action.get_absolute_url()).content.decode()
    assert "Add a progress note" in page


def test_filters_by_rag_and_an_invalid_one_is_shown(area):
    today = timezone.localdate()
    plan = f.ImprovementPlanFactory(local_authority=area.local_authority)
    late = f.ImprovementActionFactory(
        plan=plan, title="Late one", due_on=today - datetime.timedelta(days=2)
    )
    f.ImprovementActionFactory(
        plan=plan,
        title="Far one",
        status=ActionStatus.IN_PROGRESS,
        due_on=today + datetime.timedelta(days=90),
    )
    client = client_for(area.officer)
    page = client.get(plan.get_absolute_url(), {"rag": "red"}).content.decode()
    assert late.title in page and "Far one" not in page
    page = client.get(plan.get_absolute_url(), {"show": "overdue"}).content.decode()
    assert late.title in page and "Far one" not in page
    bad = client.get(plan.get_absolute_url(), {"rag": "purple"})
    assert bad.status_code == 400
    assert "Choose an option from the list" in bad.content.decode()


def test_an_override_is_shown_with_its_reason(area):
    action = f.ImprovementActionFactory(
        plan__local_authority=area.local_authority,
        status=ActionStatus.IN_PROGRESS,
        due_on=timezone.localdate() + datetime.timedelta(days=90),
        rag_override="red",
        rag_reason="The provider has withdrawn from the pilot",
    )
    page = client_for(area.officer).get(action.get_absolute_url()).content.decode()
    assert "govuk-tag--red" in page
    assert "Overridden: the status and due date give green" in page
    assert "The provider has withdrawn from the pilot" in page


def test_add_an_action_from_the_form_and_its_messages(area):
    plan = f.ImprovementPlanFactory(local_authority=area.local_authority)
    client = client_for(area.officer)
    url = reverse("improvement:action_create", args=[plan.pk])
    response = client.post(
        url, {"title": "Publish the local offer for health", "status": "x", "rag_override": "red"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    for message in (
        "Choose the area of the plan",
        "Enter who owns the action",
        "Enter the due date",
    ):
        assert message in page
    assert "Publish the local offer for health" in page  # nothing typed is lost
    response = client.post(
        url,
        {
            "title": "Publish the local offer for health",
            "plan_area": PlanArea.CO_PRODUCTION,
            "owner": "Head of SEND",
            **date_data("due_on", "2027-01-31"),
            "status": ActionStatus.NOT_STARTED,
            "rag_override": "none",
        },
    )
    action = ImprovementAction.objects.get()
    assert response.status_code == 302 and response["Location"] == action.get_absolute_url()
    assert action.rag_override == "" and action.created_by == area.officer


def test_evidence_elsewhere_is_refused_beside_the_field(area):
    action = f.ImprovementActionFactory(plan__local_authority=area.local_authority)
    response = client_for(area.officer).post(
        reverse("improvement:evidence_create", args=[action.pk]),
        {"label": "Elsewhere", "path": "https://evil.example.com/"},
    )
    assert response.status_code == 400
    assert "Enter the address of a page in this portal" in response.content.decode()
    assert not action.evidence.exists()


def test_the_actions_download_as_a_spreadsheet_with_the_pages_filters(area):
    today = timezone.localdate()
    plan = f.ImprovementPlanFactory(local_authority=area.local_authority)
    f.ImprovementActionFactory(
        plan=plan, number="1.1", title='=HYPERLINK("x")', due_on=today - datetime.timedelta(days=1)
    )
    f.ImprovementActionFactory(
        plan=plan,
        number="1.2",
        title="Far one",
        status=ActionStatus.IN_PROGRESS,
        due_on=today + datetime.timedelta(days=90),
    )
    far = plan.actions.get(number="1.2")
    for written, text in ((-9, "Started"), (-2, "Halfway")):
        far.notes.create(written_on=today + datetime.timedelta(days=written), text=text)
    client = client_for(area.commissioner)
    url = reverse("improvement:plan_download", args=[plan.pk, "csv"])
    every = client.get(url).content.decode("utf-8-sig").strip().splitlines()
    assert every[2].endswith(f",No,Halfway,{today - datetime.timedelta(days=2)}")
    text = client.get(url, {"show": "overdue"}).content.decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0].startswith("Number,Area of the plan,Action")
    assert len(lines) == 2 and lines[1].startswith("1.1,")
    assert "'=HYPERLINK" in lines[1] and lines[1].endswith(",Red,,Yes,,")
    assert (
        client.get(reverse("improvement:plan_download", args=[plan.pk, "pdf"])).status_code == 404
    )
    xlsx = client.get(reverse("improvement:plan_download", args=[plan.pk, "xlsx"]))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_an_action_whose_owner_left_can_still_be_changed(area):
    gone = f.DesignatedOfficerFactory(local_authorities=[area.local_authority])
    action = f.ImprovementActionFactory(
        plan__local_authority=area.local_authority, owner_user=gone, number="4.2"
    )
    gone.is_active = False
    gone.save()
    response = client_for(area.officer).post(
        reverse("improvement:action_edit", args=[action.pk]),
        {
            "version": action.version,
            "number": "4.2",
            "plan_area": action.plan_area,
            "title": action.title,
            "owner": action.owner,
            "owner_user": gone.pk,
            **date_data("due_on", action.due_on.isoformat()),
            "status": ActionStatus.IN_PROGRESS,
            "rag_override": "none",
        },
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.IN_PROGRESS and action.owner_user == gone


def test_an_action_marked_complete_takes_the_day_it_was_done_or_today(area):
    action = f.ImprovementActionFactory(
        plan__local_authority=area.local_authority, plan__starts_on=datetime.date(2026, 1, 5)
    )
    url = reverse("improvement:action_edit", args=[action.pk])
    today = timezone.localdate()

    def post(**extra):
        action.refresh_from_db()
        return client_for(area.officer).post(
            url,
            {
                "version": action.version,
                "plan_area": action.plan_area,
                "title": action.title,
                "owner": action.owner,
                **date_data("due_on", action.due_on.isoformat()),
                "status": ActionStatus.COMPLETE,
                "rag_override": "none",
                **extra,
            },
        )

    future = post(**date_data("completed_on", (today + datetime.timedelta(days=2)).isoformat()))
    assert future.status_code == 400
    assert "The date cannot be in the future" in future.content.decode()
    done = today - datetime.timedelta(days=20)
    assert post(**date_data("completed_on", done.isoformat())).status_code == 302
    action.refresh_from_db()
    assert (action.status, action.completed_on) == (ActionStatus.COMPLETE, done)


def test_the_action_page_has_one_history_and_a_plain_title(area):
    action = f.ImprovementActionFactory(plan__local_authority=area.local_authority, number="3.1")
    html = (
        client_for(area.officer)
        .get(reverse("improvement:action_detail", args=[action.pk]))
        .content.decode()
    )
    title = html.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "<" not in title and title.startswith("Action 3.1")
    assert html.count('id="history-heading"') == 1
