"""Each review's invitation, advice and decision in the daily digest
(ehc/reviews/reminders.py): at the policy's offsets and once overdue, to
the area's designated officers, until recorded, once per stage, never
naming the child."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail

from ehc import reminders
from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)

TODAY = datetime.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.SITE_URL = "https://portal.example.org"


def review(area, meeting_in_days: int, **kwargs):
    child = kwargs.pop("child", None) or f.ChildFactory(
        local_authority=area.local_authority, family_name="Secretname"
    )
    return f.ReviewInputFactory(
        child=child, meeting_on=TODAY + datetime.timedelta(days=meeting_in_days), **kwargs
    )


def review_targets(today=TODAY) -> dict[str, str]:
    return {
        due.target: due.stage for due in reminders.select_due(today) if due.source == "ehc.reviews"
    }


def test_invitation_and_advice_are_reminded_before_the_meeting(area):
    r = review(area, 21)  # invitation and advice due in 7 days
    assert review_targets() == {f"vi{r.pk}": "due_in_7", f"va{r.pk}": "due_in_7"}


def test_recorded_steps_are_not_reminded(area):
    r = review(area, 20, invited_on=TODAY)
    assert review_targets() == {f"va{r.pk}": "due_in_7"}


def test_after_the_meeting_only_the_decision_is_chased(area):
    r = review(area, -30)  # decision was due 2 days ago
    assert review_targets() == {f"vd{r.pk}": "overdue_1"}
    r.decision_on = TODAY
    r.save()
    assert review_targets() == {}


def test_a_later_review_supersedes_an_undecided_one_once_it_is_held(area):
    old = review(area, -200)
    newer = review(area, 40, child=old.child)
    # Arranging the next meeting does not excuse the decision after the last.
    assert f"vd{old.pk}" in review_targets()
    # Once a later meeting has been held, the earlier decision is moot.
    held = review(area, -10, child=old.child)
    assert not any(t.endswith(str(old.pk)) for t in review_targets())
    later = review_targets(TODAY + datetime.timedelta(days=20))
    assert not any(t.endswith(str(old.pk)) for t in later)
    assert later[f"vi{newer.pk}"] == later[f"va{newer.pk}"] == "due_in_7"
    assert f"vd{held.pk}" in later  # the held review's own decision, overdue by then


def test_the_digest_goes_to_the_areas_officers_once_and_names_no_child(area, other_area):
    r = review(area, 10, professional_name="Dr Lee")  # invitation and advice 4 days overdue
    reminders.run_reminders(today=TODAY)
    (message,) = [m for m in mail.outbox if area.officer.email in m.to]
    text = message.body
    assert "Review meeting 3 December 2026" in text
    assert "Invitation of health to the review meeting" in text
    assert "4 days overdue" in text
    assert "Health professional: Dr Lee" in text
    assert r.child.get_absolute_url() in text
    assert "Secretname" not in text
    assert not [m for m in mail.outbox if other_area.officer.email in m.to]
    count = len(mail.outbox)
    reminders.run_reminders(today=TODAY)
    assert len(mail.outbox) == count


def test_a_step_recorded_before_sending_is_dropped(area):
    r = review(area, 10)
    from ehc.models import Reminder
    from ehc.reviews import reminders as source

    rows = [
        Reminder(target=f"vi{r.pk}", due_on=TODAY - datetime.timedelta(days=4)),
        Reminder(target=f"va{r.pk}", due_on=TODAY - datetime.timedelta(days=4)),
    ]
    r.invited_on = TODAY
    r.save()
    assert [row.target for row in source.live(rows)] == [f"va{r.pk}"]
    # The meeting moved later: the advice is due later, so that reminder is dropped.
    r.meeting_on = TODAY + datetime.timedelta(days=30)
    r.save()
    assert source.live(rows) == []


def test_no_reminders_past_25(area):
    over = f.ChildFactory(
        local_authority=area.local_authority, date_of_birth=datetime.date(2000, 1, 1)
    )
    review(area, 21, child=over)
    assert review_targets() == {}


def test_day_after_day_reading_changes_claims_what_a_full_read_would(area, other_area):
    """Three weeks of daily runs (two days missed) over reviews whose
    meetings fall from 60 days ago to 40 ahead, with edits between runs:
    after each run every review reminder a full read would give that day is
    claimed, and nothing else; every run after the first reads changes
    only (ehc.reviews.reminders.select_changed)."""
    from django.utils import timezone

    from ehc.models import Child, Reminder, ReviewInput

    reviews = [review(area, n) for n in range(-60, 41, 3)]
    review(other_area, -10)
    # A child recorded as dead by mistake: not reminded until it is cleared.
    mistaken = review(area, -33).child
    mistaken.date_of_death = TODAY - datetime.timedelta(days=40)
    mistaken.save()
    # Saved long ago: only the thresholds (and the edits below) bring them back.
    ReviewInput.objects.update(updated_at=timezone.now() - datetime.timedelta(days=30))
    Child.objects.update(updated_at=timezone.now() - datetime.timedelta(days=30))
    day_ = datetime.timedelta(days=1)

    def save(r, **values):
        for name, value in values.items():
            setattr(r, name, value)
        r.save()

    edits = {
        TODAY + 2 * day_: lambda: save(reviews[-1], meeting_on=TODAY + 16 * day_),
        TODAY + 4 * day_: lambda: save(reviews[3], decision_on=TODAY + 4 * day_),
        TODAY + 6 * day_: lambda: save(reviews[-5], invited_on=TODAY + 6 * day_),
        TODAY + 9 * day_: lambda: save(reviews[10], meeting_on=TODAY - 2 * day_),
        TODAY + 10 * day_: lambda: save(mistaken, date_of_death=None),
    }
    expected: set[tuple] = set()
    for n in range(22):
        if n in (11, 12):
            continue
        day = TODAY + n * day_
        if day in edits:
            edits[day]()
        made = reminders.run_reminders(today=day).run
        expected |= {
            key
            for key, (d, _) in reminders.claims.unique(reminders.select_due(day)).items()
            if d.source == "ehc.reviews"
        }
        claimed = set(
            Reminder.objects.filter(source="ehc.reviews").values_list(
                "recipient", "target", "stage", "due_on"
            )
        )
        assert claimed == expected, day
        assert (made.selected_since is None) == (n == 0)
    assert expected  # reviews were reminded


def test_reading_changes_reads_only_reviews_whose_steps_crossed_a_threshold(area):
    """The day after a run, a review whose steps stay in the stage they were
    in is not read; one whose advice falls due within the next offset is."""
    from django.utils import timezone

    from ehc import reminder_stages
    from ehc.models import ReminderPolicy
    from ehc.reminders.sources import Since
    from ehc.reviews import reminders as review_reminders

    policy = ReminderPolicy.current()
    quiet = review(area, 30)  # advice due in 16 days: no stage yet, nor yesterday
    crossing = review(area, 28)  # advice due in 14 days: "due_in_14" from today
    since = Since(day=TODAY - datetime.timedelta(days=1), edited_after=timezone.now())

    def stage(due_on):
        return reminder_stages.stage_for(
            due_on,
            TODAY,
            offsets=policy.offset_days,
            repeat_days=policy.overdue_repeat_days,
        )

    found = {d.target for d in review_reminders.select_changed(TODAY, policy, stage, since)}
    assert found == {f"vi{crossing.pk}", f"va{crossing.pk}"}
    assert not any(str(quiet.pk) == t[2:] for t in found)
