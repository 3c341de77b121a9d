import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from commissioning.models import LocalAuthority

pytestmark = pytest.mark.django_db


def test_admin_change_is_audited_with_the_acting_user(client, area):
    client.force_login(area.administrator)
    la = area.local_authority
    url = reverse("admin:commissioning_localauthority_change", args=[la.pk])
    page = client.get(url)
    assert page.status_code == 200
    data = {
        "gss_code": la.gss_code,
        "name": "Renamed Borough Council",
        "populations-TOTAL_FORMS": "0",
        "populations-INITIAL_FORMS": "0",
        "links-TOTAL_FORMS": "0",
        "links-INITIAL_FORMS": "0",
    }
    # Empty inline formsets leave the existing rows untouched.
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    la.refresh_from_db()
    assert la.name == "Renamed Borough Council"
    entry = LogEntry.objects.get_for_object(la).latest("timestamp")
    assert entry.actor == area.administrator
    assert entry.action == LogEntry.Action.UPDATE
    assert "Renamed Borough Council" in str(entry.changes)


def test_user_changes_are_audited_without_the_password(area):
    user = area.officer
    user.set_password("another-long-password")
    user.full_name = "Changed Name"
    user.save()
    entry = LogEntry.objects.get_for_object(user).latest("timestamp")
    assert "full_name" in entry.changes_dict
    assert "password" not in entry.changes_dict


def test_every_organisation_model_is_registered():
    from auditlog.registry import auditlog

    assert auditlog.contains(LocalAuthority)
    from commissioning import models

    for model in (
        models.CommissioningBody,
        models.ChildPopulation,
        models.CommissioningLink,
        models.Provider,
        models.Service,
    ):
        assert auditlog.contains(model), model
