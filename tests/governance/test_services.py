"""Information governance services on hand-built records: which children an
erasure list takes, what approving it erases and keeps, legal holds and the
erasure on request (governance/services.py)."""

from __future__ import annotations

import datetime

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import transaction

from ehc import registry
from ehc.models import Child, HealthAdviceRequest, RequestStatus
from governance import services
from governance.models import ErasureBatch, ErasureCandidate, LegalHold
from governance.retention import Rule
from tests import factories as f
from tests.governance.helpers import SECRETS, old_case, prepare_export, rows_of, set_last_edit

D = datetime.date
TODAY = D(2026, 6, 1)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def names_on(batch) -> set[int]:
    return set(batch.candidates.values_list("child_id", flat=True))


# --- Which children a list takes ------------------------------------------------------------


def test_a_list_takes_the_due_children_and_no_others(area):
    due = old_case(area).child
    young = f.ChildFactory(local_authority=area.local_authority, date_of_birth=D(2010, 1, 1))
    # 25 in March 2020, but worked with until 2021: due in 2029.
    recent = old_case(area, names=("Recent", "Work"), last=D(2021, 3, 1)).child

    batch = services.prepare_retention_batch(today=TODAY)

    assert batch.kind == ErasureBatch.Kind.RETENTION and batch.is_prepared
    assert batch.prepared_by is None  # the monthly run
    assert names_on(batch) == {due.pk}
    candidate = batch.candidates.get()
    # 17 when the work ended (1 June 2012): the 26th birthday, 1 March 2021, is
    # later than 8 years after (1 June 2020).
    assert (candidate.due_on, candidate.rule) == (D(2021, 3, 1), Rule.AGE_17)
    assert candidate.reason == "26th birthday (17 when the work ended)"
    assert candidate.local_authority == area.local_authority
    assert candidate.pseudonym.startswith("erased child #")
    assert young.pk not in names_on(batch) and recent.pk not in names_on(batch)


def test_an_open_request_a_legal_hold_or_a_waiting_list_keeps_a_child_off(area):
    open_case = old_case(area, names=("Open", "Request"))
    HealthAdviceRequest.objects.filter(pk=open_case.request.pk).update(
        status=RequestStatus.AWAITING, closed_on=None
    )
    held = old_case(area, names=("Held", "Child")).child
    services.place_legal_hold(child=held, reason="Inquiry", by=area.administrator)
    assert services.prepare_retention_batch(today=TODAY) is None

    listed = old_case(area, names=("Listed", "Once")).child
    first = services.prepare_retention_batch(today=TODAY)
    assert names_on(first) == {listed.pk}
    # A second run leaves out who is already waiting for approval.
    assert services.prepare_retention_batch(today=TODAY) is None

    from governance.selectors import retention_review

    kept = {k.child.pk: k.why for k in retention_review(today=TODAY).kept}
    assert kept == {
        open_case.child.pk: "Open: health advice request",
        held.pk: "Legal hold",
        listed.pk: f"Already on erasure list {first.pk}",
    }


def test_recent_activity_on_any_record_keeps_a_child_off(area):
    case = old_case(area)
    tribunal = case.child.tribunal_cases.get()
    tribunal.response_sent_on = None
    tribunal.save()  # an edit in 2026: the record is in use
    assert services.prepare_retention_batch(today=TODAY) is None
    set_last_edit(case.child, D(2012, 6, 1))
    assert names_on(services.prepare_retention_batch(today=TODAY)) == {case.child.pk}


def test_nobody_due_makes_no_list(area):
    f.ChildFactory(local_authority=area.local_authority)
    assert services.prepare_retention_batch(today=TODAY) is None
    assert not ErasureBatch.objects.exists()


# --- Approving and erasing ------------------------------------------------------------------


def _audit_text() -> str:
    rows = LogEntry.objects.values_list(
        "object_repr", "changes", "changes_text", "serialized_data", "additional_data"
    )
    return repr(list(rows))


