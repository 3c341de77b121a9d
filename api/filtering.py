"""Filters for API lists: the same FilterSets as the pages (ehc.filters),
plus ``since``, the last change (docs/api.md, "Lists").

A page shows an invalid filter beside its box and filters by the valid
ones (core.lists.filter_list); a program is better told: an invalid filter
is a 400 naming the parameter, with the page's message, and nothing is
listed. So is a parameter the list does not know (a misspelt filter would
otherwise list everything).
"""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from rest_framework.exceptions import ValidationError

# Query parameters that are the API's own, not the FilterSet's.
API_PARAMETERS = ("cursor", "page_size", "since", "format")


class SinceForm(forms.Form):
    since = forms.DateTimeField(
        required=False,
        error_messages={
            "invalid": "Enter a date and time in ISO 8601, for example 2026-04-01T09:30:00Z"
        },
    )


def since_filter(request, queryset, field: str = "updated_at"):
    """``queryset`` changed on or after the ``since`` parameter (ISO 8601;
    without a zone, the portal's), or all of it without one. Raises the
    API's ValidationError for a value that is not a date and time."""
    form = SinceForm({"since": request.query_params.get("since", "")})
    if not form.is_valid():
        raise ValidationError({"since": form.errors["since"]})
    since = form.cleaned_data["since"]
    return queryset if since is None else queryset.filter(**{f"{field}__gte": since})


def refuse_unknown(request, known: Iterable[str]) -> None:
    """Raise ValidationError keyed by each query parameter of ``request``
    not in ``known``, naming the ones the list takes."""
    known = sorted(set(known))
    unknown = sorted(set(request.query_params) - set(known))
    if unknown:
        message = f"This list does not take this parameter. It takes: {', '.join(known)}"
        raise ValidationError({name: [message] for name in unknown})


def apply_filterset(filterset_class, request, queryset, **kwargs):
    """``queryset`` filtered by ``filterset_class`` with the request's query
    parameters (the API's own left out). Raises ValidationError keyed by
    parameter, with the FilterSet's messages, when one is invalid or
    unknown."""
    params = request.query_params.copy()
    for name in API_PARAMETERS:
        params.pop(name, None)
    filterset = filterset_class(params or None, queryset=queryset, **kwargs)
    refuse_unknown(request, [*filterset.form.fields, *API_PARAMETERS])
    if not filterset.is_bound:
        return queryset
    if not filterset.is_valid():
        raise ValidationError(
            {name: list(errors) for name, errors in filterset.form.errors.items()}
        )
    return filterset.qs
