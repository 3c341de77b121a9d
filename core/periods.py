"""Reporting periods on the NHS financial year.

Domain-free (used by reports and by the officers' CPD year alike). Pure
functions: dates in, ``Period`` values out; no Django. The NHS financial
year runs from 1 April to 31 March and is named by the calendar year it
starts in: financial year 2026 ("2026/27") is 1 April 2026 to 31 March 2027.
Its quarters are Q1 April-June, Q2 July-September, Q3 October-December and
Q4 January-March, so Q4 falls in the *next* calendar year: February 2027 is
in Q4 2026/27.

Periods are inclusive at both ends. Three kinds:

- "quarter" and "year": one financial quarter or year. A report running
  "to date" clips one to today (``clipped``); the clipped period keeps its
  kind, label and slug, because it is still "Q1 2026/27, so far".
- "custom": any range a user picks, at most three years long.

Slugs go into URLs and select boxes and come back through ``parse_period``,
which is the only door for user input: anything malformed, however odd,
raises ValueError with a sentence fit to show the user.

Edge cases decided here, each tested:

- ``year_earlier`` maps 29 February to 28 February.
- ``previous`` of a clipped quarter or year is the whole preceding one.
- A custom range may be exactly three years long (1 April 2023 to 31 March
  2026) but not a day longer.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

QUARTER = "quarter"
YEAR = "year"
CUSTOM = "custom"
KINDS = (QUARTER, YEAR, CUSTOM)

FIRST_MONTH = 4  # the financial year starts in April
MAX_CUSTOM_YEARS = 3
# Years a slug may name. Anything outside is a typo or a probe, not a report.
EARLIEST_YEAR = 2000
LATEST_YEAR = 2100

# Fixed English names: strftime("%B") would follow the server's locale.
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

ONE_DAY = datetime.timedelta(days=1)


# --- Date helpers ------------------------------------------------------------


def _same_day_years_later(d: datetime.date, years: int, leap_day_to: str) -> datetime.date:
    """d moved by whole years; 29 February becomes leap_day_to ("28 Feb" or "1 Mar")."""
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February into a common year
        if leap_day_to == "1 Mar":
            return datetime.date(d.year + years, 3, 1)
        return datetime.date(d.year + years, 2, 28)


def format_date(d: datetime.date) -> str:
    """ "1 April 2026": in English whatever the server's language."""
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def _year_label(fy: int) -> str:
    return f"{fy}/{(fy + 1) % 100:02d}"


def financial_year_start(d: datetime.date) -> datetime.date:
    """1 April starting the NHS financial year that contains ``d``.

    The one place the financial year's first day is decided; everything
    else here (and the officers' CPD year) derives from it.
    """
    year = d.year if d.month >= FIRST_MONTH else d.year - 1
    return datetime.date(year, FIRST_MONTH, 1)


def financial_year_of(d: datetime.date) -> int:
    """The financial year d falls in, named by its starting calendar year."""
    return financial_year_start(d).year


def quarter_of(d: datetime.date) -> int:
    """1 for April-June, 2 for July-September, 3 for October-December, 4 for January-March."""
    return (d.month - FIRST_MONTH) % 12 // 3 + 1


def _quarter_start(fy: int, q: int) -> datetime.date:
    month = FIRST_MONTH + 3 * (q - 1)
    if month > 12:
        return datetime.date(fy + 1, month - 12, 1)
    return datetime.date(fy, month, 1)


def _quarter_bounds(fy: int, q: int) -> tuple[datetime.date, datetime.date]:
    next_start = _quarter_start(fy + 1, 1) if q == 4 else _quarter_start(fy, q + 1)
    return _quarter_start(fy, q), next_start - ONE_DAY


def _year_bounds(fy: int) -> tuple[datetime.date, datetime.date]:
    return _quarter_start(fy, 1), _quarter_start(fy + 1, 1) - ONE_DAY


