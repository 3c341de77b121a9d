"""The annual report: what it says (the stored PDF is reports/services.py).

:func:`build` turns a selection (a commissioning body or local authorities,
one financial year, exact or suppressed figures) into an
:class:`AnnualReport`: a list of sections, each a run of paragraphs, tables,
charts and definition lists. The web page and the PDF template both just
walk that list, so what a board member reads on screen and on paper is the
same. Figures about children go through ``reports.presentation`` (and so
through one suppression policy); figures about designated officer posts
(time, training, committees, CPD) are about staff, not children, and are
shown exactly to everyone allowed to see reports.

Edge cases:

- A year still in progress is shown to the day (``as_of``), compared with
  the whole of the previous year and with the same dates a year earlier; the
  day is part of the key, so its PDF is rebuilt the next day.
- For a complete year the previous year and "a year earlier" are the same
  period, so that column is shown once.
- A provider chosen in the selection narrows the casework figures, not the
  officers' resourcing, which belongs to an area.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, replace

from core import periods
from core.periods import format_date
from reports import metrics, plan_tables
from reports.annual_officers import officer_sections
from reports.annual_sections import Block, Section
from reports.charts import Chart, Series
from reports.filters import Selection
from reports.improvement_progress import improvement_section
from reports.indicators import Share
from reports.presentation import Presenter
from reports.service_gaps import add_waits
from reports.shown import (
    Row,
    Table,
    count_phrase,
    show_count,
    show_rate,
    show_share,
)
from reports.suppression import DISCLOSURE_NOTE, Figures

TITLE = "Health and SEND annual report"
# Part of every key: raise it when the report's content or layout changes,
# so PDFs stored by the previous version are not served again.
REPORT_VERSION = 4


# --- The shape of the report -----------------------------------------------------------


@dataclass
class AnnualReport:
    selection: Selection
    report: metrics.Report
    produced_on: datetime.date
    as_of: datetime.date
    sections: list[Section]
    title: str = TITLE

    @property
    def period(self) -> periods.Period:
        return self.selection.period

    @property
    def in_progress(self) -> bool:
        return self.as_of < self.period.end

    @property
    def scope_label(self) -> str:
        return self.selection.scope.label

    @property
    def year_label(self) -> str:
        return f"Financial year {self.period.label}"

    @property
    def dates(self) -> str:
        return f"{format_date(self.period.start)} to {format_date(self.as_of)}" + (
            " (the year is not over)" if self.in_progress else ""
        )

    @property
    def filename(self) -> str:
        return file_name(self.selection)


def file_name(selection: Selection) -> str:
    fy = periods.financial_year_of(selection.period.start)
    return f"annual-report-{fy}-{(fy + 1) % 100:02d}-{selection.scope.label}"[:200]


def _scope_phrase(label: str) -> str:
    """The scope inside a sentence: "in your areas", "in NHS Kent ICB"."""
    return label.lower() if label in ("All areas", "Your areas") else label


# --- Building the content -------------------------------------------------------------


class _Columns:
    """Which comparison periods the report's tables show, and their headings."""

    def __init__(self, report: metrics.Report, in_progress: bool):
        current = report.current.period
        previous = report.previous.period
        earlier = report.year_earlier.period
        self.with_earlier = (previous.start, previous.end) != (earlier.start, earlier.end)
        if in_progress:
            self.heads = [
                f"{current.label} to {format_date(report.current.as_of)}",
                f"{previous.label} (whole year)",
                f"{earlier.label} to {format_date(earlier.end)}",
            ]
        else:
            self.heads = [
                f"{current.label} (this year)",
                f"{previous.label} (previous year)",
                f"{earlier.label} (a year earlier)",
            ]
        if not self.with_earlier:
            self.heads = self.heads[:2]

    def trim(self, table: Table, before: int = 0, heads: list[str] | None = None) -> Table:
        """``table`` with its period columns (after ``before`` other figure
        columns) relabelled, and the duplicate year-earlier one dropped."""
        heads = heads or self.heads
        keep = before + len(self.heads)
        return Table(
            table.key,
            table.title,
            [*table.head[: 1 + before], *heads[: len(self.heads)]],
            [Row(row.label, row.cells[:keep], row.link) for row in table.rows],
            table.note,
            table.empty,
        )

    def series(self, chart: Chart) -> Chart:
        """A chart with one series per period, without the duplicate one."""
        series = [
            Series(name, s.values)
            for name, s in zip(self.heads, chart.series[: len(self.heads)], strict=True)
        ]
        return replace(chart, series=series)


