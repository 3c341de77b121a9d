"""The inspection evidence pack: one document for the area SEND inspection
(Ofsted and CQC's area SEND inspection framework, 2023) drawn from what
the portal holds (docs/reports.md, "Inspection evidence pack").

:func:`build` turns a selection (a commissioning body or local
authorities, a period) and the "for sharing" choice into an
:class:`InspectionPack`: a list of :class:`~reports.annual_sections.Section`
values that the web page and the PDF both walk, as the annual report's do.

Each section is **one function** taking a :class:`PackContext` and
returning a Section, listed in :data:`SECTIONS` in the order the pack reads;
adding a section is writing one function and adding it to the list. The
figures come from the indicators every report shares
(:func:`reports.figures.compute`, shown through
:class:`reports.presentation.Presenter`), the designated officers' records
(``reports.annual_officers``) and the improvement plans
(``reports.improvement_progress``): nothing here counts anything itself.

Suppression: a pack **for sharing** (the default, and the only choice for
commissioners) shows every figure about children through
``Figures(exact=False)``, exactly as commissioners see them; officers and
administrators may untick it for their own use and see exact figures.
Figures about staff (training, resourcing) and about improvement actions
are not about children and are exact in both.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, replace

from core import periods
from core.periods import format_date
from ehc import clock as ehc_clock
from ehc.models import Child
from ehc.reviews import clock as review_rules
from ehc.reviews import selectors as review_selectors
from reports import figures, metrics, plan_tables
from reports.annual_officers import officer_sections
from reports.annual_sections import Section
from reports.filters import Selection
from reports.improvement_progress import improvement_section
from reports.presentation import Presenter
from reports.service_gaps import add_waits
from reports.shown import Row, Table, show_count
from reports.suppression import DISCLOSURE_NOTE, Figures

TITLE = "Inspection evidence pack"


@dataclass
class PackContext:
    """What every section function reads: the selection (its ``exact`` is
    the pack's), the indicators for the period and the two before it, the
    presenter that shows them to this reader, the authorities covered on
    ``as_of`` and the day the figures run to."""

    selection: Selection
    report: metrics.Report
    presenter: Presenter
    la_ids: list[int]
    as_of: datetime.date

    @property
    def period(self):
        return self.selection.period


@dataclass
class InspectionPack:
    selection: Selection
    for_sharing: bool
    produced_on: datetime.date
    as_of: datetime.date
    sections: list[Section]
    title: str = TITLE

    @property
    def scope_label(self) -> str:
        return self.selection.scope.label

    @property
    def period(self):
        return self.selection.period

    @property
    def dates(self) -> str:
        end = format_date(self.as_of)
        note = " (the period is not over)" if self.as_of < self.period.end else ""
        return f"{format_date(self.period.start)} to {end}{note}"

    @property
    def filename(self) -> str:
        sharing = "for-sharing" if self.for_sharing else "exact"
        return f"inspection-pack-{self.period.slug}-{self.scope_label}-{sharing}"[:200]


def rows_of(table: Table, key: str, title: str, labels: list[str], note: str = "") -> Table:
    """A table of the rows of ``table`` labelled ``labels``, in that order
    (each label must be one of its rows: KeyError otherwise)."""
    by_label = {row.label: row for row in table.rows}
    return Table(key, title, table.head, [by_label[label] for label in labels], note=note)


# --- The sections -----------------------------------------------------------------------------


def about(ctx: PackContext) -> Section:
    selection = ctx.selection
    section = Section("about", "About this pack")
    section.p(
        f"Evidence for the area SEND inspection from the records the designated clinical "
        f"and medical officers keep in this portal, for {selection.scope.label} from "
        f"{format_date(ctx.period.start)} to {format_date(ctx.as_of)}. The figures about "
        f"health advice are compared with the period before and the same period a year "
        f"earlier."
    )
    if selection.provider is not None:
        section.p(
            f"Figures about requests, contributions, quality reviews, review records and "
            f"Section 23 are for {selection.provider}; mediation, tribunal and enquiries "
            f"cover all providers."
        )
    if selection.exact:
        section.p(
            "Figures are exact: this copy is not for sharing outside the designated officers' team."
        )
    else:
        section.p(f"Prepared for sharing. {DISCLOSURE_NOTE}")
    section.p(
        "Figures about designated officer posts and about improvement plan actions are "
        "not about children and are shown exactly."
    )
    return section


def timeliness(ctx: PackContext) -> Section:
    section = Section("timeliness", "Timeliness of health advice")
    section.p(
        "Health advice for EHC needs assessments and re-assessments is due within 6 weeks "
        "of the request (regulation 8 of the SEND Regulations 2014). It is shown both "
        "ways: with lawful exceptions (regulation 8(2)) counted as late, and with them "
        "left out. Advice for reviews, mediation and tribunal is measured against its own "
        "deadline."
    )
    section.table(
        rows_of(
            ctx.presenter.indicators(),
            "timeliness",
            "Timeliness of advice for needs assessments",
            [
                "Requests for health advice received",
                "Contributions due and decided (needs assessments and re-assessments)",
                "Returned within 6 weeks (all)",
                "Returned within 6 weeks (excluding lawful exceptions)",
                "Contributions with a lawful exception",
                "Median days to return",
                "90th percentile days to return",
                "Contributions overdue on the last day",
            ],
        )
    )
    section.table(ctx.presenter.timeliness_table("provider"))
    section.table(ctx.presenter.other_deadlines_table())
    return section


def quality(ctx: PackContext) -> Section:
    section = Section("quality", "Quality of health advice")
    section.p(
        "The designated officers review a sample of the advice against 9 quality "
        "criteria: green is 8 or 9 met, amber 5 to 7, red fewer."
    )
    section.table(
        rows_of(
            ctx.presenter.indicators(),
            "quality_headline",
            "Quality reviews",
            ["Quality reviews", "Quality reviews rated green"],
        )
    )
    section.table(ctx.presenter.quality_table())
    return section


def plan_audits(ctx: PackContext) -> Section:
    """The quality of EHC plans' health sections (audits against the
    checklist, docs/plans.md) and the health provision in plans that children
    wait for or cannot get (``reports.plan_tables``)."""
    section = Section("plan-audits", "Quality of EHC plans' health sections")
    section.p(
        "The designated officers audit the health sections of EHC plans (section C, "
        "health needs, and section G, health provision) against the portal's checklist, "
        "and record whether the health provision in section G is delivered."
    )
    section.table(plan_tables.audit_table(ctx.presenter))
    section.table(plan_tables.provision_gaps_table(ctx.presenter))
    return section


def review_clock(ctx: PackContext) -> Section:
    """Children with an EHC plan in the authorities covered and, of them,
    those whose annual review (or phase transfer review) was overdue on the
    last day, on the reviews' own clock (``ehc.reviews.selectors``, SEND
    Regulations 2014 reg 18; docs/reviews.md). Counts of children: shown
    through the reader's figures. Two queries."""
    section = Section("review-clock", "Annual reviews on their own clock")
    section.p(
        "Every EHC plan is reviewed at least every 12 months, and before a move between "
        "phases of education (SEND Regulations 2014 regulation 18). Worked out from the "
        f"plans and reviews recorded, on {format_date(ctx.as_of)}."
    )
    children = review_selectors.with_review_clock(
        Child.objects.filter(local_authority__in=ctx.la_ids), ctx.as_of
    ).filter(
        review_selectors.has_plan(),
        date_of_death__isnull=True,
        date_of_birth__gt=review_rules.born_by(ehc_clock.OLDEST_AGE + 1, ctx.as_of),
    )
    with_plan = children.count()
    overdue = children.filter(review_selectors.overdue(ctx.as_of)).count()
    figures = ctx.presenter.figures
    section.table(
        Table(
            "review_clock",
            f"Reviews on {format_date(ctx.as_of)}",
            ["Children and young people", "Number"],
            [
                Row(
                    "With an EHC plan recorded (aged 25 or under)", [show_count(figures, with_plan)]
                ),
                Row("Review overdue", [show_count(figures, overdue)]),
            ],
            note="Not narrowed by a chosen provider: a review belongs to the child's plan.",
        )
    )
    return section


