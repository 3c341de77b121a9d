"""What the EHC services check before they write (docs/ehc.md, "Where the rules
live"): who may be named or asked, which fields a caller may set, and how a
request's status may change. Each check returns ``{field: [message]}`` (empty
when all is well) or raises ValidationError keyed by field, so a service can
report every problem at once. Used by :mod:`ehc.services`.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db.models import Min
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from commissioning.models import LocalAuthority, Service
from ehc.models import OPEN_STATUSES, Child, HealthAdviceRequest, RequestStatus
from ehc.models.base import FUTURE_DATE
from ehc.models.casework import service_problem

OPEN = "open"  # the state a user chooses to reopen a request (or keep it open)


# The fields a caller may change through each service's ``values``.
CHILD_FIELDS = frozenset(
    {
        "local_authority",
        "given_name",
        "family_name",
        "date_of_birth",
        "nhs_number",
        "la_reference",
        "primary_need",
        "looked_after",
        "electively_home_educated",
        "known_to_youth_justice",
        "continuing_care",
        "year_group",
        "date_of_death",
    }
)


REQUEST_FIELDS = frozenset({"process", "la_reference", "sent_on", "received_on", "owner", "notes"})

# How a service was asked (``ehc.services.update_asking``).
ASKING_FIELDS = frozenset({"asked_on", "received_on", "return_by"})


# Child records: anything but whose they are and who made them.
RECORD_FIXED = frozenset(
    {"id", "child", "local_authority", "created_by", "version", "created_at", "updated_at"}
)


def area_problems(by, local_authority, *, visible: set[int] | None = None) -> dict:
    """``{"local_authority": [message]}`` unless ``by`` may see the area
    (``by`` None: the portal itself, as a system import, sees every area).
    ``visible``: the ids of the areas ``by`` sees, when the caller has
    loaded them once for many records (:func:`visible_area_ids`); else one
    query."""
    if by is None:
        return {}
    if visible is not None:
        seen = local_authority.pk in visible
    else:
        seen = LocalAuthority.objects.visible_to(by).filter(pk=local_authority.pk).exists()
    return {} if seen else {"local_authority": ["Choose a local authority from the list"]}


def visible_area_ids(by) -> set[int]:
    """The ids of the local authorities ``by`` sees (for
    :func:`area_problems` about many records). One query."""
    return set(LocalAuthority.objects.visible_to(by).values_list("pk", flat=True))


def distinct(services: Iterable) -> list:
    """``services`` without repeats, in the order given."""
    seen: set = set()
    return [s for s in services if not (s.pk in seen or seen.add(s.pk))]


def child_problems(by, child, *, visible: set[int] | None = None) -> dict:
    """``{"child": [message]}`` unless ``by`` may see ``child`` (``by``
    None: the portal itself). ``visible``: the ids of the children asked
    about that ``by`` sees, when the caller has loaded them once for many
    records (:func:`visible_child_ids`); else one query."""
    if by is None:
        return {}
    if visible is not None:
        seen = child.pk in visible
    else:
        seen = Child.objects.visible_to(by).filter(pk=child.pk).exists()
    return {} if seen else {"child": ["Choose a child or young person from your own areas"]}


def visible_child_ids(by, children: Iterable) -> set[int]:
    """Which of ``children`` (saved ones) ``by`` sees, by id (for
    :func:`child_problems` about many records). One query per 500."""
    ids = sorted({child.pk for child in children})
    seen: set[int] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        seen.update(Child.objects.visible_to(by).filter(pk__in=chunk).values_list("pk", flat=True))
    return seen


def death_problems(by, child, date_of_death, date_of_birth) -> dict:
    """``{"date_of_death": [message]}`` when ``date_of_death`` (None: not
    recorded) differs from the one stored for ``child`` and ``by`` may not
    record it (only designated officers and administrators, who follow the
    caseload), or when it is after today or before ``date_of_birth``. The
    date feeds the retention schedule (docs/information-governance.md,
    "Date of death"). One query (the stored date: ``child`` may already
    hold the new one, as a ModelForm's instance does)."""
    stored = Child.objects.filter(pk=child.pk).values_list("date_of_death", flat=True).first()
    if by is not None and date_of_death != stored and not by.has_perm("portal.manage_caseload"):
        return {"date_of_death": ["Only a designated officer can record a date of death"]}
    if date_of_death is None:
        return {}
    if date_of_death > timezone.localdate():
        return {"date_of_death": [FUTURE_DATE]}
    if date_of_birth and date_of_death < date_of_birth:
        return {"date_of_death": ["The date of death cannot be before the date of birth"]}
    return {}


def owner_problems(owner, local_authority_id: int) -> dict:
    """``{"owner": [message]}`` unless ``owner`` (or None: nobody yet) is an
    active designated officer of the area (the officers a DCO is offered)."""
    if owner is None:
        return {}
    if User.objects.filter(
        pk=owner.pk,
        role=Role.DESIGNATED_OFFICER,
        is_active=True,
        local_authorities=local_authority_id,
    ).exists():
        return {}
    return {"owner": ["Choose a designated officer who covers the child's local authority"]}


def asking_problems(request: HealthAdviceRequest, services: list, asked_on) -> dict:
    """What stops the health body asking ``services`` about ``request`` on
    ``asked_on``: ``asked_on`` before the LA sent the request, before health
    received it, or after today;
    ``services`` inactive, not covering the area, or already asked."""
    errors: dict = {}
    if asked_on and request.sent_on and asked_on < request.sent_on:
        errors["asked_on"] = ["Services cannot be asked before the LA sent the request"]
    elif asked_on and request.received_on and asked_on < request.received_on:
        errors["asked_on"] = ["Health cannot ask services before it received the request"]
    elif asked_on and asked_on > timezone.localdate():
        errors["asked_on"] = [FUTURE_DATE]
    already = set(request.contributions.values_list("service_id", flat=True)) if request.pk else ()
    # Which of them cover the area: one query for them all.
    covering = set(
        Service.objects.filter(
            pk__in=[service.pk for service in services],
            local_authorities=request.local_authority_id,
        ).values_list("pk", flat=True)
    )
    problems = [
        f"{service.name} has already been asked for this request"
        if service.pk in already
        else service_problem(service, request.local_authority_id, covers=service.pk in covering)
        for service in services
    ]
    if any(problems):
        errors["services"] = [problem for problem in problems if problem]
    return errors


def apply_status(request: HealthAdviceRequest, to: str) -> None:
    """Set the status ``to`` ("open", "closed" or "withdrawn") on ``request``
    without saving: reopening makes it awaiting (then :func:`refresh_status`
    decides), closing keeps the first closing date or takes today.

    A request that was closed cannot be closed again with a receipt date
    after the day it closed. Raises ValidationError keyed by field.
    """
    if to == OPEN:
        if request.status not in OPEN_STATUSES:
            request.status = RequestStatus.AWAITING
        request.closed_on = None
        return
    if to not in (RequestStatus.CLOSED, RequestStatus.WITHDRAWN):
        raise ValidationError({"status": "Choose open, closed or withdrawn"})
    closed_on = request.closed_on
    if closed_on and request.received_on and request.received_on > closed_on:
        raise ValidationError(
            {
                "received_on": f"The request was closed on {closed_on:%-d %B %Y}: health cannot "
                "have received it after that. Reopen it first if the dates were wrong."
            }
        )
    request.status = to
    request.closed_on = closed_on or timezone.localdate()


def sent_after_asked(request: HealthAdviceRequest) -> dict:
    """``{"sent_on": [message]}`` when the request's (new) ``sent_on`` is
    after the day a service was asked about it: services are asked once
    the LA has sent the request."""
    if request.pk is None or not request.sent_on:
        return {}
    first_asked = request.contributions.aggregate(first=Min("asked_on"))["first"]
    if first_asked is None or request.sent_on <= first_asked:
        return {}
    return {
        "sent_on": [
            f"A service was asked for advice on {first_asked:%-d %B %Y}: the LA must have "
            "sent the request on or before that day"
        ]
    }


def received_after_asked(request: HealthAdviceRequest) -> dict:
    """``{"received_on": [message]}`` when the request's (new) receipt date
    is after the day health asked one of its services, or after a return
    from one: health asks services once it has the request. Services the
    LA asked directly (their own receipt date recorded) are not held to
    it."""
    if request.pk is None or not request.received_on:
        return {}
    health_asked = request.contributions.filter(received_on__isnull=True)
    earliest = health_asked.aggregate(asked=Min("asked_on"), returned=Min("returned_on"))
    happened = (
        ("asked", "Health asked a service for advice"),
        ("returned", "A service health asked returned its advice"),
    )
    for key, what in happened:
        day = earliest[key]
        if day is not None and request.received_on > day:
            return {
                "received_on": [
                    f"{what} on {day:%-d %B %Y}: health must have received the request on "
                    "or before that day. If the LA asked that service directly, record on the "
                    "service the date it received the LA's request"
                ]
            }
    return {}


def meeting_problems(request: HealthAdviceRequest, meeting_on) -> dict:
    """``{"meeting_on": [message]}`` when a review request has no meeting
    date, or one before the LA sent the request. Advice for a review is due
    2 weeks before its meeting (SEND Regulations 2014 reg 20(4)), so the
    portal cannot set its clock without it."""
    if not request.is_review:
        return {}
    if meeting_on is None:
        return {
            "meeting_on": [
                "Enter the date of the review meeting: the advice is due 2 weeks before it"
            ]
        }
    if request.sent_on and meeting_on < request.sent_on:
        return {"meeting_on": ["The review meeting cannot be before the LA sent the request"]}
    return {}


def return_by_problems(request: HealthAdviceRequest, asked_on, return_by) -> dict:
    """``{"return_by": [message]}`` when an internal return-by date for the
    services asked is before they were asked or after the request's due
    date (it may be earlier than the law, never later)."""
    if return_by is None or not request.received_on:
        return {}
    if asked_on and return_by < asked_on:
        return {"return_by": ["The return-by date must be on or after the day they were asked"]}
    due_on = request.compute_due_on()
    if return_by > due_on:
        return {
            "return_by": [
                f"The return-by date must be on or before the due date ({due_on:%-d %B %Y})"
            ]
        }
    return {}


def closing_problems(request: HealthAdviceRequest, was_open: bool, confirmed: bool) -> dict:
    """``{"confirm_outstanding": [message]}`` when an open request is being
    closed with services that have not returned their advice and the
    officer has not confirmed it: closing stops the chasing but not the
    lateness, so the officer says so knowingly, and the message names
    them. Withdrawal (the LA's decision) needs no confirmation."""
    if not was_open or request.status != RequestStatus.CLOSED or confirmed or request.pk is None:
        return {}
    outstanding = list(
        request.contributions.filter(returned_on__isnull=True)
        .order_by("service__name")
        .values_list("service__name", flat=True)
    )
    if not outstanding:
        return {}
    names = ", ".join(outstanding)
    return {
        "confirm_outstanding": [
            f"Not returned yet: {names}. Confirm that you are closing the request with "
            f"{'this service' if len(outstanding) == 1 else 'these services'} outstanding: "
            "they will be recorded as not returned, and late once past the due date"
        ]
    }


PROVISION_FIELDS = ("description", "delivered_by", "frequency", "duration", "section", "available")


ADVICE_FIELDS = frozenset(
    {
        "written_on",
        "author_name",
        "author_profession",
        "needs",
        "outcomes",
        "child_views",
        "document",
        "document_name",
    }
)


MAX_PROVISION_ROWS = 30  # as many as the advice page offers
