"""The daily run and the recovery run (docs/reminders.md).

:func:`run_reminders` selects, claims and takes over in one transaction,
then, once it has committed, hands each recipient's digest on: to a Celery
task with a broker (which retries refusals with backoff), or sent in this
process without one (cron), retrying a refused digest a few times within
the same command (``REMINDER_RETRY_DELAYS`` seconds) before releasing it
for the next run. :func:`recover_reminders` only takes over what earlier
runs left (the recovery beat entry, every 10 minutes).
"""

from __future__ import annotations

import datetime
import logging
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core.dispatch import dispatch
from ehc.models import Reminder, ReminderPolicy, ReminderRun, ReminderState
from ehc.reminders import claims
from ehc.reminders.sending import DigestFailed, send_digest
from ehc.reminders.sources import Since

logger = logging.getLogger(__name__)

# /healthz/ and the administrator's home warn when no run finished within this.
RUN_STALE_AFTER = datetime.timedelta(hours=26)
DIGEST_TASK = "ehc.send_reminder_digest"  # ehc/tasks.py, which calls send_digest


@dataclass
class RunResult:
    run: ReminderRun
    plan: claims.Plan | None = None  # a dry run's: what a real run would send
    by_recipient: dict[str, list[claims.PlanItem]] = field(default_factory=dict)


def run_reminders(
    *, today: datetime.date | None = None, dry_run: bool = False, now=None
) -> RunResult:
    """Select, claim and (after commit) send today's reminders.

    ``today`` is the day the stages are counted for; ``now`` the moment
    leases are measured from (both default to the present). A dry run
    writes only its ``ReminderRun`` and returns the :class:`claims.Plan` a
    real run at the same moment would carry out.
    """
    today = today or timezone.localdate()
    now = now or timezone.now()
    policy = ReminderPolicy.current()
    since = changes_since(today, policy)
    run = ReminderRun.objects.create(
        run_for=today,
        dry_run=dry_run,
        started_at=now,
        policy_key=policy.key,
        selected_since=since.day if since else None,
    )
    if dry_run:
        plan = claims.plan(today, now, policy, since)
        by_recipient = plan.by_recipient()
        run.recipients = len(by_recipient)
        run.claimed = len(plan.items)
        run.taken_over = sum(1 for item in plan.items if item.reason != "new")
        run.finished_at = timezone.now()
        run.save()
        return RunResult(run, plan, by_recipient)
    with transaction.atomic():
        claims.claim(run, today, now, policy, since)
        _hand_on(run)
    run.refresh_from_db()
    return RunResult(run)


# An edit saved this long before the last run started may still have been
# uncommitted when it read, so it is read again (a form's transaction lasts
# well under a second; a caseload import, one transaction, a few minutes).
EDIT_MARGIN = datetime.timedelta(hours=1)
# Past this many days since the last run, reading everything costs about
# as much as reading the changes.
MAX_GAP = datetime.timedelta(days=60)


def changes_since(today: datetime.date, policy: ReminderPolicy) -> Since | None:
    """What the last finished daily run left for a run for ``today`` to read
    (docs/reminders.md, "Reading only what changed"), or None to read
    everything due: no run has finished yet, the last one selected under
    another policy (offsets, repeat, who is told), or it was for a later
    day or more than MAX_GAP before ``today``. A missed day is caught up:
    the dates read are those that crossed a threshold on any day after
    the last run's."""
    last = last_finished_run()
    if last is None or last.policy_key != policy.key:
        return None
    if last.run_for > today or today - last.run_for > MAX_GAP:
        return None
    return Since(day=last.run_for, edited_after=last.started_at - EDIT_MARGIN)


def recover_reminders(*, now=None) -> ReminderRun | None:
    """Take over what earlier runs left (stale claims, released failures,
    uncertain deliveries due a resend) and hand their digests on; returns
    the recovery run, or None (and no record) when there was nothing."""
    now = now or timezone.now()
    policy = ReminderPolicy.current()
    with transaction.atomic():
        run = ReminderRun.objects.create(
            run_for=timezone.localdate(now), started_at=now, recovery=True
        )
        if not claims.take_over(run, now, policy):
            transaction.set_rollback(True)
            return None
        _hand_on(run)
    run.refresh_from_db()
    return run


def _hand_on(run: ReminderRun) -> None:
    """Inside the claiming transaction: count what ``run`` owns and queue
    (or, without a broker, send) one task per recipient after commit."""
    ours = Reminder.objects.filter(run=run, state=ReminderState.CLAIMED)
    recipients = sorted(set(ours.values_list("recipient", flat=True)))
    ReminderRun.objects.filter(pk=run.pk).update(claimed=ours.count(), recipients=len(recipients))
    for recipient in recipients:
        _dispatch(run.pk, recipient)
    transaction.on_commit(lambda: _mark_finished(run.pk))


def _dispatch(run_id: int, recipient: str) -> None:
    """Once the claims are committed, queue the recipient's digest task (by
    name: this module never imports ehc/tasks.py) or, without Redis, send
    it in this process (core.dispatch)."""
    dispatch(DIGEST_TASK, run=_send_in_process, run_id=run_id, recipient=recipient)


def retry_delays() -> tuple[float, ...]:
    """Seconds to wait before each retry of a refused digest in cron mode
    (``REMINDER_RETRY_DELAYS``, default 2 then 5: three tries in all)."""
    return tuple(getattr(settings, "REMINDER_RETRY_DELAYS", (2, 5)))


def _send_in_process(*, run_id: int, recipient: str) -> None:
    delays = retry_delays()
    for attempt in range(len(delays) + 1):
        final = attempt == len(delays)
        try:
            send_digest(run_id=run_id, recipient=recipient, final=final)
            return
        except DigestFailed:
            if final:
                logger.warning(
                    "Reminder digest refused %d times; left for the next run", attempt + 1
                )
                return
            time.sleep(delays[attempt])
        except Exception:
            # Left as it is: the next run takes it over once its leases pass.
            logger.exception("Reminder digest to a recipient failed; it will be retried")
            ReminderRun.objects.filter(pk=run_id).update(failed=F("failed") + 1)
            return


def _mark_finished(run_id: int) -> None:
    # With Celery the digests finish later; the run is "finished" once every
    # digest has been handed on (queued or sent), which is now.
    ReminderRun.objects.filter(pk=run_id).update(finished_at=timezone.now())


def last_finished_run() -> ReminderRun | None:
    return (
        ReminderRun.objects.filter(finished_at__isnull=False, dry_run=False, recovery=False)
        .order_by("-finished_at")
        .first()
    )


def reminders_stale(now=None) -> bool:
    """True when no (real, daily) run has finished within RUN_STALE_AFTER."""
    now = now or timezone.now()
    last = last_finished_run()
    return last is None or last.finished_at < now - RUN_STALE_AFTER
