"""Select, claim and take over: who owns which reminder (docs/reminders.md,
"Exactly once").

A reminder's **claim** is the run that owns it and the attempt
(``Reminder.run``, ``Reminder.claim_attempt``). A run claims what is new by
inserting rows (unique on recipient, item, stage and date; conflicts
ignored) and **takes over** rows an earlier claim left unsent:

- ``claimed`` rows whose claim is older than the **claim lease**
  (:func:`claim_lease`, ``REMINDER_CLAIM_LEASE`` seconds, default 30
  minutes): their run died, or its task was lost, before sending;
- ``failed`` rows, at once: their owner used up its retries and released
  them, so a rerun the same day sends them without waiting for a lease;
- rows whose delivery is uncertain (``uncertain``, or ``sending`` for
  longer than the **sending lease** :func:`sending_lease`: the sender died
  mid-send), once the policy's resend delay has passed and while the
  policy allows another resend. They are resent marked as a possible
  repeat, with the Message-ID they were first sent with.

Every takeover is one conditional UPDATE: a row the original sender moved
to ``sending`` in the meantime is not taken, and a sender whose rows were
taken finds them no longer carrying its claim and sends nothing
(``ehc/reminders/sending.py``). The broker's visibility timeout is shorter
than the claim lease (config/settings.py), so a digest task the broker
hands back after a worker died arrives while its claim still holds.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import gc
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import F, Q

from accounts.models import User
from accounts.roles import Role
from ehc import reminder_stages
from ehc.models import Reminder, ReminderPolicy, ReminderRun, ReminderState
from ehc.reminders.sources import Due, Since, get_source, registered_sources

Candidate = Due  # the name earlier code and the bench use


def claim_lease() -> datetime.timedelta:
    """How long a claim holds before another run may take it over
    (``REMINDER_CLAIM_LEASE``, seconds; default 30 minutes)."""
    return datetime.timedelta(seconds=getattr(settings, "REMINDER_CLAIM_LEASE", 1800))


def sending_lease() -> datetime.timedelta:
    """How long a row may stay "sending" before its sender is taken for
    dead (``REMINDER_SENDING_LEASE``, seconds; default 10 minutes, far
    longer than an SMTP conversation of a few replies each bounded by
    ``EMAIL_TIMEOUT``)."""
    return datetime.timedelta(seconds=getattr(settings, "REMINDER_SENDING_LEASE", 600))


def select_due(
    today: datetime.date, policy: ReminderPolicy | None = None, *, since: Since | None = None
) -> list[Due]:
    """Everything every registered source says is due on ``today``, each
    addressed: an area's item becomes one per designated officer of the
    area (one query for all sources). The same reminder may appear twice
    (an officer who owns a request and is also told as one of its area's
    officers); it is claimed once (:func:`unique`).

    With ``since`` (the last finished run, :func:`ehc.reminders.runs.changes_since`),
    only what may have changed stage after it, from the sources that can
    say so (``select_changed``): the rest is what that run claimed. What
    is returned is then a part of the full selection holding every
    reminder the full selection has and that run did not."""
    policy = policy or ReminderPolicy.current()
    with _no_cycle_collection():
        return _select_due(today, policy, since)


@contextlib.contextmanager
def _no_cycle_collection():
    """Python's cycle collector paused while a selection builds its tuples.

    A national day's selection makes tens of thousands of row and
    :class:`Due` tuples, none in a reference cycle. Each few hundred
    allocations start a collection, and some of those walk the whole
    process's heap (every loaded module, model and template): 40 to 60 ms
    a time, a third of the read (docs/reminders.md, "Reading only what
    changed, at national shape"). Paused, nothing is lost: the tuples are freed by reference
    counting, and the collector runs again as before once it is back on."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _select_due(today: datetime.date, policy: ReminderPolicy, since: Since | None) -> list[Due]:
    offsets, repeat = policy.offset_days, policy.overdue_repeat_days

    @functools.cache  # a national day's items share a few thousand dates
    def stage(due_on):
        return reminder_stages.stage_for(due_on, today, offsets=offsets, repeat_days=repeat)

    found: list[Due] = []
    for source in registered_sources():
        if since is not None and source.select_changed is not None:
            found.extend(source.select_changed(today, policy, stage, since))
        else:
            found.extend(source.select(today, policy, stage))
    areas = {d.area_id for d in found if not d.recipient}
    officers = defaultdict(list)
    if areas:
        for la_id, email in (
            User.objects.filter(
                role=Role.DESIGNATED_OFFICER, is_active=True, local_authorities__in=areas
            )
            .values_list("local_authorities", "email")
            .distinct()
        ):
            officers[la_id].append(email.lower())
    out: list[Due] = []
    append, officers_of, nobody = out.append, officers.get, ()
    for due in found:
        if due.recipient:
            append(due)
            continue
        source, kind, target, at, due_on, _, area_id, request_id, contribution = due
        for email in officers_of(area_id, nobody):
            append(Due(source, kind, target, at, due_on, email, area_id, request_id, contribution))
    return out


def unique(candidates: list[Due]) -> dict[tuple, tuple[Due, list[str]]]:
    """Candidates by reminder key, with every kind each was found as
    (first found first)."""
    found: dict[tuple, tuple[Due, list[str]]] = {}
    for c in candidates:
        if c.key in found:
            if c.kind not in found[c.key][1]:
                found[c.key][1].append(c.kind)
        else:
            found[c.key] = (c, [c.kind])
    return found


def takeover_filters(now, policy: ReminderPolicy) -> dict[str, Q]:
    """The rows a run at ``now`` takes over, by reason (see the module)."""
    resend_after = datetime.timedelta(minutes=policy.uncertain_resend_after)
    may_resend = Q(resends__lt=policy.uncertain_resends)
    return {
        "stale": Q(state=ReminderState.CLAIMED, claimed_at__lt=now - claim_lease()),
        "failed": Q(state=ReminderState.FAILED),
        "uncertain": may_resend
        & (
            Q(state=ReminderState.UNCERTAIN, sending_started_at__lt=now - resend_after)
            | Q(
                state=ReminderState.SENDING,
                sending_started_at__lt=now - max(resend_after, sending_lease()),
            )
        ),
    }


@dataclass(frozen=True)
class PlanItem:
    """One reminder a run would send: ``kinds`` it is found as (labels
    via ``ReminderKind``), and why it is in the run ("new", "stale claim",
    "failed", "uncertain")."""

    recipient: str
    target: str
    stage: str
    due_on: datetime.date
    kinds: tuple[str, ...]
    reason: str
    request_id: int | None
    message_id: str = ""  # set for a resend: the digest it repeats

    @property
    def repeat(self) -> bool:
        return self.reason == "uncertain"


@dataclass
class Plan:
    """What a run at one moment claims, takes over and would send."""

    items: list[PlanItem] = field(default_factory=list)

    def by_recipient(self) -> dict[str, list[PlanItem]]:
        out: dict[str, list[PlanItem]] = defaultdict(list)
        for item in self.items:
            out[item.recipient].append(item)
        return dict(out)

    @staticmethod
    def digests(items: list[PlanItem]) -> int:
        """Digests the items make: one for the fresh ones, one per repeated
        digest (its own Message-ID)."""
        fresh = any(not i.repeat for i in items)
        return int(fresh) + len({i.message_id for i in items if i.repeat})


def plan(today: datetime.date, now, policy: ReminderPolicy, since: Since | None = None) -> Plan:
    """What a run at ``now`` would send, without writing anything: the new
    reminders (each key once, not claimed before), and the rows it would
    take over whose item is still owed, as :func:`claim` and the sender
    would do at the same moment (reading changes ``since`` the same way)."""
    fresh = unique(select_due(today, policy, since=since))
    existing = set(
        Reminder.objects.filter(recipient__in={key[0] for key in fresh}).values_list(
            "recipient", "target", "stage", "due_on"
        )
    )
    items = [
        PlanItem(*key, tuple(kinds), "new", due.request_id)
        for key, (due, kinds) in fresh.items()
        if key not in existing
    ]
    for reason, condition in takeover_filters(now, policy).items():
        rows = list(Reminder.objects.filter(condition))
        for row in _live(rows):
            items.append(
                PlanItem(
                    row.recipient,
                    row.target,
                    row.stage,
                    row.due_on,
                    (row.kind,),
                    "stale claim" if reason == "stale" else reason,
                    row.request_id,
                    row.message_id if reason == "uncertain" else "",
                )
            )
    return Plan(items)


def _live(rows: list[Reminder]) -> list[Reminder]:
    by_source = defaultdict(list)
    for row in rows:
        by_source[row.source].append(row.pk)
    out = []
    for name, ids in by_source.items():
        source = get_source(name)
        out.extend(source.live(list(source.prepare(Reminder.objects.filter(pk__in=ids)))))
    return out


def claim(
    run: ReminderRun,
    today: datetime.date,
    now,
    policy: ReminderPolicy,
    since: Since | None = None,
) -> int:
    """Inside the caller's transaction: insert today's new reminders for
    ``run`` (read whole, or only what changed ``since`` the last finished
    run) and take over what earlier claims left (:func:`take_over`).
    Returns the number of rows ``run`` now owns."""
    fresh = unique(select_due(today, policy, since=since))
    Reminder.objects.bulk_create(
        [
            Reminder(
                recipient=due.recipient,
                kind=due.kind,
                source=due.source,
                request_id=due.request_id,
                contribution_id=due.contribution_id,
                target=due.target,
                stage=due.stage,
                due_on=due.due_on,
                run=run,
                claimed_at=now,
            )
            for due, _kinds in fresh.values()
        ],
        ignore_conflicts=True,
        batch_size=500,
    )
    take_over(run, now, policy)
    return Reminder.objects.filter(run=run, state=ReminderState.CLAIMED).count()


def take_over(run: ReminderRun, now, policy: ReminderPolicy) -> int:
    """Move to ``run`` (a new claim: attempt + 1) every row an earlier
    claim left, by the conditions of :func:`takeover_filters`; rows sending
    past the lease with no resend left are marked uncertain for good.
    Returns the rows taken over."""
    filters = takeover_filters(now, policy)
    new_claim = {"run": run, "claim_attempt": F("claim_attempt") + 1, "claimed_at": now}
    taken = (
        Reminder.objects.filter(filters["stale"] | filters["failed"])
        .exclude(run=run)
        .update(state=ReminderState.CLAIMED, message_id="", repeat=False, **new_claim)
    )
    taken += Reminder.objects.filter(filters["uncertain"]).update(
        state=ReminderState.CLAIMED, repeat=True, resends=F("resends") + 1, **new_claim
    )
    Reminder.objects.filter(
        state=ReminderState.SENDING,
        resends__gte=policy.uncertain_resends,
        sending_started_at__lt=now - sending_lease(),
    ).update(state=ReminderState.UNCERTAIN)
    if taken:
        ReminderRun.objects.filter(pk=run.pk).update(taken_over=F("taken_over") + taken)
    return taken
