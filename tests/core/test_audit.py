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