def build(
    selection: Selection,
    *,
    today: datetime.date,
    produced_on: datetime.date | None = None,
    drill=None,
) -> AnnualReport:
    """Everything the annual report says for ``selection``, with the figures
    as they stood on ``today`` (or the year's last day, if sooner).

    ``drill`` (the dashboard's worklist links, for officers) is only ever
    given for the web page; the stored PDF has no links to records.
    """
    year = selection.period
    as_of = min(year.end, today)
    in_progress = as_of < year.end
    quarters = [q for q in year.quarters() if q.start <= as_of]
    report = metrics.compute(selection.scope, year.clipped(as_of), today=today, trend=quarters)
    figures = Figures(exact=selection.exact)
    presenter = Presenter(report, figures, drill=drill)
    columns = _Columns(report, in_progress)

    la_ids = metrics.scope_local_authorities(selection.scope, as_of)
    sections = [
        _about(selection, report, figures, in_progress),
        _activity(report, presenter, columns),
        _demand(report, presenter, figures, columns),
        _timeliness(report, presenter, columns),
        _quality(report, presenter, figures, columns),
        _service_gaps(presenter, selection, as_of, figures),
        *officer_sections(selection, la_ids, as_of),
        _disputes(report, presenter, figures, columns),
        _enquiries(presenter, columns),
        improvement_section(la_ids, year, as_of),
    ]
    return AnnualReport(
        selection=selection,
        report=report,
        produced_on=produced_on or today,
        as_of=as_of,
        sections=sections,
    )


def _about(selection, report, figures, in_progress) -> Section:
    section = Section("about", "About this report")
    section.p(
        f"This report is for the SEND governance board. It covers health advice for "
        f"education, health and care (EHC) needs assessments and reviews in "
        f"{_scope_phrase(selection.scope.label)}, for the financial year "
        f"{selection.period.label}."
    )
    if in_progress:
        section.p(
            f"The year is not over: figures run to {format_date(report.current.as_of)}. They are "
            f"compared with the whole of {report.previous.period.label} and with the same "
            f"dates a year earlier."
        )
    else:
        section.p(f"Figures are compared with the previous year, {report.previous.period.label}.")
    if selection.provider is not None:
        section.p(
            f"Figures about requests, contributions, quality reviews, annual reviews and "
            f"Section 23 are for {selection.provider}. Mediation, tribunal and personal "
            f"health budgets are not recorded by provider and cover all providers; "
            f"designated officer resourcing belongs to the area."
        )
    if figures.exact:
        section.p("Figures are exact.")
    else:
        section.p(DISCLOSURE_NOTE)
    section.p(
        "A request counts in the year health received it. Timeliness is over "
        "contributions due in the year whose outcome is known. The 6-week rate covers EHC "
        "needs assessments and re-assessments only (the limit of reg 8); on time means "
        "returned within 6 weeks of the day the service's clock started. Advice for annual "
        "and phase transfer reviews is measured apart, against 2 weeks before the review "
        "meeting (reg 20(4)), and advice for mediation and tribunal against the date asked "
        "(a working standard: the law sets no limit). Advice still out when the local "
        "authority withdrew its request is neither on time nor late; a request closed with "
        "advice still out keeps that advice as late."
    )
    return section


