"""NHS number checks (pure, no Django).

An NHS number has 10 digits; the last is a modulus-11 check digit over the
first nine, weighted 10 down to 2. A remainder giving 11 means a check digit
of 0; one giving 10 means the number is not valid. Numbers made of one
repeated digit pass the arithmetic but are never issued, so they are refused.
"""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s-]")
# ASCII digits only: str.isdigit() also accepts "²" and other scripts' digits.
_TEN_DIGITS = re.compile(r"[0-9]{10}")


def normalise_nhs_number(value: str) -> str:
    """Strip the spaces and hyphens people type (``943 476 5919``)."""
    return _SEPARATORS.sub("", value or "")


def nhs_number_problem(value: str) -> str | None:
    """Why ``value`` is not a valid NHS number, or None when it is."""
    digits = normalise_nhs_number(value)
    if not _TEN_DIGITS.fullmatch(digits):
        return "Enter an NHS number of 10 digits, like 943 476 5919"
    if len(set(digits)) == 1:
        return "Enter a real NHS number: one digit repeated is never issued"
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    if check == 10 or check != int(digits[9]):
        return "Enter a valid NHS number: the last digit does not match the check"
    return None


def is_valid_nhs_number(value: str) -> bool:
    return nhs_number_problem(value) is None


def format_nhs_number(value: str) -> str:
    """Display as 3-3-4 (``943 476 5919``)."""
    digits = normalise_nhs_number(value)
    if len(digits) != 10:
        return value
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}"
