"""Reads for reviews: the reviews worklist and one child's review clock
(docs/reviews.md).

The rules are :mod:`ehc.reviews.clock`; here they become SQL the database
can filter and sort by, without date arithmetic of its own (PostgreSQL and
SQLite differ there):

- the clock start (``review_from``) is the later of the first final plan's
  issue date and the latest review held on or before today (its decision
  date, else its meeting: ``ReviewInput.reviewed_on``): minimums and
  maximums over the children joined to their plans and reviews, grouped by
  child (one pass over each table, hash-joined for a large scope, by the
  child indexes for a small one; correlated subqueries per child were 20
  times slower: docs/reviews.md, "Speed");
- "the next review is due by day X" is "``review_from`` is on or before
  :func:`ehc.reviews.clock.latest_start_due_by` (X)", computed in Python
  once per page;
- the year group on today is an expression over the recorded year group
  (moved up each 1 September since it was recorded) or the date of birth,
  as ``Child.year_group_on``;
- a phase transfer deadline becomes the clock start that would be due on
  it, so one sort key (``due_key``) orders rows by the earliest date owed.

Nothing here is stored: the next review due depends on today (a meeting
counts once it has been held), so by decision 9
(docs/decisions/0009-stored-worklist-keys.md) it is not a stored key. The
cost grows with the children in the user's scope (docs/reviews.md, "Speed").
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    F,
    IntegerField,
    Max,
    Min,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, Least

from accounts.roles import Role, role_of
from ehc import clock
from ehc.models import Child, PlanKind, ReviewInput
from ehc.reviews import clock as review_clock
from ehc.reviews.clock import ReviewClock, ReviewSteps

NO_DATE = datetime.date(9999, 12, 31)  # sorts a row with no clock last


def _school_year_start(field: str):
    """SQL: the calendar year the school year containing ``field`` began in
    (:func:`ehc.clock.school_year_start`)."""
    return F(f"{field}__year") - Case(
        When(**{f"{field}__month__lt": 9}, then=Value(1)), default=Value(0)
    )


def year_group_on(today: datetime.date):
    """SQL: the child's year group on ``today``, as ``Child.year_group_on``:
    the recorded year group moved up once for each 1 September since it
    was recorded, else the one for the child's age (reception 0)."""
    this_year = clock.school_year_start(today)
    return Case(
        When(
            year_group__isnull=False,
            year_group_recorded_on__isnull=False,
            then=F("year_group") + Value(this_year) - _school_year_start("year_group_recorded_on"),
        ),
        default=Value(this_year - 5) - _school_year_start("date_of_birth"),
        output_field=IntegerField(),
    )


def with_review_dates(children: QuerySet, today: datetime.date) -> QuerySet:
    """``children`` (a Child queryset, already scoped) joined to their plans
    and reviews and grouped by child (one pass over each table: no
    subquery per child), annotated with what a child's review clock is
    worked out from (:func:`clock_of`, :func:`rows`):

    - ``first_plan_on``: the first final plan's issue date, else the
      earliest amended plan's (None: no plan recorded);
    - ``last_reviewed_on``: the latest ``reviewed_on`` (decision, else
      meeting) of the reviews whose meeting was on or before ``today``;
    - ``plans_or_reviews``: non-zero when a plan or a review is recorded;
    - ``year_group_now``: the year group on ``today``;
    - ``phase_reviews``: non-zero when a phase transfer review's decision
      is recorded, its meeting in this school year;
    - ``latest_meeting_on``: the latest review's meeting (None: none);
      ``latest_undecided_on``: the latest meeting of a review with no
      decision recorded (equal to it when the latest review is undecided).

    The join multiplies a child's plans by their reviews, so only minimums,
    maximums and "is it non-zero" are read from it. One child's page needs
    no more than this; a list that filters or sorts by the clock needs
    :func:`with_review_clock`.
    """
    this_year = clock.school_year_start(today)
    phase_reviewed = Q(
        review_inputs__phase_transfer=True,
        review_inputs__decision_on__isnull=False,
        review_inputs__meeting_on__gte=datetime.date(this_year, 9, 1),
    )
    return children.annotate(
        # The first final plan; when only amendments are recorded (a
        # caseload brought in partway through), the earliest plan recorded
        # stands in for it, so the child still has a clock.
        first_plan_on=Coalesce(
            Min("plans__issued_on", filter=Q(plans__kind=PlanKind.FINAL)),
            Min("plans__issued_on"),
        ),
        last_reviewed_on=Max(
            Coalesce("review_inputs__decision_on", "review_inputs__meeting_on"),
            filter=Q(review_inputs__meeting_on__lte=today),
        ),
        plans_or_reviews=Count("plans__pk") + Count("review_inputs__pk"),
        phase_reviews=Count("review_inputs__pk", filter=phase_reviewed),
        latest_meeting_on=Max("review_inputs__meeting_on"),
        latest_undecided_on=Max(
            "review_inputs__meeting_on", filter=Q(review_inputs__decision_on__isnull=True)
        ),
        year_group_now=year_group_on(today),
    )


