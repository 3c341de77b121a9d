"""How the reviews worklist and a child's page show a review's dates
(docs/reviews.md): a date with a GOV.UK tag saying what is owed."""

from __future__ import annotations

import datetime

from django import template
from django.utils import dateformat
from django.utils.html import format_html

from ehc.templatetags.ehc_tags import clock_label

register = template.Library()


def _short(day: datetime.date) -> str:
    return dateformat.format(day, "j M Y")


def _tag(colour: str, words: str) -> str:
    return format_html('<strong class="govuk-tag govuk-tag--{}">{}</strong>', colour, words)


@register.simple_tag
def review_due(day: datetime.date | None, today: datetime.date, *, owed: bool = True):
    """A due date and, while ``owed``, its clock tag (days left, due today,
    overdue); "Not known" without a date."""
    if day is None:
        return "Not known"
    text = format_html('<span class="app-nowrap">{}</span>', _short(day))
    if not owed:
        return text
    return format_html("{} {}", text, _tag(*clock_label(day, today)))


@register.simple_tag
def review_step(step, today: datetime.date):
    """One step of a review (``ehc.reviews.selectors.Step``): its due date,
    then "Done" with the day it was done, or its clock while owed (days
    left, due today, overdue); a dash
    without a review."""
    if step is None:
        return "–"
    due = format_html('<span class="app-nowrap">Due {}</span>', _short(step.due_on))
    if step.done:
        return format_html(
            '{}<br>{} <span class="app-nowrap">{}</span>',
            due,
            _tag("green", "Done"),
            _short(step.done_on),
        )
    return format_html("{}<br>{}", due, _tag(*clock_label(step.due_on, today)))
