"""The mechanics of erasure (governance/erasure.py): the order rows are
deleted in, the pseudonym, and what an audit entry keeps."""

from __future__ import annotations

from auditlog.models import LogEntry

from ehc import models as ehc
from ehc import registry
from governance import erasure
from governance.models import LegalHold, SubjectAccessExport
from tests import factories as f


def test_every_record_type_is_deleted_before_what_it_refers_to():
    order = [record.model for record in erasure.deletion_order()]
    assert set(order) == {record.model for record in registry.records()}
    position = {model: n for n, model in enumerate(order)}
    for model in order:
        for field in model._meta.concrete_fields:
            target = field.related_model if field.is_relation else None
            if target in position and target is not model:
                assert position[model] < position[target], (model, target)
    assert order[-1] is ehc.Child
    # A request refers to its review (protected): the request goes first.
    assert position[ehc.HealthAdviceRequest] < position[ehc.ReviewInput]
    assert position[LegalHold] < position[ehc.Child]
    assert position[SubjectAccessExport] < position[ehc.Child]


def test_the_pseudonym_is_stable_and_keyed_on_the_sites_secret(settings):
    first = erasure.pseudonym(42)
    assert first == erasure.pseudonym(42)
    assert first != erasure.pseudonym(43)
    assert first.startswith("erased child #") and len(first) == len("erased child #") + 10
    # Not a hash anyone could recompute from the id alone.
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789"
    assert erasure.pseudonym(42) != first


def test_an_erased_value_keeps_the_shape_of_the_change():
    assert erasure._erased_value(["None", "Sam"]) == ["None", "[erased]"]
    assert erasure._erased_value(["Sam", "Samuel"]) == ["[erased]", "[erased]"]
    assert erasure._erased_value(["Sam", ""]) == ["[erased]", ""]
    assert erasure._erased_value({"type": "m2m"}) == "[erased]"


def test_only_the_childs_entries_are_touched(area):
    erased = f.ChildFactory(local_authority=area.local_authority, family_name="Goes")
    kept = f.ChildFactory(local_authority=area.local_authority, family_name="Stays")
    rows = {registry.record_for(ehc.Child): [erased.pk]}
    assert erasure.pseudonymise_entries(erased.pk, rows, batch_pk=7) == 1
    entry = LogEntry.objects.get_for_object(erased).get()
    assert entry.object_repr == erasure.pseudonym(erased.pk)
    assert entry.additional_data == {"erased_by": "erasure list 7"}
    assert LogEntry.objects.get_for_object(kept).get().object_repr == str(kept)
