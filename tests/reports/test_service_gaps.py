"""Services' waiting times in the reports (reports/service_gaps.py): one
service's trend and every service of a selection by quarter in the annual
report's "Service gaps" section, exact for officers and suppressed for
commissioners, never a median of medians.

Worked by hand (docs/reports.md, "Waiting times"): in the last complete
financial year the area's service had 40 waiting at the end of Q1 (median
12 weeks, longest 30) and 5 at the end of Q2 (median 4, longest 9); a
second service covering the area had 12 waiting at the end of Q1 (median
20, longest 52). Totals waiting: Q1 52, Q2 5. A commissioner sees 40, 5
as "*", 10 for 12 and totals 50 and "*"; the waits of the 5 are "*".
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from core import periods
from reports import data_versions, service_gaps
from reports.indicators import Scope
from reports.suppression import Figures
from tests import factories as f
from tests.access import get_as

pytestmark = pytest.mark.django_db

FY = periods.financial_year_of(timezone.localdate()) - 1
YEAR = periods.financial_year(FY)
EXACT, SUPPRESSED = Figures(exact=True), Figures(exact=False)


@pytest.fixture
def waits(area, other_area):
    second = f.ServiceFactory(
        name="Speech and language therapy",
        service_type="speech_language_therapy",
        provider=area.provider,
        local_authorities=[area.local_authority],
    )
    rows = [
        f.ServiceWaitFactory(
            service=area.service,
            financial_year=FY,
            quarter=1,
            waiting=40,
            median_weeks=Decimal(12),
            longest_weeks=Decimal(30),
        ),
        f.ServiceWaitFactory(
            service=area.service,
            financial_year=FY,
            quarter=2,
            waiting=5,
            median_weeks=Decimal(4),
            longest_weeks=Decimal(9),
        ),
        f.ServiceWaitFactory(
            service=second,
            financial_year=FY,
            quarter=1,
            waiting=12,
            median_weeks=Decimal(20),
            longest_weeks=Decimal(52),
        ),
        # Another area's service and another year: never in this area's tables.
        f.ServiceWaitFactory(service=other_area.service, financial_year=FY, quarter=1),
        f.ServiceWaitFactory(service=area.service, financial_year=FY - 1, quarter=4),
    ]
    return {"second": second, "rows": rows}


def cells(table, label_start: str) -> list[str]:
    row = next(r for r in table.rows if r.label.startswith(label_start))
    return [cell.text for cell in row.cells]


def tables_for(area, figures):
    scope = Scope("Test", la_ids=frozenset({area.local_authority.pk}))
    tables, missing = service_gaps.year_tables(scope, YEAR, as_of=YEAR.end, figures=figures)
    return {table.key: table for table in tables}, missing


def test_each_service_by_quarter_with_totals_only_of_the_number_waiting(area, waits):
    tables, missing = tables_for(area, EXACT)
    waiting, median, longest = (
        tables["waits_waiting"],
        tables["waits_median"],
        tables["waits_longest"],
    )
    assert waiting.head == [
        "Service",
        f"Q1 {YEAR.label}",
        f"Q2 {YEAR.label}",
        f"Q3 {YEAR.label}",
        f"Q4 {YEAR.label}",
    ]
    # Sorted by service type: community paediatrics before speech and language therapy.
    assert [r.label for r in waiting.rows] == [
        f"{area.service.name} ({area.provider.name})",
        f"Speech and language therapy ({area.provider.name})",
        "Total waiting (services that entered the quarter)",
    ]
    assert cells(waiting, area.service.name) == ["40", "5", "–", "–"]
    assert cells(waiting, "Speech") == ["12", "–", "–", "–"]
    assert cells(waiting, "Total") == ["52", "5", "0", "0"]
    assert cells(median, area.service.name) == ["12 weeks", "4 weeks", "–", "–"]
    assert cells(longest, "Speech") == ["52 weeks", "–", "–", "–"]
    # Never a median of medians: no total row for the waits.
    assert not any(r.label.startswith("Total") for r in median.rows + longest.rows)
    assert missing == 0


def test_commissioners_see_the_waits_suppressed(area, waits):
    tables, _ = tables_for(area, SUPPRESSED)
    assert cells(tables["waits_waiting"], area.service.name) == ["40", "*", "–", "–"]
    assert cells(tables["waits_waiting"], "Speech") == ["10", "–", "–", "–"]
    assert cells(tables["waits_waiting"], "Total") == ["50", "*", "0", "0"]
    # The median and longest wait of 5 children are about those children.
    assert cells(tables["waits_median"], area.service.name) == ["12 weeks", "*", "–", "–"]
    assert cells(tables["waits_longest"], area.service.name) == ["30 weeks", "*", "–", "–"]


def test_services_with_nothing_entered_are_counted(area, waits):
    f.ServiceFactory(local_authorities=[area.local_authority])
    _, missing = tables_for(area, EXACT)
    assert missing == 1


def test_a_provider_selection_keeps_to_its_services(area, waits):
    elsewhere = f.ServiceFactory(local_authorities=[area.local_authority])
    f.ServiceWaitFactory(
        service=elsewhere, financial_year=FY, quarter=1, waiting=3, median_weeks=1, longest_weeks=2
    )
    scope = Scope("Test", la_ids=frozenset({area.local_authority.pk}), provider_id=area.provider.pk)
    tables, _ = service_gaps.year_tables(scope, YEAR, as_of=YEAR.end, figures=EXACT)
    labels = [r.label for r in tables[0].rows]
    assert not any(elsewhere.name in label for label in labels)


def test_a_body_reaches_its_areas_services_through_its_links(area, other_area, waits):
    scope = Scope("Body", body_id=area.body.pk)
    tables, _ = service_gaps.year_tables(scope, YEAR, as_of=YEAR.end, figures=EXACT)
    assert other_area.service.name not in " ".join(r.label for r in tables[0].rows)
    assert cells(tables[0], area.service.name)[0] == "40"


def test_the_trend_of_one_service(area, waits):
    rows = [w for w in waits["rows"] if w.service == area.service]
    table = service_gaps.trend_table(rows, EXACT)
    assert [r.label for r in table.rows] == [
        f"Q4 {periods.financial_year(FY - 1).label}",
        f"Q1 {YEAR.label}",
        f"Q2 {YEAR.label}",
    ]
    chart = service_gaps.trend_chart(rows, SUPPRESSED)
    assert chart.kind == "line"
    assert chart.series[0].values == [12.0, 12.0, "*"]
    assert chart.series[1].values == [30.0, 30.0, "*"]
    assert "Figures marked * are suppressed" in chart.summary()


def test_the_annual_report_shows_the_waits_in_service_gaps(area, waits):
    for user, expected in ((area.officer, "5"), (area.commissioner, "*")):
        annual = get_as(user, f"/reports/annual/?period={FY}").context["annual"]
        gaps = next(s for s in annual.sections if s.key == "service-gaps")
        tables = {b.item.key: b.item for b in gaps.blocks if b.kind == "table"}
        assert cells(tables["waits_waiting"], area.service.name)[1] == expected


def test_entering_waits_changes_the_stored_reports_fingerprint(area):

    before = data_versions.fingerprint()
    f.ServiceWaitFactory(service=area.service, financial_year=FY, quarter=1)
    assert data_versions.fingerprint() != before
    assert any(table == "ehc_servicewait" for table, _ in data_versions.tracked_tables())


def test_quarters_not_ended_are_not_columns(area, waits):
    scope = Scope("Test", la_ids=frozenset({area.local_authority.pk}))
    as_of = YEAR.start + datetime.timedelta(days=100)  # in Q2
    tables, _ = service_gaps.year_tables(scope, YEAR, as_of=as_of, figures=EXACT)
    assert tables[0].head == ["Service", f"Q1 {YEAR.label}"]
