"""Children: recording and changing a child or young person. See :mod:`ehc.services`."""

from __future__ import annotations

import datetime
from typing import NamedTuple

from django.core.exceptions import ValidationError

from core.audit import service_write
from ehc import checks
from ehc.checks import (
    CHILD_FIELDS,
)
from ehc.identifiers import normalise_nhs_number
from ehc.models import (
    CHILD_RECORDS,
    Child,
)
from ehc.saving import save_checked, save_versioned, validate
from ehc.summary import refresh_summary

# Codes of the NHS number's refusals (ValidationError.code), so a view can
# show the children concerned beside the message (:func:`nhs_number_holders`).
HELD_IN_AREA = "held_in_area"
HELD_IN_OTHER_AREA = "held_in_other_area"


class Holders(NamedTuple):
    """Children ``by`` may see who hold an NHS number already:
    ``in_area`` the one in the local authority asked about (or None), and
    ``elsewhere`` those in other local authorities within ``by``'s scope."""

    in_area: Child | None
    elsewhere: list[Child]


def nhs_number_holders(*, by, nhs_number: str, local_authority) -> Holders:
    """The children within ``by``'s scope holding ``nhs_number`` (as typed:
    spaces and hyphens ignored), split by whether they are in
    ``local_authority``. A child outside ``by``'s scope is never among
    them: the portal does not say that a record it will not show exists.
    One query."""
    digits = normalise_nhs_number(nhs_number)
    if not digits:
        return Holders(None, [])
    holders = list(
        Child.objects.visible_to(by)
        .filter(nhs_number=digits)
        .select_related("local_authority")
        .order_by("local_authority__name", "pk")
    )
    return split_holders(holders, local_authority)


def nhs_number_problems(by, *, nhs_number: str, local_authority, other_area_confirmed: bool):
    """``{"nhs_number": [ValidationError]}`` for a new child whose NHS
    number ``by`` can see is already held: refused when the child is held
    in the same local authority (code :data:`HELD_IN_AREA`: one record per
    child per area; docs/ehc.md, "Find before adding"); refused unless
    ``other_area_confirmed`` when it is held in another local authority
    within ``by``'s scope (code :data:`HELD_IN_OTHER_AREA`: a child who
    moved is added again under the new authority, a mistyped number is
    not). Holders outside the scope are not looked at. Empty when all is
    well, or when ``by`` is None (the portal itself)."""
    if by is None or not nhs_number:
        return {}
    holders = nhs_number_holders(by=by, nhs_number=nhs_number, local_authority=local_authority)
    return holder_problems(
        holders, local_authority=local_authority, other_area_confirmed=other_area_confirmed
    )


def holders_of_many(*, by, nhs_numbers) -> dict[str, list[Child]]:
    """The children within ``by``'s scope holding each of ``nhs_numbers``
    (as typed), by the number's digits: :func:`nhs_number_holders` for many
    new children at once. One query per 500 numbers."""
    digits = sorted({normalise_nhs_number(number) for number in nhs_numbers} - {""})
    found: dict[str, list[Child]] = {}
    for start in range(0, len(digits), 500):
        rows = (
            Child.objects.visible_to(by)
            .filter(nhs_number__in=digits[start : start + 500])
            .select_related("local_authority")
            .order_by("local_authority__name", "pk")
        )
        for child in rows:
            found.setdefault(child.nhs_number, []).append(child)
    return found


def split_holders(children: list[Child], local_authority) -> Holders:
    """``children`` holding one NHS number, as :class:`Holders` of
    ``local_authority``."""
    in_area = next((c for c in children if c.local_authority_id == local_authority.pk), None)
    return Holders(in_area, [c for c in children if c.local_authority_id != local_authority.pk])


def holder_problems(holders: Holders, *, local_authority, other_area_confirmed: bool) -> dict:
    """The rule of :func:`nhs_number_problems` once the holders are known
    (one child per NHS number per area; a second area only when
    confirmed). No query."""
    if holders.in_area is not None:
        return {
            "nhs_number": [
                ValidationError(
                    f"A child with this NHS number is already recorded in "
                    f"{local_authority.name}: {holders.in_area.full_name}. Open their record "
                    "to log a request",
                    code=HELD_IN_AREA,
                )
            ]
        }
    if holders.elsewhere and not other_area_confirmed:
        areas = sorted({child.local_authority.name for child in holders.elsewhere})
        return {
            "nhs_number": [
                ValidationError(
                    f"This NHS number is already recorded for a child in {', '.join(areas)}. "
                    "Check it is the same child, then confirm below to add them to "
                    f"{local_authority.name} as well",
                    code=HELD_IN_OTHER_AREA,
                )
            ]
        }
    return {}


