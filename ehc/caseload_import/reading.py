"""Opening a tracker: a CSV (UTF-8, with or without a byte order mark; a
file saved by Excel as "CSV" in Windows-1252 is read too) or an Excel
workbook (.xlsx, its first sheet, with openpyxl).

Returns the header row and the data rows with their line numbers as a
spreadsheet shows them (the header is line 1). Rows with nothing in them
(trailing blank lines, an empty row between blocks) are left out.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

MAX_COLUMNS = 200  # more than any tracker; a sheet formatted to column XFD is cut here


class FileProblem(ValueError):
    """The file cannot be read at all (not CSV or .xlsx, damaged, empty)."""


@dataclass
class Sheet:
    """What the file holds: ``headers`` (cell values of line 1) and ``rows``
    as ``(line number, cell values)``."""

    headers: list
    rows: list[tuple[int, list]]


def _blank(values) -> bool:
    return all(value is None or (isinstance(value, str) and not value.strip()) for value in values)


def kind_of(name: str) -> str:
    """ "csv" or "xlsx" from a file name; raises :class:`FileProblem`."""
    suffix = Path(name).suffix.lower()
    if suffix in (".csv", ".txt"):
        return "csv"
    if suffix == ".xlsx":
        return "xlsx"
    raise FileProblem("The file must be a CSV file or an Excel workbook (.xlsx)")


def read_csv(data: bytes) -> Sheet:
    try:
        decoded = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        decoded = data.decode("cp1252", errors="replace")
    reader = csv.reader(io.StringIO(decoded, newline=""))
    headers: list | None = None
    rows: list[tuple[int, list]] = []
    try:
        for values in reader:
            if headers is None:
                headers = values
                continue
            if not _blank(values):
                rows.append((reader.line_num, values))
    except csv.Error as error:
        raise FileProblem(f"Line {reader.line_num}: the CSV cannot be read ({error})") from None
    if not headers or _blank(headers):
        raise FileProblem("The file is empty: line 1 should name the columns")
    return Sheet(headers=headers, rows=rows)


def read_xlsx(data: bytes) -> Sheet:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise FileProblem(
            f"The workbook cannot be opened ({error}): save it again as .xlsx"
        ) from None
    try:
        sheet = book.worksheets[0]
        lines = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
        headers = list(next(lines, ()) or ())
        rows = [
            (number, list(values))
            for number, values in enumerate(lines, start=2)
            if not _blank(values)
        ]
    finally:
        book.close()
    while headers and headers[-1] is None:
        headers.pop()
    if _blank(headers):
        raise FileProblem("The first sheet is empty: line 1 should name the columns")
    return Sheet(headers=headers, rows=rows)


def read(data: bytes, name: str) -> Sheet:
    """The sheet in ``data`` (the file's bytes; ``name`` says which kind).
    Raises :class:`FileProblem`."""
    return read_xlsx(data) if kind_of(name) == "xlsx" else read_csv(data)
