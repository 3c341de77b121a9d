"""Small-number suppression for the figures commissioners see.

Pure functions: integers in, integers, floats or the marker "*" out; no
Django. Reports about a few children in one area can identify them, so every
figure that leaves the portal for a commissioner passes through these rules:

- A count of 0 stays 0. Saying "none" identifies nobody, and hiding it would
  make an empty quarter look like a small one.
- A count from 1 to 7 inclusive is shown as "*" (``SUPPRESSED``).
- Any larger count is rounded to the nearest multiple of 5. An integer is
  never exactly halfway between two multiples of 5, so a remainder of 1 or 2
  rounds down and 3 or 4 rounds up: 8 -> 10, 12 -> 10, 13 -> 15.
- A percentage is worked out FROM THE ROUNDED FIGURES, never from the exact
  ones and then rounded: a reader who has both the published count and the
  published percentage must not be able to get back to the exact count. It
  is "*" when either rounded figure is "*", and None when the denominator is
  0 (there is nothing to take a share of). 12 of 13 is shown as 10 / 15 =
  66.67 %, not 92.3 %.
- A statistic worked out over a set of items (a median, a percentile, an
  average) is "*" when the set has 1 to 7 items, None when it is empty, and
  the value itself otherwise. A median of three waits is one child's wait.

Designated officers see the exact figures for their own areas: they already
hold the records behind them. Which rule applies is the caller's decision;
``Figures`` carries it so report code asks for ``figures.count(n)`` without
repeating the choice at every figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

SUPPRESSED = "*"

# Counts from 1 up to this one are replaced by SUPPRESSED; statistics over
# fewer items than SMALLEST_SHOWN are suppressed too.
LARGEST_SUPPRESSED = 7
SMALLEST_SHOWN = LARGEST_SUPPRESSED + 1
ROUND_TO = 5

T = TypeVar("T")


def _check_count(n: int, name: str = "count") -> None:
    # bool is a subclass of int; True as a count is a bug in the caller.
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"{name} must be an int, not {type(n).__name__}")
    if n < 0:
        raise ValueError(f"{name} cannot be negative (got {n})")


def suppress_count(n: int) -> int | str:
    """The count as a commissioner may see it: 0, "*" or a multiple of 5.

    Raises ValueError for a negative count and TypeError for anything that
    is not an int.
    """
    _check_count(n)
    if n == 0:
        return 0
    if n <= LARGEST_SUPPRESSED:
        return SUPPRESSED
    # Integer arithmetic: adding half of 5 (rounded down) before dividing
    # sends remainders 3 and 4 up and 1 and 2 down.
    return ROUND_TO * ((n + ROUND_TO // 2) // ROUND_TO)


def exact_share(numerator: int, denominator: int) -> float | None:
    """numerator / denominator as a percentage, or None when the denominator is 0."""
    _check_count(numerator, "numerator")
    _check_count(denominator, "denominator")
    if denominator == 0:
        return None
    return 100 * numerator / denominator


# What every suppressed output tells its reader, in one place: the pages,
# the PDFs and the CSVs (templates read it through ``reports_tags``).
DISCLOSURE_NOTE = (
    "Small numbers are hidden to protect children's privacy: * means 1 to 7 and other "
    "counts are rounded to the nearest 5. Percentages are worked out from the rounded "
    "counts and shown only as precisely as those allow: to one decimal place when the "
    "rounded total is 4,000 or more, in whole numbers from 400, to the nearest 10 from "
    "40, and as * below 40. Medians and percentiles over fewer than 8 items are shown as *."
)

# The smallest rounded denominator for each precision a percentage may be
# shown to (NHS Digital's HES/ECDS disclosure control: one decimal place
# from a rounded denominator of 4,000; the others follow its reasoning, so
# that no shown figure claims more precision than rounding to 5 leaves).
ONE_DECIMAL_FROM = 4000
WHOLE_FROM = 400
NEAREST_TEN_FROM = 40


def _half_up(value: Decimal, step: Decimal) -> Decimal:
    return (value / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step


def suppress_share(numerator: int, denominator: int) -> float | int | str | None:
    """The percentage worked out from the rounded numerator and denominator,
    shown only to the precision the rounded denominator supports.

    None when the denominator is 0 (checked first: an empty set has no share,
    suppressed or not); "*" when either rounded figure is "*" or the rounded
    denominator is under 40; otherwise the percentage rounded half up to one
    decimal place (a float) from a rounded denominator of 4,000, to a whole
    number (an int) from 400, and to the nearest 10 (an int) from 40. So 9 of
    11 (10 of 10 once rounded) is "*", never 100.0%.

    A share that would read 100 (or 0) when not every item (or some item)
    was counted is "*" too: rounding both counts can make 38 of 41 (92.7%)
    read 100%, which would tell a board something false. 100 and 0 are
    shown only when they are exact.
    """
    _check_count(numerator, "numerator")
    _check_count(denominator, "denominator")
    if denominator == 0:
        return None
    rounded_numerator = suppress_count(numerator)
    rounded_denominator = suppress_count(denominator)
    if SUPPRESSED in (rounded_numerator, rounded_denominator):
        return SUPPRESSED
    if rounded_denominator < NEAREST_TEN_FROM:
        return SUPPRESSED
    share = Decimal(100 * rounded_numerator) / Decimal(rounded_denominator)
    if rounded_denominator >= ONE_DECIMAL_FROM:
        shown = float(_half_up(share, Decimal("0.1")))
    elif rounded_denominator >= WHOLE_FROM:
        shown = int(_half_up(share, Decimal(1)))
    else:
        shown = int(_half_up(share, Decimal(10)))
    if (shown == 100 and numerator != denominator) or (shown == 0 and numerator != 0):
        return SUPPRESSED
    return shown


def suppress_statistic(value: T, n: int) -> T | str | None:
    """A median, percentile or average over n items, as a commissioner may see it.

    None when n is 0 (there is no statistic of nothing, whatever value was
    passed), "*" for 1 to 7 items, otherwise the value unchanged.
    """
    _check_count(n, "n")
    if n == 0:
        return None
    if n < SMALLEST_SHOWN:
        return SUPPRESSED
    return value


@dataclass(frozen=True)
class Figures:
    """Which rules a report's figures follow: exact, or suppressed.

    ``Figures(exact=True)`` is for a designated officer looking at their own
    areas; ``Figures(exact=False)`` for everyone else. Both refuse negative
    counts, and both give None for a share of 0 or a statistic over 0 items.
    """

    exact: bool

    def count(self, n: int) -> int | str:
        if self.exact:
            _check_count(n)
            return n
        return suppress_count(n)

    def share(self, numerator: int, denominator: int) -> float | str | None:
        if self.exact:
            return exact_share(numerator, denominator)
        return suppress_share(numerator, denominator)

    def statistic(self, value: T, n: int) -> T | str | None:
        if self.exact:
            _check_count(n, "n")
            return None if n == 0 else value
        return suppress_statistic(value, n)

    @staticmethod
    def is_suppressed(value: object) -> bool:
        """True for the "*" marker; False for numbers, None and anything else."""
        return isinstance(value, str) and value == SUPPRESSED
