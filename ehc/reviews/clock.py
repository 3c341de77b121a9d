"""The annual review clock of a child with an EHC plan (pure: dates in,
dates out, no Django).

Sources (docs/domain.md, "The EHC process and health's clocks" and
"Preparing for adulthood"; docs/reviews.md):

- Children and Families Act 2014 s44(1): the plan is reviewed within "the
  period of 12 months starting with" the day it was first made, then the
  day it was last reviewed (:func:`ehc.clock.annual_review_due`). An
  amended plan does not restart the period; a review does. SEND Code of
  Practice 0-25 (2015) 9.166-9.179.
- SEND Regulations 2014 reg 20: invitations (including the health
  professional the commissioning body names) at least 2 weeks before the
  meeting; advice circulated at least 2 weeks before it (reg 20(4)); the
  LA's decision within 4 weeks of it (reg 20(10)); from year 9, the review
  covers preparing for adulthood (reg 20(6)).
- SEND Regulations 2014 reg 18(1), as amended: before a transfer between
  phases of education the review, and any amendment of the plan, is
  completed before 15 February of the year of the transfer, or before
  31 March from secondary school to post-16 education
  (:func:`ehc.clock.phase_transfer_deadline`).
- Code of Practice chapter 8: the move to adult services, and health
  assessments for young people aged 18 to 25.

Which year groups transfer: the portal knows a child's year group (recorded,
else from the date of birth) but not the kind of school, so it derives the
transfers every child makes whatever the school: from the early years into
reception (the year group before reception, "-1"), from primary to
secondary school (year 6) and from secondary school to post-16 education
(year 11). Infant to junior (year 2) and middle-school transfers depend on
the school, which the portal does not record.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from ehc import clock
from ehc.clock import Phase

WORKLIST_WEEKS = 8  # the reviews worklist: due within the next 8 weeks, or overdue
ADULT_YEARS = (18, 25)  # Code of Practice chapter 8: health assessments for 18 to 25

# Year group (reception is 0) -> the transfer at the end of that school year.
TRANSFER_YEAR_GROUPS: dict[int, Phase] = {
    -1: Phase.EARLY_YEARS_TO_PRIMARY,
    6: Phase.PRIMARY_TO_SECONDARY,
    11: Phase.SECONDARY_TO_POST_16,
}

PHASE_LABELS: dict[Phase, str] = {
    Phase.EARLY_YEARS_TO_PRIMARY: "Early years to school",
    Phase.INFANT_TO_JUNIOR: "Infant to junior school",
    Phase.PRIMARY_TO_MIDDLE: "Primary to middle school",
    Phase.MIDDLE_TO_SECONDARY: "Middle to secondary school",
    Phase.PRIMARY_TO_SECONDARY: "Primary to secondary school",
    Phase.SECONDARY_TO_POST_16: "Secondary school to post-16",
}

_DAY = datetime.timedelta(days=1)


def review_clock_start(
    first_plan_on: datetime.date | None, last_reviewed_on: datetime.date | None
) -> datetime.date | None:
    """The day the 12 months run from: the later of the day the plan was
    first made (the first *final* plan's issue date: an amended plan never
    counts) and the day it was last reviewed (``ReviewInput.reviewed_on`` of
    the latest review held). None when neither is known. CFA 2014 s44(1)."""
    known = [day for day in (first_plan_on, last_reviewed_on) if day is not None]
    return max(known) if known else None


def next_review_due(
    first_plan_on: datetime.date | None, last_reviewed_on: datetime.date | None
) -> datetime.date | None:
    """The last day for the next review (a date), or None when no plan or
    review is recorded: the end of the 12 months starting with
    :func:`review_clock_start` (CFA 2014 s44(1); a plan made on 14 March
    2025 is reviewed by 13 March 2026; 29 February: 28 February)."""
    start = review_clock_start(first_plan_on, last_reviewed_on)
    return None if start is None else clock.annual_review_due(start)


def latest_start_due_by(day: datetime.date) -> datetime.date:
    """The latest clock start whose review is due on or before ``day``.

    :func:`ehc.clock.annual_review_due` never decreases as its start moves
    later, so "the next review is due by ``day``" is "the clock started on
    or before this date": a comparison the database can make on a stored
    or computed start date, whatever its dialect's date arithmetic."""
    start = clock.add_months(day + _DAY, -12)
    while clock.annual_review_due(start + _DAY) <= day:
        start += _DAY
    while clock.annual_review_due(start) > day:
        start -= _DAY
    return start


def transfer_phase(year_group: int) -> Phase | None:
    """The phase transfer a child in ``year_group`` (reception 0, the year
    before it -1) makes at the end of the school year, or None (see the
    module for which transfers are derived)."""
    return TRANSFER_YEAR_GROUPS.get(year_group)


