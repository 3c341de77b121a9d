"""API reads of a child's record go on the child's access history, as a
page view does (ehc.access_log), naming the token used
(docs/information-governance.md, "Access history")."""

from __future__ import annotations

from ehc.access_log import record_access


def api_shown(request, children, what: str) -> None:
    """One access event for this API response naming ``children``
    (instances or ids), described as ``API: <what> (token '<name>')``."""
    token = getattr(request, "auth", None)
    name = getattr(token, "name", "") or "unknown"
    record_access(request, children, f"API: {what} (token '{name}')"[:100])