@service_write
def create_child(
    *,
    by,
    local_authority,
    given_name: str,
    family_name: str,
    date_of_birth: datetime.date,
    nhs_number: str = "",
    la_reference: str = "",
    primary_need: str = "NK",
    looked_after: bool = False,
    electively_home_educated: bool = False,
    known_to_youth_justice: bool = False,
    continuing_care: bool = False,
    year_group: int | None = None,
    other_area_confirmed: bool = False,
) -> Child:
    """Record a child or young person (born by today, 25 or under today) in
    ``local_authority``, one that ``by`` may see. ``year_group`` (reception
    0, year 1 to 14) only when the child is taught out of the year group
    for their age; it is dated today and moves up each September.

    Raises ValidationError keyed by field: ``local_authority`` not one of
    ``by``'s; ``nhs_number`` failing its checksum, already recorded in the
    area (code :data:`HELD_IN_AREA`), or recorded in another area ``by``
    can see and not ``other_area_confirmed`` (code
    :data:`HELD_IN_OTHER_AREA`; :func:`nhs_number_problems`);
    ``la_reference`` already recorded in the area; ``date_of_birth`` over
    25 or in the future. The flags (looked after, electively home educated,
    known to youth justice, eligible for continuing care) are as the
    officer knows them today; the groups of :mod:`ehc.groups` read them.
    """
    child = Child(
        local_authority=local_authority,
        given_name=given_name,
        family_name=family_name,
        date_of_birth=date_of_birth,
        nhs_number=nhs_number,
        la_reference=la_reference,
        primary_need=primary_need,
        looked_after=looked_after,
        electively_home_educated=electively_home_educated,
        known_to_youth_justice=known_to_youth_justice,
        continuing_care=continuing_care,
        year_group=year_group,
        created_by=by,
    )
    errors = checks.area_problems(by, local_authority)
    if not errors:
        errors = nhs_number_problems(
            by,
            nhs_number=nhs_number,
            local_authority=local_authority,
            other_area_confirmed=other_area_confirmed,
        )
    validate(child, errors)
    save_checked(child)
    return child


@service_write
def update_child(*, child: Child, values: dict, by, expected_version: int | None) -> Child:
    """Change a child's details (``values``: field name -> value).

    The local authority must be one ``by`` may see, and cannot change once
    requests are logged with it (they belong to that area); the child's
    other records (Section 23 notices, review input, mediation, tribunal,
    budgets: ``ehc.models.CHILD_RECORDS``) keep a copy of the area, moved
    with the child. Raises
    ValidationError keyed by field (as :func:`create_child`: a duplicate
    ``nhs_number`` or ``la_reference`` in the area included; a
    ``date_of_death`` after today, before the date of birth, or set by
    someone other than a designated officer or administrator:
    :func:`ehc.checks.death_problems`), or :class:`StaleEdit`.
    """
    if "date_of_death" in values:
        born = values.get("date_of_birth", child.date_of_birth)
        errors = checks.death_problems(by, child, values["date_of_death"], born)
        if errors:
            raise ValidationError(errors)
    new_area = values.get("local_authority")
    if new_area is not None:
        child.local_authority = new_area
    moved = new_area is not None and child.changed("local_authority_id")
    if moved:
        errors = checks.area_problems(by, new_area)
        if not errors and child.requests.exclude(local_authority=new_area).exists():
            errors = {
                "local_authority": "This child already has requests logged with their local "
                "authority, so it cannot be changed here. Add them again under the new local "
                "authority."
            }
        if errors:
            raise ValidationError(errors)
    saved = save_versioned(
        instance=child,
        values=values,
        by=by,
        expected_version=expected_version,
        allowed=CHILD_FIELDS,
    )
    if moved:
        # The records that keep a copy of the child's area go with the child.
        for model in CHILD_RECORDS:
            model.objects.filter(child=saved).update(local_authority=saved.local_authority)
    # The summary store counts requests by the child's need, age and groups.
    refresh_summary(child.requests.values_list("pk", flat=True))
    return saved
