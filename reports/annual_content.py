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
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum

from commissioning.models import (
    LocalAuthority,
)
from core import periods
from core.periods import format_date
from reports import metrics
from reports.charts import Chart, Series
from reports.filters import Selection
from reports.indicators import Share
from reports.presentation import Presenter
from reports.shown import (
    Row,
    Shown,
    Table,
    count_phrase,
    show_count,
    show_rate,
    show_share,
)
from reports.suppression import Figures
from roles import pa_policy, selectors
from roles.models import (
    BoardKind,
    CPDEntry,
    Membership,
    PAPolicySettings,
    Post,
    TrainingSession,
)

TITLE = "Health and SEND annual report"
# Part of every key: raise it when the report's content or layout changes,
# so PDFs stored by the previous version are not served again.
REPORT_VERSION = 1
NOT_RECORDED = "–"
ROLE_LABELS = {"dco": "DCO", "dmo": "DMO"}


# --- The shape of the report -----------------------------------------------------------


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


def _number(value) -> str:
    if value is None:
        return NOT_RECORDED
    if isinstance(value, Decimal):
        return pa_policy.format_number(value)
    return f"{value:,}"


def _plain(value) -> Shown:
    """A figure about staff, shown exactly."""
    return Shown(value, _number(value))


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
        _service_gaps(presenter),
        *_officers(selection, la_ids, as_of),
        _disputes(report, presenter, figures, columns),
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
        section.p(
            "Small numbers are hidden to protect children's privacy: * means 1 to 7, other "
            "counts are rounded to the nearest 5 and percentages are worked out from the "
            "rounded counts. Medians and percentiles over fewer than 8 items are shown as *."
        )
    section.p(
        "A request counts in the year health received it. Timeliness is over "
        "contributions due in the year whose outcome is known; on time means returned "
        "within 6 weeks of health receiving the request."
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
        before = (
            f" ({timely.previous.text} the year before)"
            if isinstance(timely.previous.value, float)
            else ""
        )
        section.p(
            f"{timely.current.text} of contributions due were returned within 6 "
            f"weeks{before}; {tiles['timely_excluding'].current.text} leaving out lawful "
            f"exceptions."
        )
    if isinstance(quality.current.value, float):
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
        "The share of contributions returned within 6 weeks, by provider and by "
        "service, and what was still overdue at the end of the year."
    )
    trend = presenter.trend_charts()
    if trend:
        section.chart(trend[1])
    section.chart(presenter.breakdown_charts()[0])
    within = ["Within 6 weeks, " + head for head in columns.heads]
    for by in ("provider", "service"):
        section.table(columns.trim(presenter.timeliness_table(by), before=1, heads=within))
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
    return section


def _service_gaps(presenter: Presenter) -> Section:
    section = Section("service-gaps", "Service gaps")
    section.p(
        "The services with the lowest share of advice on time and rated green this year, "
        "and provision that advice recommended but no local service offers."
    )
    for table in presenter.weakest_services():
        section.table(table)
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


# --- Designated officers --------------------------------------------------------------


def _officers(selection: Selection, la_ids: list[int], on: datetime.date) -> list[Section]:
    """Resourcing on ``on`` and the post-holders' work in the year."""
    policy = PAPolicySettings.current()
    ages = "0 to 25" if policy.population_includes_young_people else "0 to 17"
    resourcing = Section("resourcing", "Designated officer resourcing")
    resourcing.p(
        f"Designated clinical officer (DCO) and designated medical officer (DMO) time on "
        f"{format_date(on)}, against the number of children aged {ages}. A programmed activity "
        f"(PA) is 4 hours; 2 PAs are about a day. Posts covering several areas are shared "
        f"between them by child population."
    )
    if selection.body is not None and selection.local_authority is None:
        area, rows = selectors.body_resourcing(selection.body, on=on, settings=policy)
    else:
        las = LocalAuthority.objects.filter(pk__in=la_ids).order_by("name")
        rows = selectors.resourcing_table(las, on=on, settings=policy)
        area = rows[0][1] if len(rows) == 1 else None
    if area is not None:
        resourcing.facts(_area_facts(area, ages))
    resourcing.table(_by_area(rows))
    summaries = area.posts if area is not None else _unique_posts(rows)
    resourcing.table(_posts_table(summaries))
    return [resourcing, _officer_activity(selection, la_ids, on)]


def _survey(position) -> str:
    if position is None:
        return "No time recorded"
    return position.summary


def _area_facts(area: selectors.AreaResourcing, ages: str) -> list[tuple[str, str]]:
    def per_10000(value):
        return (
            "No population recorded"
            if value is None
            else f"{pa_policy.format_number(value)} PAs a week"
        )

    vacant = f" ({area.vacant_posts} vacant post{'s' if area.vacant_posts != 1 else ''})"
    return [
        ("Delivery model", area.delivery_model + (vacant if area.vacant_posts else "")),
        (f"Children aged {ages}", f"{area.children:,}" if area.children else "Not recorded"),
        ("DCO time", pa_policy.describe_time(area.dco_pas)),
        ("DCO time per 10,000 children", per_10000(area.dco_per_10000)),
        ("DCO time against the national survey", _survey(area.dco_survey)),
        ("DMO time", pa_policy.describe_time(area.dmo_pas)),
        ("DMO time per 10,000 children", per_10000(area.dmo_per_10000)),
        ("DMO time against the national survey", _survey(area.dmo_survey)),
    ]


