"""Each review's invitation, advice and decision in the daily reminder
digest (docs/reviews.md, "Reminders").

Registered from ``EhcConfig.ready()`` into the reminder-source registry
(``ehc/reminders/sources.py``). What it selects, for the latest review of
each living child (an earlier review with no decision recorded is
superseded once a later review's meeting has been held, not when it is
merely arranged; none for a young person past 25), while the LA's
decision after it is not recorded:

- the **invitation** of health to the meeting, due 2 weeks before it
  (SEND Regulations 2014 reg 20), until the date health was invited is
  recorded;
- the **health advice**, due 2 weeks before the meeting (reg 20(4)), until
  the date it was sent is recorded;
- the **LA's decision**, due 4 weeks after the meeting (reg 20(10)), until
  it is recorded.

The invitation and the advice are chased until the meeting: after it they
can no longer be given in time, and the worklist shows them missed. Each
item goes to every designated officer of the child's area (nobody owns a
review), at the policy's offsets before its date and its repeats once
overdue. A line names the meeting, the child's initials and the area:
never a name.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Exists, Min, OuterRef, Q
from django.utils import dateformat

from ehc import clock
from ehc.models import ReminderKind, ReviewInput
from ehc.reminders.sources import (
    Due,
    Line,
    ReminderSource,
    Since,
    on_dates,
    read_any,
    register_source,
)
from ehc.reviews import clock as review_clock

SOURCE = "ehc.reviews"
# Targets "vi<id>", "va<id>", "vd<id>": unique across sources ("c", "r", "e" are taken).
STEPS = {
    "vi": "Invitation of health to the review meeting (2 weeks' notice)",
    "va": "Health advice for the review (circulated 2 weeks before the meeting)",
    "vd": "The LA's decision after the review (within 4 weeks of the meeting)",
}


def _due_on(prefix: str, meeting_on: datetime.date) -> datetime.date:
    if prefix == "vd":
        return clock.review_decision_due(meeting_on)
    if prefix == "vi":
        return clock.review_invitation_due(meeting_on)
    return clock.review_advice_due(meeting_on)


def _owed(prefix: str, review) -> bool:
    """Whether the step ``prefix`` of ``review`` is not recorded as done
    (and the review's decision is not recorded)."""
    return _step_owed(prefix, review.invited_on, review.advice_sent_on, review.decision_on)


def _step_owed(
    prefix: str,
    invited_on: datetime.date | None,
    advice_sent_on: datetime.date | None,
    decision_on: datetime.date | None,
) -> bool:
    """:func:`_owed` from the review's dates alone."""
    if decision_on is not None:
        return False
    if prefix == "vd":
        return True
    done = invited_on if prefix == "vi" else advice_sent_on
    return done is None


def _open_reviews(today: datetime.date):
    # A later review supersedes an undecided one only once its meeting has
    # been held: arranging the next meeting does not excuse the LA's
    # decision after the last one.
    later = ReviewInput.objects.filter(
        child=OuterRef("child"), meeting_on__gt=OuterRef("meeting_on"), meeting_on__lte=today
    )
    return ReviewInput.objects.filter(
        decision_on__isnull=True, child__date_of_death__isnull=True
    ).exclude(Exists(later))


def _candidates(today: datetime.date, policy):
    """The open reviews whose meeting is close enough for a step to be
    within the policy's largest offset, or past; not of a young person past
    25 (the plan has ended)."""
    horizon = today + datetime.timedelta(days=max(policy.offset_days))
    notice = datetime.timedelta(weeks=clock.REVIEW_NOTICE_WEEKS)
    return (
        _open_reviews(today)
        .filter(meeting_on__lte=horizon + notice)
        .filter(child__date_of_birth__gt=review_clock.born_by(clock.OLDEST_AGE + 1, today))
        .order_by()
    )


def _rows(reviews):
    """What :func:`_dues` reads of each review of ``reviews`` (a queryset)."""
    return reviews.values_list(
        "pk", "meeting_on", "invited_on", "advice_sent_on", "child__local_authority_id"
    )


def _dues(rows, today: datetime.date, stage) -> list[Due]:
    """The steps due on ``today`` of the reviews ``rows`` (:func:`_rows`):
    one query."""
    out = []
    for pk, meeting_on, invited_on, advice_sent_on, la_id in rows:
        for prefix in STEPS:
            if not _step_owed(prefix, invited_on, advice_sent_on, None):
                continue
            if prefix != "vd" and today > meeting_on:
                continue  # too late to invite or to send advice in time
            due_on = _due_on(prefix, meeting_on)
            when = stage(due_on)
            if when is not None:
                out.append(
                    Due(
                        SOURCE,
                        ReminderKind.AREA_OVERDUE,
                        f"{prefix}{pk}",
                        when,
                        due_on,
                        area_id=la_id,
                    )
                )
    return out


def select(today: datetime.date, policy, stage) -> list[Due]:
    """The steps due on ``today`` (see the module): one query over the
    reviews with no decision whose meeting is close enough for a step to
    be within the policy's largest offset, or past."""
    return _dues(_rows(_candidates(today, policy)), today, stage)


def select_changed(today: datetime.date, policy, stage, since: Since) -> list[Due]:
    """As :func:`select`, for the reviews whose steps may be in another
    stage than on ``since.day``: a step's due date crossed a threshold since
    then (``reminder_stages.changed_ranges``: the invitation and the advice
    are due 2 weeks before the meeting, the decision 4 weeks after, so each
    range of due dates is a range of meeting dates), or the review or its
    child was saved after ``since.edited_after`` (a date moved or recorded;
    the child's area, date of birth or date of death changed). Two queries:
    the earliest meeting of an undecided review (where the overdue ranges
    stop; from the meeting date index), then the reviews: each reason read
    by its own index (the meeting dates; the review's and the child's
    ``updated_at``) and the reads joined by UNION, which drops repeats."""
    first = (
        ReviewInput.objects.filter(decision_on__isnull=True)
        .order_by()
        .aggregate(first=Min("meeting_on"))["first"]
    )
    if first is None:
        return []
    earliest = min(_due_on(prefix, first) for prefix in STEPS)
    # The review saved, or its child (a new area, whose officers are told;
    # a date of death recorded or cleared; a date of birth corrected).
    changed = [
        Q(updated_at__gte=since.edited_after),
        Q(child__updated_at__gte=since.edited_after),
    ]
    if ranges := since.crossed(today, policy, earliest):
        meetings = [
            (low - shift, high - shift)
            for shift in {_due_on(prefix, first) - first for prefix in STEPS}
            # Due dates in ``ranges`` are meetings ``shift`` days earlier.
            for low, high in ranges
        ]
        changed.append(on_dates("meeting_on", meetings))
    return _dues(read_any(_rows(_candidates(today, policy)), changed), today, stage)


def prepare(queryset):
    """Nothing to join: the reviews are read by :func:`_reviews`."""
    return queryset


def _reviews(rows: list) -> dict[int, ReviewInput]:
    """Review id -> the review, read afresh with its child and area (one query)."""
    ids = {int(r.target[2:]) for r in rows}
    found = ReviewInput.objects.filter(pk__in=ids).select_related(
        "child__local_authority", "service"
    )
    return {r.pk: r for r in found}


def live(rows: list) -> list:
    """The rows whose step is still owed (not recorded as done, no decision
    recorded) and not moved later (the meeting not moved)."""
    reviews = _reviews(rows)
    kept = []
    for row in rows:
        prefix, review = row.target[:2], reviews.get(int(row.target[2:]))
        if review is None or not _owed(prefix, review):
            continue
        if _due_on(prefix, review.meeting_on) <= row.due_on:
            kept.append(row)
    return kept


def _days(n: int) -> str:
    return f"{n} day{'s' if n != 1 else ''}"


def lines(rows: list, today: datetime.date) -> list[Line]:
    """One line per step: overdue once its date has passed, else "soon"."""
    reviews = _reviews(rows)
    out = []
    for row in rows:
        prefix, review = row.target[:2], reviews.get(int(row.target[2:]))
        if review is None:
            continue
        due_on = _due_on(prefix, review.meeting_on)
        day = dateformat.format(due_on, "j F Y")
        left = (due_on - today).days
        if left < 0:
            when = f"Due {day}: {_days(-left)} overdue"
        elif left == 0:
            when = f"Due today, {day}"
        else:
            when = f"Due {day}: {_days(left)} left"
        invited = review.professional_name or (review.service.name if review.service else "")
        out.append(
            Line(
                section="overdue" if left < 0 else "soon",
                due_on=due_on,
                reference=f"Review meeting {dateformat.format(review.meeting_on, 'j F Y')}",
                initials=review.child.initials,
                local_authority=review.child.local_authority.name,
                services=STEPS[prefix],
                when=when,
                note=f"Health professional: {invited}" if invited else "",
                url=settings.SITE_URL.rstrip("/") + review.child.get_absolute_url(),
            )
        )
    return out


def register() -> None:
    register_source(ReminderSource(SOURCE, select, prepare, live, lines, select_changed))
