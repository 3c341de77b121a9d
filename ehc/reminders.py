"""Daily deadline reminders: select, claim, send one digest per recipient.

docs/architecture.md, "Reminders"; issue: warn the right people in time, every day,
never twice and never silently skipping a day.

1. **Select** what is due today (:func:`select_due`): outstanding
   contributions for their service's contact mailbox, open requests for
   their owning designated officer (if they take digests), and everything
   overdue in an area for all of its designated officers (always). Each gets
   the *stage* it is in (``ehc/reminder_stages.py``), so a missed day is
   caught up by the next run.
2. **Claim** (:func:`run_reminders`): one ``Reminder`` row per (recipient,
   item, stage, due date), inserted with conflicts ignored. The unique
   constraint means a second run, a concurrent worker or a retry claims
   nothing that is already claimed. Rows a killed run claimed but never sent
   are re-claimed by a conditional UPDATE once their lease has expired.
3. **Send** after commit (:func:`send_digest`): one email per recipient
   listing their claimed, unsent reminders; rows are marked sent only after
   the SMTP server accepted the message. With Redis, each digest is a Celery
   task that retries SMTP failures with backoff; without it, sending happens
   in-process and a failure leaves the rows for the next run.

The one window left: a worker killed after the SMTP server accepted a
digest but before the "sent" UPDATE commits would send that digest again on
the next run. It is a single UPDATE wide.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from core.dispatch import dispatch
from ehc import reminder_stages
from ehc.models import (
    Contribution,
    HealthAdviceRequest,
    Reminder,
    ReminderKind,
    ReminderPolicy,
    ReminderRun,
    RequestStatus,
)

logger = logging.getLogger(__name__)

# A claim older than this with nothing sent belongs to a run that died.
CLAIM_LEASE = datetime.timedelta(minutes=30)
# /healthz/ and the administrator's home warn when no run finished within this.
RUN_STALE_AFTER = datetime.timedelta(hours=26)


@dataclass(frozen=True)
class Candidate:
    recipient: str
    kind: str
    request_id: int
    contribution_id: int | None
    stage: str
    due_on: datetime.date

    @property
    def target(self) -> str:
        return f"c{self.contribution_id}" if self.contribution_id else f"r{self.request_id}"


def due_querysets(today: datetime.date, policy: ReminderPolicy) -> dict[str, QuerySet]:
    """The three reads behind :func:`select_due`, by reminder kind.

    Each starts from outstanding work due within the largest offset (or
    overdue): the partial index on outstanding contributions and the
    (status, due_on) index on requests, so the cost does not grow with closed
    history. ``bench/reminder_selection.py`` prints their query plans.
    """
    horizon = today + datetime.timedelta(days=max(policy.offset_days))
    # No ORDER BY: the stages do not depend on order, and sorting would
    # cost more than the index scans.
    awaiting = HealthAdviceRequest.objects.filter(
        status=RequestStatus.AWAITING, due_on__lte=horizon
    ).order_by()
    return {
        ReminderKind.SERVICE: Contribution.objects.filter(
            returned_on__isnull=True,
            due_on__lte=horizon,
            request__status=RequestStatus.AWAITING,
        )
        .exclude(service__contact_email="")
        .order_by()
        .values_list("pk", "request_id", "due_on", "service__contact_email"),
        ReminderKind.OWNER: awaiting.filter(
            owner__isnull=False, owner__is_active=True, owner__receive_digests=True
        ).values_list("pk", "due_on", "owner__email"),
        ReminderKind.AREA_OVERDUE: awaiting.filter(due_on__lt=today).values_list(
            "pk", "due_on", "local_authority_id"
        ),
    }


def select_due(today: datetime.date, policy: ReminderPolicy | None = None) -> list[Candidate]:
    """Everything a reminder is due for on ``today``, for the policy's recipients."""
    policy = policy or ReminderPolicy.current()
    offsets = policy.offset_days
    repeat = policy.overdue_repeat_days
    reads = due_querysets(today, policy)
    out: list[Candidate] = []

    def stage(due_on):
        return reminder_stages.stage_for(due_on, today, offsets=offsets, repeat_days=repeat)

    if policy.remind_services:
        for pk, request_id, due_on, email in reads[ReminderKind.SERVICE]:
            if s := stage(due_on):
                out.append(
                    Candidate(email.lower(), ReminderKind.SERVICE, request_id, pk, s, due_on)
                )

    if policy.remind_owners:
        for pk, due_on, email in reads[ReminderKind.OWNER]:
            if s := stage(due_on):
                out.append(Candidate(email.lower(), ReminderKind.OWNER, pk, None, s, due_on))

    if policy.area_overdue_digest:
        overdue = list(reads[ReminderKind.AREA_OVERDUE])
        officers = defaultdict(list)
        for la_id, email in (
            User.objects.filter(
                role=Role.DESIGNATED_OFFICER,
                is_active=True,
                local_authorities__in={la for _, _, la in overdue},
            )
            .values_list("local_authorities", "email")
            .distinct()
        ):
            officers[la_id].append(email.lower())
        for pk, due_on, la_id in overdue:
            s = stage(due_on)
            for email in officers.get(la_id, []):
                out.append(Candidate(email, ReminderKind.AREA_OVERDUE, pk, None, s, due_on))
    return out


