"""Daily deadline reminders: select, claim, send one digest per recipient,
exactly once wherever the code can know (docs/reminders.md).

- ``sources``: the registry every app registers its due items into;
  ``casework``: ehc's sources (contributions, requests nobody was asked for).
- ``claims``: selection, the claim (run and attempt) and takeovers.
- ``sending``: the fenced send of one recipient's digest, its Message-ID.
- ``smtp``: what became of one message (sent, failed, uncertain).
- ``runs``: the daily run, the recovery run, cron-mode retries, staleness.
"""

from ehc.reminders.claims import (
    Candidate,
    claim_lease,
    plan,
    select_due,
    sending_lease,
)
from ehc.reminders.runs import (
    RUN_STALE_AFTER,
    RunResult,
    last_finished_run,
    recover_reminders,
    reminders_stale,
    run_reminders,
)
from ehc.reminders.sending import (
    REPEAT_MARK,
    DigestFailed,
    build_digest,
    message_id_for,
    send_digest,
)

__all__ = [
    "RUN_STALE_AFTER",
    "REPEAT_MARK",
    "Candidate",
    "DigestFailed",
    "RunResult",
    "build_digest",
    "claim_lease",
    "last_finished_run",
    "message_id_for",
    "plan",
    "recover_reminders",
    "reminders_stale",
    "run_reminders",
    "select_due",
    "send_digest",
    "sending_lease",
]
