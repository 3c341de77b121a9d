"""The registry of records about a child (ehc/registry.py): every model
linked to a child is in it, each entry's path leads to the child, and the
lookups it offers (last activity, open records, history) work on real rows."""

from __future__ import annotations

import datetime

from django.apps import apps
from django.db import models
from django.utils import timezone

from ehc import registry
from ehc.models import (
    Child,
    MediationCase,
    PersonalHealthBudget,
    RequestStatus,
    ReviewInput,
    TribunalCase,
)
from tests import factories as f

D = datetime.date


def _forward_relations(model):
    return [
        field
        for field in model._meta.get_fields()
        if field.concrete and field.is_relation and (field.many_to_one or field.one_to_one)
    ]


def linked_to_child(model, seen=frozenset()) -> bool:
    """Whether a chain of foreign keys (or one-to-one links) leads from
    ``model`` to the child."""
    if model is Child:
        return True
    for field in _forward_relations(model):
        target = field.related_model
        if target is not None and target not in seen and target is not model:
            if linked_to_child(target, seen | {model}):
                return True
    return False


def unaccounted_models() -> list[str]:
    """Installed models linked to a child that are neither registered nor exempt."""
    exempt = registry.exempt_models()
    return sorted(
        model._meta.label
        for model in apps.get_models()
        if linked_to_child(model) and registry.record_for(model) is None and model not in exempt
    )


def test_every_model_linked_to_a_child_is_registered():
    missing = unaccounted_models()
    assert not missing, (
        "models with a foreign-key path to Child that are not in ehc.registry "
        f"(register them in their app's ready(), or exempt them saying why): {missing}"
    )


def test_the_walk_finds_a_model_left_out(monkeypatch):
    """The check can fail: take the reminder out and it is named."""
    from ehc.models import Reminder

    monkeypatch.delitem(registry._records, Reminder)
    assert unaccounted_models() == ["ehc.Reminder"]


def test_every_ehc_model_about_a_child_is_registered():
    ehc_models = {m for m in apps.get_app_config("ehc").get_models() if linked_to_child(m)}
    assert ehc_models == {r.model for r in registry.records() if r.model._meta.app_label == "ehc"}
    assert len(ehc_models) == 15  # the child and the fourteen record types about them


def _follow(model, path: str):
    for step in filter(None, path.split("__")):
        model = model._meta.get_field(step).related_model
    return model


def test_each_path_leads_to_the_child():
    for record in registry.records():
        assert _follow(record.model, record.child) is Child, record.label


def test_named_fields_are_the_right_kind():
    for record in registry.records():
        for name in record.files:
            assert isinstance(record.model._meta.get_field(name), models.FileField), name
        for name in record.activity:
            field = record.model._meta.get_field(name)
            assert isinstance(field, models.DateField | models.DateTimeField), name


def test_a_field_the_model_lacks_is_refused():
    import pytest

    with pytest.raises(ValueError, match="has no field 'shoe_size'"):
        registry.register(Child, child="", identifying=("shoe_size",))


def test_last_activity_is_the_latest_date_on_any_record(area, django_assert_max_num_queries):
    child = f.ChildFactory(local_authority=area.local_authority)
    quiet = f.ChildFactory(local_authority=area.local_authority)
    request = f.HealthAdviceRequestFactory(
        child=child, sent_on=D(2019, 1, 2), received_on=D(2019, 1, 3)
    )
    contribution = f.ContributionFactory(request=request, service=area.service)
    f.AdviceFactory(contribution=contribution, written_on=D(2019, 2, 1))
    TribunalCase.objects.create(
        child=child, registered_on=D(2020, 6, 1), decision_on=D(2021, 3, 5), health_issues="x"
    )
    old = timezone.make_aware(datetime.datetime(2018, 1, 1, 12))
    # Edits are activity too: put every edit far back except none.
    for record in registry.records():
        if "updated_at" in record.activity:
            record.model.objects.update(updated_at=old)
    with django_assert_max_num_queries(len(registry.records())):
        latest = registry.last_activity([child.pk, quiet.pk])
    assert latest == {child.pk: D(2021, 3, 5), quiet.pk: D(2018, 1, 1)}

    # Changing a record today is the latest activity.
    request.notes = "Phoned the family"
    request.save()
    assert registry.last_activity([child.pk])[child.pk] == timezone.localdate()


def test_open_records_name_what_keeps_a_child_open(area):
    closed = f.ChildFactory(local_authority=area.local_authority)
    f.HealthAdviceRequestFactory(child=closed, status=RequestStatus.CLOSED)
    busy = f.ChildFactory(local_authority=area.local_authority)
    f.HealthAdviceRequestFactory(child=busy)  # awaiting advice
    MediationCase.objects.create(child=busy, requested_on=D(2024, 1, 5), health_issues="x")
    ReviewInput.objects.create(child=busy, meeting_on=D(2024, 3, 1), decision_on=D(2024, 3, 20))
    PersonalHealthBudget.objects.create(child=busy, considered_on=D(2024, 1, 1), outcome="agreed")

    found = registry.open_records([closed.pk, busy.pk])
    assert set(found) == {busy.pk}
    assert sorted(found[busy.pk]) == ["health advice request", "mediation case"]


def test_history_gathers_every_source(area):
    child = f.ChildFactory(local_authority=area.local_authority)
    when = timezone.now()

    def source(about, rows):
        assert about == child
        assert {record.label for record in rows} >= {"ehc.child", "ehc.healthadvicerequest"}
        return [registry.HistoryEvent(when=when, who="Someone", action="viewed", record="x")]

    saved = list(registry._history_sources)
    try:
        registry.register_history_source(source)
        registry.register_history_source(source)  # once only
        events = [e for e in registry.history_for(child) if e.who == "Someone"]
    finally:
        registry._history_sources[:] = saved
    assert len(events) == 1