def phase_transfer_due(year_group: int, on: datetime.date) -> datetime.date | None:
    """The last day for the review and amendment before the child's phase
    transfer (a date), when the child is in a transfer year group on ``on``;
    otherwise None. The transfer is in the September after the school year
    containing ``on``, so the deadline is 14 February (30 March for post-16)
    of that school year's spring (SEND Regulations 2014 reg 18(1))."""
    phase = transfer_phase(year_group)
    if phase is None:
        return None
    return clock.phase_transfer_deadline(clock.school_year_start(on) + 1, phase)


def born_by(age: int, on: datetime.date) -> datetime.date:
    """The latest date of birth of someone aged at least ``age`` (whole
    years) on ``on``: someone born on 29 February attains an age on 1 March
    in a common year (:func:`ehc.clock.birthday`)."""
    try:
        return on.replace(year=on.year - age)
    except ValueError:  # on is 29 February; that year has none
        return datetime.date(on.year - age, 2, 28)


def in_adult_years(date_of_birth: datetime.date, on: datetime.date) -> bool:
    """Whether the young person is aged 18 to 25 on ``on`` (Code of
    Practice chapter 8: adult services and health assessments)."""
    youngest, oldest = ADULT_YEARS
    return youngest <= clock.age_on(date_of_birth, on) <= oldest


@dataclass(frozen=True)
class ReviewSteps:
    """The dates one review meeting sets (SEND Regulations 2014 reg 20)."""

    meeting_on: datetime.date
    invitation_due: datetime.date  # invitations out 2 weeks before
    advice_due: datetime.date  # advice circulated 2 weeks before (reg 20(4))
    decision_due: datetime.date  # the LA decides within 4 weeks after (reg 20(10))


def review_steps(meeting_on: datetime.date) -> ReviewSteps:
    return ReviewSteps(
        meeting_on=meeting_on,
        invitation_due=clock.review_invitation_due(meeting_on),
        advice_due=clock.review_advice_due(meeting_on),
        decision_due=clock.review_decision_due(meeting_on),
    )


@dataclass(frozen=True)
class ReviewClock:
    """A child's review clock on ``on``.

    - ``next_review_due``: :func:`next_review_due` (None: no plan or review).
    - ``phase``, ``phase_transfer_due``: the transfer this school year and
      its deadline, when the child is in a transfer year group; ``phase_done``
      when a phase transfer review's decision is recorded this school year.
    - ``preparing_for_adulthood``: year 9 or above (reg 20(6));
      ``adult_years``: aged 18 to 25.
    """

    on: datetime.date
    next_review_due: datetime.date | None
    phase: Phase | None
    phase_transfer_due: datetime.date | None
    phase_done: bool
    preparing_for_adulthood: bool
    adult_years: bool

    @property
    def phase_label(self) -> str:
        return PHASE_LABELS[self.phase] if self.phase else ""

    @property
    def phase_owed(self) -> bool:
        """A phase transfer deadline applies and its review is not done."""
        return self.phase_transfer_due is not None and not self.phase_done

    @property
    def due_on(self) -> datetime.date | None:
        """The earliest date owed: the next review, or the phase transfer
        deadline while its review is not done."""
        owed = [self.next_review_due]
        if self.phase_owed:
            owed.append(self.phase_transfer_due)
        known = [day for day in owed if day is not None]
        return min(known) if known else None

    @property
    def days_left(self) -> int | None:
        """Days until :attr:`due_on` (0 on the day, negative once overdue)."""
        return None if self.due_on is None else (self.due_on - self.on).days

    @property
    def overdue(self) -> bool:
        return self.due_on is not None and self.due_on < self.on

    @property
    def review_overdue(self) -> bool:
        return self.next_review_due is not None and self.next_review_due < self.on

    @property
    def phase_overdue(self) -> bool:
        return self.phase_owed and self.phase_transfer_due < self.on


def review_clock(
    *,
    first_plan_on: datetime.date | None,
    last_reviewed_on: datetime.date | None,
    year_group: int,
    date_of_birth: datetime.date,
    on: datetime.date,
    phase_done: bool = False,
) -> ReviewClock:
    """A child's :class:`ReviewClock` on ``on``, from the first final plan's
    issue date, the latest review held (its ``reviewed_on``), the child's
    year group on ``on`` (``Child.year_group_on``: recorded, else from the
    date of birth) and whether this school year's phase transfer review is
    done. Raises nothing."""
    return ReviewClock(
        on=on,
        next_review_due=next_review_due(first_plan_on, last_reviewed_on),
        phase=transfer_phase(year_group),
        phase_transfer_due=phase_transfer_due(year_group, on),
        phase_done=phase_done,
        preparing_for_adulthood=year_group >= clock.PREPARING_FOR_ADULTHOOD_YEAR,
        adult_years=in_adult_years(date_of_birth, on),
    )
