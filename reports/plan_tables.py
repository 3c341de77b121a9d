"""The plan quality tables of the quarterly and annual reports
(docs/plans.md, "In the reports"): audits of EHC plans' health sections with
their pass rate, and the section G provision waited for or not available by
service. Built from a :class:`reports.presentation.Presenter`, through the
viewer's figures like every other table: exact for designated officers and
administrators, suppressed for commissioners, and with no breakdown when
the total it breaks down is itself suppressed.
"""

from __future__ import annotations

from ehc import plan_checklist
from ehc.models import Rating
from reports.presentation import SUPPRESSED_CELL, Presenter
from reports.shown import Row, Table, show_count, show_share

AUDIT_NOTE = (
    "Audits of the health sections of EHC plans (C, health needs, and G, health provision) "
    "against the portal's 8-point checklist, by the date of the audit. A plan passes when "
    f"it is rated green: {plan_checklist.GREEN_FROM}% of the points possible or more. "
    "Not counted by provider."
)


def audit_table(presenter: Presenter) -> Table:
    """Plans audited in each period, the share rated green (the pass rate)
    and how many were amber and red. A period whose number of audits is
    suppressed shows "*" for its ratings, zeros included."""
    f = presenter.figures
    periods = presenter.periods
    hidden = [presenter._column_hidden(m.plan_audits) for m in periods]

    def ratings(label, rating):
        return Row(
            label,
            [
                SUPPRESSED_CELL if hide else show_count(f, m.plan_ratings[rating])
                for m, hide in zip(periods, hidden, strict=True)
            ],
        )

    rows = [
        Row("Plans audited", [show_count(f, m.plan_audits) for m in periods]),
        Row("Pass rate (rated green)", [show_share(f, m.plan_audits_passed) for m in periods]),
        ratings("Rated green", Rating.GREEN),
        ratings("Rated amber", Rating.AMBER),
        ratings("Rated red", Rating.RED),
    ]
    return Table(
        "plan_audits",
        "Quality of EHC plans' health sections",
        ["Plan audits", *presenter.head_periods],
        rows,
        note=AUDIT_NOTE,
    )


def provision_gaps_table(presenter: Presenter, limit: int = 10) -> Table:
    """Section G provision checked in the period, by service, the services
    with the most provision waited for or not available first (up to
    ``limit`` of them). No breakdown when the provision checked in all is
    too few to show."""
    f = presenter.figures
    gaps = [gap for gap in presenter.report.current.plan_gaps if gap.gaps]
    checked = sum(
        gap.in_place + gap.waiting + gap.not_available for gap in presenter.report.current.plan_gaps
    )
    head = ["Service", "Waiting", "Not available", "Checked"]
    title = "Health provision in EHC plans waiting or not available, by service"
    note = (
        "Section G provision whose delivery was last checked in the period: waiting (the "
        "child is on a waiting list) or not available (no local service offers it)."
    )
    if f.is_suppressed(f.count(checked)):
        return Table(
            "plan_gaps",
            title,
            head,
            [],
            note=note,
            empty="Too little provision checked in this selection to break it down.",
        )
    rows = [
        Row(
            f"{gap.service_name} ({gap.provider_name})" if gap.provider_name else gap.service_name,
            [
                show_count(f, gap.waiting),
                show_count(f, gap.not_available),
                show_count(f, gap.in_place + gap.waiting + gap.not_available),
            ],
        )
        for gap in gaps[:limit]
    ]
    return Table(
        "plan_gaps",
        title,
        head,
        rows,
        note=note,
        empty="No provision recorded as waiting or not available.",
    )


def summary(presenter: Presenter) -> list[str]:
    """The quarterly report's sentence on plan audits, from the figures this
    viewer may see: none when no plan was audited in the period."""
    current = presenter.report.current
    if not current.plan_audits:
        return []
    passed = show_share(presenter.figures, current.plan_audits_passed)
    if passed.suppressed:
        return [
            "The share of EHC plans passing their health audit is hidden: the numbers "
            "behind it are small."
        ]
    return [f"{passed.text} of the EHC plans audited passed (health sections rated green)."]
