"""The statutory clocks of the EHC process that health is held to.

Pure functions: dates in, dates out, no Django. All limits are in calendar
days or weeks unless the name says "working days" (docs/domain.md, "The EHC
process and health's clocks"). Sources: Children and Families Act 2014 Part
3, the SEND Regulations 2014, the SEND Code of Practice 0-25 (2015).

Edge cases these functions decide, each tested:

- The 6-week clock for health advice starts on the day the health body
  *received* the LA's request, whatever day of the week that was: a request
  received on a Saturday is due six weeks later, on a Saturday. There is no
  weekend or school-holiday adjustment for health advice.
- Ages: a person attains an age at the start of the anniversary of their
  birth; someone born on 29 February attains it on 1 March in a common year
  (Family Law Reform Act 1969 s9 as generally applied: "check").
- "Within 12 months" of a review ends on the same date a year later, or the
  last day of February when the earlier date was 29 February.
"""

from __future__ import annotations

import datetime
from enum import StrEnum

HEALTH_ADVICE_WEEKS = 6  # reg 8(1)
ADVICE_BEFORE_REVIEW_WEEKS = 2  # reg 20: advice circulated 2 weeks before the meeting
REVIEW_NOTICE_WEEKS = 2  # reg 20: invitees get at least 2 weeks' notice
REVIEW_DECISION_WEEKS = 4  # reg 20(10): LA decides within 4 weeks of the meeting
MEDIATION_NOTICE_WORKING_DAYS = 3  # LA tells the commissioning body (check)
HEALTH_MEDIATION_DAYS = 30  # health-only mediation arranged within 30 days (check)
TRIBUNAL_RESPONSE_WEEKS = 5  # commissioning body answers health recommendations (check)

# 1 May - 25 September 2020: the reg 8 time limit was relaxed for coronavirus.
CORONAVIRUS_RELAXATION = (datetime.date(2020, 5, 1), datetime.date(2020, 9, 25))


class Reg8Exception(StrEnum):
    """The only lawful exceptions to the 6-week limit (reg 8(2)).

    A waiting list is not one of them, and there is no school-holiday
    exception for health advice.
    """

    EXCEPTIONAL_CIRCUMSTANCES = "exceptional_circumstances"  # (a) affecting child or parent
    ABSENT_FROM_AREA = "absent_from_area"  # (b) 4+ continuous weeks away from the area
    MISSED_APPOINTMENT = "missed_appointment"  # (c) missed an examination or test


class Phase(StrEnum):
    EARLY_YEARS_TO_PRIMARY = "early_years_to_primary"
    INFANT_TO_JUNIOR = "infant_to_junior"
    PRIMARY_TO_MIDDLE = "primary_to_middle"
    MIDDLE_TO_SECONDARY = "middle_to_secondary"
    PRIMARY_TO_SECONDARY = "primary_to_secondary"
    SECONDARY_TO_POST_16 = "secondary_to_post_16"


# --- Small date helpers ----------------------------------------------------------


def add_months(day: datetime.date, months: int) -> datetime.date:
    """Same day ``months`` later, clamped to the end of a shorter month."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    last = _last_day_of_month(year, month)
    return datetime.date(year, month, min(day.day, last))


def _last_day_of_month(year: int, month: int) -> int:
    following = datetime.date(year + (month == 12), month % 12 + 1, 1)
    return (following - datetime.timedelta(days=1)).day


def birthday(date_of_birth: datetime.date, age: int) -> datetime.date:
    """The day a person attains ``age`` (29 February births: 1 March in a
    common year)."""
    year = date_of_birth.year + age
    try:
        return date_of_birth.replace(year=year)
    except ValueError:  # 29 February in a common year
        return datetime.date(year, 3, 1)


def age_on(date_of_birth: datetime.date, on: datetime.date) -> int:
    """Age in whole years on ``on``."""
    years = on.year - date_of_birth.year
    if on < birthday(date_of_birth, years):
        years -= 1
    return years


def school_year_start(day: datetime.date) -> int:
    """The calendar year in which the school year containing ``day`` began
    (school years run 1 September to 31 August)."""
    return day.year if day.month >= 9 else day.year - 1


def last_weekday_of_month(year: int, month: int, weekday: int) -> datetime.date:
    """``weekday`` uses Python's numbering: Monday 0 ... Friday 4."""
    last = datetime.date(year, month, _last_day_of_month(year, month))
    return last - datetime.timedelta(days=(last.weekday() - weekday) % 7)


