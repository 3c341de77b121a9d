"""Tags for the EHC screens: the coloured clock tag and small formatting helpers."""

from __future__ import annotations

import datetime

from django import template
from django.utils.html import format_html

from ehc.models import OPEN_STATUSES, RequestStatus
from ehc.quality import QUALITY_CRITERIA

register = template.Library()


def _days(n: int) -> str:
    return f"{n} day{'s' if n != 1 else ''}"


def clock_label(due_on: datetime.date, today: datetime.date) -> tuple[str, str]:
    """(GOV.UK tag colour, words) for an outstanding item due on ``due_on``."""
    left = (due_on - today).days
    if left < 0:
        return "red", f"{_days(-left)} overdue"
    if left == 0:
        return "red", "Due today"
    if left <= 7:
        return "orange", f"{_days(left)} left"
    if left <= 14:
        return "yellow", f"{_days(left)} left"
    return "blue", f"{_days(left)} left"


def _tag(colour: str, words: str) -> str:
    return format_html('<strong class="govuk-tag govuk-tag--{}">{}</strong>', colour, words)


@register.simple_tag
def request_clock(req, today):
    """The worklist's tag for a request: days left, days overdue, or its state."""
    if req.status not in OPEN_STATUSES:
        return _tag("grey", req.get_status_display())
    if req.status == RequestStatus.RETURNED:
        return _tag("green", "All returned")
    return _tag(*clock_label(req.due_on, today))


@register.simple_tag
def contribution_clock(contribution, today):
    if contribution.returned_on is None:
        if contribution.request.status not in OPEN_STATUSES:
            return _tag("grey", "Not returned")
        return _tag(*clock_label(contribution.due_on, today))
    late = (contribution.returned_on - contribution.due_on).days
    if late > 0:
        return _tag("red", f"Returned {_days(late)} late")
    return _tag("green", "Returned on time")


@register.filter
def rating_colour(rating: str) -> str:
    return {"green": "green", "amber": "orange", "red": "red"}.get(rating, "grey")


@register.simple_tag
def criteria_count() -> int:
    return len(QUALITY_CRITERIA)


@register.filter
def yes_no_unknown(value) -> str:
    return {True: "Yes", False: "No"}.get(value, "Not known")


@register.simple_tag(takes_context=True)
def child_page_links(context, child) -> list[tuple[str, str]]:
    """(words, URL) for each action other apps offer on the child's page
    (:func:`ehc.registry.register_child_link`) that the signed-in user may use."""
    from django.urls import reverse

    from ehc import registry

    user = context["request"].user
    return [
        (link.label, reverse(link.url_name, args=[child.pk]))
        for link in registry.child_links()
        if user.has_perm(link.permission)
    ]