@dataclass
class RunResult:
    run: ReminderRun
    by_recipient: dict[str, list[Candidate]] = field(default_factory=dict)


def run_reminders(
    *, today: datetime.date | None = None, dry_run: bool = False, now=None
) -> RunResult:
    """Select, claim and (after commit) send today's reminders."""
    today = today or timezone.localdate()
    now = now or timezone.now()
    run = ReminderRun.objects.create(run_for=today, dry_run=dry_run, started_at=now)
    candidates = select_due(today)
    if dry_run:
        plan: dict[str, list[Candidate]] = defaultdict(list)
        claimed = {
            (r, t, s, d)
            for r, t, s, d in Reminder.objects.filter(
                recipient__in={c.recipient for c in candidates}
            ).values_list("recipient", "target", "stage", "due_on")
        }
        for c in candidates:
            if (c.recipient, c.target, c.stage, c.due_on) not in claimed:
                plan[c.recipient].append(c)
        run.recipients = len(plan)
        run.claimed = sum(len(v) for v in plan.values())
        run.finished_at = timezone.now()
        run.save()
        return RunResult(run, dict(plan))

    with transaction.atomic():
        Reminder.objects.bulk_create(
            [
                Reminder(
                    recipient=c.recipient,
                    kind=c.kind,
                    request_id=c.request_id,
                    contribution_id=c.contribution_id,
                    target=c.target,
                    stage=c.stage,
                    due_on=c.due_on,
                    run=run,
                    claimed_at=now,
                )
                for c in candidates
            ],
            ignore_conflicts=True,
            batch_size=500,
        )
        # Reminders a dead run claimed and never sent: take them over.
        Reminder.objects.filter(sent_at__isnull=True, claimed_at__lt=now - CLAIM_LEASE).exclude(
            run=run
        ).update(run=run, claimed_at=now)
        ours = Reminder.objects.filter(run=run, sent_at__isnull=True)
        recipients = sorted(set(ours.values_list("recipient", flat=True)))
        run.claimed = ours.count()
        run.recipients = len(recipients)
        run.save(update_fields=["claimed", "recipients"])
        for recipient in recipients:
            _dispatch(run.pk, recipient)
        transaction.on_commit(lambda: _mark_finished(run.pk))
    run.refresh_from_db()
    return RunResult(run)


DIGEST_TASK = "ehc.send_reminder_digest"  # ehc/tasks.py, which calls send_digest


def _dispatch(run_id: int, recipient: str) -> None:
    """Once the claims are committed, queue the recipient's digest task (by
    name: this module never imports ehc/tasks.py) or, without Redis, send
    it in this process (core.dispatch)."""
    dispatch(DIGEST_TASK, run=_send_in_process, run_id=run_id, recipient=recipient)


def _send_in_process(*, run_id: int, recipient: str) -> None:
    try:
        send_digest(run_id=run_id, recipient=recipient)
    except Exception:
        # Left unsent: the next run re-claims it once the lease expires.
        logger.exception("Reminder digest to a recipient failed; it will be retried")
        ReminderRun.objects.filter(pk=run_id).update(failed=F("failed") + 1)


