import pytest
from django.urls import reverse

from tests.access import assert_access

pytestmark = pytest.mark.django_db


def test_la_list_access(area, other_area):
    assert_access(
        reverse("commissioning:la_list"),
        allowed=area.everyone(),
        denied=[],
    )


def test_la_list_is_scoped(client, area, other_area):
    for user in (area.officer, area.commissioner, area.la_officer):
        client.force_login(user)
        content = client.get(reverse("commissioning:la_list")).content.decode()
        assert area.local_authority.name in content
        assert other_area.local_authority.name not in content


def test_la_list_search_ignores_blanks_and_filters(client, area):
    client.force_login(area.administrator)
    url = reverse("commissioning:la_list")
    assert area.local_authority.name in client.get(url, {"q": "   "}).content.decode()
    response = client.get(url, {"q": area.local_authority.gss_code})
    assert area.local_authority.name in response.content.decode()
    response = client.get(url, {"q": "no such place"})
    assert area.local_authority.name not in response.content.decode()


def test_la_list_bad_filter_value_is_a_400_with_the_message_next_to_the_field(client, area):
    # 400 since issue 13: every list treats an invalid filter the same way
    # (core.lists), as the worklist already did; the page is still shown.
    client.force_login(area.officer)
    response = client.get(
        reverse("commissioning:la_list"), {"commissioning_body": "not-a-number", "page": "x"}
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "govuk-error-message" in content
    assert "Choose a commissioning body from the list" in content
    assert area.local_authority.name in content  # the list is still shown


def test_la_list_cannot_filter_by_a_body_outside_scope(client, area, other_area):
    client.force_login(area.officer)
    response = client.get(
        reverse("commissioning:la_list"), {"commissioning_body": other_area.body.pk}
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert other_area.local_authority.name not in content
    assert other_area.body.name not in content
    assert "govuk-error-message" in content


def test_la_detail_access(area, other_area):
    url = reverse("commissioning:la_detail", args=[area.local_authority.gss_code])
    assert_access(
        url,
        allowed=area.everyone(),
        denied=[],
        other_area=other_area.scoped_users(),
    )


def test_body_detail_access(area, other_area):
    url = reverse("commissioning:body_detail", args=[area.body.ods_code])
    assert_access(
        url,
        allowed=[area.administrator, area.officer, area.commissioner],
        denied=[],
        other_area=[other_area.officer, other_area.commissioner, other_area.la_officer],
    )


def test_unknown_la_is_404(client, area):
    client.force_login(area.administrator)
    response = client.get(reverse("commissioning:la_detail", args=["E06999999"]))
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_commissioner_sees_only_current_links(client, area):
    import datetime

    from tests import factories as f

    old = f.LocalAuthorityFactory(name="Formerly Linked Council")
    f.CommissioningLinkFactory(
        commissioning_body=area.body,
        local_authority=old,
        valid_from=datetime.date(2018, 4, 1),
        valid_to=datetime.date(2022, 6, 30),
    )
    client.force_login(area.commissioner)
    content = client.get(reverse("commissioning:la_list")).content.decode()
    assert "Formerly Linked Council" not in content


def test_la_list_keeps_the_valid_filters_when_one_is_invalid(client, area, other_area):
    """The list matches what the boxes still say: the search applies, the
    invalid body is refused beside its field, with the error summary."""
    client.force_login(area.administrator)
    response = client.get(
        reverse("commissioning:la_list"),
        {"q": area.local_authority.name, "commissioning_body": "abc"},
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "There is a problem" in content
    assert "<title>Error:" in content
    assert list(response.context["areas"]) == [area.local_authority]
