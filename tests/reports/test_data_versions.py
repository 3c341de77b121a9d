"""The data versions the stored annual report is keyed by
(reports/data_versions.py): moved on by database triggers whichever way a
row changes, per local authority, and read without touching the casework
tables."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import periods
from ehc import models as ehc
from reports import data_versions, services
from reports.filters import Selection
from reports.indicators import Scope
from reports.models import AnnualReportFile, DataVersion
from roles.models import TrainingSession
from tests import factories as f

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)
BIG_TABLES = ("ehc_contribution", "ehc_healthadvicerequest", "ehc_child", "auditlog_logentry")


def version(area_id: int) -> int:
    return data_versions.versions([area_id]).get(area_id, 0)


@pytest.fixture
def request_in(area):
    return f.ContributionFactory(
        request=f.HealthAdviceRequestFactory(child__local_authority=area.local_authority),
        service=area.service,
    )


def test_every_table_the_report_reads_has_its_triggers():
    assert data_versions.expected_triggers() <= data_versions.installed()


def test_reinstalling_moves_area_0_on_and_keeps_one_set_of_triggers():
    before = version(data_versions.EVERYWHERE)
    data_versions.uninstall()
    assert data_versions.installed() == set()
    data_versions.install()
    assert data_versions.installed() == data_versions.expected_triggers()
    assert version(data_versions.EVERYWHERE) > before


def test_a_save_moves_its_own_area_on_only(area, other_area, request_in):
    mine, theirs = area.local_authority.pk, other_area.local_authority.pk
    before_mine, before_theirs = version(mine), version(theirs)
    contribution = ehc.Contribution.objects.get(pk=request_in.pk)
    contribution.late_note = "Clinic closed"
    contribution.save()
    assert version(mine) > before_mine
    assert version(theirs) == before_theirs


@pytest.mark.parametrize("path", ["update", "bulk_create", "delete", "raw_sql"])
def test_writes_that_bypass_signals_move_the_area_on(area, request_in, path):
    la = area.local_authority.pk
    before = version(la)
    contributions = ehc.Contribution.objects.filter(pk=request_in.pk)
    if path == "update":  # as governance erasure and bulk fixes do
        contributions.update(late_note="")
    elif path == "bulk_create":  # as the caseload import does
        other = f.ServiceFactory(provider=area.provider, local_authorities=[area.local_authority])
        ehc.Contribution.objects.bulk_create(
            [
                ehc.Contribution(
                    request=request_in.request,
                    local_authority_id=request_in.local_authority_id,
                    service=other,
                    asked_on=request_in.asked_on,
                    due_on=request_in.due_on,
                    working_due_on=request_in.due_on,
                )
            ]
        )
    elif path == "delete":
        contributions.delete()
    else:
        table = ehc.Contribution._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET late_note = 'x' WHERE id = %s", [request_in.pk])
    assert version(la) > before


def test_a_child_moving_area_moves_both_on(area, other_area):
    child = f.ChildFactory(local_authority=area.local_authority)
    before = version(area.local_authority.pk), version(other_area.local_authority.pk)
    ehc.Child.objects.filter(pk=child.pk).update(local_authority=other_area.local_authority)
    after = version(area.local_authority.pk), version(other_area.local_authority.pk)
    assert after[0] > before[0] and after[1] > before[1]


def test_deep_records_find_their_area(area, request_in):
    la = area.local_authority.pk
    before = version(la)
    f.ProvisionItemFactory(advice=f.AdviceFactory(contribution=request_in))
    assert version(la) >= before + 2  # the advice, then its provision item


def test_an_enquiry_moves_its_area_on(area, other_area):
    """The annual report counts enquiries: logging one makes its area's
    stored reports stale, and only its area's."""
    mine, theirs = area.local_authority.pk, other_area.local_authority.pk
    before_mine, before_theirs = version(mine), version(theirs)
    f.EnquiryFactory(local_authority=area.local_authority)
    assert version(mine) > before_mine
    assert version(theirs) == before_theirs


def test_records_of_no_one_area_move_area_0_on(area):
    before = version(data_versions.EVERYWHERE)
    f.CommissioningLinkFactory(
        local_authority=f.LocalAuthorityFactory(), commissioning_body=area.body
    )
    assert version(data_versions.EVERYWHERE) > before


# --- The stored report ----------------------------------------------------------------


@pytest.fixture(autouse=True)
def in_process(settings, monkeypatch):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    monkeypatch.setattr(
        "django.db.transaction.on_commit", lambda func, using=None, robust=False: func()
    )


@pytest.fixture
def renders(monkeypatch):
    out = []

    def render(annual):
        out.append(annual)
        return b"%PDF-1.7 test"

    monkeypatch.setattr(services, "render", render)
    return out


def selection_for(area) -> Selection:
    return Selection(
        scope=Scope(label="Your areas", la_ids=frozenset({area.local_authority.pk})),
        period=periods.financial_year(2025),
        exact=True,
        body=None,
        local_authority=area.local_authority,
        provider=None,
    )


