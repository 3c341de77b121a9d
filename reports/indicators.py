"""The shapes report figures come in, and the bands they are counted in.

Plain values, no queries: :class:`Scope` (what a report covers),
:class:`PeriodMetrics` (every indicator for one period, exact),
:class:`Report` (a period with the one before, a year earlier and the trend
quarters), :class:`Share` and :class:`Stat`. ``reports.metrics`` fills them
from the database; ``reports.presentation`` shows them.

Bands: the age when health received a request (the worklist's age groups,
in years) and how long a contribution has been overdue (in days).
"""

from __future__ import annotations

import datetime
import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from core.periods import Period
from ehc.clock import AGE_GROUP_RANGES
from ehc.models import Process

# Age when health received the request, in the worklist's age groups.
AGE_BANDS = tuple(
    (key, youngest, oldest) for key, (_, youngest, oldest) in AGE_GROUP_RANGES.items()
)
AGE_BAND_LABELS = {key: label for key, (label, _, _) in AGE_GROUP_RANGES.items()}
OVERDUE_AGE_LABELS = {
    "1-2w": "Up to 2 weeks overdue",
    "2-4w": "2 to 4 weeks overdue",
    "4-8w": "4 to 8 weeks overdue",
    "8w+": "More than 8 weeks overdue",
}
NO_REASON = ""
# Overdue with a reg 8(2) exception recorded: lawfully late, still owed. Its
# own row in "overdue by reason", whatever late reason it also has.
LAWFUL_EXCEPTION = "lawful_exception"


def overdue_reason(excepted: bool, late_reason: str) -> str:
    """The "overdue by reason" row of an overdue contribution: the lawful
    exception's if one is recorded, else its late reason, or none given."""
    return LAWFUL_EXCEPTION if excepted else late_reason or NO_REASON


# Advice whose deadline is not reg 8's 6 weeks, each measured against its
# own due date and reported apart from the 6-week rate (docs/reports.md,
# "Which advice each timeliness measure covers"): process -> the row's
# label, saying what "on time" means.
WORKING_STANDARD = "a working standard of 6 weeks; no statutory limit for health advice"
OTHER_DEADLINES = {
    Process.ANNUAL_REVIEW: "Annual reviews: returned at least 2 weeks before the review "
    "meeting (reg 20(4))",
    Process.PHASE_TRANSFER: "Phase transfer reviews: returned at least 2 weeks before the "
    "review meeting (reg 20(4))",
    Process.MEDIATION: f"Mediation: returned by the date asked ({WORKING_STANDARD})",
    Process.TRIBUNAL: f"Tribunal: returned by the date asked ({WORKING_STANDARD})",
}


def age_band(age: int) -> str:
    for key, low, high in AGE_BANDS:
        if low <= age <= high:
            return key
    return AGE_BANDS[-1][0] if age > AGE_BANDS[-1][2] else AGE_BANDS[0][0]


