import pytest
from django.urls import reverse

from tests.access import assert_access

pytestmark = pytest.mark.django_db

HOMES = {
    "administrator": "portal:admin_home",
    "officer": "portal:officer_home",
    "practitioner": "portal:practitioner_home",
    "commissioner": "portal:commissioner_home",
    "la_officer": "portal:la_home",
}


@pytest.mark.parametrize("role_name", sorted(HOMES))
def test_each_home_page_is_for_its_own_role(area, role_name):
    url = reverse(HOMES[role_name])
    allowed = [area.user(role_name)]
    if role_name != "administrator":
        # Administrators may look at every home page.
        allowed.append(area.administrator)
    denied = [area.user(r) for r in HOMES if r not in (role_name, "administrator")]
    assert_access(url, allowed=allowed, denied=denied)


@pytest.mark.parametrize("role_name", sorted(HOMES))
def test_root_sends_each_role_to_its_home(client, area, role_name):
    client.force_login(area.user(role_name))
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse(HOMES[role_name])


def test_root_sends_anonymous_to_sign_in(client):
    response = client.get("/")
    assert response["Location"] == reverse("accounts:login")


def test_officer_home_lists_only_their_areas(client, area, other_area):
    client.force_login(area.officer)
    response = client.get(reverse("portal:officer_home"))
    content = response.content.decode()
    assert area.local_authority.name in content
    assert other_area.local_authority.name not in content
    assert "60,000" in content  # the area's child population


def test_commissioner_home_shows_their_body_and_its_areas(client, area, other_area):
    client.force_login(area.commissioner)
    response = client.get(reverse("portal:commissioner_home"))
    content = response.content.decode()
    assert area.body.name in content
    assert area.local_authority.name in content
    assert other_area.local_authority.name not in content


def test_practitioner_home_lists_their_services(client, area, other_area):
    client.force_login(area.practitioner)
    content = client.get(reverse("portal:practitioner_home")).content.decode()
    assert area.service.name in content
    assert other_area.service.name not in content


def test_officer_home_query_count_does_not_grow_with_areas(
    client, area, django_assert_max_num_queries
):
    from tests import factories as f

    for _ in range(10):
        la = f.LocalAuthorityFactory()
        f.CommissioningLinkFactory(commissioning_body=area.body, local_authority=la)
        f.ChildPopulationFactory(local_authority=la)
        area.officer.local_authorities.add(la)
    client.force_login(area.officer)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("portal:officer_home"))
    assert response.status_code == 200
    assert response.content.decode().count("govuk-table__row") >= 11
