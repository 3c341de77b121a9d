"""Daily deadline reminders: select, claim, send one digest per recipient.

docs/architecture.md, "Reminders"; issue: warn the right people in time, every day,
never twice and never silently skipping a day.

1. **Select** what is due today (:func:`select_due`): outstanding
   contributions (never one left outstanding at withdrawal or closure) for
   their service's contact mailbox, open requests for their owning
   designated officer (if they take digests), both by the *working* date
   (a return-by date if set, else the statutory due date), and everything
   past a statutory due date in an area for all of its designated officers
   (always). Each gets the *stage* it is in (``ehc/reminder_stages.py``),
   so a missed day is caught up by the next run.
2. **Claim** (:func:`run_reminders`): one ``Reminder`` row per (recipient,
   item, stage, date), inserted with conflicts ignored. The date
   (``Reminder.due_on``) is the one the stage was counted from: the
   working date for a service or an owner, the statutory date for the
   area's overdue digest. A new return-by date is a new date, so its
   stages are sent afresh; the key itself never changes shape. The unique
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
from django.db.models import Exists, F, OuterRef, Prefetch, QuerySet
from django.template.loader import render_to_string
from django.utils import dateformat, timezone

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
    """The two reads behind :func:`select_due`.

    - ``contributions``: outstanding contributions
      (:meth:`~ehc.models.ContributionQuerySet.outstanding`, so never one
      left outstanding when its request was withdrawn or closed) of awaiting
      requests whose *working* date (the return-by date if set, else the
      statutory due date) falls within the largest offset or has passed.
      One read serves all three kinds: a statutory due date is never
      before the working date, so everything overdue is in it. It starts
      from the partial index ``contribution_outstanding_work``.
    - ``unasked``: awaiting requests no service has been asked for yet, due
      within the largest offset or overdue by their own due date,
      from the (status, due_on) index.

    Neither grows with closed history. No ORDER BY: the stages do not
    depend on order, and sorting would cost more than the index scans.
    ``bench/reminder_selection.py`` prints their query plans.
    """
    horizon = today + datetime.timedelta(days=max(policy.offset_days))
    outstanding = Contribution.objects.outstanding()
    return {
        "contributions": outstanding.filter(
            working_due_on__lte=horizon, request__status=RequestStatus.AWAITING
        )
        .order_by()
        .values_list(
            "pk",
            "request_id",
            "working_due_on",
            "due_on",
            "service__contact_email",
            "request__local_authority_id",
            "request__owner__email",
            "request__owner__is_active",
            "request__owner__receive_digests",
        ),
        "unasked": HealthAdviceRequest.objects.filter(
            status=RequestStatus.AWAITING, due_on__lte=horizon
        )
        .exclude(Exists(Contribution.objects.filter(request=OuterRef("pk"))))
        .order_by()
        .values_list(
            "pk",
            "due_on",
            "local_authority_id",
            "owner__email",
            "owner__is_active",
            "owner__receive_digests",
        ),
    }


def select_due(today: datetime.date, policy: ReminderPolicy | None = None) -> list[Candidate]:
    """Everything a reminder is due for on ``today``, for the policy's recipients.

    - A service's mailbox: each of its outstanding contributions, by its
      working date (``Contribution.working_due_on``: the return-by date if
      set, else the statutory due date).
    - The owning designated officer: each request once, by the earliest
      working date of its outstanding contributions (its own due date while
      nobody has been asked).
    - The area's designated officers: each request past a statutory due
      date, by the earliest statutory due date passed.

    A contribution with a reg 8(2) exception is still reminded (its advice
    is still owed); the digest says the exception is recorded. The date a
    reminder carries (``Candidate.due_on``, stored on the claim) is the
    date its stage was counted from.
    """
    policy = policy or ReminderPolicy.current()
    offsets = policy.offset_days
    repeat = policy.overdue_repeat_days
    reads = due_querysets(today, policy)
    out: list[Candidate] = []

    def stage(due_on):
        return reminder_stages.stage_for(due_on, today, offsets=offsets, repeat_days=repeat)

    owner_working: dict[int, tuple[datetime.date, str]] = {}  # request -> (date, email)
    area_overdue: dict[int, tuple[datetime.date, int]] = {}  # request -> (date, LA)

    def earliest(found: dict, request_id: int, day: datetime.date, who) -> None:
        if request_id not in found or day < found[request_id][0]:
            found[request_id] = (day, who)

    for row in reads["contributions"]:
        pk, request_id, working_on, due_on, service_email, la_id = row[:6]
        owner_email, owner_active, owner_digests = row[6:]
        if policy.remind_services and service_email:
            if s := stage(working_on):
                out.append(
                    Candidate(
                        service_email.lower(), ReminderKind.SERVICE, request_id, pk, s, working_on
                    )
                )
        if owner_email and owner_active and owner_digests:
            earliest(owner_working, request_id, working_on, owner_email.lower())
        if due_on < today:
            earliest(area_overdue, request_id, due_on, la_id)
    for request_id, due_on, la_id, owner_email, owner_active, owner_digests in reads["unasked"]:
        if owner_email and owner_active and owner_digests:
            earliest(owner_working, request_id, due_on, owner_email.lower())
        if due_on < today:
            earliest(area_overdue, request_id, due_on, la_id)

    if policy.remind_owners:
        for request_id, (due_on, email) in owner_working.items():
            if s := stage(due_on):
                out.append(Candidate(email, ReminderKind.OWNER, request_id, None, s, due_on))

    if policy.area_overdue_digest and area_overdue:
        officers = defaultdict(list)
        for la_id, email in (
            User.objects.filter(
                role=Role.DESIGNATED_OFFICER,
                is_active=True,
                local_authorities__in={la for _, la in area_overdue.values()},
            )
            .values_list("local_authorities", "email")
            .distinct()
        ):
            officers[la_id].append(email.lower())
        for request_id, (due_on, la_id) in area_overdue.items():
            s = stage(due_on)
            for email in officers.get(la_id, []):
                out.append(Candidate(email, ReminderKind.AREA_OVERDUE, request_id, None, s, due_on))
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
        contribution = reminder.contribution
        return contribution.returned_on is None and not contribution.left_outstanding
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
        .prefetch_related(
            # What a request's line says about its services (digest_lines).
            Prefetch(
                "request__contributions",
                queryset=Contribution.objects.outstanding().order_by("due_on", "pk"),
                to_attr="owed",
            )
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


@dataclass(frozen=True)
class LineDates:
    """What one digest line says about its dates: the date the reminder was
    counted from (``working_on``: a return-by date, or a due date), the
    statutory due date (``due_on``) and, when late with a reg 8(2)
    exception recorded, its letters (``lawful``: "b", or "a, c")."""

    working_on: datetime.date
    due_on: datetime.date
    lawful: str = ""
    excepted: str = ""  # letters of an exception recorded before the due date


def line_dates(reminder: Reminder, today: datetime.date) -> LineDates:
    """The dates of one claimed reminder, read afresh when it is sent.

    A service's line is its contribution's own. A request's line (owner,
    area) is read over its outstanding contributions (prefetched as
    ``owed``): the earliest statutory due date, and, when every one past
    its due date has a reg 8(2) exception, their letters."""
    if reminder.contribution_id:
        c = reminder.contribution
        lawful = c.exception_letter if c.lawfully_late(today) else ""
        excepted = c.exception_letter if c.exception and not lawful else ""
        return LineDates(reminder.due_on, c.due_on, lawful, excepted)
    owed = getattr(reminder.request, "owed", [])
    if not owed:
        return LineDates(reminder.due_on, reminder.request.due_on)
    late = [c for c in owed if c.due_on < today]
    lawful = ""
    if late and all(c.exception for c in late):
        lawful = ", ".join(sorted({c.exception_letter for c in late}))
    return LineDates(reminder.due_on, min(c.due_on for c in owed), lawful)


def when_words(dates: LineDates, today: datetime.date) -> str:
    """The words a digest line gives its dates, for example "Was due 23
    November 2026: 3 days overdue" or "Return by 13 November 2026 passed 10
    days ago (statutory due 23 November 2026)"."""

    def day(d: datetime.date) -> str:
        return dateformat.format(d, "j F Y")

    def days(n: int) -> str:
        return f"{n} day{'s' if n != 1 else ''}"

    due, working = dates.due_on, dates.working_on
    if due < today:
        if dates.lawful:
            return f"Was due {day(due)}, {days((today - due).days)} ago"
        return f"Was due {day(due)}: {days((today - due).days)} overdue"
    if working < due:
        statutory = f"(statutory due {day(due)})"
        if working < today:
            return f"Return by {day(working)} passed {days((today - working).days)} ago {statutory}"
        if working == today:
            return f"Return by today, {day(working)} {statutory}"
        return f"Return by {day(working)}: {days((working - today).days)} left {statutory}"
    if due == today:
        return f"Due {day(due)}: due today"
    return f"Due {day(due)}: {days((due - today).days)} left"