# --- Health advice (reg 8) -----------------------------------------------------------


def health_advice_due(received_on: datetime.date) -> datetime.date:
    """The last day for health advice: 6 weeks from the day the health body
    received the LA's request (no adjustment for weekends or holidays)."""
    return received_on + datetime.timedelta(weeks=HEALTH_ADVICE_WEEKS)


REVIEW_PROCESSES = frozenset({"annual_review", "phase_transfer"})


def advice_due(
    process: str, received_on: datetime.date, meeting_on: datetime.date | None = None
) -> datetime.date:
    """The last day for a request's health advice (a date).

    - Advice for an annual or phase transfer review (``process``
      "annual_review" or "phase_transfer") with its meeting date known: 2
      weeks before the meeting, when the LA circulates it (SEND
      Regulations 2014 reg 20(4)).
    - Everything else, and a review whose meeting date is not recorded: 6
      weeks from the day health received the request. For EHC needs
      assessments and re-assessments that is the statutory limit (reg 8(1),
      reg 26); for mediation and tribunal work, which have no statutory
      limit for health advice, it is the portal's working standard, and the
      reports show it apart from reg 8 (docs/reports.md).
    """
    if process in REVIEW_PROCESSES and meeting_on is not None:
        return review_advice_due(meeting_on)
    return health_advice_due(received_on)


def contribution_due(
    process: str,
    request_due: datetime.date,
    service_received_on: datetime.date | None,
) -> datetime.date:
    """One service's statutory due date (a date).

    When the LA asked the service (or its body) directly, reg 8(1)'s 6 weeks
    run from the day *that body* received the LA's request
    (``service_received_on``); otherwise the service shares the request's
    due date (``request_due``, from :func:`advice_due`). Review advice is
    due before the meeting however the service was asked (reg 20(4)).
    """
    if service_received_on is None or process in REVIEW_PROCESSES:
        return request_due
    return health_advice_due(service_received_on)


def exception_date_in_window(
    event_on: datetime.date, received_on: datetime.date, due_on: datetime.date
) -> bool:
    """Whether the day of an absence (reg 8(2)(b)) or a missed appointment
    (reg 8(2)(c)) falls within the 6 weeks it is said to excuse: on or
    after the day the request was received and on or before the due date."""
    return received_on <= event_on <= due_on


def days_remaining(due: datetime.date, today: datetime.date) -> int:
    """Days left until ``due`` (0 on the day itself, negative once overdue)."""
    return (due - today).days


def returned_on_time(due: datetime.date, returned_on: datetime.date | None) -> bool | None:
    """True/False once returned; None while outstanding."""
    if returned_on is None:
        return None
    return returned_on <= due


def counts_as_timely(
    due: datetime.date,
    returned_on: datetime.date | None,
    exception: Reg8Exception | str | None,
    *,
    excluding_exceptions: bool,
) -> bool | None:
    """Timeliness of one contribution for reporting.

    Reports give the figure both ways (docs/domain.md, "Exceptions to the
    6-week limit"): *including* excepted cases, where every late return is
    late, and *excluding* them, where a contribution with a lawful reg 8(2)
    exception is left out of the calculation (returns None, "not counted").
    Anything other than the three reg 8(2) reasons is rejected.
    """
    if exception is not None and exception != "":
        exception = Reg8Exception(exception)  # ValueError for anything unlawful
        if excluding_exceptions:
            return None
    return returned_on_time(due, returned_on)


def coronavirus_relaxation_applied(received_on: datetime.date) -> bool:
    """Whether the 2020 coronavirus relaxation of reg 8 covered a request
    whose 6-week period overlapped 1 May - 25 September 2020."""
    start, end = CORONAVIRUS_RELAXATION
    return received_on <= end and health_advice_due(received_on) >= start


# --- Compulsory school age ------------------------------------------------------------


