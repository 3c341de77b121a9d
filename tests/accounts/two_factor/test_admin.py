"""Two-factor sign-in in Django admin: the administrator's reset, and the
device pages that only list."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from auditlog.models import LogEntry as AuditEntry
from django.contrib.admin.models import LogEntry as AdminEntry
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.two_factor import services
from tests import factories as f
from tests.two_factor import set_up_app, verified_client

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"


def admin_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def reset_url(user) -> str:
    return reverse("admin:accounts_user_two_factor_reset", args=[user.pk])


def history_url(user) -> str:
    return reverse("admin:accounts_user_security_history", args=[user.pk])


def test_the_user_page_links_to_the_reset(area):
    response = admin_client(area.administrator).get(
        reverse("admin:accounts_user_change", args=[area.officer.pk])
    )
    assert reset_url(area.officer) in response.content.decode()


REASON = "Lost phone; identity checked by calling the number on file"


def test_reset_asks_for_a_reason_then_removes_the_app_audited(area, two_factor_required):
    device, _codes = set_up_app(area.officer)
    client = verified_client(area.administrator)

    page = client.get(reset_url(area.officer))
    assert page.status_code == 200
    assert "has 10 recovery codes left" in page.content.decode()
    assert 'name="reason"' in page.content.decode()
    assert TOTPDevice.objects.filter(pk=device.pk).exists()  # GET changes nothing

    # Without a reason: refused beside the field, nothing removed.
    refused = client.post(reset_url(area.officer), {"reason": "  "})
    assert refused.status_code == 400
    assert "Say why the two-factor sign-in is being reset" in refused.content.decode()
    assert TOTPDevice.objects.filter(pk=device.pk).exists()

    response = client.post(reset_url(area.officer), {"reason": REASON}, follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "admin:accounts_user_change", args=[area.officer.pk]
    )
    assert "Removed the authenticator app and recovery codes" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=area.officer).exists()
    assert not StaticDevice.objects.filter(user=area.officer).exists()
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.DELETE, actor=area.administrator, object_pk=str(device.pk)
    ).exists()
    on_user = AuditEntry.objects.get_for_object(area.officer).latest("pk")
    assert on_user.actor == area.administrator
    assert on_user.additional_data == {"reason": REASON}
    assert AdminEntry.objects.get(object_id=str(area.officer.pk)).get_change_message() == (
        f"Reset two-factor sign-in. Reason: {REASON}"
    )

    # The user's security history shows the reset, who did it and why,
    # and the app they had set up and its removal.
    history = client.get(history_url(area.officer))
    assert history.status_code == 200
    text = history.content.decode()
    assert "Two-factor sign-in reset by an administrator" in text
    assert REASON in text and area.administrator.full_name in text
    assert "Authenticator app set up" in text and "Authenticator app removed" in text
    assert "Recovery codes issued" in text

    # The officer must set up an app again at their next sign-in.
    officer = Client()
    response = officer.post(
        reverse("accounts:login"), {"username": area.officer.email, "password": PASSWORD}
    )
    response = officer.get(response["Location"])
    assert urlparse(response["Location"]).path == reverse("accounts:two_factor_enrol")


def test_the_user_page_links_to_the_security_history(area):
    response = admin_client(area.administrator).get(
        reverse("admin:accounts_user_change", args=[area.officer.pk])
    )
    assert history_url(area.officer) in response.content.decode()


def test_the_security_history_lists_only_this_users_devices(area):
    set_up_app(area.officer)
    set_up_app(area.la_officer)
    services.reset(user=area.la_officer, by=area.administrator, reason="Someone else's")
    text = admin_client(area.administrator).get(history_url(area.officer)).content.decode()
    assert "Authenticator app set up" in text
    assert "removed" not in text and "Someone else" not in text


@pytest.mark.parametrize("role", ["officer", "practitioner", "commissioner", "la_officer"])
def test_only_administrators_see_the_security_history(area, role):
    """Four ways: anonymous and each other role go to admin's sign-in, by GET
    and POST; an administrator sees it (administrators have no area, so
    there is no other-area case); nothing is written."""
    url = history_url(area.officer)
    for client in (Client(), admin_client(area.user(role))):
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == 302
            assert urlparse(response["Location"]).path == reverse("admin:login")
    assert admin_client(area.administrator).get(url).status_code == 200
    before = AuditEntry.objects.count()
    assert admin_client(area.administrator).post(url).status_code == 200  # a page: no write
    assert AuditEntry.objects.count() == before


def test_history_of_an_unknown_user_is_a_404(area):
    response = admin_client(area.administrator).get(
        reverse("admin:accounts_user_security_history", args=[999_999])
    )
    assert response.status_code == 404


@pytest.mark.parametrize("role", ["officer", "practitioner", "commissioner", "la_officer"])
def test_only_administrators_reach_the_reset(area, role):
    target = f.DesignatedOfficerFactory(local_authorities=[area.local_authority])
    set_up_app(target)
    for client in (Client(), admin_client(area.user(role))):
        for method in ("get", "post"):
            response = getattr(client, method)(reset_url(target), {"reason": "Lost phone"})
            assert response.status_code == 302
            assert urlparse(response["Location"]).path == reverse("admin:login")
    assert TOTPDevice.objects.filter(user=target).exists()


def test_reset_of_an_unknown_user_is_a_404(area):
    response = admin_client(area.administrator).get(
        reverse("admin:accounts_user_two_factor_reset", args=[999_999])
    )
    assert response.status_code == 404


def test_devices_are_listed_never_added_changed_or_deleted(area):
    device, _codes = set_up_app(area.officer)
    client = admin_client(area.administrator)  # an administrator, not a superuser
    listing = client.get(reverse("admin:otp_totp_totpdevice_changelist"))
    assert listing.status_code == 200
    assert area.officer.full_name in listing.content.decode()
    assert client.get(reverse("admin:otp_totp_totpdevice_add")).status_code == 403
    page = client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk]))
    assert page.status_code == 200
    assert device.key not in page.content.decode()
    response = client.post(reverse("admin:otp_totp_totpdevice_delete", args=[device.pk]))
    assert response.status_code == 403
    assert client.get(reverse("admin:otp_static_staticdevice_changelist")).status_code == 200


@pytest.mark.parametrize("page", ["config", "qrcode"])
def test_a_missing_devices_key_page_is_a_404_not_a_server_error(area, page):
    client = admin_client(area.administrator)
    url = f"/admin/otp_totp/totpdevice/999999/{page}/"
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("page", ["config", "qrcode"])
def test_an_existing_devices_key_is_not_shown(area, page):
    device, _codes = set_up_app(area.officer)
    client = admin_client(area.administrator)
    response = client.get(f"/admin/otp_totp/totpdevice/{device.pk}/{page}/")
    assert response.status_code == 403
    assert device.key not in response.content.decode()