def _by_area(rows) -> Table:
    out = []
    for la, area in rows:
        out.append(
            Row(
                la.name,
                [
                    _plain(area.children),
                    Shown(area.delivery_model, area.delivery_model),
                    _plain(area.dco_days),
                    _plain(area.dco_per_10000),
                    _plain(area.dmo_pas),
                    _plain(area.dmo_per_10000),
                    _plain(area.vacant_posts),
                ],
            )
        )
    return Table(
        "resourcing_by_area",
        "Designated officer time by local authority",
        [
            "Local authority",
            "Children",
            "Delivery model",
            "DCO days a week",
            "DCO PAs per 10,000",
            "DMO PAs a week",
            "DMO PAs per 10,000",
            "Vacant posts",
        ],
        out,
    )


def _unique_posts(rows) -> list:
    seen: dict[int, Any] = {}
    for _, area in rows:
        for summary in area.posts:
            seen.setdefault(summary.post.pk, summary)
    return sorted(seen.values(), key=lambda s: (s.post.title, s.post.pk))


def _posts_table(summaries) -> Table:
    return Table(
        "posts",
        "Designated officer posts",
        ["Post", "Role", "Time a week", "Children covered", "Filled"],
        [
            Row(
                s.post.title,
                [
                    Shown(s.post.role, ROLE_LABELS.get(s.post.role, s.post.role)),
                    Shown(s.post.pas_per_week, pa_policy.describe_time(s.post.pas_per_week)),
                    _plain(s.children),
                    Shown(not s.post.is_vacant, "Vacant" if s.post.is_vacant else "Filled"),
                ],
            )
            for s in summaries
        ],
        note="Posts current on the date above. Post-holders are not named in this report.",
    )


def _officer_activity(selection: Selection, la_ids: list[int], on: datetime.date) -> Section:
    """Training delivered, committees sat on and CPD recorded in the year by
    the posts covering the scope at any time in the year (four queries)."""
    year = selection.period
    start, end = year.start, min(year.end, on)
    posts = Post.objects.filter(
        Q(start_date__isnull=True) | Q(start_date__lte=end),
        Q(end_date__isnull=True) | Q(end_date__gte=start),
    )
    covers = Q(local_authorities__in=la_ids)
    if selection.body is not None and selection.local_authority is None:
        covers |= Q(commissioning_bodies=selection.body)
    posts = posts.filter(covers)
    ids = posts.values("pk")
    post_rows = list(posts.distinct().order_by("title", "pk").values_list("pk", "title", "role"))
    training = {
        row["post_id"]: row
        for row in TrainingSession.objects.filter(post__in=ids, delivered_on__range=(start, end))
        .order_by()
        .values("post_id")
        .annotate(sessions=Count("pk"), people=Sum("attendees"))
    }
    cpd = {
        row["post_id"]: row["points"]
        for row in CPDEntry.objects.filter(post__in=ids, completed_on__range=(start, end))
        .order_by()
        .values("post_id")
        .annotate(points=Sum("points"))
    }
    boards: Counter = Counter()
    kinds: Counter = Counter()
    for post_id, kind, n in (
        Membership.objects.filter(post__in=ids)
        .filter(Q(since__isnull=True) | Q(since__lte=end))
        .filter(Q(until__isnull=True) | Q(until__gte=start))
        .order_by()
        .values("post_id", "kind")
        .annotate(n=Count("pk"))
        .values_list("post_id", "kind", "n")
    ):
        boards[post_id] += n
        kinds[kind] += n

    section = Section("officer-activity", "Designated officers' work in the year")
    rows = []
    totals = [0, 0, 0, Decimal(0)]
    for pk, title, role in post_rows:
        sessions = training.get(pk, {}).get("sessions", 0)
        people = training.get(pk, {}).get("people") or 0
        points = cpd.get(pk) or Decimal(0)
        for i, value in enumerate((sessions, people, boards[pk], points)):
            totals[i] += value
        rows.append(
            Row(
                title,
                [
                    Shown(role, ROLE_LABELS.get(role, role)),
                    _plain(sessions),
                    _plain(people),
                    _plain(boards[pk]),
                    _plain(points),
                ],
            )
        )
    if rows:
        rows.append(Row("All posts", [Shown("", ""), *(_plain(v) for v in totals)]))
    sessions, people, memberships, points = totals
    section.p(
        f"In the year the posts covering the area delivered {sessions:,} training "
        f"session{'s' if sessions != 1 else ''} to {people:,} "
        f"{'person' if people == 1 else 'people'}, held {memberships:,} "
        f"place{'s' if memberships != 1 else ''} on committees and boards, and recorded "
        f"{pa_policy.format_number(points)} CPD points."
    )
    section.table(
        Table(
            "officer_activity",
            "Training, committees and CPD by post",
            [
                "Post",
                "Role",
                "Training sessions",
                "Attendees",
                "Committees and boards",
                "CPD points",
            ],
            rows,
            note="Counts from the post-holders' own records.",
        )
    )
    labels = dict(BoardKind.choices)
    section.table(
        Table(
            "boards",
            "Committees and boards sat on, by kind",
            ["Kind", "Memberships"],
            [
                Row(labels[kind], [_plain(kinds[kind])])
                for kind in BoardKind.values
                if kinds.get(kind)
            ],
        )
    )
    return section


__all__ = [
    "AnnualReport",
    "Block",
    "Section",
    "build",
    "file_name",
]
