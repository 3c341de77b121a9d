"""The annual report: what it says, and the PDF kept for it.

:func:`build` turns a selection (a commissioning body or local authorities,
one financial year, exact or suppressed figures) into an
:class:`AnnualReport`: a list of sections, each a run of paragraphs, tables,
charts and definition lists. The web page and the PDF template both just
walk that list, so what a board member reads on screen and on paper is the
same. Figures about children go through ``reports.presentation`` (and so
through one suppression policy); figures about designated officer posts
(time, training, committees, CPD) are about staff, not children, and are
shown exactly to everyone allowed to see reports.

The PDF takes seconds to render, so it is stored in
:class:`reports.models.AnnualReportFile` under a key made from the selection
and a fingerprint of the data the report reads (:func:`data_fingerprint`).
:func:`request_file` finds or creates the row and, with Redis configured,
queues ``reports.build_annual_report``; without Redis it renders straight
away. Either way the same PDF is served until the data changes.

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
import hashlib
import json
import logging
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Q, Sum
from django.template.loader import render_to_string
from django.utils import timezone

from commissioning.models import (
    ChildPopulation,
    CommissioningBody,
    CommissioningLink,
    LocalAuthority,
    Provider,
)
from ehc import models as ehc
from reports import metrics, periods
from reports.charts import Chart, Series
from reports.filters import Selection
from reports.metrics import Scope, Share
from reports.models import AnnualReportFile, FileStatus
from reports.pdf import html_to_pdf
from reports.periods import format_date
from reports.presentation import (
    Presenter,
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

logger = logging.getLogger(__name__)

TITLE = "Health and SEND annual report"
PDF_TEMPLATE = "pdf/annual_report.html"
# Part of every key: raise it when the report's content or layout changes,
# so PDFs stored by the previous version are not served again.
REPORT_VERSION = 1
# A build that has not finished after this long is taken to have died (a
# worker killed, a lost message): the user is offered "Try again".
STALE_AFTER = datetime.timedelta(minutes=15)
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


# --- The stored PDF -------------------------------------------------------------------

# What the report reads. Tables with updated_at give their row count and
# latest change; the others their row count, highest id and a sum of the
# figures the report uses, and edits to them are caught through the audit
# log (every one of them is registered with django-auditlog).
_TRACKED = (
    ehc.Child,
    ehc.HealthAdviceRequest,
    ehc.Contribution,
    ehc.Advice,
    ehc.QualityReview,
    ehc.ReviewInput,
    ehc.Section23Notice,
    ehc.MediationCase,
    ehc.TribunalCase,
    ehc.PersonalHealthBudget,
    Post,
)
_UNTRACKED = (  # (model, the fields whose values the report uses)
    (ehc.ProvisionItem, ("available",)),
    (TrainingSession, ("attendees",)),
    (CPDEntry, ("points",)),
    (Membership, ()),
    (CommissioningLink, ("commissioning_body",)),
    (ChildPopulation, ("aged_0_17", "aged_0_25")),
    (PAPolicySettings, ("population_includes_young_people",)),
)
_AUDITED = (ehc.ProvisionItem, TrainingSession, CPDEntry, Membership)


def _fingerprint_sql() -> tuple[str, list]:
    """One UNION ALL of a single-row aggregate per table: one query, one
    scan per table, on SQLite and PostgreSQL alike. Every value is cast to
    text so the rows line up whatever the column types."""
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    qn = connection.ops.quote_name
    parts: list[str] = []
    params: list = []

    def text(expression: str) -> str:
        return f"CAST({expression} AS TEXT)"

    for model in _TRACKED:
        table = qn(model._meta.db_table)
        column = qn(model._meta.get_field("updated_at").column)
        parts.append(f"SELECT %s, COUNT(*), {text(f'MAX({column})')}, NULL FROM {table}")
        params.append(model._meta.label)
    for model, names in _UNTRACKED:
        table = qn(model._meta.db_table)
        pk = qn(model._meta.pk.column)
        terms = []
        for name in names:
            field = model._meta.get_field(name)
            column = qn(field.column)
            boolean = field.get_internal_type() == "BooleanField"
            terms.append(f"CASE WHEN {column} THEN 1 ELSE 0 END" if boolean else column)
        summed = text(f"SUM({' + '.join(terms)})") if terms else "NULL"
        parts.append(f"SELECT %s, COUNT(*), {text(f'MAX({pk})')}, {summed} FROM {table}")
        params.append(model._meta.label)
    log = qn(LogEntry._meta.db_table)
    types = qn(ContentType._meta.db_table)
    wanted = " OR ".join(["(t.app_label = %s AND t.model = %s)"] * len(_AUDITED))
    log_pk = qn(LogEntry._meta.pk.column)
    log_type = qn(LogEntry._meta.get_field("content_type").column)
    parts.append(
        f"SELECT %s, COUNT(*), {text(f'MAX(l.{log_pk})')}, NULL FROM {log} l "
        f"INNER JOIN {types} t ON t.id = l.{log_type} "
        f"WHERE l.action IN (%s, %s, %s) AND ({wanted})"
    )
    params += ["audit", LogEntry.Action.CREATE, LogEntry.Action.UPDATE, LogEntry.Action.DELETE]
    for model in _AUDITED:
        params += [model._meta.app_label, model._meta.model_name]
    return " UNION ALL ".join(parts), params


def data_fingerprint() -> str:
    """A short digest that changes whenever the data the report reads does
    (a record added, changed or deleted). Names of authorities, providers
    and services are not included: renaming one does not rebuild old PDFs."""
    sql, params = _fingerprint_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = sorted((str(label), *map(str, rest)) for label, *rest in cursor.fetchall())
    return hashlib.sha256(json.dumps(rows).encode()).hexdigest()


def _params(selection: Selection, as_of: datetime.date) -> dict:
    scope = selection.scope
    return {
        "version": REPORT_VERSION,
        "period": selection.period.slug,
        "exact": selection.exact,
        "label": scope.label,
        "body_id": scope.body_id,
        "la_ids": sorted(scope.la_ids) if scope.la_ids is not None else None,
        "provider_id": scope.provider_id,
        "chosen_body": selection.body.pk if selection.body else None,
        "chosen_la": selection.local_authority.pk if selection.local_authority else None,
        "chosen_provider": selection.provider.pk if selection.provider else None,
        "as_of": as_of.isoformat(),
    }


def _digest(data) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def file_keys(selection: Selection, as_of: datetime.date, fingerprint: str) -> tuple[str, str]:
    """(slot, key): the slot names the report (scope, year, exact or not);
    the key adds the day the figures run to and the data fingerprint."""
    params = _params(selection, as_of)
    slot = _digest({k: v for k, v in params.items() if k != "as_of"})
    return slot, _digest({"slot": slot, "as_of": params["as_of"], "data": fingerprint})


def selection_from(params: dict) -> Selection:
    """The selection a stored file was asked for (a chosen body, authority
    or provider deleted since raises DoesNotExist: the build fails)."""

    def load(model, pk):
        return None if pk is None else model.objects.get(pk=pk)

    scope = Scope(
        label=params["label"],
        body_id=params["body_id"],
        la_ids=frozenset(params["la_ids"]) if params["la_ids"] is not None else None,
        provider_id=params["provider_id"],
    )
    return Selection(
        scope=scope,
        period=periods.parse_period(params["period"]),
        exact=params["exact"],
        body=load(CommissioningBody, params["chosen_body"]),
        local_authority=load(LocalAuthority, params["chosen_la"]),
        provider=load(Provider, params["chosen_provider"]),
    )


def is_stale(row: AnnualReportFile, now: datetime.datetime | None = None) -> bool:
    """A pending build nobody has finished within STALE_AFTER."""
    now = now or timezone.now()
    since = row.started_at or row.queued_at
    return row.status == FileStatus.PENDING and since < now - STALE_AFTER


def _start(row: AnnualReportFile) -> None:
    """Build now (no Redis: tasks run in-process) or queue the build once
    the row is committed."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        build_file(file_id=row.pk)
        return
    pk = row.pk
    transaction.on_commit(lambda: _queue(pk))


