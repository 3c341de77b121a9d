"""Report figures kept between requests, for as long as the data they were
read from has not changed.

A commissioner opens the dashboard for their ICB's quarter, then the
quarterly page, its CSV and its PDF; a colleague opens the same an hour
later. Each of those reads the same figures (:func:`reports.metrics.compute`,
a fifth of a second to a second at national scale), and the PDF draws the
same pages (most of a second more). Both are kept in Django's cache (Redis
when configured, else the database table every worker shares), under a key
that names:

- what was asked: the scope (label, body, authorities, provider), the
  periods, the day the figures run to (overdue is a position on a day) and,
  for a file, the selection as its query string and whether figures are
  exact;
- the data fingerprint of the scope (:func:`reports.data_versions.fingerprint`):
  the versions of its local authorities and of area 0, which database
  triggers move on in the same transaction as any write to a row a report
  reads, however it was written. A figure is therefore served only while
  nothing it could have read has changed; the next request after a write
  reads the figures afresh;
- the code that makes them: a digest of the source of the reports package,
  the casework rules it counts by and the PDF templates, so a release that
  changes a definition, a suppression rule, a kept object's fields or the
  PDF's layout never serves what an older release kept.

Names of authorities, providers and services are not in the fingerprint: a
renamed service shows under its old name in kept figures until they expire
(``REPORT_FIGURES_SECONDS``, 15 minutes by default) or the data changes.
``REPORT_FIGURES_SECONDS = 0`` keeps nothing (every request reads afresh).

The fingerprint is read before the figures, so figures kept under it are at
least as new as the data it names (docs/reports.md, "Figures kept between
requests"). Figures must be read outside a transaction that has written
(as every report view and the API read them): data versions moved by a
transaction later rolled back come round again.

The cache is a speed-up, never a dependency: if it cannot be read or
written (Redis down or full, an entry that no longer unpickles), the
figures are read afresh and the failure logged.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.cache import cache

from core.periods import Period
from reports import data_versions, metrics
from reports.indicators import Report, Scope

logger = logging.getLogger(__name__)

KEY_PREFIX = "report-figures"
# A PDF larger than this is drawn each time rather than kept (a quarterly
# report is a few hundred kilobytes).
MAX_FILE_BYTES = 5 * 1024 * 1024

_ROOT = Path(__file__).resolve().parent.parent
# What the kept figures and files are made by (see the module's docstring).
CODE_SOURCES = (
    "reports/**/*.py",
    "ehc/summary.py",
    "ehc/groups.py",
    "ehc/clock.py",
    "ehc/plan_quality.py",
    "core/periods.py",
    "templates/pdf/*",
)


def _code_digest() -> str:
    digest = hashlib.sha256()
    for pattern in CODE_SOURCES:
        for path in sorted(_ROOT.glob(pattern)):
            digest.update(str(path.relative_to(_ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


CODE = _code_digest()


def _seconds() -> int:
    return settings.REPORT_FIGURES_SECONDS


def _period(period: Period) -> list[str]:
    return [period.start.isoformat(), period.end.isoformat(), period.kind]


def _key(kind: str, scope: Scope, asked: dict) -> str:
    scope_part = {
        "label": scope.label,
        "body": scope.body_id,
        "las": sorted(scope.la_ids) if scope.la_ids is not None else None,
        "provider": scope.provider_id,
    }
    data = {"scope": scope_part, "asked": asked, "data": data_versions.fingerprint(scope)}
    digest = hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()
    return f"{KEY_PREFIX}:{kind}:{CODE}:{digest}"


def compute(
    scope: Scope, period: Period, *, today: datetime.date, trend: list[Period] | None = None
) -> Report:
    """:func:`reports.metrics.compute` (same arguments, same Report), kept
    in the cache while the scope's data is unchanged. Costs two indexed
    reads and one cache read when kept; raises what metrics.compute raises."""
    seconds = _seconds()
    if not seconds:
        return metrics.compute(scope, period, today=today, trend=trend)
    asked = {
        "period": _period(period),
        "today": today.isoformat(),
        "trend": [_period(p) for p in trend or []],
    }
    key = _key("report", scope, asked)
    report = _get(key)
    if report is None:
        report = metrics.compute(scope, period, today=today, trend=trend)
        _set(key, report, seconds)
    return report


def kept_file(
    kind: str, *, scope: Scope, query: str, exact: bool, today: datetime.date, make: Callable
) -> bytes:
    """The bytes ``make()`` returns for a report file (``kind``: "quarterly-pdf"
    and so on) of the selection ``query`` (its query string) over ``scope``,
    kept like :func:`compute`'s figures. ``make`` must depend on nothing
    else (not the viewer, not the time of day)."""
    seconds = _seconds()
    if not seconds:
        return make()
    key = _key(kind, scope, {"query": query, "exact": exact, "today": today.isoformat()})
    content = _get(key)
    if content is None:
        content = make()
        if len(content) <= MAX_FILE_BYTES:
            _set(key, content, seconds)
    return content


def _get(key: str):
    """What the cache holds under ``key``; None if nothing, or if it could
    not be read (logged)."""
    try:
        return cache.get(key)
    except Exception:  # noqa: BLE001 (any backend's failure: read afresh)
        logger.warning("Kept report figures could not be read; reading afresh", exc_info=True)
        return None


def _set(key: str, value, seconds: int) -> None:
    try:
        cache.set(key, value, seconds)
    except Exception:  # noqa: BLE001 (any backend's failure: nothing kept)
        logger.warning("Report figures could not be kept", exc_info=True)
