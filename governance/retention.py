"""When a child's records fall due for erasure: the retention schedule as a
pure rule, dates in and a date out (docs/information-governance.md,
"Retention").

A child's records are due at the **later** of

- the NHS Records Management Code of Practice rule for children's records:
  until the 25th birthday, or the 26th if the young person was 17 when the
  work ended (here: on the day of the last activity on any of their
  records); where the child has died, 8 years after the death instead;
- 8 years after the last activity on any of their records.

The ages and years are a :class:`Policy` (settings ``RETENTION_*``), so an
organisation holding the records under another schedule, such as a local
authority's own for EHC files, sets its numbers without changing code.
Whether a record is open or under a legal hold is decided elsewhere: this
module only dates.

Edge cases, each tested: a birthday or anniversary on 29 February falls on
1 March in a common year (as :func:`ehc.clock.birthday`, so the records are
kept a day longer, never shorter); "17 when the work ended" is the age on
that day, so work ending on the 18th birthday is not at 17.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from ehc.clock import age_on, birthday


@dataclass(frozen=True)
class Policy:
    """The numbers of the schedule, in whole years."""

    until_age: int = 25
    until_age_if_17_at_end: int = 26
    years_after_activity: int = 8
    years_after_death: int = 8


class Rule:
    """Which rule set the date (stored on an erasure list's rows)."""

    AGE = "age"
    AGE_17 = "age_17"
    DEATH = "death"
    ACTIVITY = "activity"
    REQUEST = "request"  # not a schedule: erasure asked for by the family


@dataclass(frozen=True)
class Due:
    """The day the records fall due, the rule that decided it and its words."""

    on: datetime.date
    rule: str
    reason: str


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 25th, 26th, 31st."""
    if 10 <= n % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def years_after(day: datetime.date, years: int) -> datetime.date:
    """The anniversary ``years`` after ``day`` (29 February: 1 March in a
    common year)."""
    return birthday(day, years)


def code_rule(
    date_of_birth: datetime.date,
    work_ended_on: datetime.date,
    policy: Policy,
    date_of_death: datetime.date | None = None,
) -> Due:
    """The Code of Practice's date for a child's record: the
    ``until_age`` birthday, the ``until_age_if_17_at_end`` birthday when the
    young person was 17 on ``work_ended_on``, or ``years_after_death`` after
    a recorded death."""
    if date_of_death is not None:
        return Due(
            years_after(date_of_death, policy.years_after_death),
            Rule.DEATH,
            f"{policy.years_after_death} years after death",
        )
    if age_on(date_of_birth, work_ended_on) == 17:
        age = policy.until_age_if_17_at_end
        return Due(
            birthday(date_of_birth, age),
            Rule.AGE_17,
            f"{ordinal(age)} birthday (17 when the work ended)",
        )
    age = policy.until_age
    return Due(birthday(date_of_birth, age), Rule.AGE, f"{ordinal(age)} birthday")


def erasure_due(
    date_of_birth: datetime.date,
    last_activity: datetime.date,
    policy: Policy,
    date_of_death: datetime.date | None = None,
) -> Due:
    """The later of :func:`code_rule` (the work ending on ``last_activity``)
    and ``years_after_activity`` after ``last_activity``; on a tie, the Code's
    rule is named."""
    code = code_rule(date_of_birth, last_activity, policy, date_of_death)
    activity = years_after(last_activity, policy.years_after_activity)
    if activity > code.on:
        return Due(
            activity, Rule.ACTIVITY, f"{policy.years_after_activity} years after the last activity"
        )
    return code
