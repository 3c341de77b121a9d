"""Every write of information governance: legal holds, erasure lists and
their approval, subject access (docs/information-governance.md).

Each service takes plain values with the acting user as ``by``, runs in one
transaction naming ``by`` on the audit log (``core.audit.service_write``),
and raises ValidationError keyed by field for a broken rule.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.base import ContentFile
from django.dispatch import Signal
from django.utils import timezone

from core.audit import saved_user, service_write
from ehc.models import Child
from governance import erasure, selectors
from governance.models import ErasureBatch, ErasureCandidate, LegalHold, SubjectAccessRequest
from governance.retention import Rule

# Sent inside the erasure's transaction, before anything is deleted, with
# ``batch`` and ``child_ids``: where de-identified counts are kept for the
# reports (a summary store), a receiver takes them here so that past
# figures still add up once the children are gone.
erasing = Signal()


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


def prepare_subject_access(*, child: Child, by) -> SubjectAccessRequest:
    """Prepare everything held about ``child`` as one ZIP
    (:func:`governance.subject_access.build_zip`), kept with who asked for it
    and when; the request's creation is audited. The ZIP is built before the
    transaction opens (it reads only); if saving the row fails, the stored
    file is deleted again."""
    from governance.subject_access import build_zip

    requested_at = timezone.now()
    content = build_zip(child, by=by, prepared_at=requested_at)
    request = SubjectAccessRequest(
        child=child, requested_by=saved_user(by), requested_at=requested_at
    )
    request.file.save("subject-access.zip", ContentFile(content), save=False)
    try:
        _save_request(request, by=by)
    except Exception:
        request.file.storage.delete(request.file.name)
        raise
    return request


@service_write
def _save_request(request: SubjectAccessRequest, *, by) -> None:
    request.save()