def percentile(values: list[int], fraction: float) -> float | None:
    """The ``fraction`` percentile by linear interpolation between the two
    nearest ranks (the method spreadsheets call PERCENTILE.INC)."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low = math.floor(position)
    high = math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def percentile_of_counts(counts: Mapping[int, int], fraction: float) -> float | None:
    """:func:`percentile` of the values a histogram holds (``{value: how
    many times}``, counts below one ignored, as ``Counter.elements`` does)
    without listing them: a national year's days to return are hundreds of
    thousands of values but a few hundred distinct ones. Same result, the
    same interpolation between the two nearest ranks."""
    ordered = sorted((value, n) for value, n in counts.items() if n > 0)
    total = sum(n for _, n in ordered)
    if not total:
        return None
    position = (total - 1) * fraction
    low, high = math.floor(position), math.ceil(position)
    at_low = at_high = None
    seen = 0  # values up to and including this one
    for value, n in ordered:
        seen += n
        if at_low is None and seen > low:
            at_low = value
        if seen > high:
            at_high = value
            break
    return at_low + (at_high - at_low) * (position - low)


# --- The shapes figures come in -----------------------------------------------------------


@dataclass(frozen=True)
class Share:
    """A numerator over a denominator; shown as a percentage."""

    num: int
    den: int

    @property
    def value(self) -> float | None:
        return self.num / self.den * 100 if self.den else None


@dataclass(frozen=True)
class Stat:
    """A statistic (median, percentile) over ``n`` items."""

    value: float | None
    n: int


@dataclass(frozen=True)
class Scope:
    """What a report covers. ``la_ids`` None means no restriction by
    authority; ``body_id`` attributes records through dated links."""

    label: str
    body_id: int | None = None
    la_ids: frozenset[int] | None = None
    provider_id: int | None = None


@dataclass(eq=False)  # identity: two periods may hold equal figures
class PeriodMetrics:
    period: Period
    as_of: datetime.date
    # Demand
    requests: int = 0
    by_la: Counter = field(default_factory=Counter)
    by_process: Counter = field(default_factory=Counter)
    by_age_band: Counter = field(default_factory=Counter)
    by_need: Counter = field(default_factory=Counter)
    by_group: Counter = field(default_factory=Counter)  # ehc.groups keys; a child in several
    by_provider: Counter = field(default_factory=Counter)  # requests asking the provider
    by_service: Counter = field(default_factory=Counter)  # contributions asked
    population: int = 0
    # Timeliness
    timely: Share = Share(0, 0)
    timely_excluding_exceptions: Share = Share(0, 0)
    excepted: int = 0
    # Reg 8 advice left outstanding when the LA withdrew its request
    # (Contribution.left_outstanding): neither on time nor late.
    withdrawn_unreturned: int = 0
    timely_by_provider: dict = field(default_factory=dict)
    timely_by_service: dict = field(default_factory=dict)
    # Advice with other deadlines (OTHER_DEADLINES), by process: on time by
    # its own due date; review advice with no meeting recorded (judged at 6
    # weeks from receipt); left outstanding when the request was withdrawn.
    timely_by_process: dict = field(default_factory=dict)
    meeting_not_recorded: Counter = field(default_factory=Counter)
    withdrawn_by_process: Counter = field(default_factory=Counter)
    median_days: Stat = Stat(None, 0)
    p90_days: Stat = Stat(None, 0)
    overdue: int = 0
    overdue_by_reason: Counter = field(default_factory=Counter)
    overdue_by_age: Counter = field(default_factory=Counter)
    overdue_by_service: Counter = field(default_factory=Counter)
    # Quality
    reviews: int = 0
    reviews_passed: Share = Share(0, 0)
    ratings: Counter = field(default_factory=Counter)
    passed_by_service: dict = field(default_factory=dict)
    unavailable_provision: int = 0
    unavailable_by_service: Counter = field(default_factory=Counter)
    # Annual reviews
    annual_reviews: int = 0
    health_attended: Share = Share(0, 0)
    advice_two_weeks_ahead: Share = Share(0, 0)
    # Other duties
    section23: int = 0
    section23_by_source: Counter = field(default_factory=Counter)
    mediation: int = 0
    mediation_health_only: int = 0
    tribunal: int = 0
    tribunal_recommendations: int = 0
    budgets_considered: int = 0
    budgets_agreed: int = 0
    budgets_continuing_care: int = 0
    # Enquiries to the designated officers (docs/enquiries.md), by the date made
    enquiries: int = 0
    enquiries_by_source: Counter = field(default_factory=Counter)
    enquiries_by_topic: Counter = field(default_factory=Counter)
    enquiry_minutes: int = 0  # time spent on them, in minutes
    # Audits of EHC plans' health sections (docs/plans.md), by the date audited;
    # section G provision by service, checked in the current period only
    # (reports/plan_metrics.py).
    plan_audits: int = 0
    plan_audits_passed: Share = Share(0, 0)
    plan_ratings: Counter = field(default_factory=Counter)
    plan_gaps: list = field(default_factory=list)

    @property
    def requests_per_10000(self) -> float | None:
        if not self.population:
            return None
        return self.requests / self.population * 10_000


@dataclass
class Report:
    scope: Scope
    period: Period
    today: datetime.date
    current: PeriodMetrics
    previous: PeriodMetrics
    year_earlier: PeriodMetrics
    quarters: list[PeriodMetrics]  # the ``trend`` periods, in order
    names: dict[str, dict]  # "la", "provider", "service" -> {id: name}
    service_provider: dict[int, int]  # service id -> provider id

    @property
    def provider_filtered(self) -> bool:
        return self.scope.provider_id is not None
