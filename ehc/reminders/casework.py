"""ehc's reminder sources: contributions and requests nobody has been asked for.

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
still owed); its line says the exception is recorded. The two sources read
disjoint requests (with, and without, contributions), so a request's owner
and area lines come from one source.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Exists, Min, OuterRef, Prefetch, Q, QuerySet
from django.utils import dateformat

from ehc import reminder_stages
from ehc.models import (
    Contribution,
    HealthAdviceRequest,
    ReminderKind,
    ReminderPolicy,
    RequestStatus,
)
from ehc.reminders.sources import Due, Line, ReminderSource, Since, register_source

CONTRIBUTIONS = "ehc.contributions"
UNASKED = "ehc.requests"


def due_querysets(
    today: datetime.date, policy: ReminderPolicy, *, requests: QuerySet | None = None
) -> dict[str, QuerySet]:
    """The two reads behind the sources.

    - ``contributions``: outstanding contributions
      (:meth:`~ehc.models.ContributionQuerySet.outstanding`, so never one
      left outstanding when its request was withdrawn or closed) of awaiting
      requests whose *working* date falls within the largest offset or has
      passed. One read serves all three kinds: a statutory due date is never
      before the working date, so everything overdue is in it. It starts
      from the partial index ``contribution_outstanding_work``; with
      ``requests`` (a query of ids: :func:`changed_requests`) only theirs,
      by the contributions' ``request_id`` index.
    - ``unasked``: awaiting requests no service has been asked for yet, due
      within the largest offset or overdue by their own due date, from the
      (status, due_on) index.

    Neither grows with closed history. No ORDER BY: the stages do not depend
    on order. ``bench/reminder_selection.py`` prints their query plans.
    """
    horizon = today + datetime.timedelta(days=max(policy.offset_days))
    contributions = Contribution.objects.outstanding().filter(
        working_due_on__lte=horizon, request__status=RequestStatus.AWAITING
    )
    if requests is not None:
        contributions = contributions.filter(request_id__in=requests)
    return {
        "contributions": contributions.order_by().values_list(
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


# --- Reading only what changed since the last run ------------------------------------------


def _on_dates(field: str, ranges) -> Q:
    """``field`` within any of ``ranges`` (inclusive pairs of dates): single
    days as one IN list, longer ranges each as BETWEEN."""
    single = [first for first, last in ranges if first == last]
    condition = Q(**{f"{field}__in": single})
    for first, last in ranges:
        if first != last:
            condition |= Q(**{f"{field}__range": (first, last)})
    return condition


def _ranges(today, since: Since, earliest, policy) -> list:
    if earliest is None or since.day >= today:
        return []
    return reminder_stages.changed_ranges(
        since.day,
        today,
        earliest=earliest,
        offsets=policy.offset_days,
        repeat_days=policy.overdue_repeat_days,
    )


def changed_requests(today: datetime.date, policy: ReminderPolicy, since: Since) -> QuerySet:
    """Ids of the requests whose contributions' reminders may differ from
    those on ``since.day``: one of their outstanding contributions has a
    working or statutory date that crossed a threshold since
    (``reminder_stages.changed_ranges``, read from the two partial indexes
    of outstanding contributions), or one of their contributions (returned
    or not) or the awaiting request itself was saved after
    ``since.edited_after`` (a date moved, a service asked or returned, the
    owner changed). One query now (the earliest outstanding working date,
    where the overdue dates stop); the ids come back as a query to read
    inside another (a UNION of three index scans). A request's own lines are
    then worked out from all its outstanding contributions, as on a full
    read, so its owner and area hear of it by its earliest date."""
    outstanding = Contribution.objects.outstanding().order_by()
    earliest = outstanding.aggregate(first=Min("working_due_on"))["first"]
    ranges = _ranges(today, since, earliest, policy)
    ids = (
        Contribution.objects.filter(updated_at__gte=since.edited_after)
        .order_by()
        .values_list("request_id", flat=True)
        .union(
            HealthAdviceRequest.objects.filter(
                status=RequestStatus.AWAITING, updated_at__gte=since.edited_after
            )
            .order_by()
            .values_list("pk", flat=True)
        )
    )
    if ranges:
        crossed = outstanding.filter(
            _on_dates("working_due_on", ranges) | _on_dates("due_on", ranges)
        ).values_list("request_id", flat=True)
        ids = ids.union(crossed)
    return ids


def _request_dues(source, policy, stage, owner_working, area_overdue) -> list[Due]:
    out = []
    if policy.remind_owners:
        for request_id, (due_on, email) in owner_working.items():
            if s := stage(due_on):
                out.append(
                    Due(
                        source,
                        ReminderKind.OWNER,
                        f"r{request_id}",
                        s,
                        due_on,
                        email,
                        None,
                        request_id,
                    )
                )
    if policy.area_overdue_digest:
        for request_id, (due_on, la_id) in area_overdue.items():
            if s := stage(due_on):
                out.append(
                    Due(
                        source,
                        ReminderKind.AREA_OVERDUE,
                        f"r{request_id}",
                        s,
                        due_on,
                        "",
                        la_id,
                        request_id,
                    )
                )
    return out


def _earliest(found: dict, request_id: int, day: datetime.date, who) -> None:
    if request_id not in found or day < found[request_id][0]:
        found[request_id] = (day, who)


def _contribution_dues(rows, today, policy, stage) -> list[Due]:
    out: list[Due] = []
    owner_working: dict[int, tuple] = {}
    area_overdue: dict[int, tuple] = {}
    for row in rows:
        pk, request_id, working_on, due_on, service_email, la_id = row[:6]
        owner_email, owner_active, owner_digests = row[6:]
        if policy.remind_services and service_email:
            if s := stage(working_on):
                out.append(
                    Due(
                        CONTRIBUTIONS,
                        ReminderKind.SERVICE,
                        f"c{pk}",
                        s,
                        working_on,
                        service_email.lower(),
                        None,
                        request_id,
                        pk,
                    )
                )
        if owner_email and owner_active and owner_digests:
            _earliest(owner_working, request_id, working_on, owner_email.lower())
        if due_on < today:
            _earliest(area_overdue, request_id, due_on, la_id)
    return out + _request_dues(CONTRIBUTIONS, policy, stage, owner_working, area_overdue)


def select_contributions(today, policy, stage, *, reads=None) -> list[Due]:
    rows = (reads or due_querysets(today, policy))["contributions"]
    return _contribution_dues(rows, today, policy, stage)


def select_changed_contributions(today, policy, stage, since: Since) -> list[Due]:
    """As :func:`select_contributions`, for :func:`changed_requests` only
    (two queries)."""
    requests = changed_requests(today, policy, since)
    rows = due_querysets(today, policy, requests=requests)["contributions"]
    return _contribution_dues(rows, today, policy, stage)


def _unasked_dues(rows, today, policy, stage) -> list[Due]:
    owner_working: dict[int, tuple] = {}
    area_overdue: dict[int, tuple] = {}
    for request_id, due_on, la_id, owner_email, owner_active, owner_digests in rows:
        if owner_email and owner_active and owner_digests:
            _earliest(owner_working, request_id, due_on, owner_email.lower())
        if due_on < today:
            _earliest(area_overdue, request_id, due_on, la_id)
    return _request_dues(UNASKED, policy, stage, owner_working, area_overdue)


def select_unasked(today, policy, stage, *, reads=None) -> list[Due]:
    rows = (reads or due_querysets(today, policy))["unasked"]
    return _unasked_dues(rows, today, policy, stage)


def changed_unasked(today, policy, since: Since) -> QuerySet:
    """The read behind :func:`select_changed_unasked`: awaiting requests
    nobody has been asked for whose due date crossed a threshold since
    ``since.day`` or that were saved after ``since.edited_after``. One
    query now (the earliest awaiting due date, from the (status, due_on)
    index); each part of the rest from its own index (updated_at; status
    and due_on), and only those checked for contributions."""
    awaiting = HealthAdviceRequest.objects.filter(status=RequestStatus.AWAITING).order_by()
    earliest = awaiting.aggregate(first=Min("due_on"))["first"]
    ranges = _ranges(today, since, earliest, policy)
    changed = awaiting.filter(updated_at__gte=since.edited_after).values_list("pk", flat=True)
    if ranges:
        changed = changed.union(
            awaiting.filter(_on_dates("due_on", ranges)).values_list("pk", flat=True)
        )
    return due_querysets(today, policy)["unasked"].filter(pk__in=changed)


def select_changed_unasked(today, policy, stage, since: Since) -> list[Due]:
    """As :func:`select_unasked`, for :func:`changed_unasked` only (two queries)."""
    return _unasked_dues(changed_unasked(today, policy, since), today, policy, stage)


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
            UNASKED, select_unasked, prepare, live, lines, select_changed=select_changed_unasked
        )
    )
