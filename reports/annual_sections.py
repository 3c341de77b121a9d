"""The annual report's building blocks: a :class:`Section` is a titled run
of :class:`Block` values (paragraphs, tables, charts, definition lists) that
the web page and the PDF template both walk in order. Also the one way a
figure about staff is printed (exactly: staff figures are not suppressed).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from reports.charts import Chart
from reports.shown import Shown, Table
from roles import pa_policy

NOT_RECORDED = "–"
ROLE_LABELS = {"dco": "DCO", "dmo": "DMO"}


@dataclass
class Block:
    """One thing in a section: ``kind`` is "p" (a paragraph, ``item`` a
    string), "table" (a presentation Table), "chart" (a Chart) or "facts"
    (a list of (term, description) pairs)."""

    kind: str
    item: Any


@dataclass
class Section:
    key: str  # the anchor: "#service-gaps"
    title: str
    blocks: list[Block] = field(default_factory=list)

    def p(self, text: str) -> None:
        self.blocks.append(Block("p", text))

    def table(self, table: Table) -> None:
        self.blocks.append(Block("table", table))

    def chart(self, chart: Chart) -> None:
        self.blocks.append(Block("chart", chart))

    def facts(self, pairs: list[tuple[str, str]]) -> None:
        self.blocks.append(Block("facts", pairs))


def number(value) -> str:
    """A staff figure as text: thousands separated, PAs and CPD points to
    at most two decimal places, None as an en dash."""
    if value is None:
        return NOT_RECORDED
    if isinstance(value, Decimal):
        return pa_policy.format_number(value)
    return f"{value:,}"


def plain(value) -> Shown:
    """A figure about staff, shown exactly."""
    return Shown(value, number(value))
