"""Text people or systems send: characters the portal refuses.

C0 control characters (U+0000 to U+001F) and DEL have no place in a name, a
note or a search: a NUL byte is refused by PostgreSQL (a server error if it
got that far) and stored silently by SQLite, and the others hide text from
the reader or break exports. Tab, carriage return and line feed are kept:
multi-line text needs them. Used by every form's text fields
(:class:`ControlCharacterValidator`, added to Django's ``CharField`` in
:meth:`core.apps.CoreConfig.ready`, so query strings are checked by the
forms that read them: the lists' filters and searches) and by the
importers. Tab, CR and LF are refused in a single-line form field (any
widget but a text area or a password box: :func:`single_line_problem`,
checked by ``CharField.validate`` as patched in
:meth:`core.apps.CoreConfig.ready`).
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

MESSAGE = (
    "Remove the hidden control character (such as a null byte) from this text: "
    "it may have come from copying and pasting"
)


def control_character_problem(value) -> str:
    """:data:`MESSAGE` when ``value`` (any object; only strings are read)
    holds a C0 control character other than tab, CR and LF, else ""."""
    if isinstance(value, str) and CONTROL_CHARACTERS.search(value):
        return MESSAGE
    return ""


LINE_CHARACTERS = re.compile(r"[\t\r\n]")

LINE_MESSAGE = "Remove the tab or line break from this text: it must fit on one line"


def single_line_problem(value) -> str:
    """:data:`LINE_MESSAGE` when ``value`` (any object; only strings are
    read) holds a tab, carriage return or line feed, else ""."""
    if isinstance(value, str) and LINE_CHARACTERS.search(value):
        return LINE_MESSAGE
    return ""


@deconstructible
class ControlCharacterValidator:
    """Refuses text with a C0 control character (tab, CR and LF allowed).
    Raises ValidationError with code "control_character"."""

    code = "control_character"

    def __call__(self, value) -> None:
        if problem := control_character_problem(value):
            raise ValidationError(problem, code=self.code)

    def __eq__(self, other) -> bool:
        return isinstance(other, ControlCharacterValidator)
