"""Cells the portal writes to CSV files people open in a spreadsheet.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a
formula (CSV injection), and some first drop leading whitespace or control
characters (a tab, a carriage return, a NUL) and then read what follows.
Names and notes are typed by people, so every text cell is checked;
numbers stay numbers, so a negative count or a percentage is not turned
into text.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@")
# Leading characters some spreadsheets skip before reading a formula.
_SKIPPED = re.compile(r"^[\s\x00-\x1f\x7f]+")
_NUMBER = re.compile(r"-?\d[\d,]*(\.\d+)?%?")


def safe_cell(value):
    """``value`` as a CSV cell a spreadsheet will not run as a formula.

    Numbers (int, float, Decimal; not bool) are returned unchanged, and so is
    text that is just a number ("-12", "81.8%", "1,234"). Other text whose
    first character, after any leading whitespace or control characters, is
    ``=``, ``+``, ``-`` or ``@`` (or which starts with a tab, carriage return
    or other control character at all) gets a leading apostrophe, which
    spreadsheets show as text. None becomes "". Dates (and datetimes) are
    returned unchanged: they cannot be formulas, a CSV writer writes them
    as ISO text, and a workbook keeps them as dates.
    """
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return value
    if isinstance(value, datetime.date):
        return value
    text = str(value)
    if _NUMBER.fullmatch(text):
        return text
    skipped = _SKIPPED.match(text)
    if skipped or text.startswith(FORMULA_STARTS):
        return f"'{text}"
    return text