def waiting_times(ctx: PackContext) -> Section:
    """Each service's waiting list at the end of each quarter of the
    financial year the period ends in, up to the period's last day
    (``reports.service_gaps``, docs/waits.md): the number waiting, the
    median and the longest wait, through the reader's figures."""
    section = Section("waiting-times", "Waiting times")
    year = periods.financial_year(periods.financial_year_of(ctx.as_of))
    section.p(
        f"Each service's waiting list at the end of each quarter of {year.label} up to "
        f"{format_date(ctx.as_of)}, as the services entered them."
    )
    add_waits(section, ctx.selection.scope, year, as_of=ctx.as_of, figures=ctx.presenter.figures)
    return section


def reviews(ctx: PackContext) -> Section:
    section = Section("reviews", "Annual reviews with health input")
    section.p(
        "Review meetings recorded on children's records: whether health attended and "
        "whether health advice was sent at least 2 weeks before the meeting "
        "(regulation 20(4))."
    )
    section.table(
        rows_of(
            ctx.presenter.indicators(),
            "reviews",
            "Annual reviews",
            [
                "Annual reviews with health input",
                "Health attended the review",
                "Review records: health advice sent 2 weeks before the meeting",
            ],
        )
    )
    return section


def section23(ctx: PackContext) -> Section:
    section = Section("section23", "Section 23 notifications")
    section.p(
        "Under section 23 of the Children and Families Act 2014 a health body tells the "
        "local authority about a child under compulsory school age who it thinks has, or "
        "probably has, special educational needs or a disability."
    )
    section.table(ctx.presenter.section23_table())
    return section


