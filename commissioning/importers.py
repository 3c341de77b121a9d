"""All-or-nothing CSV import of organisations.

Each kind of record has its own CSV layout (docs/organisations-import.md).
Every row is validated first, with the model's own validators and
constraints; if any row is wrong nothing is written and every problem is
reported with its line number (line 1 is the header). Existing records are
matched on their national code and updated.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from commissioning.models import (
    ChildPopulation,
    CommissioningBody,
    CommissioningBodyKind,
    CommissioningLink,
    LocalAuthority,
    Provider,
    Service,
    ServiceType,
)
from core.text import control_character_problem


@dataclass
class ImportResult:
    kind: str
    created: int = 0
    updated: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class RowError(Exception):
    pass


def _date(value: str, column: str) -> datetime.date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise RowError(f"{column}: '{value}' is not a date in the form YYYY-MM-DD") from None


def _int(value: str, column: str) -> int:
    try:
        number = int(value.strip().replace(",", ""))
    except ValueError:
        raise RowError(f"{column}: '{value}' is not a whole number") from None
    if number < 0:
        raise RowError(f"{column}: must not be negative")
    return number


def _bool(value: str, column: str) -> bool:
    lowered = value.strip().lower()
    if lowered in ("", "yes", "y", "true", "1"):
        return True
    if lowered in ("no", "n", "false", "0"):
        return False
    raise RowError(f"{column}: '{value}' should be yes or no")


def _choice(value: str, choices, column: str) -> str:
    lowered = value.strip().lower()
    for choice in choices:
        if lowered in (choice.value, choice.label.lower()):
            return choice.value
    allowed = ", ".join(c.value for c in choices)
    raise RowError(f"{column}: '{value}' is not one of {allowed}")


def _messages(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        return "; ".join(
            f"{name}: {' '.join(msgs)}" if name != "__all__" else " ".join(msgs)
            for name, msgs in error.message_dict.items()
        )
    return " ".join(error.messages)


@dataclass
class Plan:
    """A validated row: the object to save and what to do after saving."""

    obj: object
    created: bool
    after_save: Callable[[], None] | None = None


def _plan_body(row, lookups) -> Plan:
    code = row["ods_code"].strip().upper()
    obj = lookups["bodies"].get(code) or CommissioningBody(ods_code=code)
    created = obj.pk is None
    obj.name = row["name"].strip()
    obj.kind = _choice(row.get("kind") or "icb", CommissioningBodyKind, "kind")
    obj.active_from = _date(row.get("active_from", ""), "active_from")
    obj.active_to = _date(row.get("active_to", ""), "active_to")
    obj.full_clean(validate_unique=False)
    predecessor_codes = [
        c.strip().upper() for c in (row.get("predecessors") or "").split(";") if c.strip()
    ]
    unknown = [c for c in predecessor_codes if c not in lookups["bodies"]]
    if unknown:
        raise RowError(f"predecessors: no commissioning body with ODS code {', '.join(unknown)}")
    lookups["bodies"][code] = obj

    def after_save():
        if predecessor_codes:
            obj.predecessors.set([lookups["bodies"][c] for c in predecessor_codes])

    return Plan(obj, created, after_save)


def _plan_la(row, lookups) -> Plan:
    code = row["gss_code"].strip().upper()
    obj = lookups["las"].get(code) or LocalAuthority(gss_code=code)
    created = obj.pk is None
    obj.name = row["name"].strip()
    obj.full_clean(validate_unique=False)
    lookups["las"][code] = obj
    return Plan(obj, created)


def _lookup(lookups, key: str, code: str, what: str):
    found = lookups[key].get(code.strip().upper())
    if found is None:
        raise RowError(f"no {what} with code {code.strip()!r} (import it first)")
    return found


# Parents come from the preloaded lookups and existing rows from their maps,
# so validation skips the per-row database checks on those (foreign-key
# existence, uniqueness); duplicates within a file are caught by Kind.key.
# Check constraints (dates in order, 0-25 >= 0-17) are still validated.
_RESOLVED_PARENTS = ["commissioning_body", "local_authority", "provider"]


def _plan_link(row, lookups) -> Plan:
    body = _lookup(lookups, "bodies", row["body_ods_code"], "commissioning body")
    la = _lookup(lookups, "las", row["la_gss_code"], "local authority")
    valid_from = _date(row["valid_from"], "valid_from")
    if valid_from is None:
        raise RowError("valid_from: enter the date the link started")
    existing = lookups["links"].get((body.pk, la.pk, valid_from))
    obj = existing or CommissioningLink(
        commissioning_body=body, local_authority=la, valid_from=valid_from
    )
    obj.valid_to = _date(row.get("valid_to", ""), "valid_to")
    obj.full_clean(exclude=_RESOLVED_PARENTS, validate_unique=False)
    return Plan(obj, existing is None)


def _plan_population(row, lookups) -> Plan:
    la = _lookup(lookups, "las", row["la_gss_code"], "local authority")
    year = _int(row["year"], "year")
    existing = lookups["populations"].get((la.pk, year))
    obj = existing or ChildPopulation(local_authority=la, year=year)
    obj.aged_0_17 = _int(row["aged_0_17"], "aged_0_17")
    obj.aged_0_25 = _int(row["aged_0_25"], "aged_0_25")
    obj.full_clean(exclude=_RESOLVED_PARENTS, validate_unique=False)
    return Plan(obj, existing is None)


def _plan_provider(row, lookups) -> Plan:
    code = row["ods_code"].strip().upper()
    obj = lookups["providers"].get(code) or Provider(ods_code=code)
    created = obj.pk is None
    obj.name = row["name"].strip()
    obj.is_active = _bool(row.get("active", ""), "active")
    obj.full_clean(validate_unique=False)
    lookups["providers"][code] = obj
    return Plan(obj, created)


def _plan_service(row, lookups) -> Plan:
    provider = _lookup(lookups, "providers", row["provider_ods_code"], "provider")
    name = row["name"].strip()
    existing = lookups["services"].get((provider.pk, name))
    obj = existing or Service(provider=provider, name=name)
    obj.service_type = _choice(row["service_type"], ServiceType, "service_type")
    obj.contact_email = (row.get("contact_email") or "").strip()
    obj.is_active = _bool(row.get("active", ""), "active")
    obj.full_clean(exclude=_RESOLVED_PARENTS, validate_unique=False)
    la_codes = [c for c in (row.get("la_gss_codes") or "").split(";") if c.strip()]
    las = [_lookup(lookups, "las", c, "local authority") for c in la_codes]
    return Plan(obj, existing is None, lambda: obj.local_authorities.set(las))


@dataclass(frozen=True)
class Kind:
    columns: tuple[str, ...]  # required columns
    optional: tuple[str, ...]
    plan: Callable
    key: Callable[[dict], tuple]  # identifies a row, to catch duplicates in one file


KINDS: dict[str, Kind] = {
    "commissioning-bodies": Kind(
        ("ods_code", "name"),
        ("kind", "active_from", "active_to", "predecessors"),
        _plan_body,
        lambda r: (r["ods_code"].strip().upper(),),
    ),
    "local-authorities": Kind(
        ("gss_code", "name"), (), _plan_la, lambda r: (r["gss_code"].strip().upper(),)
    ),
    "links": Kind(
        ("body_ods_code", "la_gss_code", "valid_from"),
        ("valid_to",),
        _plan_link,
        lambda r: (
            r["body_ods_code"].strip().upper(),
            r["la_gss_code"].strip().upper(),
            r["valid_from"].strip(),
        ),
    ),
    "populations": Kind(
        ("la_gss_code", "year", "aged_0_17", "aged_0_25"),
        (),
        _plan_population,
        lambda r: (r["la_gss_code"].strip().upper(), r["year"].strip()),
    ),
    "providers": Kind(
        ("ods_code", "name"),
        ("active",),
        _plan_provider,
        lambda r: (r["ods_code"].strip().upper(),),
    ),
    "services": Kind(
        ("provider_ods_code", "name", "service_type"),
        ("contact_email", "la_gss_codes", "active"),
        _plan_service,
        lambda r: (r["provider_ods_code"].strip().upper(), r["name"].strip()),
    ),
}


def _load_lookups(kind: str) -> dict[str, dict]:
    """Everything the rows may refer to, loaded once (not a query per row)."""
    lookups = {
        "bodies": {b.ods_code: b for b in CommissioningBody.objects.all()},
        "las": {la.gss_code: la for la in LocalAuthority.objects.all()},
        "providers": {p.ods_code: p for p in Provider.objects.all()},
    }
    if kind == "links":
        lookups["links"] = {
            (link.commissioning_body_id, link.local_authority_id, link.valid_from): link
            for link in CommissioningLink.objects.all()
        }
    elif kind == "populations":
        lookups["populations"] = {
            (pop.local_authority_id, pop.year): pop for pop in ChildPopulation.objects.all()
        }
    elif kind == "services":
        lookups["services"] = {(s.provider_id, s.name): s for s in Service.objects.all()}
    return lookups


def import_csv(kind: str, text: str | Iterable[str]) -> ImportResult:
    """Validate every row, then write all of them or none."""
    spec = KINDS[kind]
    result = ImportResult(kind=kind)
    stream = io.StringIO(text) if isinstance(text, str) else text
    reader = csv.DictReader(stream)
    header = [h.strip() for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    if any(control_character_problem(h) for h in header):
        result.errors.append("Line 1: a column name holds a hidden control character")
        return result
    missing = [c for c in spec.columns if c not in header]
    if missing:
        result.errors.append(f"Line 1: missing column(s) {', '.join(missing)}")
        return result
    unknown = [c for c in header if c not in spec.columns + spec.optional]
    if unknown:
        result.errors.append(f"Line 1: unknown column(s) {', '.join(unknown)}")
        return result

    lookups = _load_lookups(kind)
    plans: list[Plan] = []
    seen: dict[tuple, int] = {}
    for row in reader:
        line = reader.line_num
        row = {k: (v or "") for k, v in row.items() if k is not None}
        hidden = [c for c, v in row.items() if control_character_problem(v)]
        if hidden:
            result.errors.append(
                f"Line {line}: {', '.join(hidden)}: holds a hidden control character "
                "(such as a null byte): remove it"
            )
            continue
        blank = [c for c in spec.columns if not row.get(c, "").strip()]
        if blank:
            result.errors.append(f"Line {line}: {', '.join(blank)} must not be blank")
            continue
        key = spec.key(row)
        if key in seen:
            result.errors.append(f"Line {line}: repeats line {seen[key]}")
            continue
        seen[key] = line
        try:
            plans.append(spec.plan(row, lookups))
        except RowError as exc:
            result.errors.append(f"Line {line}: {exc}")
        except ValidationError as exc:
            result.errors.append(f"Line {line}: {_messages(exc)}")
    if result.errors:
        return result
    if not plans:
        result.errors.append("The file has no rows to import.")
        return result

    with transaction.atomic():
        for plan in plans:
            plan.obj.save()
            if plan.after_save:
                plan.after_save()
            if plan.created:
                result.created += 1
            else:
                result.updated += 1
    return result
