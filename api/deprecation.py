"""Announcing the end of an API version (docs/api.md, "Versioning and
deprecation").

When ``API_V1_DEPRECATED_ON`` is set (an ISO date), every answer under
``/api/v1/`` carries ``Deprecation`` (RFC 9745: ``@`` and the moment as
seconds since 1970) and, with ``API_V1_SUNSET_ON``, ``Sunset`` (RFC 8594:
an HTTP date) and a ``Link`` to the documentation's deprecation policy, so
an LA system's logs say so long before the version goes. Unset (the
default), nothing is added.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils.http import http_date

PREFIX = "/api/v1/"


def _moment(day: datetime.date) -> int:
    return int(datetime.datetime.combine(day, datetime.time(), datetime.UTC).timestamp())


def headers(deprecated_on: datetime.date | None, sunset_on: datetime.date | None) -> dict:
    """The headers announcing a deprecation on ``deprecated_on`` and the
    end on ``sunset_on`` (either None: not announced)."""
    out = {}
    if deprecated_on is not None:
        out["Deprecation"] = f"@{_moment(deprecated_on)}"
        out["Link"] = '</api/v1/docs/>; rel="deprecation"; type="text/html"'
        if sunset_on is not None:
            out["Sunset"] = http_date(_moment(sunset_on))
    return out


class DeprecationMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.headers = headers(settings.API_V1_DEPRECATED_ON, settings.API_V1_SUNSET_ON)

    def __call__(self, request):
        response = self.get_response(request)
        if self.headers and request.path.startswith(PREFIX):
            for name, value in self.headers.items():
                response[name] = value
        return response
