"""Plan quality in the reports (reports/plan_metrics.py, reports/plan_tables.py,
the quarterly and annual reports): plan audits by the date audited with their
pass rate, and the section G provision waited for or not available by
service; exact for officers, suppressed for commissioners, with no
breakdown of a handful (docs/plans.md, "In the reports")."""

from __future__ import annotations

import datetime

import pytest

from core.periods import parse_period
from ehc import plan_checklist
from ehc.models import PlanAudit
from reports import metrics
from reports.indicators import Scope, Share
from reports.plan_tables import audit_table, provision_gaps_table, summary
from reports.presentation import Presenter
from reports.suppression import Figures
from tests import factories as f
from tests.access import get_as

pytestmark = pytest.mark.django_db

D = datetime.date
Q1 = parse_period("2026-q1")  # April to June 2026
TODAY = D(2026, 8, 1)
IN_MAY, APRIL_1ST, JUNE_1ST = D(2026, 5, 4), D(2026, 4, 1), D(2026, 6, 1)


def audits(area, n: int, *, answer="yes", day=IN_MAY, issued=APRIL_1ST):
    """``n`` plans in the area, each audited on ``day`` with every answer
    ``answer`` (yes: green; partly: red at 50%)."""
    made = []
    for _ in range(n):
        plan = f.EHCPlanFactory(
            child=f.ChildFactory(local_authority=area.local_authority), issued_on=issued
        )
        made.append(
            PlanAudit.objects.create(
                plan=plan,
                auditor=area.officer,
                audited_on=day,
                **dict.fromkeys(plan_checklist.CRITERIA_NAMES, answer),
            )
        )
    return made


def report(area, **scope):
    scope = {"body_id": area.body.pk} | scope
    return metrics.compute(Scope(label="x", **scope), Q1, today=TODAY)


def rows_of(table) -> dict[str, list[str]]:
    return {row.label: [cell.text for cell in row.cells] for row in table.rows}


def test_audits_count_by_date_audited_with_the_pass_rate(area, other_area):
    audits(area, 3, answer="yes")
    audits(area, 1, answer="partly")
    audits(area, 2, answer="yes", day=D(2026, 3, 31))  # the quarter before
    audits(other_area, 4)  # another body's area
    result = report(area)
    q1 = result.current
    assert (q1.plan_audits, q1.plan_audits_passed) == (4, Share(3, 4))
    assert q1.plan_ratings == {"green": 3, "red": 1}
    assert (result.previous.plan_audits, result.previous.plan_audits_passed) == (2, Share(2, 2))


def test_audits_follow_the_body_link_in_force_when_the_plan_was_issued(area):
    link = area.local_authority.links.get()
    link.valid_from = D(2026, 4, 15)
    link.save()
    audits(area, 1, issued=D(2026, 4, 1))  # issued before the link began: not the body's
    audits(area, 2, issued=D(2026, 5, 1))
    assert report(area).current.plan_audits == 2
    # An officer's selection of the authority counts all three.
    mine = report(area, body_id=None, la_ids=frozenset({area.local_authority.pk}))
    assert mine.current.plan_audits == 3


def provision(area, service, status, *, checked=JUNE_1ST, **kwargs):
    plan = f.EHCPlanFactory(
        child=f.ChildFactory(local_authority=area.local_authority), issued_on=D(2026, 3, 1)
    )
    if status == "waiting":
        kwargs.setdefault("waiting_since", D(2026, 2, 1))
    return f.PlanProvisionFactory(
        plan=plan, service=service, status=status, checked_on=checked, **kwargs
    )