def _mark_finished(run_id: int) -> None:
    # With Celery the digests finish later; the run is "finished" once every
    # digest has been handed on (queued or sent), which is now.
    ReminderRun.objects.filter(pk=run_id).update(finished_at=timezone.now())


def _still_outstanding(reminder: Reminder) -> bool:
    request = reminder.request
    if request.status != RequestStatus.AWAITING:
        return False
    if reminder.contribution_id:
        return reminder.contribution.returned_on is None
    return True


def send_digest(*, run_id: int, recipient: str) -> int:
    """Send one recipient's digest for a run; returns reminders sent.

    Raises on SMTP failure (after counting the attempt) so a Celery task can
    retry; the rows stay unsent until a send succeeds.
    """
    rows = list(
        Reminder.objects.filter(run_id=run_id, recipient=recipient, sent_at__isnull=True)
        .select_related(
            "run",
            "request__child",
            "request__local_authority",
            "contribution__service__provider",
        )
        .order_by("due_on", "pk")
    )
    if not rows:
        return 0
    live = [r for r in rows if _still_outstanding(r)]
    done = [r.pk for r in rows if r not in live]
    if done:  # returned or closed since it was claimed: nothing to say
        Reminder.objects.filter(pk__in=done, sent_at__isnull=True).update(sent_at=timezone.now())
    if not live:
        return 0
    message = build_digest(recipient, live, today=live[0].run.run_for)
    Reminder.objects.filter(pk__in=[r.pk for r in live]).update(attempts=F("attempts") + 1)
    message.send(fail_silently=False)
    updated = Reminder.objects.filter(pk__in=[r.pk for r in live], sent_at__isnull=True).update(
        sent_at=timezone.now()
    )
    ReminderRun.objects.filter(pk=run_id).update(sent=F("sent") + updated)
    return updated


def digest_lines(reminders, *, today: datetime.date) -> dict:
    """Context for the digest templates: overdue first, then due soon, each
    item once (an officer may own a request and also be told it is overdue
    in their area). Request references and initials only, never a name,
    date of birth or NHS number."""
    overdue, soon = [], []
    seen = set()
    for r in reminders:
        if r.target in seen:
            continue
        seen.add(r.target)
        line = {
            "reference": r.request.reference,
            "initials": r.request.child.initials,
            "local_authority": r.request.local_authority.name,
            "service": str(r.contribution.service) if r.contribution_id else "",
            "due_on": r.due_on,
            "stage": reminder_stages.describe(r.stage),
            "kind": r.get_kind_display(),
            "url": settings.SITE_URL.rstrip("/") + r.request.get_absolute_url(),
            "days": abs((r.due_on - today).days),
        }
        (overdue if reminder_stages.is_overdue_stage(r.stage) else soon).append(line)
    return {"overdue": overdue, "soon": soon}


def build_digest(recipient: str, reminders, *, today: datetime.date) -> EmailMultiAlternatives:
    context = digest_lines(reminders, today=today)
    context["site_url"] = settings.SITE_URL
    context["service_name"] = getattr(settings, "SERVICE_NAME", "SEND health portal")
    parts = []
    if context["overdue"]:
        parts.append(f"{len(context['overdue'])} overdue")
    if context["soon"]:
        parts.append(f"{len(context['soon'])} due soon")
    subject = "Health advice for EHC assessments: " + ", ".join(parts)
    text = render_to_string("ehc/email/reminder_digest.txt", context)
    html = render_to_string("ehc/email/reminder_digest.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [recipient])
    message.attach_alternative(html, "text/html")
    return message


def last_finished_run() -> ReminderRun | None:
    return (
        ReminderRun.objects.filter(finished_at__isnull=False, dry_run=False)
        .order_by("-finished_at")
        .first()
    )


def reminders_stale(now=None) -> bool:
    """True when no (real) run has finished within RUN_STALE_AFTER."""
    now = now or timezone.now()
    last = last_finished_run()
    return last is None or last.finished_at < now - RUN_STALE_AFTER
