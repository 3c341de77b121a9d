"""accounts.services with plain values, no form."""

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied

from accounts import services

pytestmark = pytest.mark.django_db


def test_a_user_turns_their_digest_off_and_on_and_it_is_audited(area):
    officer = area.officer
    assert officer.receive_digests
    services.set_reminder_preference(user=officer, receive_digests=False, by=officer)
    officer.refresh_from_db()
    assert officer.receive_digests is False
    entries = LogEntry.objects.get_for_object(officer)
    assert any("receive_digests" in (entry.changes_dict or {}) for entry in entries)
    services.set_reminder_preference(user=officer, receive_digests=True, by=officer)
    officer.refresh_from_db()
    assert officer.receive_digests is True


def test_no_one_changes_another_users_setting(area):
    with pytest.raises(PermissionDenied):
        services.set_reminder_preference(
            user=area.officer, receive_digests=False, by=area.administrator
        )
    area.officer.refresh_from_db()
    assert area.officer.receive_digests


def test_saving_the_same_value_leaves_no_audit_entry(area):
    before = LogEntry.objects.get_for_object(area.officer).count()
    services.set_reminder_preference(user=area.officer, receive_digests=True, by=area.officer)
    assert LogEntry.objects.get_for_object(area.officer).count() == before
