"""Figures as they are printed: one suppressed :class:`Shown` value per
cell, the phrases that put a count in a sentence, and the table and tile
shapes every report walks (web page, PDF and CSV alike).

Every ``show_*`` helper takes the viewer's :class:`reports.suppression.Figures`
policy, so a figure is suppressed the same way wherever it appears. Rates
are per 10,000 children and young people; statistics are in days unless a
unit is given. ``reports.presentation`` builds whole tables from these.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reports.indicators import Share, Stat
from reports.suppression import Figures

NOT_AVAILABLE = "–"


def _thousands(value: int) -> str:
    return f"{value:,}"


@dataclass
class Shown:
    """One figure ready to print: ``value`` is the number after suppression
    (or "*", or None), ``text`` how it reads."""

    value: float | int | str | None
    text: str

    @property
    def suppressed(self) -> bool:
        return Figures.is_suppressed(self.value)

    @property
    def is_number(self) -> bool:
        """True when there is a figure to compare or phrase (a whole-number
        share is an int), False for "*" and for nothing to measure."""
        return isinstance(self.value, int | float) and not isinstance(self.value, bool)


def count_phrase(shown: Shown, singular: str, plural: str) -> str:
    """A count for a sentence: "12 requests", "1 request", "fewer than 8 requests"."""
    if shown.suppressed:
        return f"fewer than 8 {plural}"
    return f"{shown.text} {singular if shown.value == 1 else plural}"


def show_count(figures: Figures, n: int) -> Shown:
    value = figures.count(n)
    return Shown(value, value if isinstance(value, str) else _thousands(value))


def show_share(figures: Figures, share: Share) -> Shown:
    value = figures.share(share.num, share.den)
    if value is None:
        return Shown(None, NOT_AVAILABLE)
    if isinstance(value, str):
        return Shown(value, value)
    if isinstance(value, int):  # a commissioner's share, to its precision
        return Shown(value, f"{value}%")
    return Shown(value, f"{value:.1f}%")


def show_stat(figures: Figures, stat: Stat, unit: str = "days") -> Shown:
    value = figures.statistic(stat.value, stat.n)
    if value is None:
        return Shown(None, NOT_AVAILABLE)
    if isinstance(value, str):
        return Shown(value, value)
    number = f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"
    return Shown(value, f"{number} {unit}")


def show_rate(figures: Figures, count: int, population: int) -> Shown:
    """Requests per 10,000 children and young people, from the count the
    viewer may see (so a suppressed count gives a suppressed rate)."""
    shown = figures.count(count)
    if isinstance(shown, str):
        return Shown(shown, shown)
    if not population:
        return Shown(None, NOT_AVAILABLE)
    value = shown / population * 10_000
    return Shown(value, f"{value:.1f}")


# --- Tables --------------------------------------------------------------------------------


@dataclass
class Row:
    label: str
    cells: list[Shown]
    link: str | None = None  # drill-down to the requests behind the figure


@dataclass
class Table:
    key: str
    title: str
    head: list[str]
    rows: list[Row]
    note: str = ""
    empty: str = "Nothing recorded in these periods."  # shown when there are no rows

    def csv_rows(self) -> list[list[str]]:
        out = [[self.title], self.head]
        out += [[row.label, *(cell.text for cell in row.cells)] for row in self.rows]
        if not self.rows:
            out.append([self.empty])
        return out


@dataclass
class Tile:
    key: str
    label: str
    current: Shown
    previous: Shown
    year_earlier: Shown
    hint: str = ""
    link: str | None = None
    change: str = field(default="")
