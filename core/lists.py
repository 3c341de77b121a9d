"""One way to filter a list page (docs/architecture.md, "One FilterSet per list").

Every list page reads its filters from the query string through a
django-filter ``FilterSet``. :func:`filter_list` applies one rule
everywhere: with no filters the whole (already scoped) queryset is shown;
with valid filters, the filtered rows; with an invalid filter (a date that
is not a date, a choice that is not offered, an id outside the user's
scope) the form shows its message next to the field, the list is filtered
by the filters that are valid (so it matches what the other boxes still
say), and the response is a 400 so that scripts and tests can tell.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet


@dataclass(frozen=True)
class FilteredList:
    """The outcome of :func:`filter_list`.

    - ``filterset``: the bound (or unbound) FilterSet, for the template's form.
    - ``queryset``: the rows to list, filtered by every valid filter (an
      invalid one is left out, never guessed at).
    - ``valid``: False when a filter was invalid.
    - ``cleaned``: the valid filters' cleaned values (django-filter keeps
      only the fields that passed).
    """

    filterset: Any
    queryset: QuerySet
    valid: bool
    cleaned: dict

    @property
    def status(self) -> int:
        """The HTTP status for the page: 200, or 400 for an invalid filter."""
        return 200 if self.valid else 400


def filter_list(filterset_class, request, queryset: QuerySet, **kwargs) -> FilteredList:
    """Apply ``filterset_class`` to ``queryset`` with the request's query string.

    ``queryset`` must already be scoped to the user (``visible_to``);
    ``kwargs`` go to the FilterSet (for example ``user=`` or ``today=``).
    An empty query string leaves the filterset unbound, so a first visit
    shows no errors.
    """
    filterset = filterset_class(request.GET or None, queryset=queryset, **kwargs)
    if not filterset.is_bound:
        return FilteredList(filterset, queryset, True, {})
    valid = filterset.is_valid()
    # django-filter's ``qs`` applies the cleaned (valid) fields only.
    return FilteredList(filterset, filterset.qs, valid, filterset.form.cleaned_data)
