"""One way to filter a list page (docs/architecture.md, "One FilterSet per list").

Every list page reads its filters from the query string through a
django-filter ``FilterSet``. :func:`filter_list` applies one rule
everywhere: with no filters the whole (already scoped) queryset is shown;
with valid filters, the filtered rows; with an invalid filter (a date that
is not a date, a choice that is not offered, an id outside the user's
scope) the form shows its message next to the field, the list is filtered
by the filters that are valid (so it matches what the other boxes still
say), and the response is a 400 so that scripts and tests can tell.

The rest a list page shares: :class:`Sorting` (the ``sort`` parameter,
checked against the columns a list offers, with the MOJ sortable table's
headings), :func:`page_size` (25, 50 or 100 rows, remembered for the
session) and :func:`download` (the list as CSV or .xlsx, every cell
formula-guarded).
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse

from core.spreadsheets import safe_cell


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


# --- Sorting on the server ------------------------------------------------------------------


@dataclass(frozen=True)
class SortColumn:
    """A column a list may be sorted by: its ``key`` in the query string
    (``?sort=key`` ascending, ``?sort=-key`` descending), its heading and
    the ``order_by`` terms of its ascending order (each turned round for
    descending; a primary-key term last keeps equal rows in a stable
    order)."""

    key: str
    label: str
    order_by: tuple


@dataclass(frozen=True)
class SortHeading:
    """One column heading as the template shows it (the MOJ sortable table
    pattern, sorted on the server): ``aria_sort`` ("ascending",
    "descending" or "none") and ``query``, the query string of the link
    that sorts by it (the other way round when it is the current sort)."""

    key: str
    label: str
    aria_sort: str
    query: str


@dataclass(frozen=True)
class Sorting:
    """The order a list page is shown in, read from its ``sort`` parameter.

    ``columns`` is the whitelist; a value not in it (or none) gives
    ``default`` ascending: never an error, since a sort order cannot be
    wrong the way a filter can. ``order_by`` is what to pass to
    ``QuerySet.order_by``.
    """

    columns: tuple[SortColumn, ...]
    key: str
    descending: bool
    query: Any  # the request's QueryDict, to build the headings' links

    PARAMETER = "sort"

    @classmethod
    def from_request(cls, request, columns: tuple[SortColumn, ...], default: str) -> Sorting:
        value = request.GET.get(cls.PARAMETER, "")
        descending = value.startswith("-")
        key = value[1:] if descending else value
        if key not in {column.key for column in columns}:
            key, descending = default, False
        return cls(columns=columns, key=key, descending=descending, query=request.GET)

    @property
    def column(self) -> SortColumn:
        return next(column for column in self.columns if column.key == self.key)

    @property
    def value(self) -> str:
        """The ``sort`` parameter for this order ("-due", "urgency")."""
        return f"-{self.key}" if self.descending else self.key

    @property
    def order_by(self) -> list:
        """The column's terms, turned round when descending: a name loses
        or gains its "-", an expression (ascending as written) becomes
        ``.desc()``."""
        terms = []
        for term in self.column.order_by:
            if isinstance(term, str):
                flipped = term[1:] if term.startswith("-") else f"-{term}"
                terms.append(flipped if self.descending else term)
            else:
                terms.append(term.desc() if self.descending else term.asc())
        return terms

    def headings(self) -> dict[str, SortHeading]:
        """Each column's heading by key, with the link that sorts by it
        (keeping the filters and page size, going back to page 1)."""
        shown = {}
        for column in self.columns:
            current = column.key == self.key
            aria = ("descending" if self.descending else "ascending") if current else "none"
            wanted = f"-{column.key}" if current and not self.descending else column.key
            shown[column.key] = SortHeading(
                column.key, column.label, aria, query_with(self.query, sort=wanted)
            )
        return shown


def query_with(query, **changes) -> str:
    """``query`` (a QueryDict) as a query string with ``changes`` made
    (a value of None removes the key) and without ``page``: a link that
    changes the order or the page size starts again at page 1."""
    copy = query.copy()
    copy.pop("page", None)
    for key, value in changes.items():
        copy.pop(key, None)
        if value is not None:
            copy[key] = value
    return copy.urlencode()


# --- Page size remembered for the session ----------------------------------------------------

PAGE_SIZES = (25, 50, 100)


def page_size(request, *, remember_as: str, default: int = 50, sizes=PAGE_SIZES) -> int:
    """The number of rows a page shows: ``?per_page=`` when it is one of
    ``sizes`` (then remembered in the session under ``remember_as`` for
    the next visit), else the one remembered, else ``default``. A value
    not offered is ignored, not an error."""
    asked = request.GET.get("per_page", "")
    if asked.isdigit() and int(asked) in sizes:
        request.session[remember_as] = int(asked)
        return int(asked)
    remembered = request.session.get(remember_as)
    return remembered if remembered in sizes else default


# --- Downloads --------------------------------------------------------------------------------

DOWNLOAD_FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def download(file_format: str, *, name: str, headers: list[str], rows) -> HttpResponse:
    """A list as a file to download: ``file_format`` "csv" (UTF-8 with a
    byte order mark, so Excel reads accents and the pound sign right) or
    "xlsx" (one sheet, written by openpyxl, the header row bold and
    frozen). ``rows`` is an iterable of lists of cell values; every cell,
    headings included, goes through :func:`core.spreadsheets.safe_cell`, so
    a name typed as ``=HYPERLINK(...)`` arrives as text, not a formula.
    Dates stay dates (real date cells in the workbook). The file is named
    ``name`` plus the extension. Raises ValueError for another format (the
    URL pattern allows only these two)."""
    if file_format not in DOWNLOAD_FORMATS:
        raise ValueError(f"Cannot download as {file_format!r}")
    safe_rows = ([safe_cell(cell) for cell in row] for row in rows)
    safe_headers = [safe_cell(cell) for cell in headers]
    response = HttpResponse(content_type=DOWNLOAD_FORMATS[file_format])
    response["Content-Disposition"] = f'attachment; filename="{name}.{file_format}"'
    if file_format == "csv":
        response.write("\ufeff")
        writer = csv.writer(response)
        writer.writerow(safe_headers)
        writer.writerows(safe_rows)
        return response
    response.write(_workbook(safe_headers, safe_rows))
    return response


def _workbook(headers: list, rows) -> bytes:
    """An .xlsx file of one sheet: the header row (bold, frozen), then the
    rows. Write-only mode keeps memory flat for a long list."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet("List")
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    heading_cells = []
    for text in headers:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        heading_cells.append(cell)
    sheet.append(heading_cells)
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # text stays text, whatever it starts with
            elif isinstance(value, datetime.date):
                cell.number_format = "DD/MM/YYYY"
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