def compulsory_school_age_start(date_of_birth: datetime.date) -> datetime.date:
    """The first prescribed day (31 December, 31 March or 31 August) on or
    after the child's fifth birthday."""
    fifth = birthday(date_of_birth, 5)
    for year in (fifth.year, fifth.year + 1):
        for month, day in ((3, 31), (8, 31), (12, 31)):
            prescribed = datetime.date(year, month, day)
            if prescribed >= fifth:
                return prescribed
    raise AssertionError("unreachable")  # pragma: no cover


def compulsory_school_age_end(date_of_birth: datetime.date) -> datetime.date:
    """The last Friday in June of the school year in which the child turns 16."""
    sixteenth = birthday(date_of_birth, 16)
    year_of_june = school_year_start(sixteenth) + 1
    return last_weekday_of_month(year_of_june, 6, 4)


def is_child(date_of_birth: datetime.date, on: datetime.date) -> bool:
    """A *child* is of or under compulsory school age; over it, a *young person*."""
    return on <= compulsory_school_age_end(date_of_birth)


def under_compulsory_school_age(date_of_birth: datetime.date, on: datetime.date) -> bool:
    """Section 23 notifications apply only before compulsory school age starts."""
    return on < compulsory_school_age_start(date_of_birth)


# --- Reviews ------------------------------------------------------------------------------


def annual_review_due(last_review_on: datetime.date) -> datetime.date:
    """The last day on which a plan may be reviewed: the end of "the period
    of 12 months starting with" the day the plan was first made, then the
    day it was last reviewed (Children and Families Act 2014 s44(1)).

    The period includes its first day, so it ends the day before the
    anniversary (14 March 2025 -> 13 March 2026). Where the anniversary does
    not exist (a plan made on 29 February) the period ends with the month:
    28 February. An amended plan does not restart the clock; which date
    counts as "reviewed" is the caller's choice (docs/domain.md).
    """
    anniversary = add_months(last_review_on, 12)
    if anniversary.day != last_review_on.day:  # 29 February: no anniversary
        return anniversary
    return anniversary - datetime.timedelta(days=1)


def review_advice_due(meeting_on: datetime.date) -> datetime.date:
    """Advice is circulated at least 2 weeks before the review meeting."""
    return meeting_on - datetime.timedelta(weeks=ADVICE_BEFORE_REVIEW_WEEKS)


def review_invitation_due(meeting_on: datetime.date) -> datetime.date:
    """Invitations (including the named health professional) go out at least
    2 weeks before the meeting."""
    return meeting_on - datetime.timedelta(weeks=REVIEW_NOTICE_WEEKS)


def review_decision_due(meeting_on: datetime.date) -> datetime.date:
    return meeting_on + datetime.timedelta(weeks=REVIEW_DECISION_WEEKS)


def phase_transfer_deadline(transfer_year: int, phase: Phase | str) -> datetime.date:
    """The last day on which the review, and any amendment, before a phase
    transfer may be completed: they must be done *before* 15 February of the
    calendar year of the transfer, or before 31 March for a move from
    secondary school to post-16 education (SEND Regulations 2014 reg 18(1),
    as amended), so 14 February or 30 March. ``transfer_year`` is the year
    of the September in which the child moves."""
    if Phase(phase) == Phase.SECONDARY_TO_POST_16:
        return datetime.date(transfer_year, 3, 30)
    return datetime.date(transfer_year, 2, 14)


def post_16_transfer_deadline(transfer_on: datetime.date) -> datetime.date:
    """The last day for the review and amendment before a young person moves
    from one post-16 institution to another: at least 5 months before the
    transfer (SEND Regulations 2014 reg 18(2)), so the same day 5 months
    earlier (the month's last day where that day does not exist)."""
    return add_months(transfer_on, -5)


# --- Year groups -------------------------------------------------------------------


PREPARING_FOR_ADULTHOOD_YEAR = 9  # reg 20(6): reviews from year 9 on


def year_group(date_of_birth: datetime.date, on: datetime.date) -> int:
    """The national curriculum year group a child born on ``date_of_birth``
    is in on ``on``, if in the year group for their age: the year in which
    most of the class turn N + 5 during the school year (1 September to
    31 August), so reception is 0 and year 9 is the year they turn 14
    (Education Act 2002 s82, used by SEND Regulations 2014 reg 2). Negative
    before reception; past 13 after year 13."""
    return school_year_start(on) - school_year_start(date_of_birth) - 5


