"""Every write of information governance: legal holds, erasure lists and
their approval, subject access (docs/information-governance.md).

Each service takes plain values with the acting user as ``by``, runs in one
transaction naming ``by`` on the audit log (``core.audit.service_write``),
and raises ValidationError keyed by field for a broken rule.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from core.audit import saved_user, service_write
from core.dispatch import dispatch
from ehc.models import Child
from governance import erasure, selectors
from governance.models import (
    STUCK_AFTER,
    ErasureBatch,
    ErasureCandidate,
    LegalHold,
    SubjectAccessExport,
)
from governance.retention import Rule

# Sent inside the erasure's transaction, before anything is deleted, with
# ``batch`` and ``child_ids``: where de-identified counts are kept for the
# reports (a summary store), a receiver takes them here so that past
# figures still add up once the children are gone.
erasing = Signal()

logger = logging.getLogger(__name__)


# --- Legal holds ----------------------------------------------------------------------------


@service_write
def place_legal_hold(*, child: Child, reason: str, by) -> LegalHold:
    """Hold ``child``'s records: nothing of theirs is erased while the hold
    is active. Raises ValidationError on ``reason`` when it is blank or
    when the child is already held."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the records must be kept"})
    if LegalHold.objects.active().filter(child=child).exists():
        raise ValidationError({"reason": "This child's records are already under a legal hold"})
    return LegalHold.objects.create(child=child, reason=reason, set_by=saved_user(by))


@service_write
def lift_legal_hold(*, child: Child, by) -> LegalHold:
    """Lift ``child``'s active hold (kept, dated, for the record). Raises
    ValidationError when there is none."""
    hold = LegalHold.objects.active().select_for_update().filter(child=child).first()
    if hold is None:
        raise ValidationError({NON_FIELD_ERRORS: "There is no legal hold to lift"})
    hold.lifted_at = timezone.now()
    hold.lifted_by = saved_user(by)
    hold.save()
    return hold


# --- Erasure lists --------------------------------------------------------------------------


def _candidate(batch: ErasureBatch, child: Child, *, rule: str, reason: str, due_on) -> None:
    ErasureCandidate.objects.create(
        batch=batch,
        child=child,
        pseudonym=erasure.pseudonym(child.pk),
        local_authority_id=child.local_authority_id,
        rule=rule,
        reason=reason,
        due_on=due_on,
    )


@service_write
def prepare_retention_batch(*, today: datetime.date, by=None) -> ErasureBatch | None:
    """A list of every child due for erasure on ``today`` by the retention
    schedule (:func:`governance.selectors.retention_review`), waiting for an
    administrator's approval; None when nobody is due. ``by`` is None for the
    monthly run. Erases nothing."""
    review = selectors.retention_review(today=today)
    if not review.due:
        return None
    batch = ErasureBatch.objects.create(
        kind=ErasureBatch.Kind.RETENTION, prepared_by=saved_user(by)
    )
    for candidate in review.due:
        due = candidate.due
        _candidate(batch, candidate.child, rule=due.rule, reason=due.reason, due_on=due.on)
    return batch


