"""Which column of a tracker is which (pure: no Django).

A header matches a column when the two are equal once case, spaces,
punctuation and the small words "the", "a", "an", "of" and "by" are taken
out, so "Date LA sent the request", "date_la_sent_request" and
"DATE LA SENT REQUEST" are one column. Each column has aliases (the names
trackers commonly use, docs/caseload-import.md). Columns the portal does
not know are ignored and listed; a column named twice is an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_WORDS = re.compile(r"[^0-9a-z]+")
_SMALL_WORDS = frozenset({"the", "a", "an", "of", "by"})


def normalise_header(text: str) -> str:
    """``text`` lowercased, without punctuation, spaces or small words:
    ``"Date LA sent the request"`` -> ``"datelasentrequest"``."""
    words = _WORDS.split(str(text or "").lower())
    return "".join(word for word in words if word and word not in _SMALL_WORDS)


@dataclass(frozen=True)
class Column:
    """One column the import reads: its key (the name the planner uses), the
    name shown to people, and the other names it goes by."""

    key: str
    label: str
    aliases: tuple[str, ...] = ()


# In the order the sample tracker and the documentation list them.
COLUMNS: tuple[Column, ...] = (
    Column("la_reference", "LA reference", ("Child LA ref", "LA ref", "Child LA reference")),
    Column("nhs_number", "NHS number", ("NHS no", "NHS", "NHS num")),
    Column("given_name", "First name", ("Forename", "Given name", "First names")),
    Column("family_name", "Last name", ("Surname", "Family name")),
    Column("name", "Name", ("Full name", "Child name", "Child's name")),
    Column("date_of_birth", "Date of birth", ("DOB", "Birth date")),
    Column("primary_need", "Primary need", ("SEN2 primary need", "Need", "SEN2 code")),
    Column(
        "continuing_care",
        "Continuing care",
        ("Eligible for continuing care", "CYP continuing care", "Continuing healthcare", "CHC"),
    ),
    Column("local_authority", "Local authority", ("LA", "LA name", "LA code", "GSS code")),
    Column("process", "Process", ("Request type", "Type of request")),
    Column("request_reference", "LA request reference", ("LA case reference", "Case reference")),
    Column(
        "sent_on",
        "Date LA sent request",
        ("LA sent request", "Date sent", "Date request sent"),
    ),
    Column(
        "received_on",
        "Date health received request",
        ("Health received request", "Date received", "Date request received"),
    ),
    Column("service", "Service", ("Service asked", "Provider service")),
    Column("asked_on", "Date service asked", ("Service asked on", "Date asked")),
    Column(
        "service_received_on",
        "Date service received request",
        ("Service received request", "Date service received"),
    ),
    Column("return_by", "Return by", ("Return by date", "Date to return")),
    Column("returned_on", "Date returned", ("Returned", "Returned on", "Date advice returned")),
    Column("outcome", "Outcome", ("Return outcome",)),
    Column("declined_reason", "Decline reason", ("Declined reason", "Reason declined")),
    Column("late_reason", "Late reason", ("Reason late", "Reason for delay")),
    Column("late_note", "Late note", ("More about delay", "Late reason note")),
    Column("exception", "Exception", ("Reg 8(2) exception", "Reg 8 exception")),
    Column("exception_evidence", "Exception evidence", ("Evidence for exception",)),
    Column(
        "exception_on",
        "Exception date",
        ("Date of absence or missed appointment", "Date of exception"),
    ),
    Column("meeting_on", "Review meeting date", ("Meeting date", "Review date")),
    Column("notes", "Notes", ("Comments", "Note")),
)

LABELS: dict[str, str] = {column.key: column.label for column in COLUMNS}

_BY_NAME: dict[str, str] = {}
for _column in COLUMNS:
    for _name in (_column.label, _column.key, *_column.aliases):
        _BY_NAME.setdefault(normalise_header(_name), _column.key)


@dataclass
class HeaderMatch:
    """What the header row says.

    - ``columns``: column key -> its position (0-based) in the row;
    - ``unknown``: the headers the portal does not read, as written;
    - ``problems``: what is wrong with the header row itself (a column
      named twice, no way to tell who a row is about), as sentences.
    """

    columns: dict[str, int] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def has(self, key: str) -> bool:
        return key in self.columns


# Without these the import cannot tell what a row is about.
REQUIRED = ("date_of_birth", "process", "sent_on", "received_on")


def match_headers(headers: list, *, local_authority_needed: bool = True) -> HeaderMatch:
    """Match a header row (cell values, in order; blanks allowed) to the
    columns. ``local_authority_needed`` False when the officer covers one
    local authority only (it is then the default)."""
    match = HeaderMatch()
    for position, header in enumerate(headers):
        text = "" if header is None else str(header).strip()
        if not text:
            continue
        key = _BY_NAME.get(normalise_header(text))
        if key is None:
            match.unknown.append(text)
        elif key in match.columns:
            first = headers[match.columns[key]]
            match.problems.append(
                f"“{text}” and “{first}” are both the {LABELS[key]} column: keep one"
            )
        else:
            match.columns[key] = position
    has = match.has
    if not (has("nhs_number") or has("la_reference")):
        match.problems.append("Add an NHS number column or an LA reference column (or both)")
    if has("name") and (has("given_name") or has("family_name")):
        match.problems.append("Give either one Name column or First name and Last name, not both")
    elif not has("name") and not (has("given_name") and has("family_name")):
        match.problems.append("Add First name and Last name columns (or one Name column)")
    needed = REQUIRED + (("local_authority",) if local_authority_needed else ())
    missing = [LABELS[key] for key in needed if not has(key)]
    if missing:
        match.problems.append(
            f"Add the column{'s' if len(missing) > 1 else ''} {', '.join(missing)}"
        )
    return match
