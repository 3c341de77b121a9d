"""Reading only what changed since the last finished run
(ehc/reminders/runs.py: changes_since; casework.py: changed_requests):
every reminder a full read would claim is still claimed, on the day it
would be, and no more is read than what crossed a threshold or was edited."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ehc import reminders, services
from ehc.models import Contribution, HealthAdviceRequest, Reminder, ReminderPolicy, ReminderRun
from ehc.reminders import claims, runs
from ehc.reminders.casework import CONTRIBUTIONS, REQUESTS
from ehc.reminders.sources import registered_sources
from ehc.services.urgency import refresh_all, refresh_urgency
from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)

TODAY = datetime.date(2026, 11, 23)
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def locmem(settings, area):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    area.service.contact_email = "team@example.org"
    area.service.save()


def due(area, days: int, *, owner=True, **kwargs) -> Contribution:
    """A contribution (and its request) due ``days`` after TODAY."""
    received = TODAY + days * DAY - datetime.timedelta(weeks=6)
    request = f.HealthAdviceRequestFactory(
        child=f.ChildFactory(local_authority=area.local_authority),
        sent_on=received,
        received_on=received,
        owner=area.officer if owner else None,
    )
    return f.ContributionFactory(request=request, service=area.service, asked_on=received, **kwargs)


def unasked(area, days: int):
    received = TODAY + days * DAY - datetime.timedelta(weeks=6)
    return f.HealthAdviceRequestFactory(
        child=f.ChildFactory(local_authority=area.local_authority),
        sent_on=received,
        received_on=received,
        owner=area.officer,
    )


def claimed_keys() -> set[tuple]:
    return set(Reminder.objects.values_list("recipient", "target", "stage", "due_on"))


def full_keys(day) -> set[tuple]:
    return set(claims.unique(reminders.select_due(day)))


def run(day):
    return reminders.run_reminders(today=day).run


def test_day_after_day_the_changes_claim_what_a_full_read_would(area, other_area):
    """Three weeks of daily runs (two days missed) over items due from 40
    days ago to 20 ahead, with edits between runs: after each run every
    reminder a full read would give that day is claimed, and nothing else
    is; every run after the first read changes only."""
    contributions = [due(area, n, owner=n % 3 != 0) for n in range(-40, 21, 3)]
    requests = [unasked(area, n) for n in (-20, -9, 4, 12)]
    due(other_area, -5)
    expected: set[tuple] = set()
    edits = {
        TODAY + 2 * DAY: lambda: setattr_save(contributions[-1], return_by=TODAY + 9 * DAY),
        TODAY + 4 * DAY: lambda: f.ContributionFactory(
            request=contributions[5].request,
            service=f.ServiceFactory(local_authorities=[area.local_authority]),
            asked_on=contributions[5].asked_on,
        ),
        TODAY + 6 * DAY: lambda: services.change_status(
            request=contributions[8].request,
            to="withdrawn",
            by=area.officer,
            expected_version=contributions[8].request.version,
        ),
        TODAY + 9 * DAY: lambda: setattr_save(requests[0], owner=None),
    }
    days = [TODAY + n * DAY for n in range(22) if n not in (11, 12)]
    for day in days:
        if day in edits:
            edits[day]()
        made = run(day)
        expected |= full_keys(day)
        assert claimed_keys() == expected, day
        assert (made.selected_since is None) == (day == TODAY)
    withdrawn = contributions[8].pk
    assert not Reminder.objects.filter(contribution_id=withdrawn, due_on__gt=TODAY + 6 * DAY)


def setattr_save(instance, **values):
    """Save ``values`` on a request or contribution and store its request's
    worklist dates again, as every service that writes them does
    (ehc.services.urgency.refresh_urgency): the owners' and areas' lines
    are read from them."""
    for name, value in values.items():
        setattr(instance, name, value)
    instance.save()
    refresh_urgency([getattr(instance, "request_id", instance.pk)])


def test_a_moved_return_by_date_is_picked_up_the_next_day(area):
    contribution = due(area, 20)
    run(TODAY)
    assert not Reminder.objects.filter(contribution=contribution).exists()
    setattr_save(contribution, return_by=TODAY + 8 * DAY)  # 7 days ahead tomorrow
    made = run(TODAY + DAY)
    assert made.selected_since == TODAY
    assert set(
        Reminder.objects.filter(contribution=contribution).values_list("stage", "due_on")
    ) == {("due_in_7", TODAY + 8 * DAY)}


def test_a_moved_receipt_date_moves_the_due_dates_and_is_picked_up(area):
    contribution = due(area, 30)
    request = contribution.request
    run(TODAY)
    services.update_request(
        request=request,
        values={
            "sent_on": request.sent_on - datetime.timedelta(days=20),
            "received_on": request.received_on - datetime.timedelta(days=20),
        },
        status="open",
        by=area.officer,
        expected_version=request.version,
    )
    run(TODAY + DAY)
    contribution.refresh_from_db()
    assert contribution.working_due_on == TODAY + 10 * DAY
    assert Reminder.objects.filter(
        contribution=contribution, stage="due_in_14", due_on=TODAY + 10 * DAY
    ).exists()


def test_a_missed_day_is_caught_up_with_the_stage_reached(area):
    contribution = due(area, 9)
    run(TODAY)  # 9 days left: due within 14
    # No run for three days; on the fourth, 5 days left: due within 7 (once).
    made = run(TODAY + 4 * DAY)
    assert made.selected_since == TODAY
    assert list(
        Reminder.objects.filter(contribution=contribution)
        .order_by("pk")
        .values_list("stage", flat=True)
    ) == ["due_in_14", "due_in_7"]


def test_a_failed_day_is_no_base(area):
    """A run that never finished leaves the last finished one as the base,
    so its day is read again."""
    contribution = due(area, 9)
    run(TODAY)
    ReminderRun.objects.create(run_for=TODAY + DAY, policy_key=ReminderPolicy.current().key)
    assert runs.changes_since(TODAY + 2 * DAY, ReminderPolicy.current()).day == TODAY
    run(TODAY + 2 * DAY)  # 7 days left
    assert Reminder.objects.filter(contribution=contribution, stage="due_in_7").exists()


def test_a_new_policy_reads_everything_once(area):
    due(area, 5)
    run(TODAY)
    ReminderPolicy.objects.create(offsets="10, 5")
    assert run(TODAY + DAY).selected_since is None
    assert run(TODAY + 2 * DAY).selected_since == TODAY + DAY


def test_a_withdrawn_requests_services_are_not_read_or_reminded(area):
    contribution = due(area, -1)
    run(TODAY)
    request = contribution.request
    services.change_status(
        request=request, to="withdrawn", by=area.officer, expected_version=request.version
    )
    contribution.refresh_from_db()
    assert contribution.left_outstanding == "withdrawn"
    # Out of the partial indexes' rows (their condition is the outstanding one)...
    index = next(i for i in Contribution._meta.indexes if i.name == "contribution_outstanding_work")
    assert not Contribution.objects.filter(index.condition, pk=contribution.pk).exists()
    # ...and never reminded, though edited since the last run.
    before = Reminder.objects.count()
    for n in range(1, 16):
        run(TODAY + n * DAY)
    assert Reminder.objects.count() == before


def written_before_the_margin():
    """Saved long enough before the next run that it is not re-read as an
    edit its last run might not have seen (runs.EDIT_MARGIN)."""
    earlier = timezone.now() - runs.EDIT_MARGIN - datetime.timedelta(minutes=5)
    Contribution.objects.update(updated_at=earlier)
    HealthAdviceRequest.objects.update(updated_at=earlier)


def test_reading_changes_reads_only_dates_that_crossed_a_threshold(area):
    """Long-overdue services every day for eight weeks: a day after the last
    run only those whose overdue week turns are read (one in seven), in a
    fixed number of queries however many there are."""
    for n in range(-56, 0):
        due(area, n, owner=False)
    written_before_the_margin()
    run(TODAY)
    policy = ReminderPolicy.current()
    since = runs.changes_since(TODAY + DAY, policy)
    assert since is not None
    found = reminders.select_due(TODAY + DAY, policy, since=since)
    overdue_by = {(TODAY + DAY - d.due_on).days for d in found if d.kind == "service"}
    assert overdue_by == {8, 15, 22, 29, 36, 43, 50, 57}  # of 2 to 57 days
    with CaptureQueriesContext(connection) as queries:
        reminders.select_due(TODAY + DAY, policy, since=since)
    for n in range(-120, -56):
        due(area, n, owner=False)
    written_before_the_margin()
    run(TODAY + DAY)
    since = runs.changes_since(TODAY + 2 * DAY, policy)
    with CaptureQueriesContext(connection) as more:
        reminders.select_due(TODAY + 2 * DAY, policy, since=since)
    # For each of the two sources its earliest date and its changed rows
    # (one UNION), then the area's officers; and one for each
    # other source (the reviews' steps, the enquiries' follow-ups, the
    # improvement actions: ehc/reminders/sources.py).
    others = [s for s in registered_sources() if s.name not in (CONTRIBUTIONS, REQUESTS)]
    assert len(queries) == len(more) <= 5 + len(others)


def test_dates_repaired_by_refresh_all_are_read_the_next_day(area):
    """``manage.py refresh_urgency`` (refresh_all) repairs a request's stored
    dates after a write that went around the services; the repaired
    requests count as changed, so the next day's run, reading changes only,
    gives their owner the line a full read gives."""
    contribution = due(area, 30)
    written_before_the_margin()
    run(TODAY)
    # Moved in the database directly: neither updated_at nor the stored dates move.
    Contribution.objects.filter(pk=contribution.pk).update(
        return_by=TODAY + 9 * DAY, working_due_on=TODAY + 9 * DAY
    )
    written_before_the_margin()
    assert refresh_all() == 1
    made = run(TODAY + DAY)
    assert made.selected_since == TODAY
    owner_line = (area.officer.email, f"r{contribution.request_id}", "due_in_14", TODAY + 9 * DAY)
    assert owner_line in full_keys(TODAY + DAY)
    assert owner_line in claimed_keys()


def test_a_bulk_load_can_store_the_keys_without_touching_the_rows(area):
    """refresh_all(touch=False), for a load whose rows carry their own
    history: the keys are stored, ``updated_at`` stays where it was."""
    contribution = due(area, 30)
    request = contribution.request
    HealthAdviceRequest.objects.filter(pk=request.pk).update(
        working_due_on=TODAY + 300 * DAY, updated_at=timezone.now() - 40 * DAY
    )
    before = HealthAdviceRequest.objects.get(pk=request.pk).updated_at
    assert refresh_all(touch=False) == 1
    request.refresh_from_db()
    assert request.working_due_on == contribution.working_due_on
    assert request.updated_at == before


def test_the_selection_pauses_the_cycle_collector_and_restores_it(area, monkeypatch):
    """select_due builds its tuples with Python's cycle collector paused
    (a national day's run makes tens of thousands), and leaves it as it
    found it, also when a source fails."""
    import gc

    seen = []

    def looking(*args, **kwargs):
        seen.append(gc.isenabled())
        return []

    from dataclasses import replace

    from ehc.reminders import sources

    first = registered_sources()[0]
    monkeypatch.setattr(sources, "_SOURCES", {first.name: replace(first, select=looking)})
    assert gc.isenabled()
    claims.select_due(TODAY, ReminderPolicy.current())
    assert seen == [False]
    assert gc.isenabled()

    def failing(*args, **kwargs):
        raise RuntimeError("a source failed")

    monkeypatch.setattr(sources, "_SOURCES", {first.name: replace(first, select=failing)})
    with pytest.raises(RuntimeError):
        claims.select_due(TODAY, ReminderPolicy.current())
    assert gc.isenabled()
