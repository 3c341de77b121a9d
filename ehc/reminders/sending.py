"""Send one recipient's digest under the run's claim (docs/reminders.md,
"Exactly once").

:func:`send_digest` reads the rows its run still owns for the recipient,
drops those whose item is no longer owed, and for each digest (the fresh
reminders; each earlier digest being resent after an uncertain delivery
apart, with its own Message-ID) does, in this order:

1. **fence**: in one short transaction, lock the rows, keep only those
   still carrying this claim (run and attempt) and still claimed, and move
   them to "sending" with ``sending_started_at`` and the digest's
   Message-ID. Rows another run took over are not sent; none left, nothing
   is sent;
2. **send** on a connection of its own (``ehc/reminders/smtp.py``);
3. **record** what became of it, only on rows still "sending" under this
   claim: ``sent``; back to ``claimed`` for a retry of the same claim (or
   ``failed``, released for the next run, on the last try); or
   ``uncertain``, never retried blindly.

Every digest carries a deterministic Message-ID made from its rows
(:func:`message_id_for`), so a resend carries the one it was first sent
with and mail clients can fold the two.
"""

from __future__ import annotations

import hashlib
import logging
from collections import defaultdict
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone

from ehc.models import Reminder, ReminderKind, ReminderRun, ReminderState
from ehc.reminders import smtp
from ehc.reminders.sources import SECTIONS, Line, get_source

logger = logging.getLogger(__name__)

REPEAT_MARK = "Possible repeat: "


class DigestFailed(Exception):
    """The mail server refused a digest or could not be reached; its rows
    are back under the same claim (a retry follows) or released (last try)."""


def message_id_for(recipient: str, ids) -> str:
    """``<reminders.HASH@HOST>``: HASH is made from the recipient and the
    sorted reminder ids, HOST is ``SITE_URL``'s host, so the same rows to
    the same recipient always make the same Message-ID (RFC 5322 3.6.4)."""
    digest = hashlib.sha256(
        f"{recipient}:{','.join(str(i) for i in sorted(ids))}".encode()
    ).hexdigest()[:32]
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"<reminders.{digest}@{host}>"


def send_digest(*, run_id: int, recipient: str, final: bool = True) -> int:
    """Send what ``run_id`` owns for ``recipient``; returns reminders sent.

    ``final``: this is the last try, so a refused digest is released
    (``failed``) for the next run rather than kept for a retry. Raises
    :class:`DigestFailed` after recording a refusal, so a caller can retry
    with backoff; an uncertain delivery is recorded and not raised.
    """
    rows = list(
        Reminder.objects.filter(run_id=run_id, recipient=recipient, state=ReminderState.CLAIMED)
    )
    if not rows:
        return 0
    run = ReminderRun.objects.get(pk=run_id)
    live, dead = _prepared(rows)
    if dead:  # returned, closed or withdrawn since it was claimed: nothing to say
        Reminder.objects.filter(
            pk__in=[r.pk for r in dead], run_id=run_id, state=ReminderState.CLAIMED
        ).update(state=ReminderState.DROPPED, sent_at=timezone.now())
    groups: dict[str, list[Reminder]] = defaultdict(list)
    for row in live:
        groups[row.message_id if row.repeat else ""].append(row)
    sent, refused = 0, False
    for earlier_id, group in sorted(groups.items()):
        outcome, count = _send_group(run, recipient, group, earlier_id, final=final)
        sent += count
        refused = refused or outcome is smtp.Outcome.FAILED
    if refused:
        raise DigestFailed(f"A digest to a recipient of run {run_id} was refused")
    return sent


def _prepared(rows):
    by_source = defaultdict(list)
    for row in rows:
        by_source[row.source].append(row.pk)
    live, dead = [], []
    for name, ids in by_source.items():
        source = get_source(name)
        loaded = list(source.prepare(Reminder.objects.filter(pk__in=ids)))
        kept = source.live(loaded)
        live.extend(kept)
        dead.extend(r for r in loaded if r not in kept)
    live.sort(key=lambda r: (r.due_on, r.pk))
    return live, dead


