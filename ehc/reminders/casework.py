"""ehc's reminder sources: outstanding contributions, and awaiting requests.

Registered from ``EhcConfig.ready()`` (:func:`register`) into the registry
in ``ehc/reminders/sources.py``. What they select (docs/reminders.md, "Which
date, and which items"):

- a service's contact mailbox: each of its outstanding contributions, by
  its *working* date (``Contribution.working_due_on``: the return-by date
  if set, else the statutory due date);
- the owning designated officer (if they take digests): each request once,
  by the earliest working date of its outstanding contributions, or by the
  request's own due date while nobody has been asked;
- the area's designated officers: each request past a statutory due date,
  by the earliest statutory date passed.

A contribution with a reg 8(2) exception is still reminded (its advice is
still owed); its line says the exception is recorded. The first two dates
are the request's stored worklist keys (``working_due_on`` and
``due_owed_on``, :mod:`ehc.services.urgency`), so a request's lines are read
from the request alone: the contributions source (``ehc.contributions``)
gives the services' lines, the requests source (``ehc.requests``) the
owners' and areas' lines, with or without services asked.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Min, Prefetch, Q, QuerySet
from django.utils import dateformat

from ehc.models import (
    Contribution,
    HealthAdviceRequest,
    ReminderKind,
    ReminderPolicy,
    RequestStatus,
)
from ehc.reminders.sources import (
    Due,
    Line,
    ReminderSource,
    Since,
    on_dates,
    read_any,
    register_source,
)

CONTRIBUTIONS = "ehc.contributions"
REQUESTS = "ehc.requests"


def due_querysets(
    today: datetime.date,
    policy: ReminderPolicy,
    *,
    contributions: list[Q] | None = None,
    requests: list[Q] | None = None,
) -> dict[str, QuerySet]:
    """The two reads behind the sources, neither growing with closed history
    and neither ordered (the stages do not depend on order).

    - ``contributions`` (a service's lines): outstanding contributions
      (:meth:`~ehc.models.ContributionQuerySet.outstanding`, so never one
      left outstanding when its request was withdrawn or closed, so only
      of awaiting requests: ``ehc.services.requests.change_status`` marks
      them, and a request with a service still owed is otherwise awaiting)
      whose *working* date falls within the largest offset or has passed,
      from the partial index ``contribution_outstanding_work``, with their
      service's mailbox. The request's row is not read (joining it cost a
      national run more than the rest of this read); :func:`live` checks
      its status again before anything is sent.
    - ``requests`` (an owner's and an area's lines): awaiting requests whose
      stored ``working_due_on`` (the earliest working date still owed, or
      the request's own due date while nobody has been asked) is within the
      largest offset or past, or whose stored ``due_owed_on`` (the earliest
      statutory due date still owed, likewise; None when nothing is) has
      passed: the worklist's
      keys, kept by :func:`ehc.services.urgency.refresh_urgency` on every
      write, from the indexes ``request_status_work`` and
      ``request_status_owed``.

    With ``contributions`` or ``requests`` (lists of conditions), only the
    rows meeting one of them (:func:`~ehc.reminders.sources.read_any`).
    ``bench/reminder_selection.py`` prints their query plans.
    """
    horizon = today + datetime.timedelta(days=max(policy.offset_days))
    owed = (
        Contribution.objects.outstanding()
        .filter(working_due_on__lte=horizon)
        .order_by()
        .values_list("pk", "request_id", "working_due_on", "service__contact_email")
    )
    awaiting = (
        HealthAdviceRequest.objects.filter(
            Q(working_due_on__lte=horizon) | Q(due_owed_on__lt=today),
            status=RequestStatus.AWAITING,
        )
        .order_by()
        .values_list(
            "pk",
            "working_due_on",
            "due_owed_on",
            "local_authority_id",
            "owner__email",
            "owner__is_active",
            "owner__receive_digests",
        )
    )
    return {
        "contributions": owed if contributions is None else read_any(owed, contributions),
        "requests": awaiting if requests is None else read_any(awaiting, requests),
    }


# --- Reading only what changed since the last run ------------------------------------------


def changed_contributions(today: datetime.date, policy: ReminderPolicy, since: Since) -> list[Q]:
    """Which outstanding contributions' service lines may differ from
    ``since.day``'s, as conditions for :func:`due_querysets`: the working
    date crossed a threshold since (``reminder_stages.changed_ranges``,
    read from the partial index of outstanding contributions' working
    dates), or the contribution was saved after ``since.edited_after`` (a
    date moved, a mark cleared; from the ``updated_at`` index). One query
    now: the earliest outstanding working date, where the overdue ranges
    stop."""
    outstanding = Contribution.objects.outstanding().order_by()
    earliest = outstanding.aggregate(first=Min("working_due_on"))["first"]
    ranges = since.crossed(today, policy, earliest)
    conditions = [Q(updated_at__gte=since.edited_after)]
    if ranges:
        conditions.append(on_dates("working_due_on", ranges))
    return conditions


def changed_requests(today: datetime.date, policy: ReminderPolicy, since: Since) -> list[Q]:
    """Which awaiting requests' owner's or area's lines may differ from
    ``since.day``'s, as conditions for :func:`due_querysets`: the stored
    ``working_due_on`` or ``due_owed_on`` crossed a threshold since
    (``reminder_stages.changed_ranges``, from the indexes of requests by
    status and each date), or the request, or one of its contributions, was
    saved after ``since.edited_after`` (saving a contribution changes the
    request's stored dates without saving the request; each from its
    ``updated_at`` index). One query now: the earliest stored working date
    of an awaiting request (never after its earliest owed due date)."""
    awaiting = HealthAdviceRequest.objects.filter(status=RequestStatus.AWAITING).order_by()
    earliest = awaiting.aggregate(first=Min("working_due_on"))["first"]
    ranges = since.crossed(today, policy, earliest)
    conditions = [
        Q(updated_at__gte=since.edited_after),
        Q(contributions__updated_at__gte=since.edited_after),
    ]
    if ranges:
        conditions.append(on_dates("working_due_on", ranges) | on_dates("due_owed_on", ranges))
    return conditions


def _contribution_dues(rows, policy, stage) -> list[Due]:
    """A service's line for each outstanding contribution of ``rows`` in a
    stage, by its working date."""
    out: list[Due] = []
    if not policy.remind_services:
        return out
    # Names bound once: a national day's loop runs tens of thousands of times.
    append, kind = out.append, ReminderKind.SERVICE
    for pk, request_id, working_on, service_email in rows:
        if service_email and (s := stage(working_on)):
            append(
                Due(
                    CONTRIBUTIONS,
                    kind,
                    f"c{pk}",
                    s,
                    working_on,
                    service_email.lower(),
                    None,
                    request_id,
                    pk,
                )
            )
    return out


def select_contributions(today, policy, stage, *, reads=None) -> list[Due]:
    rows = (reads or due_querysets(today, policy))["contributions"]
    return _contribution_dues(rows, policy, stage)


def select_changed_contributions(today, policy, stage, since: Since) -> list[Due]:
    """As :func:`select_contributions`, for :func:`changed_contributions`
    only (two queries)."""
    changed = changed_contributions(today, policy, since)
    rows = due_querysets(today, policy, contributions=changed)["contributions"]
    return _contribution_dues(rows, policy, stage)


def _request_dues(rows, today, policy, stage) -> list[Due]:
    """An owner's line (by the stored earliest working date) and an area's
    line (by the earliest statutory due date still owed, once passed) for
    each awaiting request of ``rows`` in a stage."""
    out: list[Due] = []
    # Names bound once: a national day's loop runs tens of thousands of times.
    append, owners, areas = out.append, policy.remind_owners, policy.area_overdue_digest
    owner_kind, area_kind = ReminderKind.OWNER, ReminderKind.AREA_OVERDUE
    for request_id, working_on, owed_on, la_id, email, active, digests in rows:
        if owed_on is None:
            continue  # every service asked has returned or was left outstanding
        if owners and email and active and digests and (s := stage(working_on)):
            append(
                Due(
                    REQUESTS,
                    owner_kind,
                    f"r{request_id}",
                    s,
                    working_on,
                    email.lower(),
                    None,
                    request_id,
                )
            )
        if areas and owed_on < today and (s := stage(owed_on)):
            append(Due(REQUESTS, area_kind, f"r{request_id}", s, owed_on, "", la_id, request_id))
    return out


def select_requests(today, policy, stage, *, reads=None) -> list[Due]:
    rows = (reads or due_querysets(today, policy))["requests"]
    return _request_dues(rows, today, policy, stage)


def select_changed_requests(today, policy, stage, since: Since) -> list[Due]:
    """As :func:`select_requests`, for :func:`changed_requests` only (two
    queries)."""
    changed = changed_requests(today, policy, since)
    rows = due_querysets(today, policy, requests=changed)["requests"]
    return _request_dues(rows, today, policy, stage)


def prepare(queryset: QuerySet) -> QuerySet:
    return queryset.select_related(
        "request__child", "request__local_authority", "contribution__service__provider"
    ).prefetch_related(
        # What a request's line says about its services (lines()).
        Prefetch(
            "request__contributions",
            queryset=Contribution.objects.outstanding()
            .select_related("service")
            .order_by("due_on", "pk"),
            to_attr="owed",
        )
    )


def live(rows: list) -> list:
    """The rows whose item is still owed: the request still awaiting and,
    for a service's row, its contribution neither returned nor left
    outstanding."""

    def owed(reminder) -> bool:
        if reminder.request.status != RequestStatus.AWAITING:
            return False
        if reminder.contribution_id:
            c = reminder.contribution
            return c.returned_on is None and not c.left_outstanding
        return True

    return [r for r in rows if owed(r)]


# --- What a line says ------------------------------------------------------------


class LineDates:
    """What one digest line says about its dates: the date the reminder was
    counted from (``working_on``: a return-by date, or a due date), the
    statutory due date (``due_on``) and, when late with a reg 8(2)
    exception recorded, its letters (``lawful``: "b", or "a, c");
    ``excepted``: letters of an exception recorded before the due date."""

    def __init__(self, working_on, due_on, lawful: str = "", excepted: str = ""):
        self.working_on, self.due_on, self.lawful, self.excepted = (
            working_on,
            due_on,
            lawful,
            excepted,
        )


def line_dates(reminder, today: datetime.date) -> LineDates:
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


def services_words(reminder) -> str:
    """The service a line is about: the contribution's own, or, on a
    request's line, every service still owing advice ("No service asked
    yet" while nobody has been)."""
    if reminder.contribution_id:
        return str(reminder.contribution.service)
    owed = getattr(reminder.request, "owed", [])
    names = list(dict.fromkeys(str(c.service) for c in owed))
    return ", ".join(names) if names else "No service asked yet"


def lines(rows: list, today: datetime.date) -> list[Line]:
    """One line per item: overdue (past a statutory due date), late with a
    lawful exception (past it, with a reg 8(2) exception recorded: the
    advice is still owed) or due soon (including a return-by date passed
    while the statutory date is still ahead). Request references and
    initials only."""
    out = []
    for r in rows:
        dates = line_dates(r, today)
        if dates.due_on >= today:
            section = "soon"
        elif dates.lawful:
            section = "lawful"
        else:
            section = "overdue"
        out.append(
            Line(
                section=section,
                due_on=dates.due_on,
                reference=r.request.reference,
                initials=r.request.child.initials,
                local_authority=r.request.local_authority.name,
                services=services_words(r),
                when=when_words(dates, today),
                note=note_words(dates),
                url=settings.SITE_URL.rstrip("/") + r.request.get_absolute_url(),
            )
        )
    return out


def register() -> None:
    """ehc's two sources, from ``EhcConfig.ready()``."""
    register_source(
        ReminderSource(
            CONTRIBUTIONS,
            select_contributions,
            prepare,
            live,
            lines,
            select_changed=select_changed_contributions,
        )
    )
    register_source(
        ReminderSource(
            REQUESTS, select_requests, prepare, live, lines, select_changed=select_changed_requests
        )
    )
