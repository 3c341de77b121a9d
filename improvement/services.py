"""Every write to the improvement plans (docs/architecture.md, "Services
and forms"). Services take plain values and model instances, never a form
or a request; the acting user is ``by``. Progress notes and evidence links
are added, never changed: a plan's history is what a board and an
inspector read.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from commissioning.models import CommissioningBody, LocalAuthority
from core.audit import service_write
from ehc.checks import area_problems
from ehc.saving import StaleEdit, save_checked, save_versioned, validate
from improvement import evidence, rag
from improvement.models import EvidenceLink, ImprovementAction, ImprovementPlan, ProgressNote
from improvement.selectors import owner_candidates

__all__ = [
    "ACTION_FIELDS",
    "PLAN_FIELDS",
    "StaleEdit",
    "add_action",
    "add_evidence",
    "add_note",
    "create_plan",
    "update_action",
    "update_plan",
]

# What a person may set, in the order the forms ask for it. A plan's local
# authority and an action's plan are not moved by an edit.
PLAN_FIELDS = (
    "title",
    "kind",
    "commissioning_body",
    "inspected_on",
    "starts_on",
    "ends_on",
    "summary",
)
ACTION_FIELDS = (
    "number",
    "plan_area",
    "title",
    "success_measure",
    "owner",
    "owner_user",
    "due_on",
    "status",
    "rag_override",
    "rag_reason",
    "completed_on",
)


def _check_area(*, by, local_authority: LocalAuthority) -> None:
    """The plan's local authority must be in ``by``'s scope: the same check
    and words as a request's (``ehc.checks``). Raises ValidationError keyed
    by ``local_authority``."""
    if errors := area_problems(by, local_authority):
        raise ValidationError(errors)


@service_write
def create_plan(
    *,
    by,
    local_authority: LocalAuthority,
    title: str,
    kind: str,
    starts_on: datetime.date,
    commissioning_body: CommissioningBody | None = None,
    inspected_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    summary: str = "",
) -> ImprovementPlan:
    """Start an improvement plan for ``local_authority`` (in ``by``'s scope)
    and return it. ``kind`` is a :class:`~improvement.models.PlanKind`
    value; ``commissioning_body``, when given, is linked to the authority;
    ``ends_on`` is on or after ``starts_on``; ``inspected_on`` is not after
    today. Raises ValidationError keyed by field."""
    _check_area(by=by, local_authority=local_authority)
    plan = ImprovementPlan(local_authority=local_authority)
    return save_versioned(
        instance=plan,
        values={
            "title": title,
            "kind": kind,
            "starts_on": starts_on,
            "commissioning_body": commissioning_body,
            "inspected_on": inspected_on,
            "ends_on": ends_on,
            "summary": summary,
        },
        by=by,
    )


@service_write
def update_plan(
    *, plan: ImprovementPlan, values: dict, by, expected_version: int | None
) -> ImprovementPlan:
    """Change ``plan`` with ``values`` (only names in :data:`PLAN_FIELDS`,
    else TypeError), refusing an edit of an out-of-date copy
    (:class:`StaleEdit`). The rules of :func:`create_plan`."""
    return save_versioned(
        instance=plan,
        values=values,
        by=by,
        expected_version=expected_version,
        allowed=frozenset(PLAN_FIELDS),
    )


def _prepare_action(action: ImprovementAction, values: dict, today: datetime.date) -> dict:
    """``values`` with the completion date kept in step with the status: the
    date given (an action recorded complete after the day it was done), else
    the date held, else ``today`` when the action becomes complete; cleared
    when it is no longer complete (the
    ``improvement_action_completed_when_complete`` constraint); and the
    owner's account checked. Raises ValidationError."""
    values = dict(values)
    status = values.get("status", action.status)
    if status == rag.COMPLETE:
        # The day it was done, when the officer gives it (recorded late);
        # else the day already held, or today for an action completed now.
        if values.get("completed_on") is None:
            held = action.completed_on if action.status == rag.COMPLETE else None
            values["completed_on"] = held or today
    else:
        values["completed_on"] = None
    if values.get("rag_override", action.rag_override) == "":
        values["rag_reason"] = ""  # no override, no reason to keep
    user = values.get("owner_user")
    # Checked when it changes: an owner who has since left stays named on
    # the action until someone chooses another.
    changed = user is not None and user.pk != action.owner_user_id
    if changed and not owner_candidates(action.plan).filter(pk=user.pk).exists():
        raise ValidationError(
            {"owner_user": "Choose a designated officer or commissioner of this area"}
        )
    return values


@service_write
def add_action(
    *,
    by,
    plan: ImprovementPlan,
    plan_area: str,
    title: str,
    owner: str,
    due_on: datetime.date,
    number: str = "",
    success_measure: str = "",
    owner_user=None,
    status: str = rag.NOT_STARTED,
    rag_override: str = "",
    rag_reason: str = "",
    completed_on: datetime.date | None = None,
) -> ImprovementAction:
    """Add an action to ``plan`` and return it. ``plan_area``, ``status``
    and ``rag_override`` are values of :class:`~improvement.models.PlanArea`,
    :class:`~improvement.models.ActionStatus` and
    :class:`~improvement.models.Rating` (or "" for no override, which then
    needs a ``rag_reason``); ``number`` is unique in the plan when given;
    ``owner_user``, when given, is one of
    :func:`~improvement.selectors.owner_candidates`. An action added as
    complete is dated ``completed_on`` (not after today), else today. Raises
    ValidationError keyed by field."""
    action = ImprovementAction(plan=plan)
    values = _prepare_action(
        action,
        {
            "number": number.strip(),
            "plan_area": plan_area,
            "title": title,
            "success_measure": success_measure,
            "owner": owner,
            "owner_user": owner_user,
            "due_on": due_on,
            "status": status,
            "rag_override": rag_override,
            "rag_reason": rag_reason,
            "completed_on": completed_on,
        },
        timezone.localdate(),
    )
    return save_versioned(instance=action, values=values, by=by)


@service_write
def update_action(
    *, action: ImprovementAction, values: dict, by, expected_version: int | None
) -> ImprovementAction:
    """Change ``action`` with ``values`` (only names in :data:`ACTION_FIELDS`,
    else TypeError), refusing an edit of an out-of-date copy
    (:class:`StaleEdit`). Marking it complete dates it ``completed_on``
    when given, else today; moving it back from complete clears the date.
    The rules of :func:`add_action`."""
    unknown = sorted(set(values) - set(ACTION_FIELDS))
    if unknown:
        raise TypeError(f"ImprovementAction cannot be given {', '.join(unknown)} here")
    if "number" in values:
        values = {**values, "number": (values["number"] or "").strip()}
    prepared = _prepare_action(action, values, timezone.localdate())
    return save_versioned(
        instance=action,
        values=prepared,
        by=by,
        expected_version=expected_version,
        allowed=frozenset(ACTION_FIELDS),
    )


@service_write
def add_note(
    *, by, action: ImprovementAction, text: str, written_on: datetime.date | None = None
) -> ProgressNote:
    """Add a dated progress note to ``action`` (``written_on`` not after
    today; default today) and return it. Notes are never changed: a
    correction is a later note. Raises ValidationError keyed by field."""
    note = ProgressNote(
        action=action,
        text=text.strip(),
        written_on=written_on or timezone.localdate(),
        created_by=by,
    )
    validate(note)
    save_checked(note)
    return note


@service_write
def add_evidence(*, by, action: ImprovementAction, label: str, path: str) -> EvidenceLink:
    """Link ``action`` to evidence in the portal: ``path`` is an address of
    this portal, stored as its path, query and fragment
    (:func:`improvement.evidence.clean_path`); anything else raises
    ValidationError keyed by ``path``."""
    errors: dict = {}
    try:
        path = evidence.clean_path(path)
    except ValidationError as error:
        errors["path"] = error.messages
    link = EvidenceLink(action=action, label=label.strip(), path=path, created_by=by)
    validate(link, errors)
    save_checked(link)
    return link