def _queue(file_id: int) -> None:
    from reports.tasks import build_annual_report

    try:
        build_annual_report.delay(file_id)
    except Exception:
        # The broker is down: say so now rather than leave "being prepared"
        # showing until the build goes stale.
        logger.exception("Could not queue the annual report PDF %s", file_id)
        AnnualReportFile.objects.filter(pk=file_id, status=FileStatus.PENDING).update(
            status=FileStatus.FAILED, finished_at=timezone.now()
        )


@transaction.atomic
def _find_or_create(selection: Selection, user, as_of) -> tuple[AnnualReportFile, bool]:
    slot, key = file_keys(selection, as_of, data_fingerprint())
    row, created = AnnualReportFile.objects.get_or_create(
        key=key,
        defaults={
            "slot": slot,
            "params": _params(selection, as_of),
            "filename": file_name(selection),
            "requested_by": user if getattr(user, "pk", None) else None,
        },
    )
    if created:
        # Older versions of the same report: the data has moved on.
        AnnualReportFile.objects.filter(slot=slot).exclude(pk=row.pk).delete()
    return row, created


def request_file(*, selection: Selection, user, today: datetime.date) -> AnnualReportFile:
    """The stored PDF for ``selection`` and today's data: created and built
    (or queued) if there is none yet. Returns the row as it now stands."""
    as_of = min(selection.period.end, today)
    row, created = _find_or_create(selection, user, as_of)
    unclaimed = row.status == FileStatus.PENDING and row.started_at is None
    if created or (unclaimed and settings.CELERY_TASK_ALWAYS_EAGER):
        _start(row)
        row.refresh_from_db()
    return row