@service_write
def request_erasure(*, child: Child, reason: str, by) -> ErasureBatch:
    """A one-child erasure list for an erasure asked for (the right to
    erasure), waiting for approval like any other: two steps, so that it is
    deliberate. Refused (ValidationError on ``reason``) without a reason,
    under a legal hold, with open records, or when the child is already on a
    list waiting for approval."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the records are to be erased"})
    problem = selectors.why_kept([child.pk]).get(child.pk)
    if problem is None and (waiting := selectors.pending_lists([child.pk]).get(child.pk)):
        problem = f"Already on erasure list {waiting}"
    if problem is not None:
        raise ValidationError({"reason": f"The records cannot be erased now. {problem}."})
    batch = ErasureBatch.objects.create(
        kind=ErasureBatch.Kind.REQUEST, reason=reason, prepared_by=saved_user(by)
    )
    _candidate(batch, child, rule=Rule.REQUEST, reason="Asked for", due_on=None)
    return batch


def _locked_prepared(batch_id: int) -> ErasureBatch:
    batch = ErasureBatch.objects.select_for_update().get(pk=batch_id)
    if not batch.is_prepared:
        raise ValidationError(
            {NON_FIELD_ERRORS: f"This list has already been {batch.get_status_display().lower()}"}
        )
    return batch


@service_write
def approve_batch(*, batch_id: int, by, today: datetime.date | None = None) -> ErasureBatch:
    """Approve a prepared list and erase, in this one transaction, every
    child on it whose records may still go, with every registered record
    and file of theirs (``governance.erasure``). Each child is checked again
    first: one now under a legal hold, with open records, or (on a retention
    list) no longer due on ``today`` is kept, with the reason. The list
    keeps the counts and the pseudonyms, never who. Files are deleted once
    the transaction commits. Raises ValidationError when the list is not
    waiting for approval (approved or discarded meanwhile)."""
    today = today or timezone.localdate()
    batch = _locked_prepared(batch_id)
    candidates = list(batch.candidates.select_related("child"))
    children = [c.child for c in candidates if c.child is not None]
    reasons = selectors.why_kept([child.pk for child in children])
    if batch.kind == ErasureBatch.Kind.RETENTION:
        for child_id, (due, _last) in selectors.due_for(children).items():
            if due.on > today and child_id not in reasons:
                reasons[child_id] = f"No longer due: now due on {due.on:%-d %B %Y}"
    erase_ids = []
    for candidate in candidates:
        if candidate.child_id is None:
            candidate.outcome, candidate.note = ErasureCandidate.Outcome.SKIPPED, "Already erased"
        elif candidate.child_id in reasons:
            candidate.outcome = ErasureCandidate.Outcome.SKIPPED
            candidate.note = reasons[candidate.child_id][:200]
        else:
            candidate.outcome, candidate.due_on = ErasureCandidate.Outcome.ERASED, None
            erase_ids.append(candidate.child_id)
    ErasureCandidate.objects.bulk_update(candidates, ["outcome", "note", "due_on"])
    erasing.send(sender=ErasureBatch, batch=batch, child_ids=erase_ids)
    erased = erasure.erase_children(erase_ids, batch_pk=batch.pk)
    batch.status = ErasureBatch.Status.ERASED
    batch.decided_by = saved_user(by)
    batch.decided_at = timezone.now()
    batch.counts = erased.counts() | {"kept": len(candidates) - len(erase_ids)}
    batch.save()
    return batch


@service_write
def discard_batch(*, batch_id: int, by) -> ErasureBatch:
    """Set a prepared list aside without erasing anything. Raises
    ValidationError when it is not waiting for approval."""
    batch = _locked_prepared(batch_id)
    batch.status = ErasureBatch.Status.DISCARDED
    batch.decided_by = saved_user(by)
    batch.decided_at = timezone.now()
    batch.save()
    return batch


# --- Subject access -------------------------------------------------------------------------

BUILD_TASK = "governance.build_subject_access_export"  # governance/tasks.py
COULD_NOT_PREPARE = (
    "The ZIP could not be prepared. Prepare it again; if it fails again, tell the portal's "
    "administrators."
)
COULD_NOT_QUEUE = (
    "The ZIP could not be queued for preparation. Prepare it again in a few minutes; if it "
    "fails again, tell the portal's administrators."
)
TOOK_TOO_LONG = "The preparation stopped before the ZIP was ready. Prepare it again."


@service_write
def request_subject_access(*, child: Child, by) -> SubjectAccessExport:
    """Ask for everything held about ``child`` as one ZIP: an export
    waiting to be prepared, recorded with who asked and when (audited), and
    its preparation (:func:`build_subject_access_export`) handed to a worker
    once this transaction commits, or run in this process when there is no
    broker (``core.dispatch``). When one is already waiting or being
    prepared for the child, that one is returned and nothing more is
    queued."""
    pending = SubjectAccessExport.objects.pending().filter(child=child).first()
    if pending is not None:
        return pending
    export = SubjectAccessExport.objects.create(child=child, requested_by=saved_user(by))
    export_id = export.pk

    def queue_failed(error: Exception) -> None:
        _finish(export_id, status=SubjectAccessExport.Status.FAILED, error=COULD_NOT_QUEUE)

    dispatch(
        BUILD_TASK,
        run=build_subject_access_export,
        on_queue_error=queue_failed,
        export_id=export_id,
    )
    return export


def build_subject_access_export(*, export_id: int) -> str:
    """Claim one export waiting to be prepared, build its ZIP
    (:func:`governance.subject_access.build_zip`) and store it. Returns what
    happened: "ready", "failed", or "skipped" (already claimed, finished or
    gone: a second delivery of the task does nothing).

    The ZIP is built outside any transaction (it only reads); a failure is
    logged and recorded on the export in words for the user, never raised,
    and a file stored before a failure to save the row is deleted again.
    Each change of status is audited, made by the portal itself.
    """
    from governance.subject_access import build_zip

    export = _claim(export_id)
    if export is None:
        return "skipped"
    try:
        content = build_zip(export.child, by=export.requested_by, prepared_at=timezone.now())
        export.file.save("subject-access.zip", ContentFile(content), save=False)
    except Exception:
        logger.exception("Subject access export %s could not be prepared", export_id)
        _finish(export_id, status=SubjectAccessExport.Status.FAILED, error=COULD_NOT_PREPARE)
        return "failed"
    try:
        _finish(export_id, status=SubjectAccessExport.Status.READY, file=export.file.name)
    except Exception:
        export.file.storage.delete(export.file.name)
        raise
    return "ready"


@transaction.atomic
def _claim(export_id: int) -> SubjectAccessExport | None:
    """The export, now marked as being prepared, if it was waiting; else None."""
    export = (
        SubjectAccessExport.objects.select_for_update()
        .filter(pk=export_id, status=SubjectAccessExport.Status.QUEUED)
        .first()
    )
    if export is None:
        return None
    export.status = SubjectAccessExport.Status.BUILDING
    export.save(update_fields=["status"])
    return SubjectAccessExport.objects.select_related("child", "requested_by").get(pk=export_id)


@transaction.atomic
def _finish(export_id: int, *, status: str, file: str = "", error: str = "") -> None:
    """Record the end of a preparation on an export still waiting or being
    prepared (one erased meanwhile, or already finished, is left alone)."""
    export = (
        SubjectAccessExport.objects.select_for_update()
        .filter(
            pk=export_id,
            status__in=[SubjectAccessExport.Status.QUEUED, SubjectAccessExport.Status.BUILDING],
        )
        .first()
    )
    if export is None:
        return
    export.status, export.file, export.error = status, file, error[:200]
    export.finished = timezone.now()
    export.save(update_fields=["status", "file", "error", "finished"])


@service_write
def expire_subject_access_exports(*, now: datetime.datetime | None = None, by=None) -> int:
    """The retention run's part for subject access: delete the file of every
    export ready more than ``SUBJECT_ACCESS_KEEP_DAYS`` days before ``now``
    (the row stays, marked "File deleted", as the record of the request),
    and mark as failed any export still waiting or being prepared after
    :data:`governance.models.STUCK_AFTER`. Files go once the transaction has
    committed. Returns how many files were deleted. Audited as changes made
    by ``by`` (None: the portal itself)."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.SUBJECT_ACCESS_KEEP_DAYS)
    expired = list(
        SubjectAccessExport.objects.select_for_update().filter(
            status=SubjectAccessExport.Status.READY, finished__lt=cutoff
        )
    )
    files = []
    for export in expired:
        files.append((export.file.storage, export.file.name))
        export.status, export.file = SubjectAccessExport.Status.DELETED, ""
        export.save(update_fields=["status", "file"])
    stuck = SubjectAccessExport.objects.select_for_update().filter(
        status__in=[SubjectAccessExport.Status.QUEUED, SubjectAccessExport.Status.BUILDING],
        created__lte=now - STUCK_AFTER,
    )
    for export in stuck:
        export.status, export.error, export.finished = (
            SubjectAccessExport.Status.FAILED,
            TOOK_TOO_LONG,
            now,
        )
        export.save(update_fields=["status", "error", "finished"])
    transaction.on_commit(lambda: erasure.delete_files(files))
    return len(files)
