"""Receiving a request for health advice from an LA's system
(docs/api.md, "Sending a request").

:func:`receive_request` composes the services the portal's own pages use
(:func:`ehc.services.create_child`, :func:`ehc.services.log_request`): one
transaction, so a refused request leaves no child behind, and every rule
and message is theirs. What it adds is what a system-to-system call needs:

- the date health received the request is the day the portal receives the
  call (the 6-week clock of reg 8(1) starts on it), not one the caller
  chooses; a designated officer may send another day to correct it;
- a retry never duplicates: the same ``Idempotency-Key`` (kept 2 days,
  core.submissions; sent again with a different body, a 422) or the same
  LA reference and process in the same local
  authority (kept for good; a withdrawn request does not count) answers
  with the request made first; the same reference sent for plainly another
  child (another id, NHS number or date of birth) is a 409 Conflict;
- a child sent in full who is already recorded in the area (same NHS
  number, or same LA reference, and same date of birth) is not recorded
  twice.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.roles import Role, role_of
from api.errors import Conflict, KeyReused
from commissioning.models import LocalAuthority, Service
from core.models import FormSubmission
from core.submissions import create_once
from ehc import services
from ehc.identifiers import normalise_nhs_number
from ehc.models import Child, HealthAdviceRequest, RequestStatus

# What the row recording a key's body holds instead of a model (core.models.FormSubmission).
BODY_RECORDED = "api.request_body"
# uuid5 namespace of idempotency keys: the key and the user make the form token.
KEYS = uuid.UUID("5b0e5f53-5e4d-4c1e-9c8a-6a2f0d3b9a11")
MAY_SET_RECEIVED_ON = (Role.DESIGNATED_OFFICER, Role.ADMINISTRATOR)
RECEIVED_ON_REFUSED = (
    "Only a designated officer can set the date health received the request. Leave it out: "
    "it is the day the portal receives the request"
)


@dataclass(frozen=True)
class Received:
    """The request, and whether this call made it (False: a retry found it)."""

    request: HealthAdviceRequest
    created: bool


def idempotency_token(user, key: str) -> uuid.UUID:
    """The one-time token (core.submissions) of ``user``'s ``key``."""
    return uuid.uuid5(KEYS, f"{user.pk}:{key}")


def body_token(user, key: str, values: dict) -> uuid.UUID:
    """The token recording which body ``user`` first sent with ``key``: the
    key and a digest of ``values`` (canonical JSON: sorted keys, dates and
    ids as text), so a retry can tell the same request from another one."""
    body = json.dumps(values, sort_keys=True, default=str, separators=(",", ":"))
    digest = hashlib.sha256(body.encode()).hexdigest()
    return uuid.uuid5(KEYS, f"{user.pk}:{key}:{digest}")


def receive_request(*, by, values: dict, idempotency_key: str = "") -> Received:
    """Record (or find) the child and log the request, as the API's
    ``values`` say (:class:`api.inputs.RequestInput`'s validated data:
    ``child_id`` or ``child`` (a dict), ``process``, ``la_reference``,
    ``sent_on``, ``received_on``, ``services`` (ids), ``meeting_on``,
    ``return_by``).

    Raises ValidationError keyed by field (a child's fields as
    ``child.<field>``): the rules of create_child and log_request;
    ``child_id`` not a child ``by`` may see; ``child.local_authority`` not
    one of ``by``'s (or left out by someone with more than one);
    ``received_on`` sent by someone other than a designated officer or an
    administrator; ``services`` naming an unknown service. Raises
    core.submissions.AlreadySent when another user's call used the key, and
    api.errors.KeyReused when ``by`` used it with another body.
    """
    made: dict[str, bool] = {}
    sent = body_token(by, idempotency_key, values) if idempotency_key else None

    def create() -> HealthAdviceRequest:
        request, made["created"] = _receive(by=by, values=values)
        return request

    if idempotency_key:

        def create_and_remember() -> HealthAdviceRequest:
            request = create()
            # The body sent with the key, committed with the key's claim.
            FormSubmission.objects.create(
                token=sent, user=by, result_model=BODY_RECORDED, result_pk=request.pk
            )
            return request

        token = idempotency_token(by, idempotency_key)
        request, first = create_once(by, token, create_and_remember)
        if not first and _another_body(by, sent, request):
            raise KeyReused
        return Received(request, first and made.get("created", False))
    with transaction.atomic():
        request = create()
    return Received(request, made["created"])


def _another_body(by, sent: uuid.UUID, request: HealthAdviceRequest) -> bool:
    """Whether a retry's key was first sent with another body: a body was
    recorded for the request it made, and not this one. (A key claimed
    before bodies were recorded has none: its retries are answered as
    retries, as they were.)"""
    bodies = FormSubmission.objects.filter(user=by, result_model=BODY_RECORDED)
    if bodies.filter(token=sent).exists():
        return False
    return bodies.filter(result_pk=request.pk).exists()


