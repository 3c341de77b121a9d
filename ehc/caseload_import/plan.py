"""From a tracker's rows to what the import would do (docs/caseload-import.md,
"Grouping" and "Conflicts").

One row is one service asked about one child's request. Rows about the same
child (the same NHS number, else the same LA reference, within the local
authority) make one child; rows of that child with the same process and the
same date health received the request make one request; each row's service
is one contribution to it. Children are matched with those the officer can
already see by NHS number, else by LA reference, within the local authority,
so nobody is added twice; requests by child, process and received date;
contributions by request and service.

A value in the file where the portal holds nothing fills the gap. A value
that disagrees with what the portal holds is a :class:`Conflict`: the
import changes it only if the officer chooses to. An empty cell never
clears what is held. Rows that repeat what is held change nothing, so the
same file imported twice changes nothing the second time.

Reads only: the writes, and the rules they must keep, are
:mod:`ehc.caseload_import.apply` calling :mod:`ehc.services`. A few
queries in all, whatever the number of rows.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from commissioning.models import LocalAuthority, Service
from core.text import control_character_problem
from ehc.caseload_import import parsing
from ehc.caseload_import.headers import LABELS, HeaderMatch, match_headers, normalise_header
from ehc.caseload_import.parsing import CellError
from ehc.caseload_import.reading import Sheet
from ehc.models import (
    Child,
    Contribution,
    HealthAdviceRequest,
    LateReason,
    Outcome,
    PrimaryNeed,
    Process,
    Reg8Exception,
)


@dataclass(frozen=True)
class Problem:
    """Something wrong on ``line`` (1 is the header row), in ``column`` (as
    the guide names it; "" for the row as a whole)."""

    line: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"Line {self.line}" + (f", {self.column}" if self.column else "")
        return f"{where}: {self.message}"


@dataclass
class Conflict:
    """A record the file disagrees with: ``key`` identifies the choice
    ("child-12": the child first met on line 12), ``differences`` are
    (column, held, in the file) as people read them."""

    key: str
    kind: str  # "child", "request" or "service"
    line: int
    record: str  # what the record is ("Request HA-000042")
    url: str
    child_id: int  # whose record it is (the preview page records that it showed them)
    differences: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass
class Changes:
    """What one matched record would change: ``fill`` sets what is held
    empty; ``conflict`` (field -> new value) only when chosen."""

    fill: dict = field(default_factory=dict)
    conflict: dict = field(default_factory=dict)
    differences: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass
class ContributionPlan:
    line: int
    service: Service
    values: dict  # the contribution's fields given in the file (see FIELDS_OF_SERVICE)
    existing: Contribution | None = None
    changes: Changes = field(default_factory=Changes)


@dataclass
class RequestPlan:
    line: int
    process: str
    received_on: datetime.date
    values: dict  # sent_on, la_reference, notes, meeting_on
    lines: list[int] = field(default_factory=list)
    existing: HealthAdviceRequest | None = None
    changes: Changes = field(default_factory=Changes)
    contributions: list[ContributionPlan] = field(default_factory=list)


@dataclass
class ChildPlan:
    line: int
    local_authority: LocalAuthority
    values: dict  # CHILD_VALUES: names, date of birth, NHS number, LA reference, need, care
    columns: dict  # child field -> the column it came from
    existing: Child | None = None
    changes: Changes = field(default_factory=Changes)
    requests: list[RequestPlan] = field(default_factory=list)


@dataclass
class Plan:
    """Everything the file would do, and everything wrong with it."""

    rows: int
    children: list[ChildPlan] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)

    def requests(self):
        return [r for c in self.children for r in c.requests]

    def contributions(self):
        return [s for r in self.requests() for s in r.contributions]

    @property
    def conflicts(self) -> list[Conflict]:
        found = []
        for kind, items in (
            ("child", self.children),
            ("request", self.requests()),
            ("service", self.contributions()),
        ):
            for item in items:
                if item.changes.conflict:
                    found.append(conflict_of(kind, item))
        return found


CHILD_FIELDS = ("given_name", "family_name", "date_of_birth", "nhs_number", "la_reference")
CHILD_VALUES = (*CHILD_FIELDS, "primary_need", "continuing_care")  # what a row says of a child
SERVICE_FIELDS = (
    "asked_on",
    "service_received_on",
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
# Column key -> the contribution's field, where the names differ.
SERVICE_MODEL_FIELD = {"service_received_on": "received_on"}
DATE_COLUMNS = {
    "date_of_birth": False,
    "sent_on": False,
    "received_on": False,
    "asked_on": False,
    "service_received_on": False,
    "returned_on": False,
    "exception_on": False,
    "return_by": True,  # may be ahead
    "meeting_on": True,
}

PROCESS_NAMES = {
    "EHC needs assessment": Process.NEEDS_ASSESSMENT,
    "Needs assessment": Process.NEEDS_ASSESSMENT,
    "EHCNA": Process.NEEDS_ASSESSMENT,
    "New assessment": Process.NEEDS_ASSESSMENT,
    "Re-assessment": Process.REASSESSMENT,
    "Review": Process.ANNUAL_REVIEW,
    "Phase transfer": Process.PHASE_TRANSFER,
}
OUTCOME_NAMES = {
    "Given": Outcome.ADVICE_GIVEN,
    "Advice": Outcome.ADVICE_GIVEN,
    "Returned": Outcome.ADVICE_GIVEN,
    "Not known": Outcome.NOT_KNOWN,
    "Not known to service": Outcome.NOT_KNOWN,
    "No health needs": Outcome.NO_HEALTH_NEEDS,
    "No needs": Outcome.NO_HEALTH_NEEDS,
}
EXCEPTION_LETTERS = {
    "a": Reg8Exception.EXCEPTIONAL_CIRCUMSTANCES,
    "b": Reg8Exception.ABSENT_FROM_AREA,
    "c": Reg8Exception.MISSED_APPOINTMENT,
}


def _shown(value) -> str:
    if value is None or value == "":
        return "(blank)"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def conflict_of(kind: str, item) -> Conflict:
    record = item.existing
    if kind == "child":
        label = f"{record.full_name} (born {record.date_of_birth:%d/%m/%Y})"
        child_id = record.pk
    elif kind == "request":
        label = f"Request {record.reference}"
        child_id = record.child_id
    else:
        label = f"{item.service.name} for request {record.request.reference}"
        child_id = record.request.child_id
    return Conflict(
        key=f"{kind}-{item.line}",
        kind=kind,
        line=item.line,
        record=label,
        url=record.get_absolute_url(),
        child_id=child_id,
        differences=item.changes.differences,
    )


# --- Reading the rows ---------------------------------------------------------------------


class _Lookups:
    """What rows refer to, loaded once: the officer's local authorities and
    the services covering them."""

    def __init__(self, user):
        self.areas = list(LocalAuthority.objects.visible_to(user))
        self.area_names: dict[str, LocalAuthority] = {}
        for la in self.areas:
            self.area_names[normalise_header(la.name)] = la
            self.area_names[la.gss_code.lower()] = la
        links = Service.local_authorities.through.objects.filter(
            localauthority_id__in=[la.pk for la in self.areas]
        ).values_list("service_id", "localauthority_id")
        covering: dict[int, set[int]] = {}
        for service_id, la_id in links:
            covering.setdefault(service_id, set()).add(la_id)
        self.services: dict[tuple[int, str], list[Service]] = {}
        for service in Service.objects.filter(pk__in=covering).select_related("provider"):
            for la_id in covering[service.pk]:
                for name in (service.name, f"{service.provider.name}: {service.name}"):
                    self.services.setdefault((la_id, normalise_header(name)), []).append(service)
        self._elsewhere: dict[str, list[Service]] = {}

    def area(self, raw: str) -> LocalAuthority:
        if not raw and len(self.areas) == 1:
            return self.areas[0]
        if not raw:
            raise CellError("Give the local authority (its name or GSS code)")
        found = self.area_names.get(raw.lower()) or self.area_names.get(normalise_header(raw))
        if found is None:
            raise CellError(f"“{raw}” is not one of your local authorities")
        return found

    def service(self, raw: str, la: LocalAuthority) -> Service:
        name = normalise_header(raw)
        found = self.services.get((la.pk, name), [])
        if len(found) > 1:
            raise CellError(f"More than one service is called “{raw}”: write “provider: service”")
        if found:
            return found[0]
        # Not covering the area: the service's own rule says so, by name.
        if name not in self._elsewhere:
            self._elsewhere[name] = list(
                Service.objects.filter(name__iexact=raw.split(":")[-1].strip())
            )
        elsewhere = self._elsewhere[name]
        if len(elsewhere) == 1:
            return elsewhere[0]
        raise CellError(f"No service called “{raw}” covers {la.name}")


def _cell(values: list, match: HeaderMatch, key: str):
    position = match.columns.get(key)
    if position is None or position >= len(values):
        return None
    return values[position]


def _read_row(line: int, values: list, match: HeaderMatch, lookups: _Lookups, today):
    """One row's values by column key, or the problems found in it."""
    problems: list[Problem] = []
    row: dict = {"line": line}
    for key, position in match.columns.items():
        if position < len(values) and control_character_problem(values[position]):
            problems.append(Problem(line, LABELS[key], control_character_problem(values[position])))
    if problems:
        return None, problems

    def read(key: str, parser):
        try:
            row[key] = parser(_cell(values, match, key))
        except CellError as error:
            problems.append(Problem(line, LABELS[key], str(error)))

    for key, ahead in DATE_COLUMNS.items():
        read(key, lambda value, ahead=ahead: parsing.date(value, today=today, ahead=ahead))
    read("nhs_number", parsing.nhs_number)
    for key in ("la_reference", "request_reference", "declined_reason", "late_note"):
        read(key, parsing.text)
    for key in ("exception_evidence", "notes", "service", "local_authority"):
        read(key, parsing.text)
    if match.has("name"):
        raw = parsing.text(_cell(values, match, "name"))
        try:
            row["given_name"], row["family_name"] = parsing.person_name(raw) if raw else ("", "")
        except CellError as error:
            problems.append(Problem(line, LABELS["name"], str(error)))
    else:
        read("given_name", parsing.text)
        read("family_name", parsing.text)
    read("primary_need", lambda v: parsing.choice(v, PrimaryNeed.choices, what="primary need"))
    read("continuing_care", parsing.yes_no)
    read(
        "process",
        lambda v: parsing.choice(v, Process.choices, what="process", extra=PROCESS_NAMES),
    )
    read(
        "outcome",
        lambda v: parsing.choice(v, Outcome.choices, what="outcome", extra=OUTCOME_NAMES),
    )
    read("late_reason", lambda v: parsing.choice(v, LateReason.choices, what="late reason"))
    read("exception", _exception)
    if not row.get("nhs_number") and not row.get("la_reference"):
        problems.append(
            Problem(line, LABELS["nhs_number"], "Give the NHS number or the LA reference")
        )
    if not row.get("process") and "process" not in [p.column for p in problems]:
        problems.append(Problem(line, LABELS["process"], "Give the process, like “Annual review”"))
    for key in ("received_on", "sent_on"):
        if row.get(key) is None and not any(p.column == LABELS[key] for p in problems):
            problems.append(Problem(line, LABELS[key], "Enter the date"))
    try:
        row["local_authority"] = lookups.area(row.get("local_authority", ""))
    except CellError as error:
        problems.append(Problem(line, LABELS["local_authority"], str(error)))
    else:
        if row.get("service"):
            try:
                row["service"] = lookups.service(row["service"], row["local_authority"])
            except CellError as error:
                problems.append(Problem(line, LABELS["service"], str(error)))
    if row.get("service") is None or row.get("service") == "":
        given = [LABELS[k] for k in SERVICE_FIELDS if row.get(k) not in (None, "")]
        if given and not any(p.column == LABELS["service"] for p in problems):
            problems.append(
                Problem(line, LABELS["service"], f"Name the service the {given[0]} is about")
            )
    return (None if problems else row), problems


