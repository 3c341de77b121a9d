"""Many new children, requests and services asked, written at once
(docs/caseload-import.md, "How fast").

:func:`create_many` is what :func:`~ehc.services.create_child`,
:func:`~ehc.services.log_request`, :func:`~ehc.services.add_contribution`,
:func:`~ehc.services.record_return` and :func:`~ehc.services.record_exception`
do for one record, done for thousands of new ones: every record meets the
same rules, by the same functions (the model's fields, ``clean()`` and
constraints through :func:`ehc.saving.validate`; the checks of
:mod:`ehc.checks`; the NHS number's holders, the return and exception
values and the request's status from the services' own helpers), but
what those ask the database is asked once for all the records, each table
is written with ``bulk_create``, and the audit log's entries are written
in bulk too (:func:`core.audit.log_created`), naming ``by``.

It only creates. Records already held (changes, a service asked for a
request already held) go through the one-by-one services.

Each new record is described by plain values (:class:`NewChild`,
:class:`NewRequest`, :class:`NewContribution`), linked to each other by
object: a request names its :class:`NewChild` (or a child already held),
a contribution its :class:`NewRequest`. ``key`` is the caller's own name
for a record (an importer: its line), handed back with its problems.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import prefetch_related_objects

from commissioning.models import LocalAuthority, Service
from core.audit import acting_as, log_created, service_write
from ehc import checks
from ehc.identifiers import normalise_nhs_number
from ehc.models import (
    Child,
    Contribution,
    HealthAdviceRequest,
    PrimaryNeed,
    ReviewInput,
)
from ehc.saving import SAVED_MEANWHILE, assign, unique_problems, validate
from ehc.services.children import holder_problems, holders_of_many, split_holders
from ehc.services.contributions import exception_values, return_values
from ehc.services.requests import new_review, open_status
from ehc.services.urgency import refresh_urgency

BATCH = 500  # rows per INSERT (SQLite's 999 parameters split them further)


def _batches(items: Sequence) -> Iterator[Sequence]:
    """``items`` in slices of :data:`BATCH`: one statement each, so that
    none names more ids than SQLite allows parameters."""
    for start in range(0, len(items), BATCH):
        yield items[start : start + BATCH]


@dataclass(eq=False)
class NewChild:
    """A child or young person to record, as :func:`ehc.services.create_child`
    takes them (no year group: the portal works it out from the date of
    birth)."""

    local_authority: LocalAuthority
    given_name: str
    family_name: str
    date_of_birth: datetime.date
    nhs_number: str = ""
    la_reference: str = ""
    primary_need: str = PrimaryNeed.NOT_KNOWN
    continuing_care: bool = False
    key: object = None


@dataclass(eq=False)
class NewRequest:
    """A request for health advice to log, as :func:`ehc.services.log_request`
    takes it, about ``child``: a :class:`NewChild` of the same call, or a
    :class:`~ehc.models.Child` already held."""

    child: NewChild | Child
    process: str
    sent_on: datetime.date
    received_on: datetime.date
    la_reference: str = ""
    notes: str = ""
    owner: object = None
    meeting_on: datetime.date | None = None
    key: object = None


@dataclass(eq=False)
class NewContribution:
    """A service asked about ``request`` (a :class:`NewRequest` of the same
    call), as :func:`ehc.services.add_contribution` takes it, with its
    return (:func:`ehc.services.record_return`: recorded when any of its
    five values is given) and its reg 8(2) exception
    (:func:`ehc.services.record_exception`: recorded when ``exception`` is
    given)."""

    request: NewRequest
    service: Service
    asked_on: datetime.date
    received_on: datetime.date | None = None
    return_by: datetime.date | None = None
    returned_on: datetime.date | None = None
    outcome: str = ""
    declined_reason: str = ""
    late_reason: str = ""
    late_note: str = ""
    exception: str = ""
    exception_evidence: str = ""
    exception_on: datetime.date | None = None
    key: object = None

    @property
    def has_return(self) -> bool:
        return bool(
            self.returned_on
            or self.outcome
            or self.declined_reason
            or self.late_reason
            or self.late_note
        )


@dataclass
class Created:
    """What :func:`create_many` saved: each new record by its description."""

    children: dict[NewChild, Child] = field(default_factory=dict)
    requests: dict[NewRequest, HealthAdviceRequest] = field(default_factory=dict)
    contributions: dict[NewContribution, Contribution] = field(default_factory=dict)


class Refused(Exception):
    """Some of the records break a rule; nothing was saved. ``problems``
    lists ``(description, ValidationError keyed by field)`` in the order
    given, children first. A record hanging off a refused one (the requests
    of a refused child) is not checked, so it has no problem listed."""

    def __init__(self, problems: list[tuple[object, ValidationError]]):
        super().__init__(f"{len(problems)} records refused")
        self.problems = problems


@service_write
def create_many(
    *,
    by,
    children: Sequence[NewChild] = (),
    requests: Sequence[NewRequest] = (),
    contributions: Sequence[NewContribution] = (),
    progress: Callable[[int, int], None] | None = None,
) -> Created:
    """Record ``children``, log ``requests`` and ask ``contributions``, all
    or nothing, as ``by`` (named on every audit entry; None: the portal
    itself).

    The rules are those of the one-by-one services, with their words:
    ``create_child`` (an area ``by`` sees; the NHS number's checksum, not
    held in the area nor, unconfirmed, in another area ``by`` sees, an
    earlier child of the same call counting as held; the LA reference not
    held in the area; born by today and 25 or under), ``log_request`` (a
    child ``by`` sees; an owner who is an active designated officer of the
    area; received on or after sent, neither after today, sent from
    September 2014, the young person 25 or under on receipt; a review's
    meeting date, on or after sent, linking the child's review input for
    that meeting, made when there is none), ``add_contribution`` (an
    active service covering the area, asked once per request; the asking,
    receiving and return-by dates in order), ``record_return`` and
    ``record_exception`` (a return with its outcome, a decline with its
    reason, a late return with its late reason and, for "other", a note;
    an exception with its evidence and, for (b) and (c), a date within the
    6 weeks). Each request's due date and each contribution's are set
    once, from the statutory clock, and the request's status from its
    services' returns (:func:`ehc.services.requests.open_status`).

    Returns :class:`Created`. Raises :class:`Refused` with every problem
    found when any record breaks a rule (nothing is saved), or
    ValidationError (no field) when the database refuses a duplicate saved
    by someone else meanwhile. ``progress(done, total)`` is called after
    each of the three tables is written (``total`` 3).

    Queries: a few per table and per :data:`BATCH` records, whatever the
    number of records (the owners: one per officer and area).
    """
    run = _Run(by)
    created = Created()
    steps = (
        (run.children, children, created.children),
        (run.requests, requests, created.requests),
        (run.contributions, contributions, created.contributions),
    )
    try:
        for done, (step, items, saved) in enumerate(steps, start=1):
            saved.update(step(items))
            if progress is not None:
                progress(done, len(steps))
    except IntegrityError as error:
        raise ValidationError(SAVED_MEANWHILE) from error
    if run.problems:
        # Everything inserted so far goes with the transaction.
        raise Refused(run.problems)
    after_create(created, by=by, reviews=run.new_reviews)
    return created


def after_create(created: Created, *, by, reviews: Sequence[ReviewInput] = ()) -> None:
    """Everything that follows the insert of new records, which ``save()``
    and its signals would otherwise have done, in one place: each new
    request's status from its services' returns (saved with one UPDATE per
    status); the worklist's stored keys of every new request
    (:func:`ehc.services.urgency.refresh_urgency`); then the audit log's
    "created" entry for every record (:func:`core.audit.log_created`,
    naming ``by``), holding its final values. Nothing else listens to these
    saves (no ``post_save`` receiver besides the audit log's, no cache:
    reminders select what is due when they run; the reports' data versions
    move on by database triggers). Work every new request needs once it is
    written goes here."""
    asked: dict[int, list[Contribution]] = {}
    for contribution in created.contributions.values():
        asked.setdefault(contribution.request_id, []).append(contribution)
    changed: dict[str, list[int]] = {}
    for request in created.requests.values():
        services = asked.get(request.pk, [])
        outstanding = sum(1 for c in services if c.returned_on is None)
        status = open_status(asked=len(services), outstanding=outstanding)
        if status != request.status:
            request.status = status
            changed.setdefault(status, []).append(request.pk)
    for status, ids in changed.items():
        for batch in _batches(ids):
            HealthAdviceRequest.objects.filter(pk__in=batch).update(status=status)
    # The worklist's stored keys (urgency, the dates owed) of every new
    # request, from its services as inserted.
    for batch in _batches([request.pk for request in created.requests.values()]):
        refresh_urgency(batch)
    with acting_as(by):
        log_created(
            [
                *created.children.values(),
                *reviews,
                *created.requests.values(),
                *created.contributions.values(),
            ]
        )


class _Run:
    """One call of :func:`create_many`: what is loaded once, the problems."""

    def __init__(self, by):
        self.by = by
        self.problems: list[tuple[object, ValidationError]] = []
        self.new_reviews: list[ReviewInput] = []
        self._saved_children: dict[NewChild, Child] = {}
        self._saved_requests: dict[NewRequest, HealthAdviceRequest] = {}
        self._owners: dict[tuple, dict] = {}

    def refuse(self, item, errors: dict | ValidationError) -> None:
        error = errors if isinstance(errors, ValidationError) else ValidationError(errors)
        self.problems.append((item, error))

    def check(self, item, instance, errors: dict, candidates: list) -> bool:
        """``errors`` and the model's own rules (:func:`ehc.saving.validate`,
        the unique constraints left for :meth:`insert`); ``instance`` joins
        ``candidates`` when there are none. Returns whether it did."""
        try:
            validate(instance, errors, unique=False)
        except ValidationError as error:
            self.refuse(item, error)
            return False
        candidates.append((item, instance))
        return True

    def insert(self, model, candidates: list) -> dict:
        """Check ``candidates`` (``(description, instance)``) against the
        table's unique constraints, insert those that pass, and return them
        by description."""
        clashes = unique_problems([instance for _, instance in candidates])
        kept = []
        for index, (item, instance) in enumerate(candidates):
            if index in clashes:
                self.refuse(item, clashes[index])
            else:
                kept.append((item, instance))
        model.objects.bulk_create([instance for _, instance in kept], batch_size=BATCH)
        for _, instance in kept:
            instance._remember_stored()  # as a save does: later edits compare with it
        return dict(kept)

    # --- children ------------------------------------------------------------------------

    def children(self, items: Sequence[NewChild]) -> dict:
        by = self.by
        visible = checks.visible_area_ids(by) if by is not None else None
        holders = holders_of_many(by=by, nhs_numbers=[i.nhs_number for i in items]) if by else {}
        candidates: list = []
        for item in items:
            child = Child(
                local_authority=item.local_authority,
                given_name=item.given_name,
                family_name=item.family_name,
                date_of_birth=item.date_of_birth,
                nhs_number=item.nhs_number,
                la_reference=item.la_reference,
                primary_need=item.primary_need,
                continuing_care=item.continuing_care,
                created_by=by,
            )
            errors = checks.area_problems(by, item.local_authority, visible=visible)
            digits = normalise_nhs_number(item.nhs_number)
            if not errors and by is not None and digits:
                held = split_holders(holders.get(digits, []), item.local_authority)
                errors = holder_problems(
                    held, local_authority=item.local_authority, other_area_confirmed=False
                )
            if self.check(item, child, errors, candidates) and digits:
                # Held from now on: a second new child with this number is
                # refused as create_child would refuse it after this one.
                holders.setdefault(digits, []).append(child)
        self._saved_children = self.insert(Child, candidates)
        return self._saved_children

    # --- requests ------------------------------------------------------------------------

    def requests(self, items: Sequence[NewRequest]) -> dict:
        by = self.by
        held = [item.child for item in items if isinstance(item.child, Child)]
        visible = checks.visible_child_ids(by, held) if by is not None and held else set()
        pending = []
        for item in items:
            child = self._child_of(item)
            if child is None:
                continue  # its child was refused: not checked
            request = HealthAdviceRequest(
                child=child,
                local_authority_id=child.local_authority_id,
                process=item.process,
                la_reference=item.la_reference,
                sent_on=item.sent_on,
                received_on=item.received_on,
                owner=item.owner,
                notes=item.notes,
                created_by=by,
            )
            errors = {}
            if isinstance(item.child, Child):
                errors |= checks.child_problems(by, child, visible=visible)
            errors |= self._owner_problems(item.owner, child.local_authority_id)
            errors |= checks.meeting_problems(request, item.meeting_on)
            pending.append((item, request, errors))
        self._link_reviews(pending)
        candidates: list = []
        for item, request, errors in pending:
            if self.check(item, request, errors, candidates):
                request.fill_derived()  # the due date, as save() sets it
        self._saved_requests = self.insert(HealthAdviceRequest, candidates)
        return self._saved_requests

    def _child_of(self, item: NewRequest) -> Child | None:
        if isinstance(item.child, Child):
            return item.child
        return self._saved_children.get(item.child)

    def _owner_problems(self, owner, local_authority_id: int) -> dict:
        key = (getattr(owner, "pk", None), local_authority_id)
        if key not in self._owners:
            self._owners[key] = checks.owner_problems(owner, local_authority_id)
        return self._owners[key]

    def _link_reviews(self, pending: list) -> None:
        """Link each review request with no problem so far to its child's
        review input for its meeting (``log_request``'s rule): the one held,
        else one made (and inserted now, so its due date can be read)."""
        wanted = [
            (item, request)
            for item, request, errors in pending
            if not errors and item.meeting_on and request.is_review
        ]
        if not wanted:
            return
        reviews: dict[tuple, ReviewInput] = {}
        held_children = sorted({i.child.pk for i, _ in wanted if isinstance(i.child, Child)})
        for batch in _batches(held_children):
            for review in ReviewInput.objects.filter(child__in=batch).order_by("-pk"):
                # The first of several for one meeting, as log_request's .first().
                reviews[(review.child_id, review.meeting_on)] = review
        made = []
        for item, request in wanted:
            key = (request.child_id, item.meeting_on)
            if key not in reviews:
                reviews[key] = new_review(
                    child=request.child,
                    process=item.process,
                    meeting_on=item.meeting_on,
                    by=self.by,
                )
                made.append(reviews[key])
        ReviewInput.objects.bulk_create(made, batch_size=BATCH)
        self.new_reviews.extend(made)
        for item, request in wanted:
            request.review = reviews[(request.child_id, item.meeting_on)]

    # --- contributions --------------------------------------------------------------------

    def contributions(self, items: Sequence[NewContribution]) -> dict:
        by = self.by
        covering = _covering(items)
        # Each one's audit entry names its service by its provider too.
        prefetch_related_objects([item.service for item in items], "provider")
        candidates: list = []
        for item in items:
            request = self._saved_requests.get(item.request)
            if request is None:
                continue  # its request was refused: not checked
            contribution = Contribution(
                request=request,
                service=item.service,
                asked_on=item.asked_on,
                received_on=item.received_on,
                return_by=item.return_by,
                created_by=by,
            )
            contribution.covers_area = (item.service.pk, request.local_authority_id) in covering
            contribution.set_due_dates()
            if item.has_return:
                assign(
                    contribution,
                    return_values(
                        due_on=contribution.due_on,
                        returned_on=item.returned_on,
                        outcome=item.outcome,
                        declined_reason=item.declined_reason,
                        late_reason=item.late_reason,
                        late_note=item.late_note,
                    ),
                )
            if item.exception:
                assign(
                    contribution,
                    exception_values(
                        exception=item.exception,
                        evidence=item.exception_evidence,
                        exception_on=item.exception_on,
                        by=by,
                    ),
                )
            self.check(item, contribution, {}, candidates)
        return self.insert(Contribution, candidates)


def _covering(items: Sequence[NewContribution]) -> set[tuple[int, int]]:
    """Which (service, local authority) pairs of ``items`` are covered.
    One query per :data:`BATCH` services."""
    services = sorted({item.service.pk for item in items})
    through = Service.local_authorities.through
    pairs: set[tuple[int, int]] = set()
    for batch in _batches(services):
        pairs.update(
            through.objects.filter(service_id__in=batch).values_list(
                "service_id", "localauthority_id"
            )
        )
    return pairs


__all__ = [
    "Created",
    "NewChild",
    "NewContribution",
    "NewRequest",
    "Refused",
    "after_create",
    "create_many",
]