def note_words(dates: LineDates) -> str:
    """What a line says about a reg 8(2) exception ("" without one)."""
    if dates.lawful:
        letters = ", ".join(f"({letter})" for letter in dates.lawful.split(", "))
        return f"Late: lawful exception (reg 8(2){letters}) recorded - the advice is still owed"
    if dates.excepted:
        return f"Reg 8(2)({dates.excepted}) exception recorded"
    return ""


def digest_lines(reminders, *, today: datetime.date) -> dict:
    """Context for the digest templates: overdue first (past a statutory
    due date), then late with a lawful exception (past it, with a reg 8(2)
    exception recorded: the advice is still owed), then due soon
    (including a return-by date passed while the statutory date is still
    ahead), each item once (an officer may own a request and also be told
    it is overdue in their area). Request references and initials only,
    never a name, date of birth or NHS number."""
    overdue, lawful, soon = [], [], []
    seen = set()
    for r in reminders:
        if r.target in seen:
            continue
        seen.add(r.target)
        dates = line_dates(r, today)
        line = {
            "reference": r.request.reference,
            "initials": r.request.child.initials,
            "local_authority": r.request.local_authority.name,
            "service": str(r.contribution.service) if r.contribution_id else "",
            "due_on": dates.due_on,
            "when": when_words(dates, today),
            "note": note_words(dates),
            "stage": reminder_stages.describe(r.stage),
            "kind": r.get_kind_display(),
            "url": settings.SITE_URL.rstrip("/") + r.request.get_absolute_url(),
        }
        if dates.due_on >= today:
            soon.append(line)
        elif dates.lawful:
            lawful.append(line)
        else:
            overdue.append(line)
    return {"overdue": overdue, "lawful": lawful, "soon": soon}


def build_digest(recipient: str, reminders, *, today: datetime.date) -> EmailMultiAlternatives:
    context = digest_lines(reminders, today=today)
    context["site_url"] = settings.SITE_URL
    context["service_name"] = getattr(settings, "SERVICE_NAME", "SEND health portal")
    parts = []
    if context["overdue"]:
        parts.append(f"{len(context['overdue'])} overdue")
    if context["lawful"]:
        parts.append(f"{len(context['lawful'])} late with a lawful exception")
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
