"""A child's history from the audit log (governance/history.py), including
rows deleted before now."""

from __future__ import annotations

from auditlog.signals import accessed

from core.audit import acting_as
from ehc import models as ehc
from ehc import registry
from governance.history import auditlog_history, with_deleted_rows
from tests import factories as f


def _rows(child):
    return {
        record: list(record.rows_for([child.pk]).values_list("pk", flat=True))
        for record in registry.records()
    }


def test_deleted_rows_are_found_through_the_row_they_hung_from(area):
    child = f.ChildFactory(local_authority=area.local_authority)
    advice = f.AdviceFactory(
        contribution=f.ContributionFactory(
            request=f.HealthAdviceRequestFactory(child=child), service=area.service
        )
    )
    kept = f.ProvisionItemFactory(advice=advice)
    gone = f.ProvisionItemFactory(advice=advice)
    gone_pk = gone.pk
    gone.delete()
    other = f.ProvisionItemFactory()  # another child's

    found = with_deleted_rows(_rows(child))
    provision = found[registry.record_for(ehc.ProvisionItem)]
    assert provision == sorted([str(kept.pk), str(gone_pk)])
    assert str(other.pk) not in provision


def test_the_history_names_who_did_what_without_values(area):
    child = f.ChildFactory(local_authority=area.local_authority, given_name="Quinn")
    with acting_as(area.officer):
        child.given_name = "Quin"
        child.save()
        accessed.send(sender=ehc.Child, instance=child)
    events = auditlog_history(child, _rows(child))
    assert [(e.action, e.record, e.detail) for e in events] == [
        ("created", f"child or young person {child.pk}", ""),
        ("changed", f"child or young person {child.pk}", "given_name"),
        ("viewed", f"child or young person {child.pk}", ""),
    ]
    assert events[0].who == "the portal"
    assert events[1].who == area.officer.full_name