def with_review_clock(children: QuerySet, today: datetime.date) -> QuerySet:
    """``children`` annotated as by :func:`with_review_dates` and with what
    the review lists filter and sort by:

    - ``review_from``: the later of ``first_plan_on`` and
      ``last_reviewed_on`` (None when neither);
    - ``due_key``: the clock start equivalent to the earliest date owed
      (:func:`ehc.reviews.clock.latest_start_due_by` of a phase deadline),
      ``NO_DATE`` when the child has no clock.
    """
    annotated = with_review_dates(children, today).annotate(
        review_from=Greatest(
            Coalesce("first_plan_on", "last_reviewed_on"),
            Coalesce("last_reviewed_on", "first_plan_on"),
        ),
        phase_from=_phase_start(today),
    )
    return annotated.annotate(
        due_key=Coalesce(
            Least(
                Coalesce("review_from", "phase_from"),
                Coalesce("phase_from", "review_from"),
            ),
            Value(NO_DATE),
            output_field=DateField(),
        )
    )


def _phase_start(today: datetime.date):
    """SQL: for a child in a transfer year group whose phase transfer review
    is not done, the clock start that would be due on its deadline; else
    NULL."""
    next_year = clock.school_year_start(today) + 1
    by_deadline: dict[datetime.date, list[int]] = defaultdict(list)
    for group, phase in review_clock.TRANSFER_YEAR_GROUPS.items():
        by_deadline[clock.phase_transfer_deadline(next_year, phase)].append(group)
    whens = [
        When(
            year_group_now__in=groups,
            phase_reviews=0,
            then=Value(review_clock.latest_start_due_by(deadline)),
        )
        for deadline, groups in sorted(by_deadline.items())
    ]
    return Case(*whens, default=None, output_field=DateField())


def has_plan() -> Q:
    """On annotated children: a plan recorded, or a review of one (caseloads
    recorded before plans were keep reviews only; docs/reviews.md)."""
    return Q(plans_or_reviews__gt=0)


def due_by(day: datetime.date) -> Q:
    """On annotated children: the next review, or an owed phase transfer
    deadline, falls on or before ``day``."""
    return Q(due_key__lte=review_clock.latest_start_due_by(day))


def open_review_by(day: datetime.date) -> Q:
    """On annotated children: the latest review's meeting is on or before
    ``day`` and the LA's decision after it is not recorded (its invitation,
    advice or decision is owed)."""
    return Q(latest_meeting_on__lte=day, latest_undecided_on=F("latest_meeting_on"))


def open_meeting():
    """SQL, on annotated children: the open review's meeting (the latest,
    with no decision recorded), else ``NO_DATE``: the Meeting column's order."""
    return Case(
        When(open_review_by(NO_DATE), then=F("latest_meeting_on")),
        default=Value(NO_DATE),
        output_field=DateField(),
    )


def worklist(
    children: QuerySet, today: datetime.date, *, weeks: int = review_clock.WORKLIST_WEEKS
) -> QuerySet:
    """The reviews worklist: of ``children`` (scoped to the user), those
    with a plan, alive and 25 or under, whose next review or phase transfer
    deadline is due within ``weeks`` weeks of ``today`` or overdue, or
    whose latest review's meeting falls in that time (or has been held)
    without the LA's decision recorded. One row per child, annotated by
    :func:`with_review_clock`; unordered."""
    horizon = today + datetime.timedelta(weeks=weeks)
    return (
        with_review_clock(children, today)
        .filter(has_plan(), date_of_death__isnull=True)
        .filter(date_of_birth__gt=review_clock.born_by(clock.OLDEST_AGE + 1, today))
        .filter(due_by(horizon) | open_review_by(horizon))
    )


def overdue(today: datetime.date) -> Q:
    """On annotated children: the next review or an owed phase transfer
    deadline has passed."""
    return due_by(today - datetime.timedelta(days=1))