def _exception(value) -> str:
    letter = parsing.exception_letter(value)
    if letter:
        return EXCEPTION_LETTERS[letter]
    return parsing.choice(value, Reg8Exception.choices, what="reg 8(2) exception (a, b or c)")


# --- Grouping and matching --------------------------------------------------------------------


def _same(held, new) -> bool:
    if isinstance(held, str) and isinstance(new, str):
        return " ".join(held.lower().split()) == " ".join(new.lower().split())
    return held == new


def _compare(held_record, new_values: dict, columns: dict, *, blank_ok=(), fills=None) -> Changes:
    """Changes to ``held_record`` from ``new_values`` (field -> value; an
    empty value is not a change). A held value that is empty (or in
    ``fills``: field -> the held value that counts as not known) is filled;
    any other difference is a conflict."""
    changes = Changes()
    fills = fills or {}
    for name, new in new_values.items():
        if new in (None, ""):
            continue
        held = getattr(held_record, name)
        if _same(held, new):
            continue
        if held in (None, "") or (name in fills and held == fills[name]):
            changes.fill[name] = new
        else:
            changes.conflict[name] = new
            changes.differences.append((columns[name], _shown(held), _shown(new)))
    return changes


def build_plan(sheet: Sheet, *, user, today: datetime.date) -> Plan:
    """The plan for ``sheet`` as ``user`` would import it on ``today``.
    Header problems stop at line 1; otherwise every row is read and every
    problem found is listed with its line and column."""
    lookups = _Lookups(user)
    match = match_headers(sheet.headers, local_authority_needed=len(lookups.areas) != 1)
    plan = Plan(rows=len(sheet.rows), unknown_columns=match.unknown)
    plan.problems = [Problem(1, "", message) for message in match.problems]
    if plan.problems:
        return plan
    if not sheet.rows:
        plan.problems.append(Problem(2, "", "The file has no rows under the header"))
        return plan
    rows = []
    for line, values in sheet.rows:
        row, problems = _read_row(line, values, match, lookups, today)
        plan.problems.extend(problems)
        if row is not None:
            rows.append(row)
    name_columns = (
        {"given_name": LABELS["name"], "family_name": LABELS["name"]}
        if match.has("name")
        else {"given_name": LABELS["given_name"], "family_name": LABELS["family_name"]}
    )
    group_rows(plan, rows, name_columns)
    _match_held(plan, user)
    return plan


