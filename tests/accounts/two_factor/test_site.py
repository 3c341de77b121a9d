"""Django admin asks for the second factor of a role that must give one."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from django.contrib.admin import site
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts.two_factor.site import PortalAdminSite
from tests.two_factor import set_up_app, verified_client

pytestmark = pytest.mark.django_db


def test_the_admin_is_the_portals_site():
    assert isinstance(site, PortalAdminSite)


def test_django_admin_refuses_an_unverified_session(area, two_factor_required):
    set_up_app(area.administrator)
    client = Client()
    client.force_login(area.administrator)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert urlparse(response["Location"]).path == reverse("accounts:two_factor_verify")


def test_the_site_itself_refuses_without_the_middleware(area, two_factor_required):
    request = RequestFactory().get("/admin/")
    request.session = SessionStore()
    request.user = area.administrator
    area.administrator.is_verified = lambda: False
    assert not PortalAdminSite().has_permission(request)
    area.administrator.is_verified = lambda: True
    assert PortalAdminSite().has_permission(request)


def test_django_admin_opens_to_a_verified_administrator(area, two_factor_required):
    client = verified_client(area.administrator)
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200


def test_with_the_requirement_off_the_demo_administrator_uses_admin(area):
    client = Client()
    client.force_login(area.administrator)
    assert client.get(reverse("admin:index")).status_code == 200