def disputes(ctx: PackContext) -> Section:
    section = Section("disputes", "Mediation and tribunal")
    section.p("Mediation cases and tribunal appeals with health issues in dispute.")
    section.table(
        rows_of(
            ctx.presenter.indicators(),
            "disputes",
            "Mediation and tribunal",
            [
                "Mediation cases with health issues",
                "Tribunal appeals with health issues",
                "Tribunal health recommendations",
            ],
        )
    )
    return section


def service_gaps(ctx: PackContext) -> Section:
    section = Section("service-gaps", "Unavailable provision and service gaps")
    section.p(
        "Provision that health advice recommended but no local service offers, and the "
        "services with the lowest share of advice on time and rated green."
    )
    section.table(
        rows_of(
            ctx.presenter.indicators(),
            "unavailable",
            "Provision recommended but unavailable locally",
            ["Provision recommended but unavailable locally"],
        )
    )
    for table in ctx.presenter.weakest_services():
        section.table(table)
    return section


def enquiries(ctx: PackContext) -> Section:
    section = Section("enquiries", "Enquiries to the designated officers")
    section.p(
        "The designated officers are the point of contact for local partners (SEND Code "
        "of Practice 3.45): the enquiries they logged, by who asked and what about."
    )
    section.table(ctx.presenter.enquiries_table())
    return section


def officers(ctx: PackContext) -> list[Section]:
    """Resourcing against the national survey on the last day, and the
    training, committees and CPD of the posts in the period."""
    resourcing, work = officer_sections(
        ctx.selection, ctx.la_ids, ctx.as_of, during="In the period"
    )
    work.title = "Designated officers' work: training delivered"
    return [resourcing, work]


def improvement(ctx: PackContext) -> Section:
    return improvement_section(ctx.la_ids, ctx.period, ctx.as_of)


# The pack, in reading order: each entry returns a Section or a list of them.
SECTIONS: list[Callable[[PackContext], Section | list[Section]]] = [
    about,
    timeliness,
    quality,
    plan_audits,
    reviews,
    review_clock,
    section23,
    disputes,
    service_gaps,
    waiting_times,
    enquiries,
    officers,
    improvement,
]


def build(selection: Selection, *, for_sharing: bool, today: datetime.date) -> InspectionPack:
    """The pack for ``selection`` with the figures as they stood on
    ``today`` (or the period's last day, if sooner). ``for_sharing`` (or a
    selection that is not exact, a commissioner's) shows every figure about
    children suppressed (``reports.suppression``)."""
    if for_sharing and selection.exact:
        selection = replace(selection, exact=False)
    as_of = min(selection.period.end, today)
    report = figures.compute(selection.scope, selection.period, today=today)
    presenter = Presenter(report, Figures(exact=selection.exact))
    ctx = PackContext(
        selection=selection,
        report=report,
        presenter=presenter,
        la_ids=metrics.scope_local_authorities(selection.scope, as_of),
        as_of=as_of,
    )
    sections: list[Section] = []
    for make in SECTIONS:
        made = make(ctx)
        sections.extend(made if isinstance(made, list) else [made])
    return InspectionPack(
        selection=selection,
        for_sharing=not selection.exact,
        produced_on=today,
        as_of=as_of,
        sections=sections,
    )
