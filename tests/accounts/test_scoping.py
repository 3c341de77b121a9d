"""visible_to(user) for every role, and the object-level permission rules."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from commissioning.models import CommissioningBody, LocalAuthority, Provider
from core.scoping import get_object_for_user

pytestmark = pytest.mark.django_db


def test_anonymous_and_inactive_users_see_nothing(area):
    assert not LocalAuthority.objects.visible_to(AnonymousUser()).exists()
    assert not LocalAuthority.objects.visible_to(None).exists()
    area.officer.is_active = False
    assert not LocalAuthority.objects.visible_to(area.officer).exists()


def test_administrator_sees_every_area(area, other_area):
    visible = set(LocalAuthority.objects.visible_to(area.administrator))
    assert {area.local_authority, other_area.local_authority} <= visible


@pytest.mark.parametrize("role_name", ["officer", "practitioner", "la_officer", "commissioner"])
def test_each_role_sees_only_its_own_area(area, other_area, role_name):
    visible = list(LocalAuthority.objects.visible_to(area.user(role_name)))
    assert visible == [area.local_authority]


def test_commissioner_sees_only_their_body(area, other_area):
    assert list(CommissioningBody.objects.visible_to(area.commissioner)) == [area.body]
    assert list(CommissioningBody.objects.visible_to(area.officer)) == [area.body]


def test_provider_directory_is_visible_to_signed_in_users(area, other_area):
    assert Provider.objects.visible_to(area.commissioner).count() == 2
    assert Provider.objects.visible_to(AnonymousUser()).count() == 0


def test_get_object_for_user_is_404_outside_scope(area, other_area):
    with pytest.raises(Http404):
        get_object_for_user(
            LocalAuthority.objects.all(), area.officer, pk=other_area.local_authority.pk
        )
    la = get_object_for_user(LocalAuthority.objects.all(), area.officer, pk=area.local_authority.pk)
    assert la == area.local_authority


def test_get_object_for_user_is_403_when_visible_but_not_writable(area):
    with pytest.raises(PermissionDenied):
        get_object_for_user(
            LocalAuthority.objects.all(),
            area.commissioner,
            write_permission="commissioning.change_localauthority",
            pk=area.local_authority.pk,
        )


def test_object_permissions_follow_scope(area, other_area):
    assert area.officer.has_perm("commissioning.view_localauthority", area.local_authority)
    assert not area.officer.has_perm(
        "commissioning.view_localauthority", other_area.local_authority
    )
    assert area.commissioner.has_perm("commissioning.view_commissioningbody", area.body)
    assert not area.commissioner.has_perm("commissioning.view_commissioningbody", other_area.body)


def test_role_permissions_are_declared_once(area):
    from accounts.permissions import PERMISSIONS, ROLE_PERMISSIONS

    for granted in ROLE_PERMISSIONS.values():
        assert granted <= set(PERMISSIONS)
    assert area.commissioner.has_perm("portal.view_aggregate_reports")
    assert not area.commissioner.has_perm("portal.view_identifiable_records")
    assert area.officer.has_perm("portal.view_identifiable_records")


def test_scope_of_user_resolves_each_role_without_a_query(area, django_assert_num_queries):
    """accounts resolves the shape core defines; lower floors read it."""
    from accounts.scoping import scope_of_user

    with django_assert_num_queries(0):
        admin = scope_of_user(area.administrator)
        officer = scope_of_user(area.officer)
        commissioner = scope_of_user(area.commissioner)
        nobody = scope_of_user(AnonymousUser())
    assert admin.everything
    assert nobody is None
    assert not officer.everything and officer.commissioning_body_id is None
    assert list(officer.local_authority_ids) == [{"pk": area.local_authority.pk}]
    assert commissioner.commissioning_body_id == area.body.pk
    assert [row["local_authority_id"] for row in commissioner.local_authority_ids] == [
        area.local_authority.pk
    ]
