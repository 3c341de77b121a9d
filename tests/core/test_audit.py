"""core.audit.acting_as: who the audit log names outside a request."""

import pytest
from auditlog.models import LogEntry

from core.audit import acting_as
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_the_acting_user_is_named_outside_a_request():
    officer = f.DesignatedOfficerFactory()
    la = f.LocalAuthorityFactory()
    with acting_as(officer):
        la.name = "Renamed Borough"
        la.save()
    assert LogEntry.objects.get_for_object(la).latest("timestamp").actor == officer


def test_none_names_no_one():
    la = f.LocalAuthorityFactory()
    with acting_as(None):
        la.name = "Renamed by the system"
        la.save()
    assert LogEntry.objects.get_for_object(la).latest("timestamp").actor is None


def change_own_setting(client, user, **headers):
    """A request that writes one audit entry (the user's reminder setting)."""
    from django.urls import reverse

    client.force_login(user)
    response = client.post(reverse("accounts:preferences"), {}, **headers)
    assert response.status_code == 302
    return LogEntry.objects.get_for_object(user).latest("timestamp")


def test_without_a_proxy_the_audit_log_records_the_socket_peer_not_the_header(client, settings):
    settings.PROXY_COUNT = 0
    entry = change_own_setting(
        client,
        f.DesignatedOfficerFactory(),
        REMOTE_ADDR="192.0.2.10",
        HTTP_X_FORWARDED_FOR="203.0.113.66",
        HTTP_X_FORWARDED_PORT="8443",
    )
    assert entry.changes_dict["receive_digests"] == ["True", "False"]
    assert entry.remote_addr == "192.0.2.10"
    assert entry.remote_port is None  # X-Forwarded-Port is the client's to choose too


def test_behind_a_proxy_the_audit_log_records_the_address_the_proxy_saw(client, settings):
    settings.PROXY_COUNT = 1
    entry = change_own_setting(
        client,
        f.DesignatedOfficerFactory(),
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="203.0.113.66, 198.51.100.7",
    )
    assert entry.remote_addr == "198.51.100.7"
