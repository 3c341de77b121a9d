"""Tags for the EHC screens: the coloured clock tag and small formatting helpers."""

from __future__ import annotations

import datetime
import functools
import html

from django import template
from django.urls import reverse
from django.utils import dateformat
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from ehc.models import OPEN_STATUSES, Process, RequestStatus
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


def working_clock_label(
    working_on: datetime.date, due_on: datetime.date, today: datetime.date
) -> tuple[str, str]:
    """(colour, words) for an outstanding item chased by ``working_on`` (an
    internal return-by date, or its due date) and due by law on ``due_on``.

    Only the statutory date makes it red and "overdue"; a return-by date
    that has passed is orange and says so; before it, the days left count
    to the return-by date."""
    if due_on <= today or working_on >= due_on:
        return clock_label(due_on, today)
    passed = (today - working_on).days
    if passed > 0:
        return "orange", f"{_days(passed)} past return-by"
    if passed == 0:
        return "orange", "Return by today"
    return clock_label(working_on, today)


# A lawful exception is late but not overdue: purple, never red, and said
# in words (not by colour alone).
LAWFUL_COLOUR = "purple"


def lawful_words(letter: str = "") -> str:
    return f"Late: lawful exception (reg 8(2)({letter}))" if letter else "Late: lawful exception"


# A GOV.UK tag: its colour, then its words (both escaped by the caller).
_TAG = '<strong class="govuk-tag govuk-tag--{}">{}</strong>'


def _tag(colour: str, words: str) -> str:
    return format_html(_TAG, colour, words)


def request_clock_label(req, today: datetime.date) -> tuple[str, str]:
    """(colour, words) for a request's tag. An awaiting request annotated by
    :func:`ehc.selectors.with_clock` (or given the same dates by
    :func:`ehc.selectors.worklist_page`) is read by its outstanding
    contributions: overdue by the earliest statutory due date without a
    reg 8(2) exception; late with a lawful exception when only excepted
    ones are past due; otherwise by its earliest working date. Without
    the annotations (or with nothing outstanding), by its own due date."""
    if req.status not in OPEN_STATUSES:
        return "grey", req.get_status_display()
    if req.status == RequestStatus.RETURNED:
        return "green", "All returned"
    working = getattr(req, "work_due_on", None)
    if working is None:
        if getattr(req, "own_part", False):  # a practitioner's part, all returned
            return "green", "Your part returned"
        return clock_label(req.due_on, today)
    unexcepted, excepted = req.unexcepted_due_on, req.excepted_due_on
    if unexcepted is not None and unexcepted <= today:
        return clock_label(unexcepted, today)
    if excepted is not None and excepted < today:
        return LAWFUL_COLOUR, lawful_words()
    return working_clock_label(working, req.owed_due_on, today)


@register.simple_tag
def request_clock(req, today):
    """The tag for a request: days left, days overdue, or its state."""
    return _tag(*request_clock_label(req, today))


@register.simple_tag
def request_due(req):
    """A request's due date as a list shows it: for an awaiting request
    annotated by :func:`ehc.selectors.with_clock` (or
    :func:`ehc.selectors.worklist_page`), its earliest statutory
    due date, led by the earliest return-by date when that is earlier
    ("Return by 3 Oct 2026 (due 10 Oct 2026)"); otherwise its own."""
    working = getattr(req, "work_due_on", None)
    if req.status != RequestStatus.AWAITING or working is None:
        return format_html('<span class="app-nowrap">{}</span>', _short(req.due_on))
    if working != req.owed_due_on:
        return format_html(
            '<span class="app-nowrap">Return by {}</span> <span class="app-nowrap">(due {})</span>',
            _short(working),
            _short(req.owed_due_on),
        )
    return format_html('<span class="app-nowrap">{}</span>', _short(req.owed_due_on))


@register.simple_tag
def request_due_compact(req):
    """A request's due date on one short line, for the worklist's compact
    rows: the date its clock counts to (:func:`request_due`'s first date),
    "Return by ..." when that is a return-by date. The statutory date is on
    the request's page and in the downloads."""
    working = getattr(req, "work_due_on", None)
    if req.status != RequestStatus.AWAITING or working is None:
        return _short(req.due_on)
    if working != req.owed_due_on:
        return f"Return by {_short(working)}"
    return _short(working)


_WORKLIST_ROW = (
    '<tr class="govuk-table__row">'
    '<th scope="row" class="govuk-table__header"><a class="govuk-link" href="{}">{}</a></th>'
    '<td class="govuk-table__cell">{}</td>'
    '<td class="govuk-table__cell">{}</td>'
    '<td class="govuk-table__cell">{}</td>'
    '<td class="govuk-table__cell">{}</td>'
    '<td class="govuk-table__cell">{}</td>'
    '<td class="govuk-table__cell">{} of {}'
    '<span class="govuk-visually-hidden"> services</span></td>'
    "</tr>"
)


