"""ehc.services.children: an NHS number already recorded (docs/ehc.md, "Find
before adding"), called with plain values as an importer would."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from ehc import services
from ehc.models import Child
from tests import factories as f
from tests.ehc.helpers import child_values

pytestmark = pytest.mark.django_db


def refusal(call) -> ValidationError:
    with pytest.raises(ValidationError) as exc:
        call()
    [error] = exc.value.error_dict["nhs_number"]
    return error


def test_a_number_held_in_the_same_area_is_refused_naming_the_child(area):
    held = f.ChildFactory(local_authority=area.local_authority, nhs_number="9434765919")
    error = refusal(lambda: services.create_child(by=area.officer, **child_values(area)))
    assert error.code == services.HELD_IN_AREA
    assert held.full_name in error.message
    # Confirming is for another area only: the same area never has two.
    error = refusal(
        lambda: services.create_child(
            by=area.officer, other_area_confirmed=True, **child_values(area)
        )
    )
    assert error.code == services.HELD_IN_AREA
    assert Child.objects.count() == 1


def test_a_number_held_in_another_area_of_the_users_scope_needs_confirming(area):
    second = f.LocalAuthorityFactory(name="Southby")
    area.officer.local_authorities.add(second)
    held = f.ChildFactory(local_authority=second, nhs_number="9434765919")
    # Typed with spaces, as people do.
    values = child_values(area, nhs_number="943 476 5919")
    error = refusal(lambda: services.create_child(by=area.officer, **values))
    assert error.code == services.HELD_IN_OTHER_AREA
    assert "Southby" in error.message
    holders = services.nhs_number_holders(
        by=area.officer, nhs_number="943 476 5919", local_authority=area.local_authority
    )
    assert holders == services.Holders(None, [held])
    child = services.create_child(by=area.officer, other_area_confirmed=True, **values)
    assert child.local_authority == area.local_authority


def test_a_number_held_outside_the_users_scope_is_not_looked_at(area, other_area):
    f.ChildFactory(local_authority=other_area.local_authority, nhs_number="9434765919")
    child = services.create_child(by=area.officer, **child_values(area))
    assert child.pk
    assert services.nhs_number_holders(
        by=area.officer, nhs_number="9434765919", local_authority=area.local_authority
    ) == services.Holders(child, [])


def test_without_a_number_nothing_is_looked_up(area):
    f.ChildFactory(local_authority=area.local_authority, nhs_number="")
    child = services.create_child(by=area.officer, **child_values(area, nhs_number=""))
    assert child.pk
    assert services.nhs_number_holders(
        by=area.officer, nhs_number="", local_authority=area.local_authority
    ) == services.Holders(None, [])


def test_the_continuing_care_flag_is_recorded_and_changed(area):
    child = services.create_child(by=area.officer, **child_values(area, continuing_care=True))
    assert Child.objects.get(pk=child.pk).continuing_care is True
    services.update_child(
        child=child, values={"continuing_care": False}, by=area.officer, expected_version=1
    )
    assert Child.objects.get(pk=child.pk).continuing_care is False