def _fence(run_id: int, group: list[Reminder], recipient: str, earlier_id: str):
    """Move the rows still under this claim to "sending"; returns them and
    the digest's Message-ID ([] when another run took them all)."""
    attempt = {r.pk: r.claim_attempt for r in group}
    with transaction.atomic():
        owned = [
            pk
            for pk, claim_attempt in Reminder.objects.select_for_update()
            .filter(pk__in=attempt, run_id=run_id, state=ReminderState.CLAIMED)
            .values_list("pk", "claim_attempt")
            if attempt[pk] == claim_attempt
        ]
        if not owned:
            return [], ""
        message_id = earlier_id or message_id_for(recipient, owned)
        Reminder.objects.filter(pk__in=owned).update(
            state=ReminderState.SENDING,
            sending_started_at=timezone.now(),
            message_id=message_id,
            attempts=F("attempts") + 1,
        )
    return [r for r in group if r.pk in set(owned)], message_id


def _send_group(run, recipient, group, earlier_id, *, final):
    owned, message_id = _fence(run.pk, group, recipient, earlier_id)
    if not owned:
        logger.info("Reminder digest not sent: its rows were taken over by another run")
        return None, 0
    message = build_digest(
        recipient, owned, today=run.run_for, message_id=message_id, repeat=bool(earlier_id)
    )
    delivery = smtp.deliver(message)
    mine = Reminder.objects.filter(
        pk__in=[r.pk for r in owned], run_id=run.pk, state=ReminderState.SENDING
    )
    if delivery.outcome is smtp.Outcome.SENT:
        count = mine.update(state=ReminderState.SENT, sent_at=timezone.now(), repeat=False)
        ReminderRun.objects.filter(pk=run.pk).update(sent=F("sent") + count)
        return delivery.outcome, count
    if delivery.outcome is smtp.Outcome.UNCERTAIN:
        logger.warning("Reminder digest delivery uncertain (%s)", delivery.error)
        mine.update(state=ReminderState.UNCERTAIN, last_error=delivery.error)
        ReminderRun.objects.filter(pk=run.pk).update(uncertain=F("uncertain") + 1)
        return delivery.outcome, 0
    logger.warning("Reminder digest refused (%s)", delivery.error)
    state = ReminderState.FAILED if final else ReminderState.CLAIMED
    # A fresh digest that never arrived may be regrouped; a resend keeps its Message-ID.
    mine.filter(repeat=False).update(state=state, last_error=delivery.error, message_id="")
    mine.filter(repeat=True).update(state=state, last_error=delivery.error)
    if final:
        ReminderRun.objects.filter(pk=run.pk).update(failed=F("failed") + 1)
    return delivery.outcome, 0


def digest_context(recipient: str, rows, *, today) -> dict:
    """The templates' context: lines by section (each item once: an
    officer may own a request and also be told it is overdue in their
    area), and who the recipient is (a service's mailbox, an officer)."""
    by_source = defaultdict(list)
    seen = set()
    for r in rows:
        if r.target not in seen:
            seen.add(r.target)
            by_source[r.source].append(r)
    lines: list[Line] = []
    for name, group in by_source.items():
        lines.extend(get_source(name).lines(group, today))
    lines.sort(key=lambda line: (line.due_on, line.reference))
    context = {section: [line for line in lines if line.section == section] for section in SECTIONS}
    kinds = {r.kind for r in rows}
    context["mailbox"] = ReminderKind.SERVICE in kinds
    context["officer"] = bool(kinds - {ReminderKind.SERVICE})
    context["site_url"] = settings.SITE_URL
    context["service_name"] = getattr(settings, "SERVICE_NAME", "SEND health portal")
    return context


def build_digest(
    recipient: str, rows, *, today, message_id: str = "", repeat: bool = False
) -> EmailMultiAlternatives:
    """One digest email (plain text and HTML) for ``rows``; ``repeat``
    marks the subject and the text as a possible repeat of an earlier
    digest whose delivery was uncertain."""
    context = digest_context(recipient, rows, today=today)
    context["repeat"] = repeat
    parts = []
    if context["overdue"]:
        parts.append(f"{len(context['overdue'])} overdue")
    if context["lawful"]:
        parts.append(f"{len(context['lawful'])} late with a lawful exception")
    if context["soon"]:
        parts.append(f"{len(context['soon'])} due soon")
    subject = "Health advice for EHC assessments: " + ", ".join(parts)
    if repeat:
        subject = REPEAT_MARK + subject
    text = render_to_string("ehc/email/reminder_digest.txt", context)
    html = render_to_string("ehc/email/reminder_digest.html", context)
    message = EmailMultiAlternatives(
        subject,
        text,
        settings.DEFAULT_FROM_EMAIL,
        [recipient],
        headers={"Message-ID": message_id or message_id_for(recipient, [r.pk for r in rows])},
    )
    message.attach_alternative(html, "text/html")
    return message