@register.simple_tag
def worklist_rows(requests, today) -> str:
    """The worklist table's rows (``ehc/request_list.html``), one
    ``<tr>`` a request of :func:`ehc.selectors.worklist_page`: the
    reference linking to the request, its clock tag (:func:`request_clock`),
    its due date (:func:`request_due_compact`), the child's name, the
    process, the local authority and the services returned of those
    asked. Written in one pass rather than a template loop, every value
    escaped as the template would, and the request's URL reversed once
    for the page rather than once a row: a page has up to 100 rows and
    every list view draws them (docs/performance.md, "The worklist").
    Empty for no requests."""
    if not requests:
        return ""
    url = _url_of(requests[0].pk)
    rows = []
    for req in requests:
        colour, words = request_clock_label(req, today)
        rows.append(
            _WORKLIST_ROW.format(
                _escape(url(req.pk)),
                _escape(req.reference),
                _TAG.format(_escape(colour), _escape(words)),
                _escape(request_due_compact(req)),
                _escape(req.child.full_name),
                _escape(_PROCESS_LABELS.get(req.process, req.process)),
                _escape(req.local_authority.name),
                req.returned_count,
                req.asked_count,
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 - every value above is escaped


# A row's process in words, as get_process_display() gives it.
_PROCESS_LABELS = dict(Process.choices)


def _escape(text: str) -> str:
    """``text`` (made a string) escaped for HTML as Django's ``escape`` does
    it (the five characters ``& < > " '``), without the lazy-text handling
    and ``SafeString`` that Django adds: a page of 100 rows escapes 800
    values."""
    return html.escape(str(text), quote=True)


def _url_of(pk: int):
    """A function giving the request page's URL of a primary key, from one
    :func:`~django.urls.reverse` of ``pk`` (the pattern's only argument,
    at the end of its path)."""
    head, found, tail = reverse("ehc:request_detail", args=[pk]).rpartition(str(pk))
    if not found:  # pragma: no cover - the pattern always ends with the pk
        return lambda other: reverse("ehc:request_detail", args=[other])
    return lambda other: f"{head}{other}{tail}"


def _short(day: datetime.date) -> str:
    """``day`` as "3 Oct 2026" (the date format "j M Y")."""
    return f"{day.day} {_month_abbreviation(day.month)} {day.year}"


@functools.cache
def _month_abbreviation(month: int) -> str:
    """The month's abbreviation, "Jan" to "Dec", as the date format "M"
    writes it (worked out once a month: lists write a date or two a row).
    The portal is in English only; with other languages the cache would
    need the language in its key."""
    return dateformat.format(datetime.date(2000, month, 1), "M")


def contribution_clock_label(contribution, today: datetime.date) -> tuple[str, str]:
    """(colour, words) for one service's part: its return (on time, late,
    late with a lawful exception), its marker when left outstanding at
    withdrawal or closure, or its clock while still owed."""
    if contribution.returned_on is None:
        if contribution.left_outstanding:
            return "grey", contribution.get_left_outstanding_display()
        if contribution.request.status not in OPEN_STATUSES:
            return "grey", "Not returned"
        if contribution.lawfully_late(today):
            return LAWFUL_COLOUR, lawful_words(contribution.exception_letter)
        return working_clock_label(contribution.working_due_on, contribution.due_on, today)
    if contribution.lawfully_late(today):
        return LAWFUL_COLOUR, lawful_words(contribution.exception_letter)
    late = (contribution.returned_on - contribution.due_on).days
    if late > 0:
        return "red", f"Returned {_days(late)} late"
    return "green", "Returned on time"


@register.simple_tag
def contribution_clock(contribution, today):
    return _tag(*contribution_clock_label(contribution, today))


@register.filter
def rating_colour(rating: str) -> str:
    return {"green": "green", "amber": "orange", "red": "red"}.get(rating, "grey")


@register.simple_tag
def criteria_count() -> int:
    return len(QUALITY_CRITERIA)


@register.filter
def year_group_label(group: int | None) -> str:
    """ "Reception", "Year 9"; before reception and past year 14 in words."""
    if group is None:
        return "Not known"
    if group < 0:
        return "Not yet in reception"
    if group == 0:
        return "Reception"
    if group > 14:
        return "Past year 14"
    return f"Year {group}"


@register.filter
def yes_no_unknown(value) -> str:
    return {True: "Yes", False: "No"}.get(value, "Not known")


@register.simple_tag(takes_context=True)
def child_page_links(context, child) -> list[tuple[str, str]]:
    """(words, URL) for each action other apps offer on the child's page
    (:func:`ehc.registry.register_child_link`) that the signed-in user may use."""
    from ehc import registry

    user = context["request"].user
    return [
        (link.label, reverse(link.url_name, args=[child.pk]))
        for link in registry.child_links()
        if user.has_perm(link.permission)
    ]
