"""Children: recording and changing a child or young person. See :mod:`ehc.services`."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError

from core.audit import service_write
from ehc import checks
from ehc.checks import (
    CHILD_FIELDS,
)
from ehc.models import (
    Child,
)
from ehc.saving import save_checked, save_versioned, validate


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
    year_group: int | None = None,
) -> Child:
    """Record a child or young person (born by today, 25 or under today) in
    ``local_authority``, one that ``by`` may see. ``year_group`` (reception
    0, year 1 to 14) only when the child is taught out of the year group
    for their age; it is dated today and moves up each September.

    Raises ValidationError keyed by field: ``local_authority`` not one of
    ``by``'s; ``nhs_number`` failing its checksum or already recorded in
    the area; ``la_reference`` already recorded in the area;
    ``date_of_birth`` over 25 or in the future.
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
        year_group=year_group,
        created_by=by,
    )
    validate(child, checks.area_problems(by, local_authority))
    save_checked(child)
    return child


@service_write
def update_child(*, child: Child, values: dict, by, expected_version: int | None) -> Child:
    """Change a child's details (``values``: field name -> value).

    The local authority must be one ``by`` may see, and cannot change once
    requests are logged with it (they belong to that area). Raises
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
    if new_area is not None and child.changed("local_authority_id"):
        errors = checks.area_problems(by, new_area)
        if not errors and child.requests.exclude(local_authority=new_area).exists():
            errors = {
                "local_authority": "This child already has requests logged with their local "
                "authority, so it cannot be changed here. Add them again under the new local "
                "authority."
            }
        if errors:
            raise ValidationError(errors)
    return save_versioned(
        instance=child,
        values=values,
        by=by,
        expected_version=expected_version,
        allowed=CHILD_FIELDS,
    )