def test_approval_erases_every_registered_row_and_file_and_keeps_the_audit(
    area, media, django_capture_on_commit_callbacks
):
    case = old_case(area)
    other = f.ChildFactory(local_authority=area.local_authority)
    f.HealthAdviceRequestFactory(child=other)
    child_pk = case.child.pk
    document = media / case.advice.document.name
    before = rows_of(child_pk)
    # Every registered record type has rows to erase (legal holds and
    # subject access requests are the governance app's own, added below).
    services.place_legal_hold(child=case.child, reason="Complaint", by=area.administrator)
    services.lift_legal_hold(child=case.child, by=area.administrator)
    prepare_export(case.child, area.officer, django_capture_on_commit_callbacks)
    before = rows_of(child_pk)
    assert all(before.values()), before
    entries_before = set(LogEntry.objects.values_list("pk", flat=True))
    assert all(secret in _audit_text() for secret in SECRETS)
    zips = list((media / "subject-access").rglob("*.zip"))
    assert document.exists() and len(zips) == 1

    batch = services.prepare_retention_batch(today=TODAY)
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.approve_batch(batch_id=batch.pk, by=area.administrator, today=TODAY)

    assert not Child.objects.filter(pk=child_pk).exists()
    assert rows_of(child_pk) == dict.fromkeys(before, 0)
    assert not document.exists() and not zips[0].exists()
    assert Child.objects.filter(pk=other.pk).exists()
    assert other.requests.count() == 1
    # Every audit entry is kept, none names the child any more.
    assert entries_before <= set(LogEntry.objects.values_list("pk", flat=True))
    text = _audit_text()
    assert not [secret for secret in SECRETS if secret in text]
    child_entries = LogEntry.objects.filter(content_type__model="child", object_pk=str(child_pk))
    pseudonym = batch.candidates.get().pseudonym
    assert {e.object_repr for e in child_entries} == {pseudonym}
    assert {e.action for e in child_entries} == {
        LogEntry.Action.CREATE,
        LogEntry.Action.ACCESS,
        LogEntry.Action.DELETE,
    }
    created = child_entries.get(action=LogEntry.Action.CREATE)
    assert created.changes["family_name"] == ["None", "[erased]"]
    assert created.changes["primary_need"] == ["None", "ASD"]  # not identifying: kept
    assert created.additional_data == {"erased_by": f"erasure list {batch.pk}"}
    advice_entry = LogEntry.objects.get(content_type__model="advice", action=LogEntry.Action.CREATE)
    assert advice_entry.object_repr == f"advice of {pseudonym}"

    # The list keeps counts and the pseudonym, never who.
    assert batch.status == ErasureBatch.Status.ERASED
    assert batch.decided_by == area.administrator
    counts = batch.counts
    assert counts["children"] == 1 and counts["kept"] == 0 and counts["files"] == 2
    assert counts["rows"] == {label: n for label, n in before.items()}
    assert counts["audit_entries_pseudonymised"] > 20
    candidate = batch.candidates.get()
    assert candidate.child_id is None and candidate.due_on is None
    assert candidate.outcome == ErasureCandidate.Outcome.ERASED
    # The approval itself is audited: who, the list, the counts.
    approval = LogEntry.objects.get_for_object(batch).get(action=LogEntry.Action.UPDATE)
    assert approval.actor == area.administrator
    assert approval.changes["status"] == ["prepared", "erased"]
    assert '"children": 1' in approval.changes["counts"][1]


def test_a_change_since_the_list_was_made_keeps_the_child(area):
    held = old_case(area, names=("Held", "Later")).child
    reopened = old_case(area, names=("Re", "Opened"))
    worked_on = old_case(area, names=("Worked", "Again")).child
    gone = old_case(area, names=("Gone", "Now")).child
    batch = services.prepare_retention_batch(today=TODAY)
    assert len(names_on(batch)) == 4

    services.place_legal_hold(child=held, reason="Police inquiry", by=area.administrator)
    HealthAdviceRequest.objects.filter(pk=reopened.request.pk).update(status=RequestStatus.AWAITING)
    worked_on.requests.get().save()  # changed today
    batch = services.approve_batch(batch_id=batch.pk, by=area.administrator, today=TODAY)

    outcomes = {c.pseudonym: (c.outcome, c.note) for c in batch.candidates.all()}
    from governance.erasure import pseudonym

    assert outcomes[pseudonym(held.pk)] == ("skipped", "Legal hold")
    assert outcomes[pseudonym(reopened.child.pk)] == ("skipped", "Open: health advice request")
    assert outcomes[pseudonym(worked_on.pk)][0] == "skipped"
    assert outcomes[pseudonym(worked_on.pk)][1].startswith("No longer due: now due on")
    assert outcomes[pseudonym(gone.pk)] == ("erased", "")
    assert set(Child.objects.values_list("pk", flat=True)) >= {held.pk, worked_on.pk}
    assert not Child.objects.filter(pk=gone.pk).exists()
    assert batch.counts["children"] == 1 and batch.counts["kept"] == 3


def test_a_list_is_decided_once(area):
    old_case(area)
    batch = services.prepare_retention_batch(today=TODAY)
    services.discard_batch(batch_id=batch.pk, by=area.administrator)
    with pytest.raises(ValidationError, match="already been discarded"):
        services.approve_batch(batch_id=batch.pk, by=area.administrator, today=TODAY)
    assert Child.objects.count() == 1
    # Discarded, the child can go on the next list.
    again = services.prepare_retention_batch(today=TODAY)
    services.approve_batch(batch_id=again.pk, by=area.administrator, today=TODAY)
    with pytest.raises(ValidationError, match="already been approved and erased"):
        services.approve_batch(batch_id=again.pk, by=area.administrator, today=TODAY)


