"""The quarterly report: one commissioning body (or local authority) and one
financial quarter, as a web page, a PDF for board papers and a CSV of every
table.

The three share one build (:func:`build`), so what a commissioner reads on
screen, prints and downloads is the same set of figures under the same
suppression. This module says what the report contains (and writes its
CSV); the views are in reports/views/quarterly.py.
"""

from __future__ import annotations

import csv
import datetime
from dataclasses import dataclass, field

from commissioning.models import LocalAuthority
from core.periods import format_date
from core.spreadsheets import safe_cell
from reports import figures, metrics, plan_tables
from reports.charts import Chart
from reports.filters import Selection
from reports.presentation import Presenter
from reports.shown import Shown, Table, Tile, count_phrase
from reports.suppression import DISCLOSURE_NOTE, Figures

NONE_THIS_QUARTER = "None this quarter"


@dataclass
class Section:
    """A heading of the report with its tables (and any chart)."""

    key: str
    title: str
    tables: list[Table]
    intro: str = ""
    charts: list[Chart] = field(default_factory=list)
    # Keys of tables with nothing to report this quarter: shown as
    # NONE_THIS_QUARTER instead of an empty or all-zero table.
    quiet: frozenset[str] = frozenset()


@dataclass
class QuarterlyReport:
    selection: Selection
    report: metrics.Report
    summary: list[str]
    sections: list[Section]
    # The authorities behind a scope labelled only "Your areas", so a printed
    # or downloaded copy says what it covers; empty when the label does.
    areas: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"Quarterly report: {self.selection.period.label}"

    @property
    def filename(self) -> str:
        return file_name(self.selection)

    @property
    def covering(self) -> str:
        label = self.selection.scope.label
        return f"{label}: {', '.join(self.areas)}" if self.areas else label

    @property
    def in_progress(self) -> bool:
        return self.report.current.as_of < self.selection.period.end


def file_name(selection: Selection) -> str:
    """The PDF's and CSV's name (without extension) for ``selection``."""
    return f"quarterly-report-{selection.period.slug}"


def _short(shown: Shown) -> str:
    return "fewer than 8" if shown.suppressed else shown.text


def summary(report: metrics.Report, tiles: dict[str, Tile], services_fell: int) -> list[str]:
    """A few plain sentences on the quarter, from the figures this viewer may see."""
    current, previous = report.current.period, report.previous.period
    sentences = []
    if report.current.as_of < current.end:
        sentences.append(
            f"{current.label} is not over yet: "
            f"these figures run to {format_date(report.current.as_of)}."
        )
    requests = tiles["requests"]
    sentences.append(
        f"Health received {count_phrase(requests.current, 'request', 'requests')} for advice "
        f"in {current.label}, compared with {_short(requests.previous)} in {previous.label} "
        f"and {_short(requests.year_earlier)} in {report.year_earlier.period.label}."
    )
    timely = tiles["timely"]
    if timely.current.value is None:
        sentences.append("No contributions to advice fell due in the quarter.")
    elif timely.current.suppressed:
        sentences.append(
            "The share of contributions returned within 6 weeks is hidden: "
            "the numbers behind it are small."
        )
    else:
        before = (
            f" ({timely.previous.text} in {previous.label})" if timely.previous.is_number else ""
        )
        sentences.append(
            f"{timely.current.text} of the contributions due were returned within 6 weeks{before}."
        )
    overdue = tiles["overdue"]
    on = format_date(report.current.as_of)
    if overdue.current.value == 0:
        sentences.append(f"No contributions were overdue on {on}.")
    else:
        phrase = count_phrase(overdue.current, "contribution was", "contributions were")
        sentences.append(f"{phrase[0].upper()}{phrase[1:]} overdue on {on}.")
    quality = tiles["quality"]
    if quality.current.value is None:
        sentences.append("No advice was reviewed for quality in the quarter.")
    elif quality.current.suppressed:
        sentences.append(
            "The share of reviewed advice rated green is hidden: the numbers behind it are small."
        )
    else:
        sentences.append(f"{quality.current.text} of the advice reviewed was rated green.")
    if services_fell:
        services = "service" if services_fell == 1 else "services"
        sentences.append(
            f"Timeliness fell at {services_fell} {services} compared with the previous quarter."
        )
    if report.provider_filtered:
        sentences.append(
            "Figures not specific to a provider (Section 23 aside) cover all providers."
        )
    return sentences


def build(selection: Selection, *, today: datetime.date, drill=None) -> QuarterlyReport:
    """Every figure of the report for one selection, in the order it is read."""
    report = figures.compute(selection.scope, selection.period, today=today)
    presenter = Presenter(report, Figures(exact=selection.exact), drill=drill)
    tiles = {tile.key: tile for tile in presenter.tiles()}
    fell = presenter.timeliness_fell()
    overdue_by_age = next(t for t in presenter.overdue_tables() if t.key == "overdue_by_age")
    quiet = {fell.key} if not fell.rows else set()
    if report.current.overdue == 0:  # exact zero: shown as 0 to everyone
        quiet.add(overdue_by_age.key)
    sections = [
        Section(
            "indicators",
            "Indicators",
            [presenter.indicators()],
            intro="Every indicator for the quarter, with the quarter before and the same "
            "quarter a year earlier.",
            charts=[presenter.comparison_chart()],
        ),
        Section(
            "exceptions",
            "Exceptions worth attention",
            [fell, overdue_by_age],
            quiet=frozenset(quiet),
        ),
        Section("demand", "Demand", presenter.demand_tables()),
        Section(
            "timeliness",
            "Timeliness",
            [
                presenter.timeliness_table("provider"),
                presenter.timeliness_table("service"),
                presenter.other_deadlines_table(),
            ],
            intro="Contributions due in the quarter for EHC needs assessments and "
            "re-assessments (reg 8), and the share returned within 6 weeks of the day "
            "their clock started; then advice for reviews, mediation and tribunal, each "
            "against its own deadline.",
        ),
        Section(
            "quality",
            "Quality of advice",
            [presenter.quality_table(), plan_tables.audit_table(presenter)],
            intro="Green means 8 or 9 of the 9 quality criteria met. EHC plans' health "
            "sections pass their audit when rated green.",
        ),
        Section("section23", "Section 23 notifications", [presenter.section23_table()]),
        Section("enquiries", "Enquiries", [presenter.enquiries_table()]),
    ]
    return QuarterlyReport(
        selection=selection,
        report=report,
        summary=[*summary(report, tiles, len(fell.rows)), *plan_tables.summary(presenter)],
        sections=sections,
        areas=_areas(selection),
    )


def _areas(selection: Selection) -> list[str]:
    la_ids = selection.scope.la_ids
    if selection.body or selection.local_authority or not la_ids:
        return []
    return list(
        LocalAuthority.objects.filter(pk__in=la_ids).order_by("name").values_list("name", flat=True)
    )


def write_csv(quarterly: QuarterlyReport, out) -> None:
    selection = quarterly.selection
    period = selection.period
    writer = csv.writer(out)

    def row(cells):
        # Names are typed by people: no cell can become a formula.
        writer.writerow([safe_cell(cell) for cell in cells])

    row(
        [
            "Quarterly report",
            quarterly.covering,
            period.label,
            f"{format_date(period.start)} to {format_date(quarterly.report.current.as_of)}",
        ]
    )
    if not selection.exact:
        row([DISCLOSURE_NOTE])
    for section in quarterly.sections:
        for table in section.tables:
            row([])
            for cells in table.csv_rows():
                row(cells)
            if table.key in section.quiet:
                row([NONE_THIS_QUARTER])