def group_rows(plan: Plan, rows: list[dict], name_columns: dict) -> None:
    """Group read rows (column key -> value, with "line", the local
    authority and the service as objects) into the plan's children,
    requests and contributions, adding a problem for each row that
    disagrees with an earlier one about the same child or request. Pure:
    no database."""
    by_nhs: dict[tuple, ChildPlan] = {}
    by_ref: dict[tuple, ChildPlan] = {}
    requests: dict[tuple, RequestPlan] = {}
    columns = {name: LABELS[name] for name in ("date_of_birth", "nhs_number", "la_reference")}
    columns |= name_columns | {name: LABELS[name] for name in ("primary_need", "continuing_care")}
    for row in rows:
        line, la = row["line"], row["local_authority"]
        nhs, ref = row.get("nhs_number", ""), row.get("la_reference", "")
        first = by_nhs.get((la.pk, nhs)) if nhs else None
        second = by_ref.get((la.pk, ref)) if ref else None
        if first and second and first is not second:
            plan.problems.append(
                Problem(
                    line,
                    LABELS["la_reference"],
                    f"The NHS number is the child of line {first.line}, the LA reference "
                    f"the child of line {second.line}: check which is right",
                )
            )
            continue
        child = first or second
        values = {name: row.get(name) for name in CHILD_VALUES}
        if child is None:
            child = ChildPlan(line=line, local_authority=la, values=values, columns=columns)
            plan.children.append(child)
        elif not _agrees(plan, child, values, line):
            continue
        if nhs:
            by_nhs[(la.pk, nhs)] = child
        if ref:
            by_ref[(la.pk, ref)] = child
        _add_to_request(plan, child, row, requests)


