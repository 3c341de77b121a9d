"""Template tags for report pages and PDFs."""

from django import template

from reports.suppression import DISCLOSURE_NOTE

register = template.Library()


@register.simple_tag
def disclosure_note() -> str:
    """The one sentence that says how suppressed figures are shown."""
    return DISCLOSURE_NOTE
