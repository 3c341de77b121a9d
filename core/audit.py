"""Name the acting user on the audit log, in a request or outside one.

django-auditlog's middleware names the signed-in user as the actor of the
entries a request writes. A service called from an importer, a shell, a
task or the API has no such request, yet its writes must still say who made
them: services wrap their writes in :func:`acting_as` (docs/architecture.md,
"Services and forms").

:class:`AuditlogMiddleware` replaces the library's middleware so that the
address on each entry is the trusted client address, the one the sign-in
lockout uses (core.client_address).
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator

from auditlog.context import auditlog_value, set_extra_data
from auditlog.middleware import AuditlogMiddleware as BaseAuditlogMiddleware
from django.conf import settings
from django.db import transaction

from core.client_address import client_address


def saved_user(by):
    """``by`` when it is a saved user, else None (the portal itself, or an
    unsaved or anonymous user): what a "by whom" field or the audit log
    may record."""
    return by if getattr(by, "pk", None) is not None else None


@contextlib.contextmanager
def acting_as(by) -> Iterator[None]:
    """Name ``by`` (a saved user) as the actor of the audit log entries
    written inside the block.

    Inside a request the middleware has already set a context naming the
    signed-in user and the request's address: the block runs under a copy
    of it naming ``by``, and the request's own context is put back
    afterwards (auditlog's context managers do not restore what was there
    before). ``by`` of ``None`` (a write the system makes) changes nothing.
    """
    if saved_user(by) is None:
        yield
        return
    current = auditlog_value.get(None) or {}
    data = {key: value for key, value in current.items() if key != "signal_duid"}
    token = auditlog_value.set(current or None)
    try:
        with set_extra_data(context_data={**data, "actor": by}):
            yield
    finally:
        auditlog_value.reset(token)


def service_write(function):
    """Decorate a service: it runs in one transaction, with its ``by``
    keyword argument (the acting user; None for the portal itself) named as
    the actor of the audit log entries it writes (:func:`acting_as`)."""

    @functools.wraps(function)
    def run(*args, **kwargs):
        with transaction.atomic(), acting_as(kwargs.get("by")):
            return function(*args, **kwargs)

    return run


class AuditlogMiddleware(BaseAuditlogMiddleware):
    """django-auditlog's middleware, recording the trusted client address.

    The library's own takes the first ``X-Forwarded-For`` entry, which any
    client can write; this one records :func:`core.client_address.client_address`,
    the address the sign-in lockout uses too. The port is not recorded: the
    only source the library knows, ``X-Forwarded-Port``, is also a header the
    client may have chosen.
    """

    @staticmethod
    def _get_remote_addr(request):
        if settings.AUDITLOG_DISABLE_REMOTE_ADDR:
            return None
        return client_address(request)

    @staticmethod
    def _get_remote_port(request):
        return None
