"""Report figures and quarterly PDFs kept between requests (reports/figures.py):
the same answer as reading afresh, served from the cache while the scope's
data is unchanged, and read afresh after any write that could change it,
whichever area, day or selection is asked."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import periods
from reports import figures, metrics
from reports.indicators import Scope
from tests import factories as f
from tests.access import get_as

pytestmark = pytest.mark.django_db

QUARTER = periods.quarter(2026, 1)  # April to June 2026
TODAY = datetime.date(2026, 8, 1)
PDF = "/reports/quarterly/report.pdf?period=2026-q1"


def received(area, count: int, day=datetime.date(2026, 4, 10)):
    for _ in range(count):
        child = f.ChildFactory(local_authority=area.local_authority)
        request = f.HealthAdviceRequestFactory(child=child, sent_on=day, received_on=day)
        f.ContributionFactory(request=request, service=area.service)


def scope_of(area) -> Scope:
    return Scope(label="Your areas", la_ids=frozenset({area.local_authority.pk}))


def reads(scope, period=QUARTER, today=TODAY) -> tuple[int, int]:
    """(requests received in the period, queries the call ran)."""
    with CaptureQueriesContext(connection) as queries:
        report = figures.compute(scope, period, today=today)
    return report.current.requests, len(queries)


@pytest.fixture
def kept(settings):
    settings.REPORT_FIGURES_SECONDS = 600


def test_kept_figures_equal_fresh_ones_and_cost_a_few_reads(area, kept):
    received(area, 3)
    scope = scope_of(area)
    fresh = metrics.compute(scope, QUARTER, today=TODAY)
    first_count, first_queries = reads(scope)
    second_count, second_queries = reads(scope)
    kept_report = figures.compute(scope, QUARTER, today=TODAY)

    assert first_count == second_count == fresh.current.requests == 3
    assert kept_report.current.by_la == fresh.current.by_la
    assert kept_report.current.timely == fresh.current.timely
    assert kept_report.names == fresh.names
    # The fingerprint's read and the cache's, whatever the figures cost.
    assert second_queries <= 3 < first_queries


def test_a_write_in_the_scope_is_seen_at_once(area, kept):
    received(area, 2)
    scope = scope_of(area)
    assert reads(scope)[0] == 2
    received(area, 1)
    assert reads(scope)[0] == 3  # not the kept 2
    assert metrics.compute(scope, QUARTER, today=TODAY).current.requests == 3


def test_a_write_elsewhere_keeps_the_figures(area, other_area, kept):
    received(area, 2)
    scope = scope_of(area)
    reads(scope)
    received(other_area, 4)
    count, queries = reads(scope)
    assert count == 2
    assert queries <= 3  # still kept: the other area's version moved, not this one's


def test_another_day_period_or_scope_is_read_afresh(area, other_area, kept):
    received(area, 2)
    received(other_area, 5)
    scope = scope_of(area)
    reads(scope)
    assert reads(scope, today=TODAY + datetime.timedelta(days=1))[1] > 3
    assert reads(scope, period=periods.quarter(2026, 2))[0] == 0
    assert reads(scope_of(other_area))[0] == 5
    both = Scope(
        label="Your areas",
        la_ids=frozenset({area.local_authority.pk, other_area.local_authority.pk}),
    )
    assert reads(both)[0] == 7


def test_nothing_is_kept_when_switched_off(area, settings):
    settings.REPORT_FIGURES_SECONDS = 0
    received(area, 2)
    scope = scope_of(area)
    assert reads(scope)[1] > 3
    assert reads(scope)[1] > 3


def test_the_quarterly_pdf_is_drawn_once_per_state_of_the_data(area, kept, monkeypatch):
    from reports.views import quarterly

    drawn = []
    real = quarterly.render_pdf

    def counting(*args, **kwargs):
        drawn.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(quarterly, "render_pdf", counting)
    received(area, 9)
    first = get_as(area.commissioner, PDF)
    again = get_as(area.commissioner, PDF)
    assert first.status_code == again.status_code == 200
    assert again["Content-Type"] == "application/pdf"
    assert again["Content-Disposition"] == 'attachment; filename="quarterly-report-2026-q1.pdf"'
    assert again.content == first.content
    assert len(drawn) == 1
    # The officer sees exact figures: a PDF of its own, not the commissioner's.
    get_as(area.officer, PDF)
    assert len(drawn) == 2
    # A new request in the area: the next PDF is drawn again.
    received(area, 1)
    get_as(area.commissioner, PDF)
    assert len(drawn) == 3


def test_kept_figures_do_not_cross_areas_on_the_dashboard(area, other_area, kept):
    """Two commissioners of different ICBs with the same period: each sees
    only their own figures, kept or not."""
    received(area, 12)
    received(other_area, 20)
    url = "/reports/dashboard/?period=2026-q1"
    for _ in range(2):
        mine = get_as(area.commissioner, url).content.decode()
        theirs = get_as(other_area.commissioner, url).content.decode()
        assert area.body.name in mine and other_area.body.name not in mine
        assert other_area.body.name in theirs and area.body.name not in theirs


def test_an_unreachable_cache_costs_speed_not_the_page(area, kept, settings, caplog):
    """Redis down: the figures are read afresh and the page answers."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    }
    received(area, 9)
    assert reads(scope_of(area))[0] == 9
    response = get_as(area.officer, PDF)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "could not be read" in caplog.text


def test_the_code_digest_follows_the_templates_and_rules(tmp_path, monkeypatch):
    """A release that changes a rule or the PDF's layout keys anew."""
    (tmp_path / "reports").mkdir()
    (tmp_path / "templates" / "pdf").mkdir(parents=True)
    (tmp_path / "reports" / "metrics.py").write_text("RULE = 1\n")
    layout = tmp_path / "templates" / "pdf" / "quarterly_report.html"
    layout.write_text("<h1>Quarterly</h1>")
    monkeypatch.setattr(figures, "_ROOT", tmp_path)
    first = figures._code_digest()
    assert figures._code_digest() == first
    layout.write_text("<h1>Quarterly report</h1>")
    second = figures._code_digest()
    (tmp_path / "reports" / "metrics.py").write_text("RULE = 2\n")
    assert len({first, second, figures._code_digest()}) == 3