def retry_file(*, selection: Selection, user, today: datetime.date) -> AnnualReportFile:
    """Start again a build that failed or went stale; anything else is left
    alone (a second click while it is being built queues nothing)."""
    as_of = min(selection.period.end, today)
    row, created = _find_or_create(selection, user, as_of)
    if not created and (row.status == FileStatus.FAILED or is_stale(row)):
        now = timezone.now()
        reset = AnnualReportFile.objects.filter(pk=row.pk, status=row.status).update(
            status=FileStatus.PENDING,
            content=None,
            started_at=None,
            finished_at=None,
            queued_at=now,
            requested_by=user if getattr(user, "pk", None) else None,
        )
        created = bool(reset)
    if created:
        _start(row)
    row.refresh_from_db()
    return row


def render(annual: AnnualReport) -> bytes:
    return html_to_pdf(
        render_to_string(PDF_TEMPLATE, {"annual": annual, "service_name": settings.SERVICE_NAME})
    )


def build_file(*, file_id: int) -> str:
    """Claim, build and store one annual report PDF. Returns what happened:
    "ready", "failed" or "skipped" (someone else has it, or it is gone).

    A failure is logged and recorded on the row, never raised: the user sees
    "could not be prepared" with a way to try again.
    """
    claimed = AnnualReportFile.objects.filter(
        pk=file_id, status=FileStatus.PENDING, started_at__isnull=True
    ).update(started_at=timezone.now())
    if not claimed:
        return "skipped"
    began = time.perf_counter()
    try:
        params = AnnualReportFile.objects.values_list("params", flat=True).get(pk=file_id)
        annual = build(
            selection_from(params),
            today=datetime.date.fromisoformat(params["as_of"]),
            produced_on=timezone.localdate(),
        )
        pdf = render(annual)
    except AnnualReportFile.DoesNotExist:
        return "skipped"
    except Exception:
        logger.exception("The annual report PDF %s could not be built", file_id)
        AnnualReportFile.objects.filter(pk=file_id, status=FileStatus.PENDING).update(
            status=FileStatus.FAILED, finished_at=timezone.now()
        )
        return "failed"
    AnnualReportFile.objects.filter(pk=file_id, status=FileStatus.PENDING).update(
        status=FileStatus.READY,
        content=pdf,
        finished_at=timezone.now(),
        render_seconds=round(time.perf_counter() - began, 3),
    )
    return "ready"


__all__ = [
    "AnnualReport",
    "Block",
    "Section",
    "build",
    "build_file",
    "data_fingerprint",
    "file_keys",
    "is_stale",
    "render",
    "request_file",
    "retry_file",
    "selection_from",
]