# --- Period ------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """An inclusive range of dates, with the kind that decides its label.

    A "quarter" must start on the first day of a financial quarter and end
    inside it; a "year" likewise for a financial year. Build them with
    ``quarter``, ``financial_year`` and ``custom`` rather than directly.
    """

    start: datetime.date
    end: datetime.date
    kind: str

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {self.kind!r}")
        if self.end < self.start:
            raise ValueError(f"a period cannot end ({self.end}) before it starts ({self.start})")
        if self.kind == QUARTER:
            start, end = _quarter_bounds(financial_year_of(self.start), quarter_of(self.start))
            if self.start != start or self.end > end:
                raise ValueError(f"{self.start} to {self.end} is not (part of) one quarter")
        elif self.kind == YEAR:
            start, end = _year_bounds(financial_year_of(self.start))
            if self.start != start or self.end > end:
                raise ValueError(f"{self.start} to {self.end} is not (part of) one financial year")

    # The financial year and quarter a quarter- or year-kind period names.
    @property
    def _fy(self) -> int:
        return financial_year_of(self.start)

    @property
    def _q(self) -> int:
        return quarter_of(self.start)

    @property
    def label(self) -> str:
        """For people: "Q1 2026/27", "2026/27" or "1 May 2026 to 30 June 2026"."""
        if self.kind == QUARTER:
            return f"Q{self._q} {_year_label(self._fy)}"
        if self.kind == YEAR:
            return _year_label(self._fy)
        return f"{format_date(self.start)} to {format_date(self.end)}"

    @property
    def slug(self) -> str:
        """For URLs: "2026-q1", "2026" or "2026-05-01_2026-06-30"; ``parse_period`` reads it back.

        A clipped quarter or year gives the slug of the whole one.
        """
        if self.kind == QUARTER:
            return f"{self._fy}-q{self._q}"
        if self.kind == YEAR:
            return str(self._fy)
        return f"{self.start.isoformat()}_{self.end.isoformat()}"

    @property
    def days(self) -> int:
        """How many days the period covers, both ends included."""
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The whole quarter or financial year before this one; for a custom
        period of whole months, the same number of whole months before it
        (July to September: April to June); for any other custom period,
        one of the same length in days ending the day before this one
        starts."""
        if self.kind == QUARTER:
            return quarter_containing(self.start - ONE_DAY)
        if self.kind == YEAR:
            return financial_year(self._fy - 1)
        end = self.start - ONE_DAY
        if self.start.day == 1 and (self.end + ONE_DAY).day == 1:
            months = (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1
            index = self.start.year * 12 + self.start.month - 1 - months
            return Period(datetime.date(index // 12, index % 12 + 1, 1), end, CUSTOM)
        return Period(end - datetime.timedelta(days=self.days - 1), end, CUSTOM)

    def year_earlier(self) -> Period:
        """The same dates a year before (29 February becomes 28 February), same kind."""
        return Period(
            _same_day_years_later(self.start, -1, leap_day_to="28 Feb"),
            _same_day_years_later(self.end, -1, leap_day_to="28 Feb"),
            self.kind,
        )

    def quarters(self) -> list[Period]:
        """The whole financial quarters this period touches, oldest first."""
        result = [quarter_containing(self.start)]
        while result[-1].end < self.end:
            result.append(quarter_containing(result[-1].end + ONE_DAY))
        return result

    def __contains__(self, d: datetime.date) -> bool:
        return self.start <= d <= self.end

    def overlaps(self, other: Period) -> bool:
        """True when the two periods share at least one day."""
        return self.start <= other.end and other.start <= self.end

    def clipped(self, to: datetime.date) -> Period:
        """This period ending no later than ``to``, e.g. a quarter "to date".

        Raises ValueError when ``to`` is before the period starts: there is
        nothing of it left.
        """
        if to >= self.end:
            return self
        if to < self.start:
            raise ValueError(f"{self.label} starts after {format_date(to)}")
        return Period(self.start, to, self.kind)


# --- Constructors ------------------------------------------------------------


def quarter(fy: int, q: int) -> Period:
    """Quarter q (1-4) of financial year fy: quarter(2026, 4) is January-March 2027."""
    if q not in (1, 2, 3, 4):
        raise ValueError(f"a financial year has quarters 1 to 4, not {q}")
    return Period(*_quarter_bounds(fy, q), QUARTER)


def financial_year(fy: int) -> Period:
    """1 April fy to 31 March fy + 1."""
    return Period(*_year_bounds(fy), YEAR)


def quarter_containing(d: datetime.date) -> Period:
    return quarter(financial_year_of(d), quarter_of(d))


def custom(start: datetime.date, end: datetime.date) -> Period:
    """Any range from start to end inclusive, at most three years long."""
    if end < start:
        raise ValueError(
            f"The period ends ({format_date(end)}) before it starts ({format_date(start)})."
        )
    # Three years on from start, less a day; a 29 February start counts its
    # anniversary as 1 March, so the longest range still ends on 28 February.
    latest = _same_day_years_later(start, MAX_CUSTOM_YEARS, leap_day_to="1 Mar") - ONE_DAY
    if end > latest:
        raise ValueError(
            f"A period can be at most {MAX_CUSTOM_YEARS} years long; "
            f"from {format_date(start)} the latest end date is {format_date(latest)}."
        )
    return Period(start, end, CUSTOM)


def recent_quarters(today: datetime.date, n: int) -> list[Period]:
    """The n quarters up to and including the one containing today, oldest first."""
    if n < 0:
        raise ValueError(f"n cannot be negative (got {n})")
    result: list[Period] = []
    current = quarter_containing(today)
    for _ in range(n):
        result.append(current)
        current = current.previous()
    result.reverse()
    return result


# --- Parsing and choices -----------------------------------------------------

# [0-9], not \d: \d also matches other scripts' digits, which int() accepts.
_QUARTER_SLUG = re.compile(r"([0-9]{4})-[qQ]([0-9])")
_YEAR_SLUG = re.compile(r"[0-9]{4}")
_CUSTOM_SLUG = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})_([0-9]{4}-[0-9]{2}-[0-9]{2})")
_EXPECTED = (
    'Use a quarter like "2026-q1", a financial year like "2026" '
    'or dates like "2026-05-01_2026-06-30".'
)


def _shown(value: str) -> str:
    """The user's input, shortened, for quoting back in an error message."""
    return value if len(value) <= 30 else value[:30] + "…"


def _check_year(year: int, value: str) -> None:
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise ValueError(
            f'"{_shown(value)}" is not a period we report on: '
            f"years run from {EARLIEST_YEAR} to {LATEST_YEAR}."
        )


def _parse_date(text: str, value: str) -> datetime.date:
    try:
        d = datetime.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f'"{_shown(value)}" contains {text}, which is not a real date.') from None
    _check_year(d.year, value)
    return d


