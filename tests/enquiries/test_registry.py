"""An enquiry about a child is a record about them (ehc/registry.py): an
open one keeps the child's record open, and erasing the child erases it,
its enquirer's details with it; a general enquiry is untouched."""

from __future__ import annotations

import datetime

import pytest
from auditlog.models import LogEntry

from ehc import registry
from enquiries import services
from enquiries.models import Enquiry, EnquiryStatus
from governance import services as governance
from tests import factories as f

pytestmark = pytest.mark.django_db


def about(area, child, **kwargs):
    return services.log_enquiry(
        by=area.officer,
        local_authority=area.local_authority,
        child=child,
        received_on=datetime.date(2026, 1, 5),
        source="parent",
        topic="complaint",
        question="Why has nobody called back?",
        enquirer_name="Morgan Secretparent",
        **kwargs,
    )


def test_an_open_enquiry_keeps_the_childs_record_open(area):
    child = f.ChildFactory(local_authority=area.local_authority)
    enquiry = about(area, child)
    assert registry.record_for(Enquiry).child == "child"
    assert "enquiry" in registry.open_records([child.pk]).get(child.pk, [])
    enquiry.status = EnquiryStatus.CLOSED
    enquiry.save()
    assert child.pk not in registry.open_records([child.pk])


def test_erasing_a_child_erases_their_enquiries_and_the_enquirers_name(
    area, django_capture_on_commit_callbacks
):
    child = f.ChildFactory(local_authority=area.local_authority)
    about(area, child, status=EnquiryStatus.CLOSED)
    general = f.EnquiryFactory(local_authority=area.local_authority)
    batch = governance.request_erasure(child=child, reason="Asked for", by=area.administrator)
    with django_capture_on_commit_callbacks(execute=True):
        governance.approve_batch(batch_id=batch.pk, by=area.administrator)
    assert list(Enquiry.objects.all()) == [general]
    audit = " ".join(str(e.changes) for e in LogEntry.objects.all())
    assert "Secretparent" not in audit