def _receive(*, by, values: dict) -> tuple[HealthAdviceRequest, bool]:
    received_on = values.get("received_on")
    if received_on is not None and role_of(by) not in MAY_SET_RECEIVED_ON:
        raise ValidationError({"received_on": RECEIVED_ON_REFUSED})
    area = _area(by, values)
    la_reference = (values.get("la_reference") or "").strip()
    if la_reference:
        earlier = (
            HealthAdviceRequest.objects.visible_to(by)
            .filter(local_authority=area, la_reference=la_reference, process=values["process"])
            .exclude(status=RequestStatus.WITHDRAWN)  # a withdrawn request may be sent again
            .select_related("child")
            .order_by("pk")
            .first()
        )
        if earlier is not None:
            if _another_child(earlier.child, values):
                raise Conflict(
                    f"LA reference {la_reference} is already used for another child's "
                    "request of this kind: check the reference"
                )
            return earlier, False
    child = _child(by, values, area)
    asked = _services(values.get("services") or [])
    request = services.log_request(
        child=child,
        by=by,
        process=values["process"],
        la_reference=la_reference,
        sent_on=values["sent_on"],
        received_on=received_on or timezone.localdate(),
        services=asked,
        meeting_on=values.get("meeting_on"),
        return_by=values.get("return_by"),
    )
    return request, True


def _another_child(held: Child, values: dict) -> bool:
    """Whether the child sent with a retried request is plainly not the
    child of the request first made under its LA reference: another child
    by id, or another NHS number or date of birth."""
    if "child_id" in values:
        return int(values["child_id"]) != held.pk
    sent = values.get("child") or {}
    number = normalise_nhs_number(sent.get("nhs_number") or "")
    if number and held.nhs_number and number != held.nhs_number:
        return True
    born = sent.get("date_of_birth")
    return born is not None and born != held.date_of_birth


def _area(by, values: dict) -> LocalAuthority:
    """The local authority of the request: the child's by id, or the one
    named with the child, or ``by``'s only one."""
    if "child_id" in values:
        child = Child.objects.visible_to(by).filter(pk=values["child_id"]).first()
        if child is None or not by.has_perm("ehc.edit_child", child):
            raise ValidationError({"child_id": "Choose a child or young person you can see"})
        values["_child"] = child
        return child.local_authority
    return area_for(by, values["child"].get("local_authority"), key="child.local_authority")


def area_for(by, wanted: int | None, *, key: str) -> LocalAuthority:
    """The local authority ``wanted`` (an id) if ``by`` may see it, or with
    None ``by``'s only one (a service account has exactly one). Raises
    ValidationError keyed ``key`` with the form's message otherwise."""
    visible = LocalAuthority.objects.visible_to(by).order_by("pk")
    areas = list(visible.filter(pk=wanted)[:1] if wanted else visible[:2])
    if len(areas) != 1:
        raise ValidationError({key: "Choose a local authority from the list"})
    return areas[0]


def _child(by, values: dict, area: LocalAuthority) -> Child:
    if "_child" in values:
        return values["_child"]
    data = dict(values["child"])
    data.pop("local_authority", None)
    found = _recorded(by, area, data)
    if found is not None:
        return found
    try:
        return services.create_child(by=by, local_authority=area, **data)
    except ValidationError as error:
        raise ValidationError(
            {
                ("child" if field == NON_FIELD_ERRORS else f"child.{field}"): problems
                for field, problems in error.message_dict.items()
            }
        ) from error


def _recorded(by, area: LocalAuthority, data: dict) -> Child | None:
    """The child ``by`` can see in ``area`` with the NHS number, or else the
    LA reference, of ``data`` and its date of birth; None when there is none
    (a different date of birth is left to create_child to refuse)."""
    number = normalise_nhs_number(data.get("nhs_number") or "")
    reference = (data.get("la_reference") or "").strip()
    if not number and not reference:
        return None
    same = Q(nhs_number=number) if number else Q(la_reference=reference)
    return (
        Child.objects.visible_to(by)
        .filter(same, local_authority=area, date_of_birth=data["date_of_birth"])
        .order_by("pk")
        .first()
    )


def _services(ids: list[int]) -> list[Service]:
    """The services with ``ids``, in that order; whether they are active and
    cover the area is log_request's rule."""
    found = Service.objects.select_related("provider").in_bulk(set(ids))
    if len(found) != len(set(ids)):
        raise ValidationError({"services": "Choose services from the list"})
    return [found[pk] for pk in dict.fromkeys(ids)]
