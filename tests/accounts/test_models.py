"""The user model: staff and superuser status follow the role."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from accounts.models import ADMINISTRATORS_GROUP, User
from accounts.roles import Role
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_demoting_an_administrator_takes_django_admin_away(area):
    user = f.AdministratorFactory(is_superuser=True)
    assert (user.is_staff, user.is_superuser) == (True, True)
    user.role = Role.LA_OFFICER
    user.save()
    user.refresh_from_db()
    assert (user.is_staff, user.is_superuser) == (False, False)
    assert not user.groups.filter(name=ADMINISTRATORS_GROUP).exists()


def test_a_partial_save_of_the_role_moves_staff_status_with_it():
    user = f.AdministratorFactory()
    user.role = Role.COMMISSIONER
    user.commissioning_body = f.CommissioningBodyFactory()
    user.save(update_fields=["role", "commissioning_body"])
    user.refresh_from_db()
    assert not user.is_staff
    user.role = Role.ADMINISTRATOR
    user.save(update_fields=["role"])
    user.refresh_from_db()
    assert user.is_staff


def test_no_other_role_can_be_made_staff():
    user = f.LAOfficerFactory(is_staff=True, is_superuser=True)
    user.refresh_from_db()
    assert (user.is_staff, user.is_superuser) == (False, False)


def test_demoting_through_django_admin(client, area):
    """The role is set in Django admin: changing it there removes staff status."""
    other = f.AdministratorFactory(full_name="Former Admin")
    client.force_login(area.administrator)
    response = client.post(
        reverse("admin:accounts_user_change", args=[other.pk]),
        {
            "email": other.email,
            "full_name": other.full_name,
            "job_title": "",
            "role": Role.LA_OFFICER,
            "kind": "person",
            "officer_kind": "",
            "local_authorities": [area.local_authority.pk],
            "is_active": "on",
            "date_joined_0": "2026-01-05",
            "date_joined_1": "09:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    other.refresh_from_db()
    assert other.role == Role.LA_OFFICER
    assert not other.is_staff
    client.force_login(other)
    assert client.get(reverse("admin:index")).status_code == 302  # to the admin sign-in


def test_the_migration_puts_right_accounts_saved_before_the_rule():
    migration = importlib.import_module("accounts.migrations.0003_staff_follows_role")
    demoted = f.LAOfficerFactory()
    administrator = f.AdministratorFactory()
    User.objects.filter(pk=demoted.pk).update(is_staff=True, is_superuser=True)
    User.objects.filter(pk=administrator.pk).update(is_staff=False)
    migration.staff_follows_role(apps, None)
    demoted.refresh_from_db()
    administrator.refresh_from_db()
    assert (demoted.is_staff, demoted.is_superuser) == (False, False)
    assert administrator.is_staff
