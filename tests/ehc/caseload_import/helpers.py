"""Trackers for the import tests: CSV bytes from rows of named cells."""

from __future__ import annotations

import csv
import datetime
import io

from ehc.caseload_import import reading

D = datetime.date
TODAY = D(2026, 6, 15)
HEADERS = [
    "NHS number",
    "LA reference",
    "First name",
    "Last name",
    "Date of birth",
    "Primary need",
    "Local authority",
    "Process",
    "Date LA sent request",
    "Date health received request",
    "Service",
    "Date returned",
    "Outcome",
    "Late reason",
]
VALID_NHS = ["943 476 5919", "401 023 2137", "123 456 7881", "987 654 3210"]


def row(area, **cells) -> dict:
    """A valid row about the first child, for the area's service; ``cells``
    override by header."""
    base = {
        "NHS number": VALID_NHS[0],
        "LA reference": "LA-1",
        "First name": "Robin",
        "Last name": "Tracker",
        "Date of birth": "14/05/2016",
        "Primary need": "ASD",
        "Local authority": area.local_authority.name,
        "Process": "New EHC needs assessment",
        "Date LA sent request": "02/03/2026",
        "Date health received request": "03/03/2026",
        "Service": area.service.name,
    }
    return base | cells


def csv_bytes(rows: list[dict], headers: list[str] | None = None, *, bom=False) -> bytes:
    headers = headers or list(dict.fromkeys(h for r in rows for h in [*HEADERS, *r]))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    for values in rows:
        writer.writerow([values.get(h, "") for h in headers])
    return (("\ufeff" if bom else "") + out.getvalue()).encode()


def sheet(rows: list[dict], **kwargs) -> reading.Sheet:
    return reading.read_csv(csv_bytes(rows, **kwargs))
