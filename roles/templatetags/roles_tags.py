from decimal import Decimal

from django import template

from roles import pa_policy

register = template.Library()


@register.filter
def pa_time(pas) -> str:
    """2 -> "2 PAs (1 day) a week"."""
    if pas in (None, ""):
        return ""
    return pa_policy.describe_time(Decimal(pas))


@register.filter
def num(value) -> str:
    """A decimal without trailing zeros: 2.00 -> "2", 0.50 -> "0.5"."""
    if value in (None, ""):
        return "–"
    return pa_policy.format_number(Decimal(value))
