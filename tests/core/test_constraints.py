"""Check constraints judged in Python give the database's answer."""

from __future__ import annotations

import datetime
import itertools
import random
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import models
from django.db.models import F, Q

from core.constraints import SKIPPED, UNSUPPORTED, check_in_python, truth_in_python
from ehc.models import Contribution

D = datetime.date


def test_sql_three_valued_logic_a_null_comparison_passes_the_check():
    row = Contribution(asked_on=D(2026, 3, 2), returned_on=None, outcome="")
    returned_after_asked = Q(returned_on__isnull=True) | Q(returned_on__gte=F("asked_on"))
    assert check_in_python(returned_after_asked, row) is True
    assert check_in_python(Q(returned_on__gte=F("asked_on")), row) is True  # unknown: passes
    assert check_in_python(~Q(returned_on__gte=F("asked_on")), row) is True
    row.returned_on = D(2026, 3, 1)
    assert check_in_python(returned_after_asked, row) is False
    assert check_in_python(Q(outcome__in=["a", "b"]) | Q(outcome=""), row) is True
    assert check_in_python(Q(returned_on=None), row) is False  # field=None is IS NULL


def test_the_truth_of_a_condition_keeps_unknown_apart_for_partial_unique_indexes():
    row = Contribution(asked_on=D(2026, 3, 2), returned_on=None)
    assert truth_in_python(Q(returned_on__gte=F("asked_on")), row) is None
    assert truth_in_python(~Q(returned_on__gte=F("asked_on")), row) is None
    assert truth_in_python(Q(returned_on__isnull=True), row) is True
    assert truth_in_python(Q(asked_on__gt=D(2026, 3, 2)), row) is False
    assert truth_in_python(Q(asked_on__year=2026), row) is UNSUPPORTED


def test_what_it_cannot_judge_is_left_to_the_database():
    row = Contribution(asked_on=D(2026, 3, 2))
    assert check_in_python(Q(asked_on__year=2026), row) is UNSUPPORTED
    assert check_in_python(Q(request__sent_on__lte=F("asked_on")), row) is UNSUPPORTED
    assert check_in_python(Q(no_such_field=1), row) is SKIPPED
    assert check_in_python(Q(asked_on__gte=F("request__sent_on")), row) is UNSUPPORTED
    assert check_in_python(Q(asked_on__isnull=True), row, exclude={"asked_on"}) is SKIPPED


def _names(condition: Q) -> set[str]:
    found = set()
    for child in condition.children:
        if isinstance(child, Q):
            found |= _names(child)
        else:
            found.add(child[0].split("__")[0])
            if isinstance(child[1], F):
                found.add(child[1].name)
    return found


def _candidates(field) -> list:
    dates = [D(2026, 3, 1), D(2026, 3, 2), D(2026, 4, 1)]
    if isinstance(field, models.DateTimeField):
        return [None, datetime.datetime(2026, 3, 1, 9, tzinfo=datetime.UTC)]
    if isinstance(field, models.DateField):
        return [None, *dates]
    if isinstance(field, models.BooleanField):
        return [True, False]
    if isinstance(field, models.ForeignKey):
        return [None, 1]
    if isinstance(field, models.CharField | models.TextField):
        return ["", "x", *[value for value, _ in field.choices or []][:3]]
    if isinstance(field, models.IntegerField):
        return [None, 0, 5, 25]
    if isinstance(field, models.DecimalField | models.FloatField):
        return [None, Decimal("-1"), Decimal("0"), Decimal("1.5"), Decimal("12")]
    if isinstance(field, models.BinaryField):
        return [None, b"%PDF"]
    return [None]


def _check_constraints():
    for model in apps.get_models():
        for constraint in model._meta.constraints:
            if isinstance(constraint, models.CheckConstraint):
                yield pytest.param(model, constraint, id=f"{model._meta.label}.{constraint.name}")


@pytest.mark.django_db
@pytest.mark.parametrize(("model", "constraint"), list(_check_constraints()))
def test_every_check_constraint_gets_the_databases_answer(model, constraint):
    names = sorted(_names(constraint.condition))
    fields = [model._meta.get_field(name) for name in names]
    options = [_candidates(field) for field in fields]
    combinations = list(itertools.product(*options))
    random.Random(constraint.name).shuffle(combinations)
    judged = 0
    for values in combinations[:60]:
        instance = model()
        for field, value in zip(fields, values, strict=True):
            if value is None and not field.null:
                continue
            setattr(instance, field.attname, value)
        verdict = check_in_python(constraint.condition, instance)
        if verdict in (UNSUPPORTED, SKIPPED):
            continue
        against = instance._get_field_expression_map(meta=model._meta)
        assert verdict == Q(constraint.condition).check(against), (values, verdict)
        judged += 1
    assert judged, f"{constraint.name} is never judged in Python"
