"""core.lists.filter_list: one rule for every list page's filters."""

import pytest
from django.test import RequestFactory

from commissioning.filters import LocalAuthorityFilter
from commissioning.models import LocalAuthority
from core.lists import filter_list
from tests import factories as f

pytestmark = pytest.mark.django_db


def _request(query: dict):
    return RequestFactory().get("/", query)


@pytest.fixture
def admin_and_areas():
    admin = f.AdministratorFactory()
    return (
        admin,
        f.LocalAuthorityFactory(name="Northshire"),
        f.LocalAuthorityFactory(name="Southby"),
    )


def test_no_query_string_lists_everything_unbound(admin_and_areas):
    admin, *_ = admin_and_areas
    listed = filter_list(
        LocalAuthorityFilter, _request({}), LocalAuthority.objects.all(), user=admin
    )
    assert not listed.filterset.is_bound
    assert listed.valid and listed.status == 200 and listed.cleaned == {}
    assert listed.queryset.count() == 2


def test_valid_filters_narrow_the_list(admin_and_areas):
    admin, north, _south = admin_and_areas
    listed = filter_list(
        LocalAuthorityFilter, _request({"q": "north"}), LocalAuthority.objects.all(), user=admin
    )
    assert listed.status == 200
    assert list(listed.queryset) == [north]
    assert listed.cleaned["q"] == "north"


def test_an_invalid_filter_is_a_400_with_the_message_on_the_field(admin_and_areas):
    admin, *_ = admin_and_areas
    listed = filter_list(
        LocalAuthorityFilter,
        _request({"q": "north", "commissioning_body": "999999"}),
        LocalAuthority.objects.all(),
        user=admin,
    )
    assert not listed.valid and listed.status == 400
    assert listed.filterset.form.errors["commissioning_body"]
    # The valid filter still applies, so the list matches the search box;
    # the invalid one is left out.
    assert [la.name for la in listed.queryset] == ["Northshire"]
    assert listed.cleaned == {"q": "north"}