def _activity(report, presenter: Presenter, columns: _Columns) -> Section:
    section = Section("activity", "Activity in the year")
    tiles = {tile.key: tile for tile in presenter.tiles()}
    requests = tiles["requests"]
    timely = tiles["timely"]
    quality = tiles["quality"]
    section.p(
        f"Health received {count_phrase(requests.current, 'request', 'requests')} for advice, "
        f"compared with {requests.previous.text} in {report.previous.period.label}."
    )
    if timely.current.value is None:
        section.p("No contributions to advice fell due in the year.")
    elif timely.current.suppressed:
        section.p("Too few contributions fell due to show the share returned within 6 weeks.")
    else:
        before = f" ({timely.previous.text} the year before)" if timely.previous.is_number else ""
        section.p(
            f"{timely.current.text} of contributions due were returned within 6 "
            f"weeks{before}; {tiles['timely_excluding'].current.text} leaving out lawful "
            f"exceptions."
        )
    if quality.current.is_number:
        section.p(f"{quality.current.text} of the advice reviewed was rated green.")
    section.chart(columns.series(presenter.comparison_chart()))
    section.table(columns.trim(presenter.indicators()))
    return section


def _rate_chart(report, figures: Figures) -> Chart:
    quarters = report.quarters
    return Chart(
        title="Requests per 10,000 children and young people by quarter",
        categories=[q.period.label for q in quarters],
        series=[
            Series(
                "Requests per 10,000 aged 0 to 25",
                [show_rate(figures, q.requests, q.population).value for q in quarters],
            )
        ],
        unit="requests per 10,000",
        kind="line",
    )


def _demand(report, presenter: Presenter, figures: Figures, columns: _Columns) -> Section:
    section = Section("demand", "Demand")
    current = report.current
    rate = show_rate(figures, current.requests, current.population)
    requests = show_count(figures, current.requests)
    if rate.value is None:
        section.p(
            f"{count_phrase(requests, 'request', 'requests').capitalize()} received; no child "
            f"population estimate is recorded for the area, so no rate is shown."
        )
    else:
        section.p(
            f"{count_phrase(requests, 'request', 'requests').capitalize()} received: "
            f"{rate.text} for every 10,000 children and young people aged 0 to 25 "
            f"(population {current.population:,})."
        )
    section.chart(_rate_chart(report, figures))
    trend = presenter.trend_charts()
    if trend:
        section.chart(trend[0])
    section.chart(columns.series(presenter.breakdown_charts()[1]))
    for table in presenter.demand_tables():
        section.table(columns.trim(table))
    return section


def _timeliness(report, presenter: Presenter, columns: _Columns) -> Section:
    section = Section("timeliness", "Timeliness")
    section.p(
        "The share of contributions for needs assessments and re-assessments returned "
        "within 6 weeks, by provider and by service; advice for reviews, mediation and "
        "tribunal against its own deadline; and what was still overdue at the end of the year."
    )
    trend = presenter.trend_charts()
    if trend:
        section.chart(trend[1])
    section.chart(presenter.breakdown_charts()[0])
    within = ["Within 6 weeks, " + head for head in columns.heads]
    for by in ("provider", "service"):
        section.table(columns.trim(presenter.timeliness_table(by), before=1, heads=within))
    on_time = ["On time, " + head for head in columns.heads]
    section.table(columns.trim(presenter.other_deadlines_table(), before=3, heads=on_time))
    for table in presenter.overdue_tables():
        section.table(columns.trim(table))
    section.table(presenter.timeliness_fell())
    return section


def _passed(passed_by_service: dict, service_provider: dict, by: str) -> dict:
    if by == "service":
        return passed_by_service
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for service_id, share in passed_by_service.items():
        provider_id = service_provider.get(service_id)
        totals[provider_id][0] += share.num
        totals[provider_id][1] += share.den
    return {provider: Share(num, den) for provider, (num, den) in totals.items()}


