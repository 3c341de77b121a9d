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
- the shape of the kept objects (the fields of the indicator dataclasses),
  so a release that changes them never unpickles an old one.

Names of authorities, providers and services are not in the fingerprint: a
renamed service shows under its old name in kept figures until they expire
(``REPORT_FIGURES_SECONDS``, 15 minutes by default) or the data changes.
``REPORT_FIGURES_SECONDS = 0`` keeps nothing (every request reads afresh).

The fingerprint is read before the figures, so figures kept under it are at
least as new as the data it names (docs/reports.md, "Figures kept between
requests").
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache

from core.periods import Period
from reports import data_versions, indicators, metrics
from reports.indicators import Report, Scope

KEY_PREFIX = "report-figures"


def _shape() -> str:
    """The field names of every dataclass a kept Report holds."""
    kinds = [
        value
        for value in vars(indicators).values()
        if isinstance(value, type) and dataclasses.is_dataclass(value)
    ]
    return ";".join(
        f"{kind.__name__}:{','.join(f.name for f in dataclasses.fields(kind))}"
        for kind in sorted(kinds, key=lambda kind: kind.__name__)
    )


SHAPE = hashlib.sha256(_shape().encode()).hexdigest()[:16]


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
    return f"{KEY_PREFIX}:{kind}:{SHAPE}:{digest}"


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
    report = cache.get(key)
    if report is None:
        report = metrics.compute(scope, period, today=today, trend=trend)
        cache.set(key, report, seconds)
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
    content = cache.get(key)
    if content is None:
        content = make()
        cache.set(key, content, seconds)
    return content
