"""Reads for the EHC screens: each issues a fixed number of queries."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Min,
    OuterRef,
    Prefetch,
    Q,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractDay, ExtractMonth, ExtractYear
from django.utils import dateformat

from accounts.roles import Role
from ehc.identifiers import normalise_nhs_number
from ehc.models import (
    Advice,
    Contribution,
    HealthAdviceRequest,
    ProvisionItem,
    QualityReview,
    RequestStatus,
)

# Still owed, through a request's contributions (ContributionQuerySet.outstanding).
_OUTSTANDING = Q(contributions__returned_on__isnull=True, contributions__left_outstanding="")
_EXCEPTED = ~Q(contributions__exception="")
# With a reg 8(2) exception, and still owed or returned after its due date.
_LAWFULLY_LATE = _EXCEPTED & (
    _OUTSTANDING | Q(contributions__returned_on__gt=F("contributions__due_on"))
)


def _own_part(user, prefix: str = "contributions__") -> Q | None:
    """The contributions whose clock ``user`` follows, when that is not the
    whole request: a health practitioner's own services' (docs/ehc.md,
    "The worklist"). None for everyone else. ``prefix`` is the path from
    the model filtered to its contributions: the default for requests,
    "" for contributions themselves."""
    if user is not None and getattr(user, "role", None) == Role.HEALTH_PRACTITIONER:
        return Q(**{f"{prefix}service__in": user.services.values("pk")})
    return None


def _owed_by(user) -> Q:
    """The contributions whose clock ``user`` follows that are still owed:
    all outstanding ones, or a health practitioner's own services' only."""
    part = _own_part(user)
    return _OUTSTANDING if part is None else _OUTSTANDING & part


def _earliest_work(owed: Q) -> Min:
    """The earliest working date (a return-by date if set, else the
    statutory due date) of the contributions ``owed`` (None for none)."""
    return Min("contributions__working_due_on", filter=owed)


def with_clock(queryset, *, user=None):
    """Requests annotated with the dates their clock tag reads, over their
    outstanding contributions (None when nothing is outstanding):

    - ``work_due_on``: the earliest working date (a return-by date if set,
      else the statutory due date), which the worklist shows and sorts by;
    - ``owed_due_on``: the earliest statutory due date;
    - ``unexcepted_due_on``: the earliest statutory due date of those
      without a reg 8(2) exception (past it: overdue);
    - ``excepted_due_on``: the earliest of those with one (past it, and
      nothing else overdue: late with a lawful exception).

    Given a health practitioner as ``user``, only their own services'
    contributions count (their part of the request), and ``own_part`` is
    True so the tag can say when their part is all returned.

    Aggregates over one join: no extra query, whatever the number of rows.
    """
    owed = _owed_by(user)
    return queryset.annotate(
        work_due_on=_earliest_work(owed),
        owed_due_on=Min("contributions__due_on", filter=owed),
        unexcepted_due_on=Min(
            "contributions__due_on", filter=owed & Q(contributions__exception="")
        ),
        excepted_due_on=Min("contributions__due_on", filter=owed & _EXCEPTED),
        own_part=Value(_own_part(user) is not None),
    )


def worklist(queryset, *, user=None):
    """Requests with what the worklist shows (the clock dates of
    :func:`with_clock`, for ``user``'s part when they follow only part of
    a request; services asked and returned; ``sort_on``, the date the Due
    column sorts by), latest working date first, in one query. It
    aggregates over every request in ``queryset``: a page reads only its
    own requests through :func:`worklist_page`."""
    return (
        with_clock(queryset.select_related("child", "local_authority", "owner"), user=user)
        .annotate(
            asked_count=Count("contributions"),
            returned_count=Count(
                "contributions", filter=Q(contributions__returned_on__isnull=False)
            ),
            sort_on=Coalesce("work_due_on", "due_on"),
        )
        .order_by("-sort_on", "-pk")
    )


def worklist_ids(queryset, *, user=None):
    """The primary keys of ``queryset`` (requests, already scoped and
    filtered) with ``sort_on``, the Due column's key, as an alias to order
    by: the stored ``working_due_on`` (indexed, no join), or for a health
    practitioner, who follows only their own services' part, that part's
    earliest working date (else the request's due date), aggregated over
    their scope. Order it, then slice a page: the query reads the requests
    table (and the children or areas when ordered by them) only, never
    every request's contributions (docs/performance.md, "The worklist")."""
    if _own_part(user) is None:
        keyed = queryset.alias(sort_on=F("working_due_on"))
    else:
        keyed = queryset.alias(sort_on=Coalesce(_earliest_work(_owed_by(user)), "due_on"))
    return keyed.values_list("pk", flat=True)


# What a worklist row shows (ehc/request_list.html and its clock tags): the
# rest of the request, child and area is not read for the page.
WORKLIST_PAGE_FIELDS = (
    "status",
    "due_on",
    "process",
    "child",
    "child__given_name",
    "child__family_name",
    "local_authority",
    "local_authority__name",
)


def worklist_page(queryset, ids: list[int], *, user=None) -> list:
    """The requests ``ids`` (a page picked by :func:`worklist_ids`) in the
    order of ``ids``, read from ``queryset`` (the user's scope: an id
    outside it is left out), each with what a worklist row shows: the
    clock dates of :func:`with_clock` for ``user`` and the services asked
    and returned (``asked_count``, ``returned_count``), as
    :func:`worklist` annotates them.

    Two plain queries whatever the page's size: the requests with their
    children and areas (only the columns a row shows,
    :data:`WORKLIST_PAGE_FIELDS`; any other field costs a query per row),
    then those requests' contributions, whose dates are worked out here
    (:func:`clock_dates`) rather than aggregated in the database. Building
    and compiling the aggregating query cost more than a page's SQL
    (docs/performance.md, "The worklist's page in two plain reads")."""
    found = {
        row.pk: row
        for row in queryset.filter(pk__in=ids)
        .select_related("child", "local_authority")
        .only(*WORKLIST_PAGE_FIELDS)
        .order_by()
    }
    parts: dict[int, list[tuple]] = {pk: [] for pk in found}
    for part in _clock_parts(list(found), user):
        parts[part[0]].append(part)
    own = _own_part(user) is not None
    for pk, row in found.items():
        dates = clock_dates(parts[pk])
        row.work_due_on = dates.work_due_on
        row.owed_due_on = dates.owed_due_on
        row.unexcepted_due_on = dates.unexcepted_due_on
        row.excepted_due_on = dates.excepted_due_on
        row.asked_count = dates.asked
        row.returned_count = dates.returned
        row.own_part = own
        row.sort_on = dates.work_due_on or row.due_on
    return [found[pk] for pk in ids if pk in found]


def _clock_parts(request_ids: list[int], user):
    """The contributions of the requests ``request_ids`` as the tuples
    :func:`clock_dates` reads: (request id, due on, working due on,
    returned on, left outstanding, exception, counts for ``user``)."""
    part = _own_part(user, prefix="")
    counts = Value(True) if part is None else ExpressionWrapper(part, output_field=BooleanField())
    return (
        Contribution.objects.filter(request_id__in=sorted(request_ids))
        .annotate(counts=counts)
        .order_by()
        .values_list(
            "request_id",
            "due_on",
            "working_due_on",
            "returned_on",
            "left_outstanding",
            "exception",
            "counts",
        )
    )


@dataclass(frozen=True)
class ClockDates:
    """What :func:`with_clock` and :func:`worklist` annotate a request with,
    worked out from its contributions (:func:`clock_dates`)."""

    work_due_on: datetime.date | None
    owed_due_on: datetime.date | None
    unexcepted_due_on: datetime.date | None
    excepted_due_on: datetime.date | None
    asked: int
    returned: int


def clock_dates(parts) -> ClockDates:
    """A request's clock dates from its contributions ``parts``, tuples of
    (request id, due on, working due on, returned on, left outstanding,
    exception, counts), ``counts`` False for a service that is not the
    user's own part (a practitioner's other services). The same rules as
    :func:`with_clock`'s SQL, which tests hold it to:

    - owed: not returned, not left outstanding at withdrawal or closure,
      and counted;
    - ``work_due_on``: the earliest working date (return by, else due) owed;
    - ``owed_due_on``: the earliest statutory due date owed;
    - ``unexcepted_due_on`` and ``excepted_due_on``: the same, of those
      owed without and with a reg 8(2) exception;
    - ``asked`` and ``returned``: every contribution, and those returned,
      counted or not (the Returned column counts the whole request)."""
    work = owed = unexcepted = excepted = None
    asked = returned = 0
    for _, due_on, working_due_on, returned_on, left_outstanding, exception, counts in parts:
        asked += 1
        if returned_on is not None:
            returned += 1
            continue
        if left_outstanding or not counts:
            continue
        if work is None or working_due_on < work:
            work = working_due_on
        if owed is None or due_on < owed:
            owed = due_on
        if exception:
            if excepted is None or due_on < excepted:
                excepted = due_on
        elif unexcepted is None or due_on < unexcepted:
            unexcepted = due_on
    return ClockDates(work, owed, unexcepted, excepted, asked, returned)


# Urgency: one sortable number per request (docs/ehc.md, "The worklist's
# order"). Bands of URGENCY_BAND, each holding a date written as YYYYMMDD.
URGENCY_BAND = 100_000_000
URGENT, EXCUSED, RETURNED, FINISHED = 0, 1, 2, 3


def _day_number(date):
    """A date as the whole number YYYYMMDD (20261116): ordered as the date,
    on SQLite and PostgreSQL alike."""
    return ExtractYear(date) * 10_000 + ExtractMonth(date) * 100 + ExtractDay(date)


def with_urgency(queryset):
    """Requests annotated with ``computed_urgency``, a whole number: sort
    ascending for the most urgent first. The one place the worklist's
    default order is decided. It depends on the request's own rows only,
    never on today's date, so it is stored: the worklist sorts by the
    request's ``urgency`` field, which
    :func:`ehc.services.urgency.refresh_urgency` sets to this value
    whenever a service changes the request or its contributions.

    ``computed_urgency`` is ``band * URGENCY_BAND + YYYYMMDD``:

    - band 0 (:data:`URGENT`), a request awaiting advice with a service
      still owed and no reg 8(2) exception recorded for it: the earliest
      working date (return-by date, else statutory due date) of those
      services; with nobody asked yet, the request's own due date. Earlier
      is more urgent, so the longest overdue come first, then the soonest
      due;
    - band 1 (:data:`EXCUSED`), awaiting advice only from services with a
      reg 8(2) exception (never counted overdue: their lateness is lawful):
      their earliest working date;
    - band 2 (:data:`RETURNED`), all advice returned, the request still
      open: its due date, the latest first (the number counts down);
    - band 3 (:data:`FINISHED`), closed or withdrawn: likewise.

    So the band alone tells the status: below ``RETURNED * URGENCY_BAND``
    awaiting, below ``FINISHED * URGENCY_BAND`` open.

    Also annotates ``urgent_work_on`` and ``excused_work_on`` (the two
    earliest working dates, None when there are none). Aggregates over the
    contributions join the query already made: no extra query.
    """
    unexcused = _OUTSTANDING & Q(contributions__exception="")
    return queryset.annotate(
        urgent_work_on=_earliest_work(unexcused),
        excused_work_on=_earliest_work(_OUTSTANDING & _EXCEPTED),
    ).annotate(
        computed_urgency=Case(
            When(
                status=RequestStatus.AWAITING,
                urgent_work_on__isnull=False,
                then=_day_number(F("urgent_work_on")),
            ),
            When(
                status=RequestStatus.AWAITING,
                excused_work_on__isnull=False,
                then=Value(EXCUSED * URGENCY_BAND) + _day_number(F("excused_work_on")),
            ),
            When(status=RequestStatus.AWAITING, then=_day_number(F("due_on"))),
            When(
                status=RequestStatus.RETURNED,
                then=Value((RETURNED + 1) * URGENCY_BAND - 1) - _day_number(F("due_on")),
            ),
            default=Value((FINISHED + 1) * URGENCY_BAND - 1) - _day_number(F("due_on")),
            output_field=IntegerField(),
        )
    )


def with_worklist_keys(queryset):
    """Requests annotated with the keys the worklist sorts and filters by,
    computed from their rows, as :func:`ehc.services.urgency.refresh_urgency`
    stores them (each ``computed_<field>`` for the request's ``<field>``):

    - ``computed_urgency``: :func:`with_urgency`;
    - ``computed_working_due_on``: the Due column's date for the whole
      request (the ``sort_on`` of :func:`worklist` for a user who follows
      every service): the earliest working date still owed, else the
      request's due date;
    - ``computed_due_owed_on``: the earliest statutory due date still owed;
      with nobody asked yet, the request's due date; None when every
      service asked has returned (or was left outstanding);
    - ``computed_due_unexcused_on``: likewise, of the services owed without
      a reg 8(2) exception (None when all those owed have one);
    - ``computed_has_lawful_exception``: a service with a reg 8(2)
      exception still owes its advice or returned it late
      (:func:`lawful_exception`, for every service of the request).

    What :func:`overdue` and :func:`due_within` compare with today. One
    aggregate query."""
    nobody_asked = Q(asked_count=0)
    return (
        with_urgency(queryset)
        .annotate(
            asked_count=Count("contributions"),
            owed_min=Min("contributions__due_on", filter=_OUTSTANDING),
            unexcused_min=Min(
                "contributions__due_on", filter=_OUTSTANDING & Q(contributions__exception="")
            ),
            lawfully_late=Count("contributions", filter=_LAWFULLY_LATE),
        )
        .annotate(
            computed_working_due_on=Coalesce(_earliest_work(_OUTSTANDING), "due_on"),
            computed_due_owed_on=Case(When(nobody_asked, then=F("due_on")), default=F("owed_min")),
            computed_due_unexcused_on=Case(
                When(nobody_asked, then=F("due_on")), default=F("unexcused_min")
            ),
            computed_has_lawful_exception=Case(
                When(lawfully_late__gt=0, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
    )


def status_counts(queryset, *, a_status_at_a_time: bool = False) -> list[tuple[str, str, int]]:
    """(status, label, count) for every status (0 for none) of the requests
    ``queryset`` (scoped and filtered), in one query.

    By default the rows are grouped by status (``COUNT(*) ... GROUP BY
    status``). With ``a_status_at_a_time``, a plain ``COUNT(*)`` per status
    is taken instead, joined by ``UNION ALL``: for an area-scoped list that
    tests the requests table's own columns only, PostgreSQL answers each
    from the ``(local_authority, status, due_on)`` index alone (a range per
    area) with nothing to hash, about half the time at 1M requests. Each
    part repeats the whole query, so a list that joins the children or
    tests the contributions (a search, a provider, a practitioner's scope)
    is grouped rather than read four times, and the four parts cost about
    1.5 ms more Python to build (docs/performance.md, "The status counts
    without grouping")."""
    if not a_status_at_a_time:
        totals = dict(queryset.order_by().values_list("status").annotate(n=Count("*")))
    else:
        parts = [
            queryset.filter(status=status)
            .order_by()
            .values_list(Value(status.value, output_field=CharField()))
            .annotate(n=Count("*"))
            for status in RequestStatus
        ]
        totals = dict(parts[0].union(*parts[1:], all=True))
    return [(status.value, status.label, totals.get(status.value, 0)) for status in RequestStatus]


def request_detail(queryset, user):
    """A request with its child, its review meeting, the clock dates of
    :func:`with_clock` for ``user`` (a practitioner's tag reads their own
    services' part) and the contributions ``user`` may see (a practitioner
    only their own services') with advice, provision and quality review."""
    return with_clock(
        queryset.select_related("child", "local_authority", "owner", "review"), user=user
    ).prefetch_related(
        Prefetch(
            "contributions",
            queryset=Contribution.objects.visible_to(user)
            .select_related(
                "service__provider",
                "exception_recorded_by",
                "advice",
                "advice__review",
                "advice__review__reviewer",
            )
            .prefetch_related("advice__provision"),
        )
    )


def timeline(
    request: HealthAdviceRequest, contributions: list[Contribution], *, reviews: bool = True
) -> list[dict]:
    """Every recorded change to the request and to the given contributions
    (those the viewer may see) and what hangs off them, oldest first, from the
    audit log (who looked is in the access events, not here). ``reviews``
    False leaves out the officer's quality reviews (for viewers who may not
    see them). Each entry names the service a change was about, and what
    each changed field held before and after (:func:`_describe`)."""
    advice = [c.advice for c in contributions if _has(c, "advice")]
    quality = [a.review for a in advice if reviews and _has(a, "review")]
    provision = [p for a in advice for p in a.provision.all()]
    types = ContentType.objects.get_for_models(
        HealthAdviceRequest, Contribution, Advice, QualityReview, ProvisionItem
    )
    condition = Q(content_type=types[HealthAdviceRequest], object_id=request.pk)
    services: dict[tuple[type, int], str] = {}
    for model, objects, contribution_of in (
        (Contribution, contributions, lambda c: c),
        (Advice, advice, lambda a: a.contribution),
        (QualityReview, quality, lambda r: r.advice.contribution),
        (ProvisionItem, provision, lambda p: p.advice.contribution),
    ):
        if objects:
            condition |= Q(content_type=types[model], object_id__in=[o.pk for o in objects])
        for obj in objects:
            services[model, obj.pk] = contribution_of(obj).service.name
    entries = (
        LogEntry.objects.filter(condition)
        .exclude(action=LogEntry.Action.ACCESS)
        .select_related("actor")
        .order_by("timestamp", "pk")
    )
    models_by_type = {ct.pk: model for model, ct in types.items()}
    described = []
    for entry in entries:
        model = models_by_type[entry.content_type_id]
        described.append(_describe(entry, model, services.get((model, entry.object_id), "")))
    return described


ACTION_WORDS = {
    LogEntry.Action.CREATE: "added",
    LogEntry.Action.UPDATE: "changed",
    LogEntry.Action.DELETE: "removed",
}

# How the history names each kind of record ("changed the return from ...").
THING_WORDS = {
    HealthAdviceRequest: "the request",
    Contribution: "the asking and return",
    Advice: "the advice",
    QualityReview: "the quality review",
    ProvisionItem: "a provision row",
}

LONGEST_VALUE = 120  # characters of a long text shown before "..."


def _describe(entry: LogEntry, model, service: str) -> dict:
    """What a history line says: who did what to which part, for which
    service, and each changed field as ``{"field", "old", "new"}`` in the
    words a form shows (choice labels, dates as "1 October 2026", "yes"
    and "no", a related record's name, "nothing" for a blank)."""
    changes = []
    if entry.action == LogEntry.Action.UPDATE:
        for name, values in entry.changes_dict.items():
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                label, shown = name.replace("_", " "), [str(v) for v in values[:2]]
            else:
                label = str(getattr(field, "verbose_name", name))
                shown = [_shown_value(field, v) for v in values[:2]]
            if len(shown) == 2:
                changes.append(
                    {"field": label[:1].upper() + label[1:], "old": shown[0], "new": shown[1]}
                )
    return {
        "timestamp": entry.timestamp,
        "actor": entry.actor.full_name if entry.actor else "The portal",
        "action": ACTION_WORDS.get(entry.action, "changed"),
        "thing": THING_WORDS.get(model, model._meta.verbose_name),
        "service": service,
        "object": entry.object_repr,
        "changes": changes,
        "fields": [change["field"] for change in changes],
    }


def _shown_value(field, value) -> str:
    """One value as the audit log stored it (a string: "None" for null),
    in words."""
    text = "" if value is None else str(value)
    if text in ("", "None"):
        return "nothing"
    if field.choices:
        return str(dict(field.flatchoices).get(text, text))
    kind = field.get_internal_type()
    if kind == "BooleanField":
        return {"True": "yes", "False": "no"}.get(text, text)
    if kind == "DateField":
        try:
            return dateformat.format(datetime.date.fromisoformat(text[:10]), "j F Y")
        except ValueError:
            return text
    if field.is_relation and field.related_model is not None:
        related = field.related_model._default_manager.filter(pk=text).first()
        if related is None:
            return "a record since removed"
        return getattr(related, "full_name", "") or getattr(related, "name", "") or str(related)
    if len(text) > LONGEST_VALUE:
        return text[:LONGEST_VALUE].rstrip() + "..."
    return text


def _has(obj, related: str) -> bool:
    try:
        return getattr(obj, related) is not None
    except ObjectDoesNotExist:
        return False


# What "overdue" and "due soon" mean for a request, wherever they are counted
# or filtered (home pages, the worklist's filters): still awaiting advice, by
# the dates of its outstanding contributions (by its own due date while no
# service has been asked). A request with every service returned is neither.
# docs/ehc.md, "The worklist".


def overdue(today: datetime.date) -> Q:
    """Awaiting advice, with a contribution past its statutory due date and
    no reg 8(2) exception recorded for it (a request whose every late
    contribution has one is late lawfully: :func:`lawful_exception`), or,
    with nobody asked yet, past the request's own due date. Read from the
    request's stored ``due_unexcused_on`` (:func:`with_worklist_keys`): no
    join, and an index on (area, status) narrows it."""
    return Q(status=RequestStatus.AWAITING, due_unexcused_on__lt=today)


def may_be_overdue(today: datetime.date) -> Q:
    """A condition every request :func:`overdue` on ``today`` meets, on the
    stored urgency alone: band 0 (:data:`URGENT`) with a date before
    ``today``. An overdue request's earliest unexcused working date is on or
    before the due date that has passed (a return-by date is never after
    it), or with nobody asked its own due date has passed. Added to the
    overdue filter, it lets the worklist read only that range of its
    (area, urgency) index instead of testing every request in scope."""
    return Q(urgency__lt=today.year * 10_000 + today.month * 100 + today.day)


def due_within(today: datetime.date, days: int) -> Q:
    """Awaiting advice, nothing past its statutory due date, and the
    earliest working date (a return-by date, else the due date; the
    request's own while nobody has been asked) ``days`` days from ``today``
    or sooner, including a return-by date already passed. Read from the
    request's stored ``due_owed_on`` and ``working_due_on``
    (:func:`with_worklist_keys`): no join."""
    until = today + datetime.timedelta(days=days)
    return Q(status=RequestStatus.AWAITING, due_owed_on__gte=today, working_due_on__lte=until)


def lawful_exception(user=None) -> Q:
    """A request with a contribution that has a reg 8(2) exception and is
    still owed, or was returned after its due date (the stored
    ``has_lawful_exception``, :func:`with_worklist_keys`); for a health
    practitioner (``user``), one of their own services' contributions (an
    exception is that service's record), tested by a subquery."""
    own = _own_part(user, prefix="")
    if own is None:
        return Q(has_lawful_exception=True)
    excepted = Contribution.objects.excepted().filter(own, request=OuterRef("pk"))
    owed_or_late = Q(returned_on__isnull=True, left_outstanding="") | Q(returned_on__gt=F("due_on"))
    return Q(Exists(excepted.filter(owed_or_late)))


def caseload_summary(queryset, today) -> dict[str, int]:
    """What a home page shows about the user's open requests, in one query:
    awaiting advice, overdue, and due in the next 7 days. Each is of
    awaiting requests, so only those are read (the area and status index),
    not the scope's whole history."""
    return (
        queryset.filter(status=RequestStatus.AWAITING)
        .order_by()
        .aggregate(
            awaiting=Count("pk"),
            overdue=Count("pk", filter=overdue(today)),
            due_soon=Count("pk", filter=due_within(today, 7)),
        )
    )


def part_summary(contributions, today) -> dict[str, int]:
    """What a health practitioner's home page shows: their own services'
    part, counted in ``contributions`` (their scoped queryset), in one
    query. ``awaiting``: still owed on an open request; ``overdue``: owed
    past its statutory due date without a reg 8(2) exception; ``due_soon``:
    owed, not past its due date, with a working date (return-by, else due)
    in the next 7 days. Another service's part never counts."""
    owed = Q(
        returned_on__isnull=True,
        left_outstanding="",
        request__status=RequestStatus.AWAITING,
    )
    until = today + datetime.timedelta(days=7)
    return contributions.order_by().aggregate(
        awaiting=Count("pk", filter=owed),
        overdue=Count("pk", filter=owed & Q(due_on__lt=today, exception="")),
        due_soon=Count("pk", filter=owed & Q(due_on__gte=today, working_due_on__lte=until)),
    )


def child_search(text: str, *, via: str = "") -> Q:
    """The condition finding children by ``text``: part of a first or last
    name, the LA's reference (exactly, any case) or the NHS number (10
    digits, spaces allowed). ``via`` is the path to the child from the
    model searched ("child__" for requests, "" for children)."""
    text = text.strip()
    condition = (
        Q(**{f"{via}family_name__icontains": text})
        | Q(**{f"{via}given_name__icontains": text})
        | Q(**{f"{via}la_reference__iexact": text})
    )
    digits = normalise_nhs_number(text)
    if digits.isdigit() and len(digits) == 10:
        condition |= Q(**{f"{via}nhs_number": digits})
    return condition


def search_children(queryset, text: str):
    """Children in ``queryset`` found by ``text`` (see :func:`child_search`);
    the whole queryset when ``text`` is blank."""
    if not text.strip():
        return queryset
    return queryset.filter(child_search(text))


def audit_sample(queryset, *, size: int, seed: str) -> list[int]:
    """Ids of a random sample of ``size`` records (advice, or EHC plans) from ``queryset``
    (sorted), reproducible for the same ``seed`` (the DCO can redraw the
    same sample); all of them when there are no more than ``size``. One
    query."""
    ids = sorted(queryset.values_list("pk", flat=True))
    if len(ids) <= size:
        return ids
    return sorted(random.Random(seed).sample(ids, size))
