"""Figures as people read them: the tables, tiles and charts every report
shows, built once from a :class:`reports.metrics.Report`. The single figures and
the table shapes themselves are in ``reports.shown``.

Suppression happens here and only here: each figure goes through a
:class:`reports.suppression.Figures` policy (exact for designated officers
and administrators, suppressed for commissioners), so the dashboard, the
quarterly report, its CSV and the annual report can never disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ehc.clock import REVIEW_PROCESSES
from ehc.models import LateReason, PrimaryNeed, Process, Rating
from enquiries.models import EnquirySource, EnquiryTopic
from reports.charts import Chart, Series
from reports.groups import group_table
from reports.indicators import (
    AGE_BAND_LABELS,
    LAWFUL_EXCEPTION,
    NO_REASON,
    OTHER_DEADLINES,
    OVERDUE_AGE_LABELS,
    PeriodMetrics,
    Report,
    Share,
    Stat,
)
from reports.shown import (
    NOT_AVAILABLE,
    Row,
    Shown,
    Table,
    Tile,
    show_count,
    show_rate,
    show_share,
    show_stat,
)
from reports.suppression import SUPPRESSED, Figures

# A cell shown as suppressed whatever its count (a column whose own total is).
SUPPRESSED_CELL = Shown(SUPPRESSED, SUPPRESSED)

SOURCE_LABELS = {"provider": "NHS trust or provider", "commissioning_body": "Commissioning body"}
# A service needs this many contributions due (or reviews) in the period
# before it is ranked among the weakest: two late returns out of three say
# little about a service. 8 is the smallest count shown unsuppressed, so a
# ranking never tells a commissioner more than "*" does.
MIN_FOR_RANKING = 8


def _change(current: Shown, previous: Shown, unit: str) -> str:
    if not (current.is_number and previous.is_number):
        return ""
    a, b = current.value, previous.value
    difference = a - b
    if abs(difference) < 0.05:
        return "no change on the previous period"
    direction = "up" if difference > 0 else "down"
    amount = (
        f"{abs(difference):.1f} percentage points" if unit == "%" else f"{abs(difference):,.0f}"
    )
    return f"{direction} {amount} on the previous period"


TOO_FEW = "Too few requests in this selection to break them down."
OTHER_DEADLINES_NOTE = (
    "None of this advice is in the 6-week rate, which covers EHC needs assessments and "
    "re-assessments only (reg 8). Review advice is due 2 weeks before the review meeting; "
    "where no meeting date is recorded it is judged at 6 weeks from health's receipt of the "
    "request. Advice still out when the local authority withdrew its request is neither on "
    "time nor late."
)


class Presenter:
    """Builds every table, tile and chart of one report for one viewer.

    ``drill`` (for designated officers and administrators only) turns a
    request-count filter into a link to the worklist; None for others.
    """

    def __init__(
        self,
        report: Report,
        figures: Figures,
        drill: Callable[[dict], str] | None = None,
    ):
        self.report = report
        self.figures = figures
        self.drill = drill
        self.periods = [report.current, report.previous, report.year_earlier]
        self.head_periods = [
            f"{report.current.period.label} (this period)",
            f"{report.previous.period.label} (previous)",
            f"{report.year_earlier.period.label} (a year earlier)",
        ]

    # Small helpers --------------------------------------------------------------------

    def _link(self, **params) -> str | None:
        if self.drill is None:
            return None
        period = self.report.current.period
        return self.drill({"received_from": period.start, "received_to": period.end, **params})

    def _counts(self, get: Callable[[PeriodMetrics], int]) -> list[Shown]:
        return [show_count(self.figures, get(m)) for m in self.periods]

    def _shares(self, get: Callable[[PeriodMetrics], Share]) -> list[Shown]:
        return [show_share(self.figures, get(m)) for m in self.periods]

    def _breakdown(
        self,
        key: str,
        title: str,
        attribute: str,
        labels: dict,
        order: Iterable | None = None,
        link_param: str | None = None,
    ) -> Table:
        column = title.split(" by ")[-1].capitalize() if " by " in title else "Category"
        if self._too_few_to_break_down():
            return Table(key, title, [column, *self.head_periods], [], empty=TOO_FEW)
        counters = [getattr(m, attribute) for m in self.periods]
        keys = list(order) if order is not None else []
        seen = set(keys)
        extra = {k for counter in counters for k in counter if k not in seen}
        keys += sorted(extra, key=lambda k: str(labels.get(k, k)))
        hidden = [self._column_hidden(sum(counter.values())) for counter in counters]
        rows = []
        for k in keys:
            if not any(counter.get(k) for counter in counters):
                continue
            link = self._link(**{link_param: k}) if link_param else None
            rows.append(
                Row(
                    str(labels.get(k, k)),
                    [
                        SUPPRESSED_CELL if hide else show_count(self.figures, counter.get(k, 0))
                        for counter, hide in zip(counters, hidden, strict=True)
                    ],
                    link if counters[0].get(k) else None,
                )
            )
        return Table(key, title, [column, *self.head_periods], rows)

    def _column_hidden(self, total: int) -> bool:
        """Whether a breakdown's column whose counts add up to ``total`` is
        shown to this viewer as "*" in every cell, zeros included: when the
        column's own total is suppressed (1 to 7), a 0 beside a "*" would
        say which category the handful of records are in. (The selection's
        own total decides whether there is a breakdown at all:
        :meth:`_too_few_to_break_down`.)"""
        return self.figures.is_suppressed(self.figures.count(total))

    def _too_few_to_break_down(self) -> bool:
        """A selection whose own total is suppressed (1 to 7 requests) shows
        no breakdown: splitting a handful of requests by need, age or
        service would point at the children behind them, however each cell
        is rounded."""
        return self.figures.is_suppressed(self.figures.count(self.report.current.requests))

    # Tiles ----------------------------------------------------------------------------

    def tiles(self) -> list[Tile]:
        r = self.report
        f = self.figures
        tiles = [
            Tile(
                "requests",
                "Requests for health advice received",
                *self._counts(lambda m: m.requests),
                link=self._link(),
            ),
            Tile(
                "timely",
                "Advice returned within 6 weeks",
                *self._shares(lambda m: m.timely),
                hint="Advice for EHC needs assessments and re-assessments (reg 8) due in the "
                "period, lawful exceptions counted as late",
            ),
            Tile(
                "timely_excluding",
                "Within 6 weeks, excluding lawful exceptions",
                *self._shares(lambda m: m.timely_excluding_exceptions),
                hint="Leaves out contributions with a reg 8(2) exception",
            ),
            Tile(
                "median",
                "Median time to return advice",
                *[show_stat(f, m.median_days) for m in self.periods],
                hint="From health's receipt of the request (a service the LA asked directly: "
                "from its own receipt) to the return",
            ),
            Tile(
                "overdue",
                "Contributions overdue",
                *self._counts(lambda m: m.overdue),
                hint=f"On {r.current.as_of:%-d %B %Y} and on each period's last day",
                link=(
                    self.drill({"overdue": "on"})
                    if self.drill and r.current.as_of == r.today
                    else None
                ),
            ),
            Tile(
                "quality",
                "Advice rated green in quality review",
                *self._shares(lambda m: m.reviews_passed),
                hint="8 or 9 of the 9 criteria met",
            ),
        ]
        for tile in tiles:
            unit = {"timely": "%", "timely_excluding": "%", "quality": "%", "median": "days"}.get(
                tile.key, ""
            )
            tile.change = _change(tile.current, tile.previous, unit)
        return tiles

    # Tables ---------------------------------------------------------------------------

    def indicators(self) -> Table:
        """Every headline indicator, one row each, with the comparisons."""
        f = self.figures
        ms = self.periods

        def counts(label, get):
            return Row(label, [show_count(f, get(m)) for m in ms])

        def shares(label, get):
            return Row(label, [show_share(f, get(m)) for m in ms])

        rows = [
            counts("Requests for health advice received", lambda m: m.requests),
            Row(
                "Requests per 10,000 children and young people (0 to 25)",
                [show_rate(f, m.requests, m.population) for m in ms],
            ),
            counts(
                "Contributions due and decided (needs assessments and re-assessments)",
                lambda m: m.timely.den,
            ),
            shares("Returned within 6 weeks (all)", lambda m: m.timely),
            shares(
                "Returned within 6 weeks (excluding lawful exceptions)",
                lambda m: m.timely_excluding_exceptions,
            ),
            counts("Contributions with a lawful exception", lambda m: m.excepted),
            counts(
                "Not returned: request withdrawn (neither on time nor late)",
                lambda m: m.withdrawn_unreturned,
            ),
            *(
                shares(label, lambda m, p=process: m.timely_by_process[p])
                for process, label in OTHER_DEADLINES.items()
            ),
            Row("Median days to return", [show_stat(f, m.median_days) for m in ms]),
            Row("90th percentile days to return", [show_stat(f, m.p90_days) for m in ms]),
            counts("Contributions overdue on the last day", lambda m: m.overdue),
            counts("Quality reviews", lambda m: m.reviews),
            shares("Quality reviews rated green", lambda m: m.reviews_passed),
            counts(
                "Provision recommended but unavailable locally", lambda m: m.unavailable_provision
            ),
            shares("EHC plans' health sections passing audit", lambda m: m.plan_audits_passed),
            counts("Annual reviews with health input", lambda m: m.annual_reviews),
            shares("Health attended the review", lambda m: m.health_attended),
            shares(
                "Review records: health advice sent 2 weeks before the meeting",
                lambda m: m.advice_two_weeks_ahead,
            ),
            counts("Section 23 notifications", lambda m: m.section23),
            counts("Mediation cases with health issues", lambda m: m.mediation),
            counts("Tribunal appeals with health issues", lambda m: m.tribunal),
            counts("Tribunal health recommendations", lambda m: m.tribunal_recommendations),
            counts("Personal health budgets considered", lambda m: m.budgets_considered),
            counts("Personal health budgets agreed", lambda m: m.budgets_agreed),
        ]
        rows[0].link = self._link()
        return Table("indicators", "Indicators", ["Indicator", *self.head_periods], rows)

    def demand_tables(self) -> list[Table]:
        names = self.report.names
        return [
            self._breakdown(
                "by_la",
                "Requests by local authority",
                "by_la",
                names["la"],
                link_param="local_authority",
            ),
            self._breakdown(
                "by_provider",
                "Requests by provider",
                "by_provider",
                names["provider"],
                link_param="provider",
            ),
            self.process_table(),
            self._breakdown(
                "by_age",
                "Requests by age when received",
                "by_age_band",
                AGE_BAND_LABELS,
                order=AGE_BAND_LABELS,
            ),
            self._breakdown(
                "by_need",
                "Requests by primary need",
                "by_need",
                dict(PrimaryNeed.choices),
                order=PrimaryNeed.values,
                link_param="primary_need",
            ),
            group_table(self, TOO_FEW),
            self._breakdown(
                "by_service", "Contributions asked by service", "by_service", names["service"]
            ),
        ]

    def process_table(self) -> Table:
        return self._breakdown(
            "by_process",
            "Requests by process",
            "by_process",
            dict(Process.choices),
            order=Process.values,
            link_param="process",
        )

    def timeliness_table(self, by: str = "provider") -> Table:
        """Share returned within 6 weeks by provider or service, this period
        against the previous one."""
        names = self.report.names[by]
        attribute = f"timely_by_{by}"
        now, before, earlier = (getattr(m, attribute) for m in self.periods)
        rows = []
        for key in sorted(now, key=lambda k: names.get(k, "")):
            label = names.get(key, "")
            if by == "service":
                provider = self.report.names["provider"].get(self.report.service_provider.get(key))
                label = f"{label} ({provider})" if provider else label
            rows.append(
                Row(
                    label,
                    [
                        show_count(self.figures, now[key].den),
                        show_share(self.figures, now[key]),
                        show_share(self.figures, before.get(key, Share(0, 0))),
                        show_share(self.figures, earlier.get(key, Share(0, 0))),
                    ],
                )
            )
        return Table(
            f"timeliness_by_{by}",
            f"Timeliness by {by}",
            [
                by.capitalize(),
                "Contributions due",
                f"Within 6 weeks, {self.report.current.period.label}",
                "Previous period",
                "A year earlier",
            ],
            rows,
        )

    def other_deadlines_table(self) -> Table:
        """Advice for reviews, mediation and tribunal: the share returned by
        its own due date, one row per process, beside the contributions
        counted, the review advice judged without a meeting date and the
        advice left outstanding at a withdrawal."""
        f = self.figures
        now = self.report.current
        head = [
            "Advice for",
            "Contributions due and decided",
            "Of which meeting date not recorded",
            "Not returned: request withdrawn",
            f"On time, {now.period.label}",
            "Previous period",
            "A year earlier",
        ]
        title = "Advice with other deadlines: returned by its own due date"
        if self._too_few_to_break_down():
            return Table(
                "other_deadlines", title, head, [], note=OTHER_DEADLINES_NOTE, empty=TOO_FEW
            )
        rows = []
        for process, label in OTHER_DEADLINES.items():
            share = now.timely_by_process[process]
            no_meeting = (
                show_count(f, now.meeting_not_recorded[process])
                if process in REVIEW_PROCESSES
                else Shown(None, NOT_AVAILABLE)
            )
            rows.append(
                Row(
                    label,
                    [
                        show_count(f, share.den),
                        no_meeting,
                        show_count(f, now.withdrawn_by_process[process]),
                        *self._shares(lambda m, p=process: m.timely_by_process[p]),
                    ],
                )
            )
        return Table("other_deadlines", title, head, rows, note=OTHER_DEADLINES_NOTE)

    def overdue_tables(self) -> list[Table]:
        reasons = {
            LAWFUL_EXCEPTION: "Late: lawful exception recorded (reg 8(2)), advice still owed",
            NO_REASON: "No reason recorded",
            **dict(LateReason.choices),
        }
        return [
            self._breakdown(
                "overdue_by_reason",
                "Overdue contributions by late reason",
                "overdue_by_reason",
                reasons,
                order=[LAWFUL_EXCEPTION, *LateReason.values, NO_REASON],
            ),
            self._breakdown(
                "overdue_by_age",
                "Overdue contributions by how late",
                "overdue_by_age",
                OVERDUE_AGE_LABELS,
                order=OVERDUE_AGE_LABELS,
            ),
        ]

    def quality_table(self) -> Table:
        return self._breakdown(
            "ratings",
            "Quality reviews by rating",
            "ratings",
            dict(Rating.choices),
            order=[Rating.GREEN, Rating.AMBER, Rating.RED],
        )

    def section23_table(self) -> Table:
        return self._breakdown(
            "section23", "Section 23 notifications by source", "section23_by_source", SOURCE_LABELS
        )

    def enquiries_table(self) -> Table:
        """Enquiries to the designated officers: the total, by source, by
        topic, and the hours spent (docs/enquiries.md). Through the viewer's
        figures like every count: a commissioner sees each count suppressed
        below 8 and, when the total itself is suppressed, no breakdown and
        no hours (a handful of enquiries split by topic could point at a
        family)."""
        f = self.figures
        periods = self.periods

        # A period whose own total is suppressed shows "*" in every cell of
        # the breakdown, zeros included (see _column_hidden).
        hidden = [self._column_hidden(m.enquiries) for m in periods]

        def row(label, get, *, breakdown=True):
            return Row(
                label,
                [
                    SUPPRESSED_CELL if breakdown and hide else show_count(f, get(m))
                    for m, hide in zip(periods, hidden, strict=True)
                ],
            )

        rows = [row("Enquiries", lambda m: m.enquiries, breakdown=False)]
        note = (
            "Questions from the local authority, schools and settings, parents and young "
            "people, practitioners and GPs, by the date they were made. Not counted by provider."
        )
        if f.is_suppressed(f.count(self.report.current.enquiries)):
            note += " Too few enquiries in this selection to break them down."
        else:
            for attribute, choices, prefix in (
                ("enquiries_by_source", EnquirySource, "From"),
                ("enquiries_by_topic", EnquiryTopic, "About"),
            ):
                for value, label in choices.choices:
                    if any(getattr(m, attribute).get(value) for m in periods):
                        rows.append(
                            row(
                                f"{prefix}: {label}",
                                lambda m, a=attribute, v=value: getattr(m, a)[v],
                            )
                        )
            rows.append(
                Row(
                    "Time spent",
                    [
                        SUPPRESSED_CELL
                        if hide
                        else show_stat(
                            f, Stat(round(m.enquiry_minutes / 60, 1), m.enquiries), "hours"
                        )
                        for m, hide in zip(periods, hidden, strict=True)
                    ],
                )
            )
        return Table(
            "enquiries",
            "Enquiries to the designated officers",
            ["Enquiries", *self.head_periods],
            rows,
            note=note,
        )

    # Exceptions and gaps ------------------------------------------------------------------

    def _service_label(self, service_id) -> str:
        names = self.report.names
        provider = names["provider"].get(self.report.service_provider.get(service_id), "")
        service = names["service"].get(service_id, "")
        return f"{service} ({provider})" if provider else service

    def timeliness_fell(self) -> Table:
        """Services whose share within 6 weeks fell on the previous period,
        on the figures this viewer may see."""
        now = self.report.current.timely_by_service
        before = self.report.previous.timely_by_service
        rows = []
        for service_id, share in now.items():
            current = show_share(self.figures, share)
            previous = show_share(self.figures, before.get(service_id, Share(0, 0)))
            if current.is_number and previous.is_number and current.value < previous.value:
                rows.append((previous.value - current.value, service_id, current, previous))
        rows.sort(key=lambda item: (-item[0], self._service_label(item[1])))
        return Table(
            "timeliness_fell",
            "Services whose timeliness fell",
            ["Service", "This period", "Previous period"],
            [Row(self._service_label(s), [c, p]) for _, s, c, p in rows],
            note="Share of contributions returned within 6 weeks.",
        )

    def _lowest(self, key, title, shares: dict, counted: str, measured: str, limit) -> Table:
        """The services with the lowest share, among those with enough to rank."""
        ranked = sorted(
            ((share, s) for s, share in shares.items() if share.den >= MIN_FOR_RANKING),
            key=lambda item: (item[0].value, self._service_label(item[1])),
        )
        f = self.figures
        return Table(
            key,
            title,
            ["Service", counted.capitalize(), measured],
            [
                Row(self._service_label(s), [show_count(f, share.den), show_share(f, share)])
                for share, s in ranked[:limit]
            ],
            note=f"Services with at least {MIN_FOR_RANKING} {counted}.",
        )

    def weakest_services(self, limit: int = 5) -> list[Table]:
        """Service gaps: the worst timeliness, the worst quality, and
        provision recommended but unavailable."""
        m = self.report.current
        unavailable = sorted(
            m.unavailable_by_service.items(),
            key=lambda item: (-item[1], self._service_label(item[0])),
        )
        return [
            self._lowest(
                "gaps_timeliness",
                "Services with the lowest share of advice within 6 weeks",
                m.timely_by_service,
                "contributions due",
                "Within 6 weeks",
                limit,
            ),
            self._lowest(
                "gaps_quality",
                "Services with the lowest share of advice rated green",
                m.passed_by_service,
                "quality reviews",
                "Rated green",
                limit,
            ),
            Table(
                "gaps_unavailable",
                "Provision recommended but unavailable locally, by service",
                ["Service", "Items of provision"],
                [
                    Row(self._service_label(s), [show_count(self.figures, n)])
                    for s, n in unavailable[:limit]
                ],
            ),
        ]

    # Charts ---------------------------------------------------------------------------

    def _values(self, shown: Iterable[Shown]) -> list:
        return [s.value for s in shown]

    def comparison_chart(self) -> Chart:
        tiles = {t.key: t for t in self.tiles()}
        categories = [
            t.label for t in (tiles["timely"], tiles["timely_excluding"], tiles["quality"])
        ]
        series = []
        for index, name in enumerate(self.head_periods):
            values = [
                [t.current, t.previous, t.year_earlier][index].value
                for t in (tiles["timely"], tiles["timely_excluding"], tiles["quality"])
            ]
            series.append(Series(name, values))
        return Chart(
            title="Timeliness and quality against earlier periods",
            categories=categories,
            series=series,
            unit="%",
            kind="hbar",
            y_max=100,
        )

    def trend_charts(self) -> list[Chart]:
        quarters = self.report.quarters
        if not quarters:
            return []
        labels = [q.period.label for q in quarters]
        f = self.figures
        return [
            Chart(
                title="Requests received by quarter",
                categories=labels,
                series=[
                    Series("Requests", self._values(show_count(f, q.requests) for q in quarters))
                ],
                unit="requests",
                kind="line",
            ),
            Chart(
                title="Advice within 6 weeks by quarter",
                categories=labels,
                series=[
                    Series("All", self._values(show_share(f, q.timely) for q in quarters)),
                    Series(
                        "Excluding lawful exceptions",
                        self._values(
                            show_share(f, q.timely_excluding_exceptions) for q in quarters
                        ),
                    ),
                ],
                unit="%",
                kind="line",
                y_max=100,
            ),
        ]

    def breakdown_charts(self) -> list[Chart]:
        by_provider = self.timeliness_table("provider")
        process = self.process_table()
        return [
            Chart(
                title="Advice within 6 weeks by provider",
                categories=[row.label for row in by_provider.rows],
                series=[
                    Series(
                        self.report.current.period.label,
                        [row.cells[1].value for row in by_provider.rows],
                    )
                ],
                unit="%",
                kind="hbar",
                y_max=100,
            ),
            Chart(
                title="Requests by process",
                categories=[row.label for row in process.rows],
                series=[
                    Series(name, [row.cells[i].value for row in process.rows])
                    for i, name in enumerate(self.head_periods)
                ],
                unit="requests",
                kind="bar",
            ),
        ]
