"""The one beat schedule: the reminders run at 07:00 London time every day,
in GMT and in BST, and exactly once on the days the clocks change; the
retention list is prepared once a month; England's month rows are
compacted, and England's overdue on the month end just passed filled,
every night."""

import copy
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from config.celery import app

LONDON = ZoneInfo("Europe/London")


def beat_firings(
    start: datetime,
    end: datetime,
    name: str = "daily-deadline-reminders",
    step: timedelta = timedelta(minutes=1),
) -> list[datetime]:
    """Replay what celery beat does, minute by minute (or by ``step``, for an
    entry on the hour): ask the entry's schedule whether it is due, and
    record the run when it is."""
    entry = settings.CELERY_BEAT_SCHEDULE[name]
    schedule = copy.copy(entry["schedule"])
    schedule.app = app
    now = start
    schedule.nowfun = lambda: now
    last_run_at = start
    fired = []
    while now < end:
        due, _next = schedule.is_due(last_run_at)
        if due:
            fired.append(now)
            last_run_at = now
        now += step
    return fired


def test_the_schedule_names_the_reminder_and_retention_tasks():
    assert list(settings.CELERY_BEAT_SCHEDULE) == [
        "daily-deadline-reminders",
        "deadline-reminders-recovery",
        "nightly-england-compaction",
        "nightly-england-overdue",
        "monthly-retention-list",
    ]
    assert settings.CELERY_BEAT_SCHEDULE["deadline-reminders-recovery"]["task"] == (
        "ehc.recover_reminder_digests"
    )
    assert settings.CELERY_BEAT_SCHEDULE["monthly-retention-list"]["task"] == (
        "governance.prepare_retention_list"
    )
    app.loader.import_default_modules()
    assert "governance.prepare_retention_list" in app.tasks
    assert "ehc.recover_reminder_digests" in app.tasks
    assert settings.CELERY_BEAT_SCHEDULE["nightly-england-compaction"]["task"] == (
        "ehc.compact_england"
    )
    assert "ehc.compact_england" in app.tasks
    assert settings.CELERY_BEAT_SCHEDULE["nightly-england-overdue"]["task"] == "ehc.fill_overdue"
    assert "ehc.fill_overdue" in app.tasks
    assert settings.CELERY_BEAT_SCHEDULE["daily-deadline-reminders"]["task"] == (
        "ehc.send_deadline_reminders"
    )
    assert settings.CELERY_TIMEZONE == "Europe/London"


@pytest.mark.parametrize(
    ("start", "gmt_days", "bst_days"),
    [
        # Clocks go forward at 01:00 UTC on Sunday 29 March 2026.
        (datetime(2026, 3, 26, 12, tzinfo=UTC), [27, 28], [29, 30, 31]),
        # Clocks go back at 01:00 UTC on Sunday 25 October 2026.
        (datetime(2026, 10, 22, 12, tzinfo=UTC), [25, 26, 27], [23, 24]),
    ],
    ids=["spring-forward", "fall-back"],
)
def test_daily_at_seven_london_time_across_the_clock_change(start, gmt_days, bst_days):
    fired = beat_firings(start, start + timedelta(days=5))

    local = [moment.astimezone(LONDON) for moment in fired]
    assert len(fired) == 5, local  # one run a day, none lost or doubled
    assert {(moment.hour, moment.minute) for moment in local} == {(7, 0)}
    assert len({moment.date() for moment in local}) == 5
    utc_hours = {moment.astimezone(UTC).day: moment.astimezone(UTC).hour for moment in fired}
    assert {day: utc_hours[day] for day in gmt_days} == dict.fromkeys(gmt_days, 7)
    assert {day: utc_hours[day] for day in bst_days} == dict.fromkeys(bst_days, 6)


def test_the_recovery_runs_every_ten_minutes():
    start = datetime(2026, 11, 23, 6, 55, tzinfo=UTC)
    fired = beat_firings(start, start + timedelta(hours=1), name="deadline-reminders-recovery")
    assert [moment.minute for moment in fired] == [0, 10, 20, 30, 40, 50]


def test_the_broker_hands_a_task_back_before_its_claim_lease_ends():
    """docs/reminders.md, "Leases and timeouts": a digest redelivered after
    its worker died arrives while its claim still holds."""
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert visibility < settings.REMINDER_CLAIM_LEASE
    from ehc.tasks import DIGEST_BACKOFF_MAX

    assert DIGEST_BACKOFF_MAX < visibility
    assert app.conf.broker_transport_options["visibility_timeout"] == visibility


def test_the_retention_list_is_prepared_once_a_month_at_six():
    start = datetime(2026, 1, 15, 12, tzinfo=UTC)
    fired = beat_firings(
        start, start + timedelta(days=92), "monthly-retention-list", step=timedelta(hours=1)
    )
    local = [moment.astimezone(LONDON) for moment in fired]
    assert [(m.month, m.day, m.hour, m.minute) for m in local] == [
        (2, 1, 6, 0),
        (3, 1, 6, 0),
        (4, 1, 6, 0),  # in BST, still 06:00 London time
    ]
