"""The user's reminder setting and the administrator's warning about runs."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ehc.models import ReminderRun
from tests.access import assert_access

pytestmark = pytest.mark.django_db


def test_every_signed_in_role_has_a_settings_page(area):
    assert_access(reverse("accounts:preferences"), allowed=area.everyone(), denied=[])


def test_turning_digests_off_saves_and_only_for_oneself(area):
    client = Client()
    client.force_login(area.officer)
    response = client.post(reverse("accounts:preferences"), {})  # checkbox unticked
    assert response.status_code == 302
    area.officer.refresh_from_db()
    assert area.officer.receive_digests is False
    area.practitioner.refresh_from_db()
    assert area.practitioner.receive_digests is True
    client.post(reverse("accounts:preferences"), {"receive_digests": "on"})
    area.officer.refresh_from_db()
    assert area.officer.receive_digests is True


def test_admin_home_warns_when_reminders_have_not_run(area):
    client = Client()
    client.force_login(area.administrator)
    page = client.get(reverse("portal:admin_home")).content.decode()
    assert "No deadline reminder run has finished in the last 26 hours" in page
    assert "none has ever run" in page
    ReminderRun.objects.create(run_for=timezone.localdate(), finished_at=timezone.now())
    page = client.get(reverse("portal:admin_home")).content.decode()
    assert "No deadline reminder run" not in page
    assert "Deadline reminders last ran" in page
