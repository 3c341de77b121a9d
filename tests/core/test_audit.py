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


def test_log_created_writes_the_entry_a_save_would_with_the_acting_user():
    """Rows inserted together get the "created" entry auditlog's own
    receiver writes for a save: same changes, object and actor."""
    from auditlog.context import set_actor

    from commissioning.models import LocalAuthority
    from core.audit import log_created

    officer = f.DesignatedOfficerFactory()
    with set_actor(officer, remote_addr="192.0.2.10"), acting_as(officer):
        saved = LocalAuthority.objects.create(gss_code="E06000901", name="Saved Borough")
        [inserted] = LocalAuthority.objects.bulk_create(
            [LocalAuthority(gss_code="E06000902", name="Inserted Borough")]
        )
        assert not LogEntry.objects.get_for_object(inserted).exists()  # no signal
        written = log_created([inserted])
    assert written == 1
    single = LogEntry.objects.get_for_object(saved).get()
    bulk = LogEntry.objects.get_for_object(inserted).get()
    assert bulk.action == single.action == LogEntry.Action.CREATE
    assert (bulk.actor, bulk.actor_email, bulk.remote_addr) == (
        single.actor,
        single.actor_email,
        single.remote_addr,
    )
    assert bulk.remote_addr == "192.0.2.10"
    different = {"id", "gss_code", "name"}
    assert {k: v for k, v in bulk.changes_dict.items() if k not in different} == {
        k: v for k, v in single.changes_dict.items() if k not in different
    }
    assert bulk.changes_dict["name"] == ["None", "Inserted Borough"]
    assert bulk.object_repr == str(inserted)


def test_log_created_skips_models_the_audit_log_does_not_cover():
    import uuid

    from core.audit import log_created
    from core.models import FormSubmission

    assert log_created([FormSubmission(token=uuid.uuid4())]) == 0
