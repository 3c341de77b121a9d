"""Cell values of a tracker (pure: no Django).

Every parser takes what the file gave (a string from a CSV; a string,
number, date or datetime from an .xlsx cell; None for an empty cell) and
returns the value or raises :class:`CellError` with a message a person can
act on. An empty cell is None (or "" for text).

Dates (docs/caseload-import.md, "Dates"): ``dd/mm/yyyy`` and ``d/m/yy``
(also with ``-`` or ``.`` between the parts), ISO ``yyyy-mm-dd`` (with or
without a time), ``5 March 2026`` or ``5 Mar 2026``, and Excel date cells
(including a bare Excel serial day number). A two-digit year is 20yy,
unless that date would be after today, when it is 19yy; a date that may
be ahead (a return-by date, a review meeting) always takes 20yy.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable

from openpyxl.utils.datetime import from_excel


class CellError(ValueError):
    """A cell the import cannot read; the message says what to write instead."""


_DMY = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2}|\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_WORDY_FORMATS = ("%d %B %Y", "%d %b %Y", "%d %B %y", "%d %b %y")
# Excel's serial day numbers for 1 January 1900 and 31 December 2199: a
# number outside them is not a date someone typed.
_SERIAL_RANGE = (1, 109574)
DATE_EXAMPLE = "write it as 27/03/2026"


def text(value) -> str:
    """A cell as text, trimmed: whole numbers from a spreadsheet without
    ".0" (an LA reference typed as 12345 stays "12345")."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    return str(value).strip()


def full_year(two_digits: int, month: int, day: int, today: datetime.date, ahead: bool) -> int:
    """The four-digit year for a two-digit one: 20yy, unless that date is
    after ``today`` (and the date may not be ahead), then 19yy. A day that
    does not exist in 20yy (29 February) is judged by its month."""
    year = 2000 + two_digits
    if ahead:
        return year
    try:
        candidate = datetime.date(year, month, day)
    except ValueError:
        candidate = datetime.date(year, month, 1)
    return year - 100 if candidate > today else year


def date(value, *, today: datetime.date, ahead: bool = False) -> datetime.date | None:
    """A date from a cell (see the module docstring for the forms read).
    ``ahead``: the date may be after today (two-digit years are then always
    20yy). Raises :class:`CellError`."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if _SERIAL_RANGE[0] <= value <= _SERIAL_RANGE[1]:
            return from_excel(value).date()
        raise CellError(f"“{text(value)}” is not a date: {DATE_EXAMPLE}")
    raw = str(value).strip()
    found = _DMY.fullmatch(raw)
    if found:
        day, month, year = (int(part) for part in found.groups())
        if len(found.group(3)) == 2:
            year = full_year(year, month, day, today, ahead)
        return _real(year, month, day, raw)
    found = _ISO.fullmatch(raw)
    if found:
        year, month, day = (int(part) for part in found.groups())
        return _real(year, month, day, raw)
    for pattern in _WORDY_FORMATS:
        try:
            parsed = datetime.datetime.strptime(raw, pattern).date()
        except ValueError:
            continue
        if pattern.endswith("%y"):
            year = full_year(parsed.year % 100, parsed.month, parsed.day, today, ahead)
            return _real(year, parsed.month, parsed.day, raw)
        return parsed
    raise CellError(f"“{raw}” is not a date: {DATE_EXAMPLE}")


def _real(year: int, month: int, day: int, raw: str) -> datetime.date:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise CellError(f"“{raw}” is not a real date: check the day and month") from None


def nhs_number(value) -> str:
    """The NHS number's digits: spaces and hyphens taken out, a number cell
    (9434765919 or 9434765919.0) read as its digits. Whether it is a valid
    NHS number is the child's own rule (:meth:`ehc.models.Child.clean`)."""
    return re.sub(r"[\s\-]", "", text(value))


def _squash(value: str) -> str:
    return re.sub(r"[^0-9a-z]+", "", value.lower())


def choice(value, choices: Iterable[tuple[str, str]], *, what: str, extra=None) -> str:
    """The code of one of ``choices`` ((code, label) pairs) named by its
    code or its label, ignoring case, spaces and punctuation; a label's
    part before a bracket ("Autistic spectrum disorder") counts too.
    ``extra`` maps more names to codes. Empty: "". Raises
    :class:`CellError` naming ``what``."""
    raw = text(value)
    if not raw:
        return ""
    wanted = _squash(raw)
    names: dict[str, str] = {}
    for code, label in choices:
        for name in (code, label, label.split("(")[0]):
            names.setdefault(_squash(name), code)
    for name, code in (extra or {}).items():
        names.setdefault(_squash(name), code)
    if wanted in names:
        return names[wanted]
    raise CellError(f"“{raw}” is not a {what} the portal knows: see the list in the guide")


_YES = frozenset({"yes", "y", "true", "1", "eligible"})
_NO = frozenset({"no", "n", "false", "0", "noteligible"})


def yes_no(value) -> bool | None:
    """A yes or no cell (a flag such as "continuing care"): Yes, Y, True, 1
    or a ticked box; No, N, False, 0 or an unticked box; empty: None (not
    said). Raises :class:`CellError` for anything else."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):  # a number cell
        return bool(value)
    raw = text(value)
    if not raw:
        return None
    if _squash(raw) in _YES:
        return True
    if _squash(raw) in _NO:
        return False
    raise CellError(f"“{raw}” is not Yes or No: write Yes, No or leave it blank")


# reg 8(2)(a), (b) and (c): the letter however it is written.
_EXCEPTION_LETTER = re.compile(
    r"^(?:reg(?:ulation)?\s*)?(?:8\s*\(\s*2\s*\)\s*)?\(?\s*([abc])\s*\)?"
)


def exception_letter(value) -> str:
    """ "a", "b" or "c" when the cell names a reg 8(2) exception by its
    letter ("b", "(b)", "8(2)(b)", "reg 8(2)(b) absent"), else ""."""
    found = _EXCEPTION_LETTER.match(text(value).lower())
    return found.group(1) if found else ""


def person_name(value) -> tuple[str, str]:
    """(first name, last name) from one Name cell: "Last, First" or
    "First Last" (the last word is the last name). Raises
    :class:`CellError` when there is only one word."""
    raw = " ".join(text(value).split())
    if "," in raw:
        family, _, given = raw.partition(",")
        given, family = given.strip(), family.strip()
    else:
        given, _, family = raw.rpartition(" ")
    if not given or not family:
        raise CellError("Give the first and last name, like “Sam Smith” or “Smith, Sam”")
    return given, family
