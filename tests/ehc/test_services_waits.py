"""Services' quarterly waiting times (ehc/services/waits.py,
ehc/models/waits.py): one record per service per quarter, a second entry
changing the first, the rules on the figures, scope, stale edits and the
audit trail. Called with plain values, as an importer or the API would."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction

from ehc import services
from ehc.models import ServiceWait, services_covering
from ehc.saving import StaleEdit
from tests import factories as f

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 30)  # in Q3 2026/27: Q2 has ended, Q3 has not


@pytest.fixture(autouse=True)
def _today(today_is):
    today_is(TODAY)


def enter(area, by=None, **overrides):
    values = {
        "by": by or area.officer,
        "service": area.service,
        "financial_year": 2026,
        "quarter": 2,
        "waiting": 42,
        "median_weeks": Decimal("14.5"),
        "longest_weeks": Decimal("51"),
    }
    values.update(overrides)
    return services.record_waits(**values)


def errors_of(raised) -> dict:
    return raised.value.message_dict


def test_entering_a_quarter_records_the_figures_and_who_entered_them(area):
    wait = enter(area, notes="Two clinicians on leave")
    wait.refresh_from_db()
    assert (wait.waiting, wait.median_weeks, wait.longest_weeks) == (
        42,
        Decimal("14.5"),
        Decimal("51.0"),
    )
    assert wait.entered_by == area.officer and wait.created_by == area.officer
    assert wait.period.label == "Q2 2026/27"
    entry = LogEntry.objects.get_for_object(wait).get()
    assert entry.actor == area.officer and entry.action == LogEntry.Action.CREATE


def test_a_second_entry_for_the_quarter_changes_the_first(area):
    first = enter(area)
    second = enter(area, by=area.practitioner, waiting=50, median_weeks=Decimal(15))
    assert second.pk == first.pk
    assert ServiceWait.objects.count() == 1
    second.refresh_from_db()
    assert second.waiting == 50 and second.entered_by == area.practitioner
    assert second.version == first.version + 1
    # The audit log keeps what it said before.
    change = LogEntry.objects.get_for_object(first).filter(action=LogEntry.Action.UPDATE).get()
    assert change.actor == area.practitioner
    assert change.changes_dict["waiting"] == ["42", "50"]


def test_another_quarter_is_another_record(area):
    enter(area)
    enter(area, quarter=1)
    enter(area, financial_year=2025, quarter=4)
    assert ServiceWait.objects.count() == 3


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"quarter": 3}, "quarter", "once the quarter has ended (Q3 2026/27 ends on 31 December"),
        ({"financial_year": 2013, "quarter": 4}, "quarter", "from 2014/15"),
        ({"median_weeks": None}, "median_weeks", "Enter the median wait"),
        ({"longest_weeks": None}, "longest_weeks", "Enter the longest wait"),
        ({"median_weeks": Decimal(60)}, "median_weeks", "cannot be longer than the longest"),
        ({"waiting": 0}, "median_weeks", "blank when no one is waiting"),
        ({"longest_weeks": Decimal(521)}, "longest_weeks", "less than or equal to 520"),
        ({"median_weeks": Decimal(-1)}, "median_weeks", "greater than or equal to 0"),
        ({"waiting": -1}, "waiting", "greater than or equal to 0"),
    ],
)
def test_figures_that_cannot_be_true_are_refused_beside_the_field(area, overrides, field, message):
    with pytest.raises(ValidationError) as raised:
        enter(area, **overrides)
    assert message in " ".join(errors_of(raised)[field])
    assert not ServiceWait.objects.exists()


def test_no_one_waiting_takes_no_waits(area):
    wait = enter(area, waiting=0, median_weeks=None, longest_weeks=None)
    assert wait.waiting == 0 and wait.median_weeks is None


def test_the_quarter_that_ended_yesterday_may_be_entered(area, today_is):
    today_is(datetime.date(2026, 10, 1))
    assert enter(area, quarter=2).period.end == datetime.date(2026, 9, 30)
    today_is(datetime.date(2026, 9, 30))
    with pytest.raises(ValidationError):
        enter(area, quarter=2, waiting=1, median_weeks=1, longest_weeks=1)


def test_only_those_covering_the_service_enter_its_waits(area, other_area):
    for user in (other_area.officer, other_area.practitioner, area.commissioner, area.la_officer):
        with pytest.raises(ValidationError) as raised:
            enter(area, by=user)
        assert "only for the services you cover" in errors_of(raised)[NON_FIELD_ERRORS][0]
    enter(area, by=area.administrator)
    assert ServiceWait.objects.count() == 1


def test_a_practitioner_enters_only_their_own_services(area):
    neighbour = f.ServiceFactory(provider=area.provider, local_authorities=[area.local_authority])
    with pytest.raises(ValidationError):
        enter(area, by=area.practitioner, service=neighbour)
    assert enter(area, by=area.officer, service=neighbour).service == neighbour


def test_a_stale_change_is_refused(area):
    wait = enter(area)
    services.update_waits(
        wait=wait, values={"waiting": 45}, by=area.officer, expected_version=wait.version
    )
    old = ServiceWait.objects.get(pk=wait.pk)
    old.version = 1
    with pytest.raises(StaleEdit):
        services.update_waits(
            wait=old, values={"waiting": 99}, by=area.practitioner, expected_version=1
        )
    assert ServiceWait.objects.get(pk=wait.pk).waiting == 45


def test_a_change_cannot_move_the_figures_to_another_quarter_or_service(area):
    wait = enter(area)
    with pytest.raises(TypeError):
        services.update_waits(
            wait=wait, values={"quarter": 1}, by=area.officer, expected_version=wait.version
        )


def test_the_database_refuses_a_second_row_for_a_quarter_and_impossible_figures(area):
    f.ServiceWaitFactory(service=area.service, financial_year=2025, quarter=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        f.ServiceWaitFactory(service=area.service, financial_year=2025, quarter=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        f.ServiceWaitFactory(service=area.service, quarter=5)
    with pytest.raises(IntegrityError), transaction.atomic():
        f.ServiceWaitFactory(service=area.service, median_weeks=40, longest_weeks=30)
    with pytest.raises(IntegrityError), transaction.atomic():
        f.ServiceWaitFactory(service=area.service, waiting=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        f.ServiceWaitFactory(service=area.service, quarter=3, median_weeks=None)


def test_who_sees_which_services_waits(area, other_area):
    wait = f.ServiceWaitFactory(service=area.service)
    other = f.ServiceWaitFactory(service=other_area.service)
    for user in (area.officer, area.practitioner, area.commissioner):
        assert list(ServiceWait.objects.visible_to(user)) == [wait], user.role
        assert list(services_covering(user)) == [area.service], user.role
    assert not ServiceWait.objects.visible_to(area.la_officer).exists()
    assert set(ServiceWait.objects.visible_to(area.administrator)) == {wait, other}


def test_a_service_covering_two_of_an_officers_areas_is_listed_once(area):
    second = f.LocalAuthorityFactory()
    area.officer.local_authorities.add(second)
    area.service.local_authorities.add(second)
    f.ServiceWaitFactory(service=area.service)
    assert services_covering(area.officer).count() == 1
    assert ServiceWait.objects.visible_to(area.officer).count() == 1


def test_an_entry_racing_another_for_the_same_quarter_changes_it(area, monkeypatch):
    """The other entry commits after this one looked for the quarter's row
    and before it inserts: the insert is refused by the unique constraint
    and this entry changes that row instead. One row, the later figures."""
    from ehc.services import waits as module

    first = enter(area)
    real = module._held
    calls = []

    def not_yet_committed(key):
        calls.append(key)
        return None if len(calls) == 1 else real(key)

    monkeypatch.setattr(module, "_held", not_yet_committed)
    second = enter(area, by=area.practitioner, waiting=60)
    assert len(calls) == 2 and second.pk == first.pk
    assert ServiceWait.objects.get().waiting == 60