def phase_transfer_owed() -> Q:
    """On annotated children: a phase transfer deadline this school year
    whose review is not done."""
    return Q(phase_from__isnull=False)


def preparing_for_adulthood() -> Q:
    """On annotated children: year 9 or above (SEND Regulations 2014 reg 20(6))."""
    return Q(year_group_now__gte=clock.PREPARING_FOR_ADULTHOOD_YEAR)


def adult_years(today: datetime.date) -> Q:
    """Aged 18 to 25 on ``today`` (Code of Practice chapter 8)."""
    youngest, oldest = review_clock.ADULT_YEARS
    return Q(
        date_of_birth__lte=review_clock.born_by(youngest, today),
        date_of_birth__gt=review_clock.born_by(oldest + 1, today),
    )


# --- Rows --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One step of a review: when it is due and when it was done (None:
    not recorded)."""

    due_on: datetime.date
    done_on: datetime.date | None

    @property
    def done(self) -> bool:
        return self.done_on is not None

    def overdue(self, today: datetime.date) -> bool:
        return not self.done and self.due_on < today


@dataclass(frozen=True)
class ReviewRow:
    """One child on the worklist (or the child's page): the clock, and the
    latest review while the LA's decision after it is not recorded."""

    child: Child
    clock: ReviewClock
    review: ReviewInput | None  # the review being arranged or awaiting its decision

    @property
    def counted_from(self) -> tuple[str, datetime.date] | None:
        """What the 12 months run from, in words, and its date: the last
        review held, else the first plan (None: neither recorded)."""
        plan, last = self.child.first_plan_on, self.child.last_reviewed_on
        if last is not None and (plan is None or last >= plan):
            return "the last review", last
        if plan is not None:
            return "the first plan", plan
        return None

    @property
    def steps(self) -> ReviewSteps | None:
        return review_clock.review_steps(self.review.meeting_on) if self.review else None

    @property
    def invitation(self) -> Step | None:
        r = self.review
        return Step(self.steps.invitation_due, r.invited_on) if r else None

    @property
    def advice(self) -> Step | None:
        r = self.review
        return Step(self.steps.advice_due, r.advice_sent_on) if r else None

    @property
    def decision(self) -> Step | None:
        r = self.review
        return Step(self.steps.decision_due, r.decision_on) if r else None


def clock_of(child: Child, today: datetime.date) -> ReviewClock:
    """The :class:`ReviewClock` of a child annotated by :func:`with_review_clock`."""
    return review_clock.review_clock(
        first_plan_on=child.first_plan_on,
        last_reviewed_on=child.last_reviewed_on,
        year_group=child.year_group_now,
        date_of_birth=child.date_of_birth,
        on=today,
        phase_done=child.phase_reviews > 0,
    )


def rows(children: list[Child], today: datetime.date) -> list[ReviewRow]:
    """Rows for annotated ``children`` (a page, already read): each child's
    open review, read for all of them in one query (with its service): the
    review with no decision recorded whose meeting is the child's latest
    (of two on that day, the one recorded last)."""
    undecided = [
        c.pk
        for c in children
        if c.latest_meeting_on is not None and c.latest_undecided_on == c.latest_meeting_on
    ]
    latest: dict[int, ReviewInput] = {}
    for review in (
        ReviewInput.objects.filter(child__in=undecided, decision_on__isnull=True)
        .select_related("service")
        .order_by("child_id", "-meeting_on", "-pk")
    ):
        latest.setdefault(review.child_id, review)
    return [ReviewRow(child=c, clock=clock_of(c, today), review=latest.get(c.pk)) for c in children]


def child_review(
    child: Child, *, user, today: datetime.date, recorded: bool | None = None
) -> ReviewRow | None:
    """The review clock shown on ``child``'s page (up to two queries), or
    None for a user who does not see the child's plans and reviews (a
    health practitioner sees only the requests addressed to their
    services: ``ChildRecordQuerySet``) or a child with no plan or review
    recorded. ``recorded`` False says the caller knows the child has no
    plan and no review (no query); None, not known."""
    if role_of(user) == Role.HEALTH_PRACTITIONER or recorded is False:
        return None
    annotated = (
        with_review_dates(Child.objects.filter(pk=child.pk), today)
        .annotate(
            plan_recorded=Case(
                When(has_plan(), then=True), default=False, output_field=BooleanField()
            )
        )
        .first()
    )
    if annotated is None or not annotated.plan_recorded:
        return None
    return rows([annotated], today)[0]