def _agrees(plan: Plan, child: ChildPlan, values: dict, line: int) -> bool:
    """Whether a later row says the same of the child as its first row;
    fills in what the first left empty. Problems for what differs."""
    ok = True
    for name, value in values.items():
        held = child.values.get(name)
        if value in (None, ""):
            continue
        if held in (None, ""):
            child.values[name] = value
        elif not _same(held, value):
            plan.problems.append(
                Problem(
                    line,
                    child.columns[name],
                    f"Differs from line {child.line} about the same child ({_shown(held)})",
                )
            )
            ok = False
    return ok


def _add_to_request(plan: Plan, child: ChildPlan, row: dict, requests: dict) -> None:
    line = row["line"]
    key = (id(child), row["process"], row["received_on"])
    values = {
        "sent_on": row.get("sent_on"),
        "la_reference": row.get("request_reference", ""),
        "notes": row.get("notes", ""),
        "meeting_on": row.get("meeting_on"),
    }
    request = requests.get(key)
    if request is None:
        request = RequestPlan(
            line=line, process=row["process"], received_on=row["received_on"], values=values
        )
        requests[key] = request
        child.requests.append(request)
    else:
        for name in ("sent_on", "la_reference", "meeting_on"):
            held, new = request.values.get(name), values[name]
            if new in (None, ""):
                continue
            if held in (None, ""):
                request.values[name] = new
            elif held != new:
                column = "request_reference" if name == "la_reference" else name
                plan.problems.append(
                    Problem(
                        line,
                        LABELS[column],
                        f"Differs from line {request.line} about the same request ({_shown(held)})",
                    )
                )
                return
        notes = values["notes"]
        if notes and notes not in request.values["notes"].split("\n"):
            joined = "\n".join(filter(None, [request.values["notes"], notes]))
            request.values["notes"] = joined
    request.lines.append(line)
    service = row.get("service")
    if not service:
        return
    for other in request.contributions:
        if other.service.pk == service.pk:
            plan.problems.append(
                Problem(line, LABELS["service"], f"Repeats the service of line {other.line}")
            )
            return
    service_values = {name: row.get(name) for name in SERVICE_FIELDS}
    request.contributions.append(
        ContributionPlan(line=line, service=service, values=service_values)
    )


