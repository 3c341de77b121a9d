"""Every response that shows a child's details writes one access event, and
designated officers and administrators can see a child's access history."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ehc.models import AccessEvent
from tests import factories as f
from tests.ehc.helpers import case_in, login

pytestmark = pytest.mark.django_db


def _pages(child, request, contribution, advice):
    return [
        ("ehc:child_detail", [child.pk], "Child's page"),
        ("ehc:child_edit", [child.pk], "Change a child's details"),
        ("ehc:request_detail", [request.pk], "Request"),
        ("ehc:request_create", [child.pk], "Log a request"),
        ("ehc:request_edit", [request.pk], "Change a request"),
        ("ehc:advice_edit", [contribution.pk], "Advice"),
        ("ehc:review_edit", [advice.pk], "Quality review of advice"),
        ("ehc:child_record_create", [child.pk, "reviews"], "Record an annual review health input"),
    ]


def test_each_page_showing_a_child_writes_one_event_naming_them(client, area):
    child, request, contribution = case_in(area)
    advice = f.AdviceFactory(contribution=contribution)
    login(client, area.officer)
    for name, args, page in _pages(child, request, contribution, advice):
        before = AccessEvent.objects.count()
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200, name
        assert AccessEvent.objects.count() == before + 1, name
        event = AccessEvent.objects.latest("pk")
        assert (event.page, event.user, event.method) == (page, area.officer, "GET"), name
        assert list(event.children.values_list("pk", flat=True)) == [child.pk], name


def test_a_list_writes_one_event_naming_everyone_on_it(client, area, other_area):
    mine = [case_in(area)[0] for _ in range(3)]
    case_in(other_area)  # never shown, never named
    login(client, area.officer)
    for name, page in (("ehc:child_list", "Children"), ("ehc:request_list", "Worklist")):
        client.get(reverse(name))
        event = AccessEvent.objects.latest("pk")
        assert event.page == page
        assert sorted(event.children.values_list("pk", flat=True)) == sorted(c.pk for c in mine)
    client.get(reverse("ehc:child_list"), {"q": mine[0].family_name[:4] + "zzz"})  # no match
    assert AccessEvent.objects.latest("pk").page == "Worklist"  # nothing shown, nothing written


def test_a_refused_or_redirected_response_writes_nothing(client, area, other_area):
    child, _, _ = case_in(area)
    login(client, other_area.officer)
    assert client.get(reverse("ehc:child_detail", args=[child.pk])).status_code == 404
    login(client, area.commissioner)
    assert client.get(reverse("ehc:child_detail", args=[child.pk])).status_code == 403
    assert not AccessEvent.objects.exists()


def test_the_access_history_lists_who_looked_newest_first(client, area):
    child, request, _ = case_in(area)
    login(client, area.la_officer)
    client.get(reverse("ehc:child_detail", args=[child.pk]))
    login(client, area.practitioner)
    client.get(reverse("ehc:request_detail", args=[request.pk]))
    login(client, area.officer)
    child_page = client.get(reverse("ehc:child_detail", args=[child.pk])).content.decode()
    url = reverse("ehc:child_access_history", args=[child.pk])
    assert url in child_page
    before = AccessEvent.objects.count()
    response = client.get(url)
    assert AccessEvent.objects.count() == before  # looking at the history is not an access
    rows = [(e.user, e.page) for e in response.context["page"].object_list]
    assert rows == [
        (area.officer, "Child's page"),
        (area.practitioner, "Request"),
        (area.la_officer, "Child's page"),
    ]
    page = response.content.decode()
    assert area.la_officer.full_name in page and "3 times" in page


def test_la_officers_and_practitioners_do_not_see_the_link(client, area):
    child, _, _ = case_in(area)
    for user in (area.la_officer, area.practitioner):
        login(client, user)
        page = client.get(reverse("ehc:child_detail", args=[child.pk]))
        if page.status_code == 200:
            assert reverse("ehc:child_access_history", args=[child.pk]) not in page.content.decode()