def test_provision_gaps_by_service_in_the_current_period(area):
    nursing = f.ServiceFactory(
        provider=area.provider,
        name="Children's community nursing",
        local_authorities=[area.local_authority],
    )
    provision(area, area.service, "waiting")
    provision(area, area.service, "not_available")
    provision(area, area.service, "in_place")
    provision(area, nursing, "waiting", waiting_since=D(2025, 12, 1))
    provision(area, nursing, "in_place", checked=D(2026, 3, 1))  # checked before the quarter
    provision(area, None, "not_available", delivered_by="Private provider")
    gaps = {gap.service_name: gap for gap in report(area).current.plan_gaps}
    assert (gaps[area.service.name].waiting, gaps[area.service.name].not_available) == (1, 1)
    assert gaps[area.service.name].in_place == 1
    assert (gaps[nursing.name].waiting, gaps[nursing.name].waiting_since) == (1, D(2025, 12, 1))
    assert gaps["Service not recorded"].not_available == 1
    # A provider's selection counts its own services' provision only.
    other = f.ServiceFactory(local_authorities=[area.local_authority])
    provision(area, other, "waiting")
    chosen = report(area, provider_id=area.provider.pk).current.plan_gaps
    assert {gap.service_name for gap in chosen} == {area.service.name, nursing.name}


def test_officers_see_exact_figures(area):
    audits(area, 2, answer="yes")
    audits(area, 1, answer="no")
    provision(area, area.service, "waiting")
    presenter = Presenter(report(area), Figures(exact=True))
    rows = rows_of(audit_table(presenter))
    assert rows["Plans audited"][0] == "3"
    assert rows["Pass rate (rated green)"][0] == "66.7%"
    assert (rows["Rated green"][0], rows["Rated red"][0]) == ("2", "1")
    gaps = rows_of(provision_gaps_table(presenter))
    assert gaps == {f"{area.service.name} ({area.provider.name})": ["1", "0", "1"]}


def test_commissioners_see_no_breakdown_of_a_handful(area):
    audits(area, 3, answer="yes")
    provision(area, area.service, "waiting")
    presenter = Presenter(report(area), Figures(exact=False))
    rows = rows_of(audit_table(presenter))
    assert rows["Plans audited"][0] == "*"
    assert rows["Pass rate (rated green)"][0] == "*"
    assert rows["Rated green"][0] == rows["Rated red"][0] == "*"
    gaps = provision_gaps_table(presenter)
    assert gaps.rows == [] and "Too little provision" in gaps.empty


def test_commissioners_see_rounded_counts(area):
    audits(area, 9, answer="yes")
    audits(area, 3, answer="no")
    for _ in range(9):
        provision(area, area.service, "waiting")
    presenter = Presenter(report(area), Figures(exact=False))
    rows = rows_of(audit_table(presenter))
    assert rows["Plans audited"][0] == "10"  # 12, rounded to the nearest 5
    assert rows["Rated green"][0] == "10" and rows["Rated red"][0] == "*"
    gaps = rows_of(provision_gaps_table(presenter))
    assert gaps[f"{area.service.name} ({area.provider.name})"] == ["10", "0", "10"]


def test_the_quarterly_and_annual_reports_show_the_tables(area):
    audits(area, 2)
    provision(area, area.service, "not_available")
    quarterly = get_as(area.officer, "/reports/quarterly/?period=2026-q1").content.decode()
    assert "Quality of EHC plans&#x27; health sections" in quarterly
    annual = get_as(area.officer, "/reports/annual/?period=2026").content.decode()
    assert "Quality of EHC plans&#x27; health sections" in annual
    assert "Health provision in EHC plans waiting or not available, by service" in annual
    csv = get_as(area.officer, "/reports/quarterly/tables.csv?period=2026-q1")
    text = b"".join(csv.streaming_content).decode() if csv.streaming else csv.content.decode()
    assert "Plans audited,2" in text


def test_the_quarterly_summary_says_how_many_plans_passed(area):
    assert summary(Presenter(report(area), Figures(exact=True))) == []
    audits(area, 3, answer="yes")
    audits(area, 1, answer="no")
    assert summary(Presenter(report(area), Figures(exact=True))) == [
        "75.0% of the EHC plans audited passed (health sections rated green)."
    ]
    assert "hidden" in summary(Presenter(report(area), Figures(exact=False)))[0]
    page = get_as(area.officer, "/reports/quarterly/?period=2026-q1").content.decode()
    assert "75.0% of the EHC plans audited passed" in page
