"""Server-rendered SVG charts, shared by report pages and their PDFs.

A ``Chart`` is plain data (a title, category names and one or more
``Series``) and renders itself as an inline SVG string. The same markup goes
into a web page and into a WeasyPrint PDF. ``table_head()`` and
``table_rows()`` give the same figures as a table, which the template
``reports/includes/chart.html`` puts under the chart for anyone who cannot
read the picture.

Values are counts or rates and are assumed not to be negative (a negative
value draws a bar of no length, though its label shows the real figure).
A value may be missing:

* ``None`` means there is no figure: nothing is drawn and the table shows
  an en dash;
* a string (normally ``"*"``) means the figure exists but is suppressed
  (small numbers): no bar is drawn, but the string is written at the
  baseline so a reader sees that something is hidden there.

Two modules do the work: ``geometry`` (ticks, text measures, layout: pure
arithmetic) and ``svg`` (drawing). Nothing here touches the database.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe

from reports.charts.geometry import (
    LABEL_SIZE,
    as_number,
    format_value,
    is_suppressed,
    nice_ticks,
)
from reports.charts.svg import (
    FONT_FAMILY,
    KINDS,
    NO_DATA_TEXT,
    _el,
    _Layout,
    _n,
    _no_data_body,
    _open,
)


@dataclass
class Series:
    """One set of figures, one per category of the chart it belongs to."""

    name: str
    values: list[float | int | str | None]


@dataclass
class Chart:
    """A chart of one or more series over the same categories.

    ``kind`` is ``"bar"`` (vertical grouped bars), ``"hbar"`` (horizontal
    bars, for long category names) or ``"line"`` (a trend, one point per
    category). ``y_max`` fixes the top of the value axis when the data may
    not reach it, such as 100 for percentages; a larger figure still fits.
    ``unit`` is shown after each figure when it is ``"%"``; any other unit
    (``"requests"``) labels the value axis instead.
    """

    title: str
    categories: list[str]
    series: list[Series]
    unit: str = ""
    kind: str = "bar"
    y_max: float | None = None
    description: str = ""

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"Unknown chart kind {self.kind!r}; use one of {', '.join(KINDS)}.")
        for series in self.series:
            if len(series.values) != len(self.categories):
                raise ValueError(
                    f"Series {series.name!r} has {len(series.values)} values "
                    f"for {len(self.categories)} categories."
                )

    # -- the table -----------------------------------------------------------

    def table_head(self) -> list[str]:
        return ["Category", *(str(series.name) for series in self.series)]

    def table_rows(self) -> list[list[str]]:
        return [
            [str(category), *(format_value(s.values[i], self.unit) for s in self.series)]
            for i, category in enumerate(self.categories)
        ]

    # -- the picture ---------------------------------------------------------

    @property
    def has_data(self) -> bool:
        """True when there is at least one figure, shown or suppressed."""
        return any(
            as_number(value) is not None or is_suppressed(value)
            for series in self.series
            for value in series.values
        )

    def element_id(self, width: int = 640, height: int | None = None) -> str:
        """An id for the SVG, stable for the same content and size.

        A slug of the title makes it readable; a short hash of everything
        drawn keeps two different charts on one page apart even when they
        share a title.
        """
        slug = re.sub(r"[^a-z0-9]+", "-", str(self.title).lower()).strip("-")[:40].strip("-")
        content = repr(
            (
                self.title,
                list(self.categories),
                [(s.name, list(s.values)) for s in self.series],
                self.unit,
                self.kind,
                self.y_max,
                self.description,
                width,
                height,
            )
        )
        digest = hashlib.sha1(content.encode("utf-8"), usedforsecurity=False).hexdigest()[:8]
        return f"chart-{slug or 'untitled'}-{digest}"

    def summary(self) -> str:
        """The text of ``<desc>``: the given description, or one built from the data."""
        if self.description:
            return self.description
        if not self.has_data:
            return f"{NO_DATA_TEXT}."
        count = len(self.categories)
        text = f"{KINDS[self.kind]} of {count} {'category' if count == 1 else 'categories'}"
        names = [str(s.name) for s in self.series]
        if len(names) == 1:
            text += f", showing {names[0]}"
        else:
            text += f", comparing {', '.join(names[:-1])} and {names[-1]}"
        if self.unit == "%":
            text += " as percentages"
        elif self.unit:
            text += f" in {self.unit}"
        if any(is_suppressed(v) for s in self.series for v in s.values):
            text += ". Figures marked * are suppressed"
        return text + "."

    def svg(self, width: int = 640, height: int | None = None) -> SafeString:
        """The chart as an accessible inline SVG.

        ``height`` defaults to what the chart needs; a horizontal bar chart
        grows by one row per category.
        """
        width = int(width)
        ident = self.element_id(width, height)
        if not self.has_data:
            body, height = _no_data_body(width, height)
        else:
            layout = _Layout(self, width, height, ident)
            body, height = layout.render()
        head = _open(
            "svg",
            xmlns="http://www.w3.org/2000/svg",
            class_="app-chart__svg",
            role="img",
            aria_labelledby=f"{ident}-title {ident}-desc",
            viewBox=f"0 0 {_n(width)} {_n(height)}",
            width=width,
            height=height,
            font_family=FONT_FAMILY,
            font_size=LABEL_SIZE,
        )
        parts = [
            head,
            _el("title", str(self.title), id=f"{ident}-title"),
            _el("desc", self.summary(), id=f"{ident}-desc"),
            body,
            "</svg>",
        ]
        return mark_safe("".join(parts))


__all__ = ["Chart", "Series", "format_value", "nice_ticks"]
