"""The client's address: the one the sign-in lockout and the audit log record.

Each proxy in front of the portal appends the address it received the request
from to ``X-Forwarded-For``, and the last proxy is the socket peer
(``REMOTE_ADDR``). Behind ``PROXY_COUNT`` proxies the client is therefore the
``PROXY_COUNT``-th entry from the **right** of ``X-Forwarded-For``: everything
to the left of it was sent by the client and may be invented. With no proxy
(``PROXY_COUNT=0``, the default) the header is ignored altogether and the
address is the socket peer's.

django-ipware reads the header (ports, IPv6 brackets, IPv4-mapped IPv6 and
malformed entries are its business); this module only says which entry to
trust. django-axes (``AXES_CLIENT_IP_CALLABLE``) and the audit log
(:class:`core.audit.AuditlogMiddleware`) both call :func:`client_address`,
so the two can never disagree (docs/information-governance.md, "Client
addresses and lockout").
"""

from __future__ import annotations

from django.conf import settings
from ipware import get_client_ip


def client_address(request) -> str | None:
    """The trusted address of the client that sent ``request``, or None.

    With ``PROXY_COUNT`` = N > 0 it is the N-th address from the right of
    ``X-Forwarded-For``. A request that did not come through every proxy
    (no header, or fewer than N entries: a probe calling the container
    directly) gets the socket peer's address instead, which is at least an
    address the client could not choose.
    """
    proxies = settings.PROXY_COUNT
    if proxies > 0:
        # django-ipware counts the proxies *listed in the header*: the last
        # proxy is REMOTE_ADDR, not an entry, so N proxies list N - 1. Not
        # strict: an extra entry the client put on the left must not make
        # the whole header (and so the address) unusable.
        address, _routable = get_client_ip(
            request,
            proxy_order="left-most",
            proxy_count=proxies - 1,
            request_header_order=["HTTP_X_FORWARDED_FOR"],
            strict=False,
        )
        if address:
            return address
    return request.META.get("REMOTE_ADDR") or None
