"""Run now or queue: background work handed on once its data is committed.

One helper, :func:`dispatch`, for every service that starts work a Celery
worker does when there is one (the annual report's PDF, the reminder
digests). Services name the task and pass the function that does the work
in-process; they never import their ``tasks`` module, which imports the
service instead (the task is a thin wrapper round a service function).

Whether there is a broker is decided as the settings decide it:
``CELERY_TASK_ALWAYS_EAGER`` is true exactly when ``REDIS_URL`` is unset
(config/settings.py). Either way the work starts only after the current
transaction commits (at once when no transaction is open), so a worker or
an email never acts on rows that are then rolled back.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction

logger = logging.getLogger(__name__)


def has_broker() -> bool:
    """True when tasks go to a Celery broker (REDIS_URL set), False when
    they run in this process."""
    return not settings.CELERY_TASK_ALWAYS_EAGER


def send_task(name: str, args: tuple, kwargs: dict) -> None:
    """Publish the Celery task registered under ``name`` to the broker.

    By name, through the current Celery app: the caller needs no import of
    the task's module. Raises whatever the broker connection raises
    (ConnectionRefusedError, kombu's OperationalError, ...).
    """
    from celery import current_app

    current_app.send_task(name, args=args, kwargs=kwargs)


def dispatch(
    task_name: str,
    /,
    *args: Any,
    run: Callable[..., Any],
    on_queue_error: Callable[[Exception], None] | None = None,
    **kwargs: Any,
) -> None:
    """After the current transaction commits, queue ``task_name`` with
    ``args`` and ``kwargs`` (a broker is configured) or call
    ``run(*args, **kwargs)`` in this process (no broker).

    - ``task_name``: the Celery task's registered name, e.g.
      "reports.build_annual_report"; its arguments must be JSON-friendly
      (ids, strings, ISO dates).
    - ``run``: the service function the task itself calls; in-process it is
      called directly, so what it raises propagates to the committer
      (wrap it to catch and record failures instead).
    - ``on_queue_error``: called with the exception when the broker cannot
      be reached, so the caller can record the failure (e.g. mark a build
      failed); without it the exception propagates.

    Returns nothing: the outcome of the work is recorded by the work.
    """

    def start() -> None:
        if not has_broker():
            run(*args, **kwargs)
            return
        try:
            send_task(task_name, args, kwargs)
        except Exception as error:
            if on_queue_error is None:
                raise
            logger.exception("Could not queue %s", task_name)
            on_queue_error(error)

    transaction.on_commit(start)
