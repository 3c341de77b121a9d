"""Records about a child keep a copy of the child's area (ehc.models.ChildRecord,
migration ehc 0028): set however the record is written, moved with the child,
and what a commissioning body's report reads them by."""

from __future__ import annotations

import datetime

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import periods
from ehc import models as ehc
from ehc import services
from reports import metrics
from reports.indicators import Scope
from tests import factories as f
from tests.ehc.helpers import child_values

pytestmark = pytest.mark.django_db

D = datetime.date


def areas(child) -> set[int]:
    """The areas the child's records keep, over every kind of record."""
    return {
        la
        for model in ehc.CHILD_RECORDS
        for la in model.objects.filter(child=child).values_list("local_authority_id", flat=True)
    }


def every_record(child, by) -> None:
    """One record of each kind for ``child``, through the service the pages use."""
    for record, values in (
        (ehc.MediationCase(), {"requested_on": D(2026, 5, 4), "health_issues": "Speech"}),
        (ehc.TribunalCase(), {"registered_on": D(2026, 5, 5), "health_issues": "Speech"}),
        (ehc.PersonalHealthBudget(), {"considered_on": D(2026, 5, 6)}),
        (ehc.ReviewInput(), {"meeting_on": D(2026, 5, 7)}),
    ):
        services.save_child_record(record=record, child=child, values=values, by=by)
    # (A notice's own rules need a child under school age: saved directly.)
    ehc.Section23Notice.objects.create(
        child=child,
        professional_name="A Visitor",
        parent_told_on=D(2026, 5, 8),
        commissioning_body=f.CommissioningBodyFactory(),
    )


def move(child, *, to, by) -> None:
    """Move ``child`` to the area ``to`` as the child's page does."""
    services.update_child(
        child=child, values={"local_authority": to}, by=by, expected_version=child.version
    )


def test_every_kind_of_record_keeps_its_childs_area_and_moves_with_the_child(area):
    second = f.LocalAuthorityFactory(name="Southby")
    area.officer.local_authorities.add(second)
    child = services.create_child(by=area.officer, **child_values(area))
    every_record(child, area.officer)
    assert areas(child) == {area.local_authority.pk}
    # A value sent for the copy is not taken: the child's area is.
    budget = ehc.PersonalHealthBudget.objects.get(child=child)
    services.save_child_record(
        record=budget,
        child=child,
        values={"notes": "Agreed at panel"},
        by=area.officer,
        expected_version=budget.version,
    )
    assert areas(child) == {area.local_authority.pk}
    with pytest.raises(TypeError):
        services.save_child_record(
            record=ehc.MediationCase(),
            child=child,
            values={"requested_on": D(2026, 5, 9), "health_issues": "x", "local_authority": second},
            by=area.officer,
        )
    move(child, to=second, by=area.officer)
    assert areas(child) == {second.pk}


def test_records_inserted_in_bulk_take_the_area_of_a_child_saved_with_them(area):
    """As the demo data and the caseload import insert them: the child made
    in the same run, not yet saved when the record was."""
    child = ehc.Child(
        local_authority=area.local_authority,
        given_name="Ada",
        family_name="Bloggs",
        date_of_birth=D(2015, 3, 1),
    )
    review = ehc.ReviewInput(child=child, meeting_on=D(2026, 5, 7))
    ehc.Child.objects.bulk_create([child])
    ehc.ReviewInput.objects.bulk_create([review])
    assert ehc.ReviewInput.objects.get().local_authority_id == area.local_authority.pk


def test_a_body_counts_a_moved_childs_records_in_its_new_area(area, other_area):
    """The report reads the copy: after the move, the new area's body
    counts the child's mediation and the old one's does not."""
    area.officer.local_authorities.add(other_area.local_authority)
    child = services.create_child(by=area.officer, **child_values(area))
    every_record(child, area.officer)
    quarter = periods.custom(D(2026, 4, 1), D(2026, 6, 30))

    def mediation(body):
        scope = Scope(label=body.name, body_id=body.pk)
        return metrics.compute(scope, quarter, today=D(2026, 7, 15)).current.mediation

    assert (mediation(area.body), mediation(other_area.body)) == (1, 0)
    move(child, to=other_area.local_authority, by=area.officer)
    assert (mediation(area.body), mediation(other_area.body)) == (0, 1)


def test_a_record_saved_with_a_child_loaded_before_a_move_takes_the_stored_area(area):
    """The copy comes from the child's row as stored when the record is
    saved, not from a child read before someone else moved it."""
    second = f.LocalAuthorityFactory(name="Southby")
    area.officer.local_authorities.add(second)
    child = services.create_child(by=area.officer, **child_values(area))
    loaded_before = ehc.Child.objects.get(pk=child.pk)
    move(child, to=second, by=area.officer)
    services.save_child_record(
        record=ehc.PersonalHealthBudget(),
        child=loaded_before,
        values={"considered_on": D(2026, 5, 6)},
        by=area.officer,
    )
    assert areas(child) == {second.pk}
    budget = ehc.PersonalHealthBudget.objects.get()
    budget.notes = "not saved"
    budget.save(update_fields=[])  # Django's "save nothing" still saves nothing
    assert ehc.PersonalHealthBudget.objects.get().notes == ""


def test_every_kind_of_record_that_keeps_the_area_is_moved_with_the_child():
    """update_child moves the records of ehc.models.CHILD_RECORDS: every
    concrete kind of ChildRecord is there."""
    kinds = {model for model in apps.get_models() if issubclass(model, ehc.ChildRecord)}
    assert kinds == set(ehc.CHILD_RECORDS)


def test_a_bodys_report_reads_the_records_by_their_own_area(area):
    """The report's reads of records about a child use the copy (and its
    index), not a join to every child of the body's areas."""
    every_record(services.create_child(by=area.officer, **child_values(area)), area.officer)
    scope = Scope(label=area.body.name, body_id=area.body.pk)
    with CaptureQueriesContext(connection) as queries:
        report = metrics.compute(
            scope, periods.custom(D(2026, 4, 1), D(2026, 6, 30)), today=D(2026, 7, 15)
        )
    assert (report.current.mediation, report.current.tribunal) == (1, 1)
    tables = [t._meta.db_table for t in ehc.CHILD_RECORDS]
    reads = [q["sql"] for q in queries if any(f'FROM "{t}"' in q["sql"] for t in tables)]
    assert len(reads) == len(tables)
    assert not [sql for sql in reads if '"ehc_child"' in sql]