def recorded_year_group_on(
    recorded_year_group: int, recorded_on: datetime.date, on: datetime.date
) -> int:
    """The year group on ``on`` of a child recorded in ``recorded_year_group``
    on ``recorded_on``: one year up for each 1 September since (a child
    taught out of their age group moves up with their class)."""
    return recorded_year_group + school_year_start(on) - school_year_start(recorded_on)


def preparing_for_adulthood(
    date_of_birth: datetime.date, on: datetime.date, *, recorded_year_group: int | None = None
) -> bool:
    """Whether reviews must cover preparing for adulthood: from year 9
    onwards (SEND Regulations 2014 reg 20(6)), not from the 14th birthday.
    The year group comes from the date of birth unless the child's own
    year group is recorded (a child taught out of their age group)."""
    group = year_group(date_of_birth, on) if recorded_year_group is None else recorded_year_group
    return group >= PREPARING_FOR_ADULTHOOD_YEAR


# --- Mediation and tribunal ------------------------------------------------------------------


def add_working_days(
    start: datetime.date, days: int, holidays: frozenset[datetime.date] | set = frozenset()
) -> datetime.date:
    """The date ``days`` working days after ``start`` (Monday to Friday, not
    a bank holiday). ``start`` itself does not count."""
    if days < 0:
        raise ValueError("days must not be negative")
    current = start
    remaining = days
    while remaining:
        current += datetime.timedelta(days=1)
        if current.weekday() < 5 and current not in holidays:
            remaining -= 1
    return current


def mediation_notice_due(
    requested_on: datetime.date, holidays: frozenset[datetime.date] | set = frozenset()
) -> datetime.date:
    """The LA tells each relevant commissioning body within 3 working days."""
    return add_working_days(requested_on, MEDIATION_NOTICE_WORKING_DAYS, holidays)


def health_mediation_due(notified_on: datetime.date) -> datetime.date:
    """Health-only mediation is arranged within 30 days of the notice."""
    return notified_on + datetime.timedelta(days=HEALTH_MEDIATION_DAYS)


def tribunal_response_due(recommendation_received_on: datetime.date) -> datetime.date:
    """The commissioning body answers tribunal health recommendations in
    writing within 5 weeks (check: kept as a constant to revise)."""
    return recommendation_received_on + datetime.timedelta(weeks=TRIBUNAL_RESPONSE_WEEKS)


# Age groups used by the worklist filter and the reports:
# key -> (label, youngest, oldest), ages in whole years.
AGE_GROUP_RANGES = {
    "under_5": ("Under 5", 0, 4),
    "5_10": ("5 to 10", 5, 10),
    "11_15": ("11 to 15", 11, 15),
    "16_17": ("16 to 17", 16, 17),
    "18_25": ("18 to 25", 18, 25),
}

# How long a contribution has been overdue on a day, in the reports' bands:
# key -> fewest and most whole days past its due date (None: no upper limit).
OVERDUE_AGES = (("1-2w", 1, 14), ("2-4w", 15, 28), ("4-8w", 29, 56), ("8w+", 57, None))


def overdue_age(days: int) -> str:
    """The band of :data:`OVERDUE_AGES` of a contribution ``days`` days
    (1 or more) past its due date; "1-2w" for fewer."""
    for key, low, high in OVERDUE_AGES:
        if days >= low and (high is None or days <= high):
            return key
    return OVERDUE_AGES[0][0]


# --- Who and when the portal records ----------------------------------------------

OLDEST_AGE = 25  # the SEND system covers children and young people 0 to 25
EHC_SYSTEM_START = datetime.date(2014, 9, 1)  # Children and Families Act 2014 Part 3 in force


def over_age_limit(date_of_birth: datetime.date, on: datetime.date) -> bool:
    """True when the person is older than 25 on ``on`` (past the SEND system)."""
    return age_on(date_of_birth, on) > OLDEST_AGE


def before_ehc_system(day: datetime.date) -> bool:
    """True for a date before EHC plans began (1 September 2014): a mistyped year."""
    return day < EHC_SYSTEM_START
