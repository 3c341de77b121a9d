"""reports/services.py called directly with plain values: the annual
report's stored PDF (fingerprint, keys, request, retry, build)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from core import dispatch, periods
from reports import data_versions, services
from reports.filters import Selection
from reports.indicators import Scope
from reports.models import AnnualReportFile, FileStatus
from tests import factories as f

pytestmark = pytest.mark.django_db

FY = 2025
TODAY = datetime.date(2026, 6, 1)  # after the year: the report is complete


@pytest.fixture(autouse=True)
def in_process(settings, monkeypatch):
    """No broker, and on-commit work started at once (as outside a
    transaction); a test that wants the broker path says so."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    monkeypatch.setattr(
        "django.db.transaction.on_commit", lambda func, using=None, robust=False: func()
    )


@pytest.fixture
def queued(settings, monkeypatch):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    out = []
    monkeypatch.setattr(
        dispatch, "send_task", lambda name, args, kwargs: out.append((name, kwargs))
    )
    return out


@pytest.fixture
def selection(area) -> Selection:
    return Selection(
        scope=Scope(label="Your areas", la_ids=frozenset({area.local_authority.pk})),
        period=periods.financial_year(FY),
        exact=True,
        body=None,
        local_authority=area.local_authority,
        provider=None,
    )


@pytest.fixture
def cheap_render(monkeypatch):
    """Skip WeasyPrint: these tests are about the rows, not the PDF."""
    monkeypatch.setattr(services, "render", lambda annual: b"%PDF-1.7 test")


def test_data_fingerprint_changes_with_the_data(area):
    before = data_versions.fingerprint()
    assert before == data_versions.fingerprint()
    assert len(before) == 64
    f.ChildFactory(local_authority=area.local_authority)
    assert data_versions.fingerprint() != before


def test_file_keys_share_a_slot_across_days_and_data(selection):
    day = datetime.date(2026, 3, 31)
    slot, key = services.file_keys(selection, day, "a")
    slot_2, key_2 = services.file_keys(selection, day + datetime.timedelta(days=1), "a")
    slot_3, key_3 = services.file_keys(selection, day, "b")
    assert slot == slot_2 == slot_3
    assert len({key, key_2, key_3}) == 3
    assert services.file_keys(selection, day, "a") == (slot, key)


def test_selection_from_reads_back_the_stored_params(selection):
    params = services._params(selection, TODAY)
    back = services.selection_from(params)
    assert back.scope == selection.scope
    assert back.period == selection.period
    assert back.local_authority == selection.local_authority
    assert back.body is None and back.provider is None and back.exact is True


def test_selection_from_a_deleted_authority_raises(selection):
    params = services._params(selection, TODAY)
    params["chosen_la"] = 10**9
    with pytest.raises(type(selection.local_authority).DoesNotExist):
        services.selection_from(params)


def test_is_stale_only_for_a_pending_build_past_the_limit():
    now = timezone.now()
    old = now - services.STALE_AFTER - datetime.timedelta(seconds=1)
    pending = AnnualReportFile(status=FileStatus.PENDING, queued_at=old)
    assert services.is_stale(pending, now=now)
    assert not services.is_stale(AnnualReportFile(status=FileStatus.PENDING, queued_at=now), now)
    assert not services.is_stale(AnnualReportFile(status=FileStatus.FAILED, queued_at=old), now)
    started = AnnualReportFile(status=FileStatus.PENDING, queued_at=old, started_at=now)
    assert not services.is_stale(started, now=now)


def test_request_file_without_a_broker_builds_at_once(area, selection, cheap_render):
    row = services.request_file(selection=selection, by=area.officer, today=TODAY)
    assert row.status == FileStatus.READY
    assert bytes(row.content) == b"%PDF-1.7 test"
    assert row.requested_by == area.officer
    assert row.params["as_of"] == periods.financial_year(FY).end.isoformat()
    again = services.request_file(selection=selection, by=area.officer, today=TODAY)
    assert again.pk == row.pk and AnnualReportFile.objects.count() == 1


def test_request_file_with_a_broker_queues_the_task_by_name(area, selection, queued):
    row = services.request_file(selection=selection, by=area.officer, today=TODAY)
    assert row.status == FileStatus.PENDING
    assert queued == [(services.BUILD_TASK, {"file_id": row.pk})]
    services.request_file(selection=selection, by=area.officer, today=TODAY)
    assert len(queued) == 1  # asking again queues nothing


def test_request_file_when_the_broker_is_down_fails_the_row(area, selection, settings, monkeypatch):
    settings.CELERY_TASK_ALWAYS_EAGER = False

    def down(name, args, kwargs):
        raise ConnectionRefusedError("no Redis")

    monkeypatch.setattr(dispatch, "send_task", down)
    row = services.request_file(selection=selection, by=area.officer, today=TODAY)
    assert row.status == FileStatus.FAILED and row.finished_at


def test_retry_file_restarts_a_failed_build_only(area, selection, queued):
    row = services.request_file(selection=selection, by=area.officer, today=TODAY)
    services.retry_file(selection=selection, by=area.officer, today=TODAY)
    assert len(queued) == 1  # pending and fresh: left alone
    AnnualReportFile.objects.filter(pk=row.pk).update(status=FileStatus.FAILED)
    retried = services.retry_file(selection=selection, by=area.commissioner, today=TODAY)
    assert retried.status == FileStatus.PENDING and retried.requested_by == area.commissioner
    assert len(queued) == 2


def test_build_file_claims_once(area, selection, queued, cheap_render):
    row = services.request_file(selection=selection, by=area.officer, today=TODAY)
    assert services.build_file(file_id=row.pk) == "ready"
    assert services.build_file(file_id=row.pk) == "skipped"
    assert services.build_file(file_id=10**9) == "skipped"
    row.refresh_from_db()
    assert row.status == FileStatus.READY and row.render_seconds is not None


def test_build_file_records_a_failure(area, selection, queued, monkeypatch):
    def broken(annual):
        raise RuntimeError("render failed")

    monkeypatch.setattr(services, "render", broken)
    row = services.request_file(selection=selection, by=area.officer, today=TODAY)
    assert services.build_file(file_id=row.pk) == "failed"
    row.refresh_from_db()
    assert row.status == FileStatus.FAILED and row.content is None


def test_render_makes_a_pdf(area, selection):
    from reports.annual_content import build

    annual = build(selection, today=TODAY)
    assert services.render(annual).startswith(b"%PDF")
