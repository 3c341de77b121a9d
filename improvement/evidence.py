"""Where an action's evidence may point: a page of the portal itself
(docs/improvement.md, "Evidence").

People paste what is in their address bar. :func:`clean_path` keeps the
path, query and fragment of an address in this portal (its own host, from
``SITE_URL``, or a bare path) and refuses anything else, so an evidence
link is always relative to the portal: never an address elsewhere (no open
redirect, no link a phishing message could plant in a board's plan). The
page must be one that holds evidence about the area, not about a child:
the reports, the quality audit samples (advice and EHC plans), services'
waiting times, designated officer resourcing and posts, and the
improvement plans themselves (:data:`ALLOWED`). Whoever
follows a link still meets that page's own access check.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import Resolver404, resolve

MAX_LENGTH = 500

# Namespaces whose every page may be evidence, and single pages of others.
ALLOWED_NAMESPACES = frozenset({"reports", "improvement"})
ALLOWED_PAGES = frozenset(
    {
        "ehc:audit_sample",
        "ehc:plan_sample",  # the sample of EHC plans to audit
        "waits:service_list",  # services' waiting times
        "waits:service_detail",
        "roles:resourcing",
        "roles:resourcing_la",
        "roles:resourcing_body",
        "roles:post_list",
        "roles:post_detail",
        "roles:job_description",
    }
)

NOT_HERE = "Enter the address of a page in this portal, for example /reports/annual/"
NOT_EVIDENCE = (
    "Link to a report, the quality audit sample, resourcing or a post: pages about one "
    "child cannot be evidence in a plan"
)
_UNSAFE = re.compile(r"[\s\\\x00-\x1f\x7f]")


def _own_host() -> str:
    return urlsplit(settings.SITE_URL).netloc.lower()


def clean_path(value: str) -> str:
    """``value`` (a path such as ``/reports/annual/?period=2025`` or a full
    address of this portal) as the path, query and fragment to store.
    Raises ValidationError with a message for the field when it is not an
    address in this portal, or not a page that can be evidence."""
    text = (value or "").strip()
    if not text:
        raise ValidationError("Enter the address of the page")
    if len(text) > MAX_LENGTH:
        raise ValidationError(f"Enter an address of {MAX_LENGTH} characters or fewer")
    if _UNSAFE.search(text):
        raise ValidationError(NOT_HERE)
    parts = urlsplit(text)
    if parts.scheme or parts.netloc:
        if parts.scheme not in ("http", "https") or parts.netloc.lower() != _own_host():
            raise ValidationError(NOT_HERE)
    path = parts.path
    if not path.startswith("/") or path.startswith("//"):
        raise ValidationError(NOT_HERE)
    try:
        match = resolve(path)
    except Resolver404:
        raise ValidationError("There is no page at that address in this portal") from None
    if match.namespace not in ALLOWED_NAMESPACES and match.view_name not in ALLOWED_PAGES:
        raise ValidationError(NOT_EVIDENCE)
    return urlunsplit(("", "", path, parts.query, parts.fragment))