def body_selection(area) -> Selection:
    return Selection(
        scope=Scope(label=area.body.name, body_id=area.body.pk),
        period=periods.financial_year(2025),
        exact=False,
        body=area.body,
        local_authority=None,
        provider=None,
    )


@pytest.mark.parametrize("choose", [selection_for, body_selection])
def test_a_stored_report_is_reused_until_its_own_area_changes(
    area, other_area, request_in, renders, choose
):
    selection = choose(area)
    first = services.request_file(selection=selection, by=area.officer, today=TODAY)
    # Elsewhere: another area's casework, as a form, the import and erasure write it.
    theirs = f.ContributionFactory(
        request=f.HealthAdviceRequestFactory(child__local_authority=other_area.local_authority),
        service=other_area.service,
    )
    ehc.Contribution.objects.filter(pk=theirs.pk).update(late_note="Erased")
    again = services.request_file(selection=selection, by=area.officer, today=TODAY)
    assert again.pk == first.pk and len(renders) == 1
    # Here: one field of one row of the report's own area, written with no signal.
    ehc.Contribution.objects.filter(pk=request_in.pk).update(late_note="Clinic closed")
    rebuilt = services.request_file(selection=selection, by=area.officer, today=TODAY)
    assert rebuilt.pk != first.pk and len(renders) == 2
    assert list(AnnualReportFile.objects.values_list("pk", flat=True)) == [rebuilt.pk]


def test_officers_records_rebuild_every_report(area, request_in, renders):
    selection = selection_for(area)
    services.request_file(selection=selection, by=area.officer, today=TODAY)
    post = f.PostFactory()
    TrainingSession.objects.create(
        post=post, title="New", audience="GPs", delivered_on=datetime.date(2025, 6, 2), attendees=3
    )
    services.request_file(selection=selection, by=area.officer, today=TODAY)
    assert len(renders) == 2


@pytest.mark.parametrize("choose", [selection_for, body_selection])
def test_checking_a_stored_report_reads_no_casework(area, request_in, renders, choose):
    selection = choose(area)
    services.request_file(selection=selection, by=area.officer, today=TODAY)
    with CaptureQueriesContext(connection) as queries:
        row = services.request_file(selection=selection, by=area.officer, today=TODAY)
    assert bytes(row.content) == b"%PDF-1.7 test"
    sql = " ".join(q["sql"] for q in queries).lower()
    assert not [table for table in BIG_TABLES if table in sql]
    assert len(queries) <= 6  # a body's authorities, the versions, the row (and savepoints)


@pytest.mark.django_db(transaction=True)
def test_a_long_transaction_does_not_hold_up_its_areas_other_writers(area, request_in):
    """PostgreSQL: an import's transaction keeps one shard of its area; a
    form saved meanwhile in the same area takes another and commits at
    once; both changes count."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time")
    import threading

    from django.db import connections, transaction

    la = area.local_authority.pk
    before = version(la)
    holding, done = threading.Event(), threading.Event()
    outcome = {}

    def long_import():
        try:
            with transaction.atomic():
                ehc.Contribution.objects.filter(pk=request_in.pk).update(late_note="Import")
                holding.set()
                done.wait(timeout=10)
        finally:
            connections.close_all()

    worker = threading.Thread(target=long_import)
    worker.start()
    try:
        assert holding.wait(timeout=10)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '2s'")
        try:
            ehc.Child.objects.filter(pk=request_in.request.child_id).update(given_name="Form")
            outcome["form"] = "committed"
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SET lock_timeout = 0")
    finally:
        done.set()
        worker.join()
    assert outcome == {"form": "committed"}
    assert version(la) == before + 2


def test_installing_skips_tables_not_yet_migrated(monkeypatch):
    """``migrate reports`` alone (before ehc's tables exist), or migrating
    an app back to zero, must not fail on a table that is not there."""
    existing = set(connection.introspection.table_names())
    missing = {"ehc_child", "enquiries_enquiry"}
    monkeypatch.setattr(
        connection.introspection, "table_names", lambda *args, **kwargs: existing - missing
    )
    data_versions.uninstall()
    data_versions.install()  # no error
    installed = data_versions.installed()
    assert not any("ehc_child" in name or "enquiries_enquiry" in name for name in installed)
    assert any("ehc_contribution" in name for name in installed)
    monkeypatch.undo()
    data_versions.install()
    assert data_versions.installed() == data_versions.expected_triggers()


def test_every_area_has_its_counter_rows_after_installing(area):
    """On PostgreSQL each authority's shards exist before its first write,
    so a long transaction writing first in an area does not make the
    area's other writers wait for it to create them."""
    if connection.vendor != "postgresql":
        pytest.skip("shards are PostgreSQL's")
    data_versions.install()
    shards = DataVersion.objects.filter(area=area.local_authority.pk).count()
    assert shards == data_versions.SHARDS