def parse_period(value: str) -> Period:
    """The Period a slug names. Surrounding spaces and the case of "q" are ignored.

    Raises ValueError, and nothing else, for any input that is not a slug
    (None and other non-strings included).
    """
    if not isinstance(value, str):
        raise ValueError(f"No period given. {_EXPECTED}")
    text = value.strip()
    if match := _QUARTER_SLUG.fullmatch(text):
        fy, q = int(match[1]), int(match[2])
        _check_year(fy, text)
        if not 1 <= q <= 4:
            raise ValueError(f'"{_shown(text)}" is not a period: quarters run from Q1 to Q4.')
        return quarter(fy, q)
    if _YEAR_SLUG.fullmatch(text):
        fy = int(text)
        _check_year(fy, text)
        return financial_year(fy)
    if match := _CUSTOM_SLUG.fullmatch(text):
        start = _parse_date(match[1], text)
        end = _parse_date(match[2], text)
        return custom(start, end)
    raise ValueError(f'"{_shown(text)}" is not a period. {_EXPECTED}')


def PERIOD_CHOICES(today: datetime.date, years: int = 3) -> list[tuple[str, str]]:
    """(slug, label) pairs for a select box, newest first.

    The current financial year and the years - 1 before it, each followed by
    its quarters, newest first. Quarters that have not started by ``today``
    are left out: there is nothing to report for them yet. (Upper-case
    because it stands where a form would otherwise name a choices constant.)
    """
    if years < 1:
        raise ValueError(f"years must be at least 1 (got {years})")
    newest = financial_year_of(today)
    choices: list[tuple[str, str]] = []
    for fy in range(newest, newest - years, -1):
        year = financial_year(fy)
        choices.append((year.slug, year.label))
        for q in range(4, 0, -1):
            period = quarter(fy, q)
            if period.start <= today:
                choices.append((period.slug, period.label))
    return choices
