"""The groups of children and young people the worklist filters by and the
reports break requests down by (docs/ehc.md, "Groups"): preparing for
adulthood (year 9 and above), young people aged 18 to 25, looked after,
electively home educated, known to youth justice and eligible for
continuing care.

Two forms of one rule: :func:`condition` is the rule as a query (the
worklist and the children list filter by it, in the database, so the
worklist's ids-first page keeps its queries: docs/decisions/0009), and
:func:`groups_of` the same rule over plain values (the reports count each
request's child on the day health received it). Year 9 follows
:func:`ehc.clock.preparing_for_adulthood` (SEND Regulations 2014 reg 20(6):
the year group, recorded or for the age, not the 14th birthday); 18 to 25
follows :func:`ehc.clock.age_on` (SEND Code of Practice 2015, chapter 8:
preparing for adulthood and support up to 25). The four
flags are as recorded on the child now: the portal keeps no history of
them.
"""

from __future__ import annotations

import datetime
import operator
from functools import reduce

from django.db.models import Q

from ehc import clock

YEAR_9 = "year_9"
AGED_18_TO_25 = "18_25"
LOOKED_AFTER = "looked_after"
HOME_EDUCATED = "home_educated"
YOUTH_JUSTICE = "youth_justice"
CONTINUING_CARE = "continuing_care"

# key -> label, in the order filters and tables show them.
GROUPS: dict[str, str] = {
    YEAR_9: "Year 9 or above (preparing for adulthood)",
    AGED_18_TO_25: "Aged 18 to 25",
    LOOKED_AFTER: "Looked after",
    HOME_EDUCATED: "Electively home educated",
    YOUTH_JUSTICE: "Known to youth justice",
    CONTINUING_CARE: "Eligible for continuing care",
}
# The child's flag behind each flag group.
FLAGS: dict[str, str] = {
    LOOKED_AFTER: "looked_after",
    HOME_EDUCATED: "electively_home_educated",
    YOUTH_JUSTICE: "known_to_youth_justice",
    CONTINUING_CARE: "continuing_care",
}
# The child's fields :func:`groups_of` takes after the date of birth, in order.
FIELDS = ("year_group", "year_group_recorded_on", *FLAGS.values())

YOUNGEST_ADULT, OLDEST = 18, clock.OLDEST_AGE
_YEAR_GROUPS = range(0, 15)  # reception to year 14, as a child's record may hold


def groups_of(
    born: datetime.date,
    on: datetime.date,
    year_group: int | None,
    year_group_recorded_on: datetime.date | None,
    *flags: bool,
) -> list[str]:
    """The group keys a child born on ``born`` is in on ``on``: their
    recorded ``year_group`` (dated ``year_group_recorded_on``; None: the year
    group for their age) and the flags in :data:`FLAGS`' order (looked
    after, electively home educated, youth justice, continuing care)."""
    recorded = None
    if year_group is not None and year_group_recorded_on is not None:
        recorded = clock.recorded_year_group_on(year_group, year_group_recorded_on, on)
    groups = []
    if clock.preparing_for_adulthood(born, on, recorded_year_group=recorded):
        groups.append(YEAR_9)
    if YOUNGEST_ADULT <= clock.age_on(born, on) <= OLDEST:
        groups.append(AGED_18_TO_25)
    groups += [key for key, flag in zip(FLAGS, flags, strict=True) if flag]
    return groups


def condition(key: str, today: datetime.date, *, via: str = "") -> Q:
    """The children in group ``key`` on ``today`` as a query on the child's
    fields (``via``: the path to the child, such as ``"child__"`` from a
    request). Raises KeyError for an unknown key."""
    if key in FLAGS:
        return Q(**{f"{via}{FLAGS[key]}": True})
    if key == AGED_18_TO_25:
        latest = clock.add_months(today, -12 * YOUNGEST_ADULT)
        earliest = clock.add_months(today, -12 * (OLDEST + 1)) + datetime.timedelta(days=1)
        return Q(**{f"{via}date_of_birth__range": (earliest, latest)})
    if key == YEAR_9:
        return _year_9(today, via)
    raise KeyError(key)


def _year_9(today: datetime.date, via: str) -> Q:
    """Year 9 or above on ``today``. For the age: born before 1 September
    of the year 13 years before this school year began
    (:func:`ehc.clock.year_group` >= 9). Recorded as year ``g`` on day
    ``r``: ``g`` plus the Septembers since ``r`` >= 9, so recorded before
    1 September of the school year ``9 - g`` years before this one, plus one
    (:func:`ehc.clock.recorded_year_group_on`)."""
    year = clock.school_year_start(today)
    need = clock.PREPARING_FOR_ADULTHOOD_YEAR
    for_age = (
        Q(**{f"{via}year_group__isnull": True})
        | Q(**{f"{via}year_group_recorded_on__isnull": True})
    ) & Q(**{f"{via}date_of_birth__lt": datetime.date(year - need - 5 + 1, 9, 1)})
    recorded = [
        Q(
            **{
                f"{via}year_group": group,
                f"{via}year_group_recorded_on__lt": datetime.date(year + group - need + 1, 9, 1),
            }
        )
        for group in _YEAR_GROUPS
    ]
    return reduce(operator.or_, recorded, for_age)