def _quality_table(report, presenter: Presenter, figures, columns: _Columns, by: str) -> Table:
    """Share of reviewed advice rated green by provider or by service."""
    now, before, earlier = (
        _passed(m.passed_by_service, report.service_provider, by)
        for m in (report.current, report.previous, report.year_earlier)
    )
    label = presenter._service_label if by == "service" else report.names["provider"].get
    keys = sorted(now, key=lambda k: str(label(k) or ""))
    rows = [
        Row(
            str(label(k) or ""),
            [
                show_count(figures, now[k].den),
                show_share(figures, now[k]),
                show_share(figures, before.get(k, Share(0, 0))),
                show_share(figures, earlier.get(k, Share(0, 0))),
            ],
        )
        for k in keys
    ]
    table = Table(
        f"quality_by_{by}",
        f"Advice rated green by {by}",
        [by.capitalize(), "Reviews", "", "", ""],
        rows,
    )
    return columns.trim(table, before=1, heads=["Rated green, " + h for h in columns.heads])


def _quality(report, presenter: Presenter, figures, columns: _Columns) -> Section:
    section = Section("quality", "Quality of advice")
    section.p(
        "Advice is rated green when it meets 8 or 9 of the 9 quality criteria, amber for "
        "5 to 7 and red for fewer."
    )
    section.table(columns.trim(presenter.quality_table()))
    for by in ("provider", "service"):
        section.table(_quality_table(report, presenter, figures, columns, by))
    section.table(columns.trim(plan_tables.audit_table(presenter)))
    return section


def _service_gaps(presenter: Presenter, selection, as_of, figures) -> Section:
    section = Section("service-gaps", "Service gaps")
    section.p(
        "The services with the lowest share of advice on time and rated green this year, "
        "provision that advice recommended but no local service offers, health "
        "provision in EHC plans that children are waiting for or cannot get, and each "
        "service's waiting list at the end of each quarter."
    )
    for table in presenter.weakest_services():
        section.table(table)
    section.table(plan_tables.provision_gaps_table(presenter))
    add_waits(section, selection.scope, selection.period, as_of=as_of, figures=figures)
    return section


def _disputes(report, presenter: Presenter, figures: Figures, columns: _Columns) -> Section:
    section = Section("disputes", "Section 23, mediation and tribunal")
    section.p(
        "Under section 23 of the Children and Families Act 2014 a health body tells the "
        "local authority about a child under compulsory school age who it thinks has, or "
        "probably has, special educational needs or a disability. Mediation and tribunal "
        "cases are those with health issues in dispute."
    )
    section.table(columns.trim(presenter.section23_table()))
    periods_ = [report.current, report.previous, report.year_earlier]

    def row(label, get):
        return Row(label, [show_count(figures, get(m)) for m in periods_])

    table = Table(
        "disputes",
        "Mediation and tribunal",
        ["Cases", "", "", ""],
        [
            row("Mediation cases with health issues", lambda m: m.mediation),
            row("Of which health-only mediation", lambda m: m.mediation_health_only),
            row("Tribunal appeals with health issues", lambda m: m.tribunal),
            row(
                "Appeals with health recommendations from the tribunal",
                lambda m: m.tribunal_recommendations,
            ),
        ],
    )
    section.table(columns.trim(table))
    return section


def _enquiries(presenter: Presenter, columns: _Columns) -> Section:
    section = Section("enquiries", "Enquiries to the designated officers")
    section.p(
        "The designated officers are the point of contact for local partners (SEND Code "
        "of Practice 3.45). These are the enquiries they logged, by who asked and what "
        "about, and the time they spent on them."
    )
    section.table(columns.trim(presenter.enquiries_table()))
    return section


__all__ = [
    "AnnualReport",
    "Block",
    "Section",
    "build",
    "file_name",
]