def _match_held(plan: Plan, user) -> None:
    """Match the plan's children, requests and contributions with what
    ``user`` can already see. Three queries."""
    areas = {c.local_authority.pk for c in plan.children}
    # Every child of those areas the user sees: one query, and no list of
    # thousands of numbers sent to the database.
    by_nhs, by_ref = {}, {}
    for child in Child.objects.visible_to(user).filter(local_authority__in=areas):
        if child.nhs_number:
            by_nhs[(child.local_authority_id, child.nhs_number)] = child
        if child.la_reference:
            by_ref[(child.local_authority_id, child.la_reference)] = child
    for item in plan.children:
        la = item.local_authority.pk
        first = by_nhs.get((la, item.values["nhs_number"]))
        second = by_ref.get((la, item.values["la_reference"]))
        if first and second and first.pk != second.pk:
            plan.problems.append(
                Problem(
                    item.line,
                    LABELS["la_reference"],
                    "The portal holds this NHS number for one child and this LA reference "
                    "for another: check which is right",
                )
            )
            continue
        item.existing = first or second
        if item.existing:
            values = {name: item.values.get(name) for name in CHILD_VALUES}
            # Not known yet, and "not eligible" (the default), are filled in.
            fills = {"primary_need": PrimaryNeed.NOT_KNOWN, "continuing_care": False}
            item.changes = _compare(item.existing, values, item.columns, fills=fills)
    matched = [c.existing.pk for c in plan.children if c.existing]
    held_requests: dict[tuple, HealthAdviceRequest] = {}
    for request in (
        HealthAdviceRequest.objects.visible_to(user)
        .filter(child__in=matched)
        .select_related("review", "child")
        .order_by("-pk")
    ):
        held_requests[(request.child_id, request.process, request.received_on)] = request
    for child in plan.children:
        if child.existing:
            for request in child.requests:
                _match_request(plan, child, request, held_requests)
    _match_contributions(plan, user)


def _match_request(plan, child: ChildPlan, request: RequestPlan, held_requests: dict) -> None:
    key = (child.existing.pk, request.process, request.received_on)
    request.existing = held = held_requests.get(key)
    if held is None:
        return
    meeting = request.values.get("meeting_on")
    held_meeting = held.review.meeting_on if held.review_id else None
    if meeting and held_meeting and meeting != held_meeting:
        plan.problems.append(
            Problem(
                request.line,
                LABELS["meeting_on"],
                f"Request {held.reference} is for the meeting on {held_meeting:%d/%m/%Y}: "
                "change the meeting on the portal, not by import",
            )
        )
    values = {name: request.values.get(name) for name in ("sent_on", "la_reference", "notes")}
    if values["notes"] and values["notes"] in held.notes:
        values["notes"] = ""
    columns = {
        "sent_on": LABELS["sent_on"],
        "la_reference": LABELS["request_reference"],
        "notes": LABELS["notes"],
    }
    request.changes = _compare(held, values, columns)


def _match_contributions(plan: Plan, user) -> None:
    held_ids = [r.existing.pk for r in plan.requests() if r.existing]
    held = {
        (c.request_id, c.service_id): c
        for c in Contribution.objects.visible_to(user)
        .filter(request__in=held_ids)
        .select_related("request", "service")
    }
    for request in plan.requests():
        if not request.existing:
            continue
        for item in request.contributions:
            item.existing = held.get((request.existing.pk, item.service.pk))
            if item.existing is None:
                continue
            values = {SERVICE_MODEL_FIELD.get(k, k): v for k, v in item.values.items()}
            columns = {SERVICE_MODEL_FIELD.get(k, k): LABELS[k] for k in SERVICE_FIELDS}
            item.changes = _compare(item.existing, values, columns)