def test_a_failed_erasure_changes_nothing_and_keeps_the_files(
    area, media, django_capture_on_commit_callbacks
):
    case = old_case(area)
    batch = services.prepare_retention_batch(today=TODAY)
    before = rows_of(case.child.pk)

    def fail(**kwargs):
        raise RuntimeError("the summary store is down")

    services.erasing.connect(fail)
    try:
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
            services.approve_batch(batch_id=batch.pk, by=area.administrator, today=TODAY)
    finally:
        services.erasing.disconnect(fail)
    assert rows_of(case.child.pk) == before
    assert (media / case.advice.document.name).exists()
    batch.refresh_from_db()
    assert batch.is_prepared


def test_the_summary_hook_hears_which_children_go_first(area):
    case = old_case(area)
    batch = services.prepare_retention_batch(today=TODAY)
    heard = []

    def remember(batch, child_ids, **kwargs):
        heard.append((batch.pk, child_ids, Child.objects.filter(pk__in=child_ids).count()))

    services.erasing.connect(remember)
    try:
        services.approve_batch(batch_id=batch.pk, by=area.administrator, today=TODAY)
    finally:
        services.erasing.disconnect(remember)
    assert heard == [(batch.pk, [case.child.pk], 1)]  # still there when it hears


# --- Erasure on request ---------------------------------------------------------------------


def test_one_child_is_erased_on_request_in_two_steps(area, media):
    child = f.ChildFactory(local_authority=area.local_authority)  # not due by the schedule
    request = f.HealthAdviceRequestFactory(child=child, status=RequestStatus.WITHDRAWN)
    batch = services.request_erasure(
        child=child, reason="The young person asked on 3 March", by=area.administrator
    )
    assert batch.kind == ErasureBatch.Kind.REQUEST and batch.is_prepared
    candidate = batch.candidates.get()
    assert (candidate.child, candidate.rule, candidate.due_on) == (child, Rule.REQUEST, None)
    assert Child.objects.filter(pk=child.pk).exists()  # nothing erased yet

    batch = services.approve_batch(batch_id=batch.pk, by=area.administrator)
    assert not Child.objects.filter(pk=child.pk).exists()
    assert not HealthAdviceRequest.objects.filter(pk=request.pk).exists()
    assert batch.counts["children"] == 1


def test_erasure_on_request_is_refused_while_the_records_must_stay(area):
    busy = f.ChildFactory(local_authority=area.local_authority)
    f.HealthAdviceRequestFactory(child=busy)  # awaiting advice
    held = f.ChildFactory(local_authority=area.local_authority)
    services.place_legal_hold(child=held, reason="Claim", by=area.administrator)
    quiet = f.ChildFactory(local_authority=area.local_authority)
    admin = area.administrator

    def refused(child, reason="Asked", text=""):
        with pytest.raises(ValidationError) as error:
            services.request_erasure(child=child, reason=reason, by=admin)
        assert text in error.value.message_dict["reason"][0]

    refused(busy, text="Open: health advice request")
    refused(held, text="Legal hold")
    refused(quiet, reason="  ", text="Say why")
    services.request_erasure(child=quiet, reason="Asked", by=admin)
    refused(quiet, text="Already on erasure list")
    assert ErasureBatch.objects.count() == 1


# --- Legal holds ----------------------------------------------------------------------------


def test_a_legal_hold_is_placed_once_and_lifted_with_who_and_when(area):
    child = f.ChildFactory(local_authority=area.local_authority)
    admin = area.administrator
    hold = services.place_legal_hold(child=child, reason=" Inquiry ", by=admin)
    assert (hold.reason, hold.set_by, hold.is_active) == ("Inquiry", admin, True)
    with pytest.raises(ValidationError, match="already under a legal hold"):
        services.place_legal_hold(child=child, reason="Again", by=admin)
    with pytest.raises(ValidationError, match="Say why"):
        services.place_legal_hold(child=f.ChildFactory(), reason="", by=admin)

    lifted = services.lift_legal_hold(child=child, by=admin)
    assert lifted.pk == hold.pk and lifted.lifted_by == admin and lifted.lifted_at
    with pytest.raises(ValidationError, match="no legal hold to lift"):
        services.lift_legal_hold(child=child, by=admin)
    services.place_legal_hold(child=child, reason="A second inquiry", by=admin)
    assert LegalHold.objects.filter(child=child).count() == 2
    entries = LogEntry.objects.get_for_objects(LegalHold.objects.all())
    assert [e.action for e in entries.order_by("pk")] == [0, 1, 0]  # placed, lifted, placed
    assert {e.actor for e in entries} == {admin}


def test_the_database_allows_one_active_hold_per_child(area):
    from django.db import IntegrityError

    child = f.ChildFactory(local_authority=area.local_authority)
    LegalHold.objects.create(child=child, reason="One")
    with pytest.raises(IntegrityError), transaction.atomic():
        LegalHold.objects.create(child=child, reason="Two")


def test_every_registered_type_is_counted(area):
    case = old_case(area)
    assert set(rows_of(case.child.pk)) == {r.label for r in registry.records()}
