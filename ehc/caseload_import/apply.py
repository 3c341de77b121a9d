"""Writing a plan through the EHC services, all or nothing
(docs/caseload-import.md, "All or nothing").

Records the portal already holds are changed by the same services a form
uses (:func:`ehc.services.update_child`, :func:`~ehc.services.update_request`,
:func:`~ehc.services.add_contribution`, :func:`~ehc.services.record_return`,
:func:`~ehc.services.record_exception` and the others), one by one, each in
its own savepoint, so a refused row is rolled back alone and the run goes
on to find every other problem. New records (children, requests and the
services asked about new requests) are then written at once by
:func:`ehc.services.create_many`, which applies the same rules by the same
functions (NHS number check, dates in order, late reasons, exceptions)
with the same words. Every write is audited with ``by`` as its actor. At
the end the whole run is rolled back if anything was refused, or if it
was only a preview (``dry_run``). A field-keyed message is reported on the
line of the record and the column the field came from.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction

from ehc import checks, services
from ehc.caseload_import.headers import LABELS
from ehc.caseload_import.plan import (
    SERVICE_MODEL_FIELD,
    ChildPlan,
    ContributionPlan,
    Plan,
    Problem,
    RequestPlan,
)
from ehc.models import PrimaryNeed
from ehc.services.children import HELD_IN_OTHER_AREA

# A service's error key -> the column it is about.
REQUEST_COLUMNS = {
    "process": LABELS["process"],
    "sent_on": LABELS["sent_on"],
    "received_on": LABELS["received_on"],
    "la_reference": LABELS["request_reference"],
    "notes": LABELS["notes"],
    "meeting_on": LABELS["meeting_on"],
    "review": LABELS["meeting_on"],
}
SERVICE_COLUMNS = {
    "service": LABELS["service"],
    "services": LABELS["service"],
    **{SERVICE_MODEL_FIELD.get(key, key): LABELS[key] for key in SERVICE_MODEL_FIELD},
    **{
        key: LABELS[key]
        for key in (
            "asked_on",
            "return_by",
            "returned_on",
            "outcome",
            "declined_reason",
            "late_reason",
            "late_note",
            "exception",
            "exception_evidence",
            "exception_on",
        )
    },
}
ASKING = ("asked_on", "received_on", "return_by")
RETURN = ("returned_on", "outcome", "declined_reason", "late_reason", "late_note")
EXCEPTION = ("exception", "exception_evidence", "exception_on")
CHANGED_MEANWHILE = (
    "Someone changed this record on the portal while the file was being imported: "
    "import the file again"
)


def problems_of(error: ValidationError, line: int, columns: dict) -> list[Problem]:
    """``error`` (keyed by field, or not) as problems on ``line``, each in
    the column its field came from ("" for the row)."""
    if not hasattr(error, "error_dict"):
        return [Problem(line, "", message) for message in error.messages]
    return [
        Problem(line, columns.get(name, ""), message)
        for name, messages in error.message_dict.items()
        for message in messages
    ]


class _Run:
    def __init__(self, plan: Plan, by, chosen):
        self.plan, self.by, self.chosen = plan, by, set(chosen)
        self.problems: list[Problem] = []
        self._owner: dict[int, object] = {}
        # New records, written together at the end by services.create_many;
        # each one's key is (line, the columns its fields came from).
        self.new_children: list[services.NewChild] = []
        self.new_requests: list[services.NewRequest] = []
        self.new_contributions: list[services.NewContribution] = []

    def call(self, line: int, columns: dict, write: Callable, /, **kwargs):
        """``write(**kwargs)`` (a service) in its own savepoint (every service has
        one); its refusal becomes problems on ``line``. Returns what it
        returns, or None when refused."""
        try:
            return write(by=self.by, **kwargs)
        except ValidationError as error:
            self.problems.extend(problems_of(error, line, columns))
        except services.StaleEdit:
            self.problems.append(Problem(line, "", CHANGED_MEANWHILE))
        return None

    def wanted(self, key: str, item) -> dict:
        values = dict(item.changes.fill)
        if key in self.chosen:
            values |= item.changes.conflict
        return values

    def owner(self, local_authority_id: int):
        """The importing officer owns the requests they bring in, where the
        request form would offer them (:func:`ehc.checks.owner_problems`)."""
        if local_authority_id not in self._owner:
            problems = checks.owner_problems(self.by, local_authority_id)
            self._owner[local_authority_id] = None if problems else self.by
        return self._owner[local_authority_id]

    def create_new(self, progress: Callable[[int, int], None] | None) -> None:
        """Write every new record gathered by the walk at once
        (:func:`ehc.services.create_many`, the same rules as the one-by-one
        services); its refusals become problems on their lines."""
        new = [*self.new_children, *self.new_requests, *self.new_contributions]
        if not new:
            return
        try:
            services.create_many(
                by=self.by,
                children=self.new_children,
                requests=self.new_requests,
                contributions=self.new_contributions,
                progress=progress,
            )
        except services.Refused as refused:
            for record, error in refused.problems:
                line, columns = record.key
                if isinstance(record, services.NewChild):
                    error = _held_elsewhere_for_a_file(error)
                self.problems.extend(problems_of(error, line, columns))
        except ValidationError as error:  # a duplicate saved by someone else meanwhile
            line = min(record.key[0] for record in new)
            self.problems.extend(problems_of(error, line, {}))

    # --- children ----------------------------------------------------------------------

    def child(self, item: ChildPlan) -> None:
        if item.existing is None:
            child = self.new_child(item)
        else:
            child = item.existing
            values = self.wanted(f"child-{item.line}", item)
            if values:
                child = self.call(
                    item.line,
                    item.columns,
                    services.update_child,
                    child=child,
                    values=values,
                    expected_version=child.version,
                )
        if child is not None:
            for request in item.requests:
                self.request(child, request)

    def new_child(self, item: ChildPlan) -> services.NewChild | None:
        values = item.values
        missing = [
            Problem(item.line, item.columns[name], message)
            for name, message in (
                ("given_name", "Enter the first name"),
                ("family_name", "Enter the last name"),
                ("date_of_birth", "Enter the date of birth"),
            )
            if not values.get(name)
        ]
        if missing:
            self.problems.extend(missing)
            return None
        child = services.NewChild(
            local_authority=item.local_authority,
            given_name=values["given_name"],
            family_name=values["family_name"],
            date_of_birth=values["date_of_birth"],
            nhs_number=values.get("nhs_number") or "",
            la_reference=values.get("la_reference") or "",
            primary_need=values.get("primary_need") or PrimaryNeed.NOT_KNOWN,
            continuing_care=bool(values.get("continuing_care")),
            key=(item.line, item.columns | {"local_authority": LABELS["local_authority"]}),
        )
        self.new_children.append(child)
        return child

    # --- requests ----------------------------------------------------------------------

    def request(self, child, item: RequestPlan) -> None:
        """``child``: a child held, or a new one (:class:`services.NewChild`)."""
        if item.existing is None:
            self.new_request(child, item)
            return
        advice_request = item.existing
        changes = self.wanted(f"request-{item.line}", item)
        if changes:
            state = "open" if advice_request.is_open else advice_request.status
            advice_request = self.call(
                item.line,
                REQUEST_COLUMNS,
                services.update_request,
                request=advice_request,
                values=changes,
                status=state,
                expected_version=advice_request.version,
            )
        if advice_request is not None:
            for contribution in item.contributions:
                self.contribution(advice_request, contribution)

    def new_request(self, child, item: RequestPlan) -> None:
        values = item.values
        # A held child's area by id (not loaded with it); a new one's as given.
        area = getattr(child, "local_authority_id", None) or child.local_authority.pk
        request = services.NewRequest(
            child=child,
            process=item.process,
            sent_on=values["sent_on"],
            received_on=item.received_on,
            la_reference=values.get("la_reference") or "",
            notes=values.get("notes") or "",
            owner=self.owner(area),
            meeting_on=values.get("meeting_on"),
            key=(item.line, REQUEST_COLUMNS),
        )
        self.new_requests.append(request)
        for contribution in item.contributions:
            given = self.given(contribution)
            if given is None:
                continue
            self.new_contributions.append(
                services.NewContribution(
                    request=request,
                    service=contribution.service,
                    asked_on=given["asked_on"] or given["received_on"] or item.received_on,
                    received_on=given["received_on"],
                    return_by=given["return_by"],
                    returned_on=given["returned_on"],
                    outcome=given["outcome"] or "",
                    declined_reason=given["declined_reason"] or "",
                    late_reason=given["late_reason"] or "",
                    late_note=given["late_note"] or "",
                    exception=given["exception"] or "",
                    exception_evidence=given["exception_evidence"] or "",
                    exception_on=given["exception_on"],
                    key=(contribution.line, SERVICE_COLUMNS),
                )
            )

    # --- services asked ------------------------------------------------------------------

    def contribution(self, advice_request, item: ContributionPlan) -> None:
        """A service asked about a request held: one by one, through the
        services."""
        given = self.given(item)
        if given is None:
            return
        if item.existing is None:
            contribution = self.call(
                item.line,
                SERVICE_COLUMNS,
                services.add_contribution,
                request=advice_request,
                service=item.service,
                asked_on=given["asked_on"] or given["received_on"] or advice_request.received_on,
                received_on=given["received_on"],
                return_by=given["return_by"],
            )
            if contribution is None:
                return
            returned = {name: given[name] for name in RETURN if given[name]}
            excepted = {name: given[name] for name in EXCEPTION if given[name]}
        else:
            contribution = item.existing
            changes = self.wanted(f"service-{item.line}", item)
            asking = {name: changes[name] for name in ASKING if name in changes}
            if asking:
                contribution = self.call(
                    item.line,
                    SERVICE_COLUMNS,
                    services.update_asking,
                    contribution=contribution,
                    values=asking,
                    expected_version=contribution.version,
                )
                if contribution is None:
                    return
            returned = {name: changes[name] for name in RETURN if name in changes}
            excepted = {name: changes[name] for name in EXCEPTION if name in changes}
        if returned and not self.record_return(item.line, contribution, returned):
            return
        if excepted:
            held = {name: getattr(contribution, name) for name in EXCEPTION}
            values = held | excepted
            self.call(
                item.line,
                SERVICE_COLUMNS,
                services.record_exception,
                contribution=contribution,
                exception=values["exception"],
                evidence=values["exception_evidence"],
                exception_on=values["exception_on"],
                expected_version=contribution.version,
            )

    def record_return(self, line: int, contribution, returned: dict) -> bool:
        values = {name: getattr(contribution, name) for name in RETURN} | returned
        saved = self.call(
            line,
            SERVICE_COLUMNS,
            services.record_return,
            contribution=contribution,
            expected_version=contribution.version,
            returned_on=values["returned_on"],
            outcome=values["outcome"] or "",
            declined_reason=values["declined_reason"] or "",
            late_reason=values["late_reason"] or "",
            late_note=values["late_note"] or "",
        )
        return saved is not None

    def given(self, item: ContributionPlan) -> dict | None:
        """The row's values for a service asked, by the contribution's field
        names; None (and a problem) for evidence or a date of an exception
        with no exception named."""
        given = {SERVICE_MODEL_FIELD.get(k, k): v for k, v in item.values.items()}
        if not given["exception"] and (given["exception_evidence"] or given["exception_on"]):
            self.problems.append(
                Problem(item.line, LABELS["exception"], "Choose the exception (a, b or c)")
            )
            return None
        return given


def run(
    plan: Plan,
    *,
    by,
    chosen=(),
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> list[Problem]:
    """Write ``plan`` as ``by`` (the acting user, named on every audit
    entry), with the conflicts whose keys are in ``chosen`` changed to the
    file's values. Returns every problem, the plan's own and the services'
    refusals, sorted by line; nothing is kept unless there are none and
    ``dry_run`` is False.

    Records already held are changed one by one through the services, in
    the file's order (with the services asked about a request held); then
    every new record is written at once (:func:`ehc.services.create_many`,
    under the same rules). ``progress(done, total)`` is called as the held
    children are walked and as each table of new records is written."""
    state = _Run(plan, by, chosen)
    held = sum(1 for child in plan.children if child.existing is not None)
    total = held + 3  # the held children, then the three tables of new records
    done = 0
    with transaction.atomic():
        for child in plan.children:
            state.child(child)
            if child.existing is not None:
                done += 1
                if progress is not None and done % 100 == 0:
                    progress(done, total)
        if progress is not None:
            progress(done, total)
        state.create_new(None if progress is None else lambda step, _: progress(held + step, total))
        problems = sorted(plan.problems + state.problems, key=lambda p: p.line)
        if dry_run or problems:
            transaction.set_rollback(True)
    return problems


def counts(plan: Plan, chosen=()) -> dict[str, dict[str, int]]:
    """How many children, requests and services asked the plan would
    create, update (fill in, or change where ``chosen``) and leave as they
    are: ``{"children": {"create": n, "update": n, "unchanged": n}, ...}``."""
    chosen = set(chosen)
    result = {}
    for kind, label, items in (
        ("child", "children", plan.children),
        ("request", "requests", plan.requests()),
        ("service", "services", plan.contributions()),
    ):
        tally = {"create": 0, "update": 0, "unchanged": 0}
        for item in items:
            if item.existing is None:
                tally["create"] += 1
            elif item.changes.fill or (item.changes.conflict and f"{kind}-{item.line}" in chosen):
                tally["update"] += 1
            else:
                tally["unchanged"] += 1
        result[label] = tally
    return result


# The service asks the officer to confirm a child whose NHS number is held in
# another of their local authorities; a file cannot confirm, so the line says
# how to (docs/caseload-import.md).
HELD_ELSEWHERE = (
    "This NHS number is already recorded for a child in another of your local authorities. "
    "If it is the same child, add them to this one with 'Log a new request' (which asks you "
    "to confirm), then import the file again; otherwise correct the NHS number"
)


def _held_elsewhere_for_a_file(error: ValidationError) -> ValidationError:
    """``error`` (a new child's refusal) with the refusal of an NHS number
    held in another of the user's local authorities (code
    :data:`ehc.services.children.HELD_IN_OTHER_AREA`) reworded for a file:
    the form asks to confirm; a file cannot."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            error.error_dict[field] = [
                ValidationError(HELD_ELSEWHERE, code=HELD_IN_OTHER_AREA)
                if getattr(each, "code", None) == HELD_IN_OTHER_AREA
                else each
                for each in errors
            ]
    return error
