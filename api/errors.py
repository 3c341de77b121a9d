"""The API's one error shape (docs/api.md, "Errors").

Every error answers with JSON::

    {
      "status": 400,
      "code": "invalid",
      "detail": "Check the fields listed in errors.",
      "errors": {"sent_on": ["Enter the date the LA sent the request"],
                 "child.nhs_number": ["..."], "non_field_errors": ["..."]}
    }

``errors`` is present for invalid input only, keyed by field (a nested
field by its dotted path, a rule about the whole record by
``non_field_errors``), with the same messages the portal's forms show:
the API calls the same services (docs/architecture.md, "Services and
forms"). A service's :class:`django.core.exceptions.ValidationError` is a
400, a stale edit (another save since the version sent) a 409, Django's
PermissionDenied a 403 and Http404 a 404.
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.submissions import AlreadySent
from ehc.saving import StaleEdit

INVALID = "Check the fields listed in errors."


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class KeyReused(exceptions.APIException):
    """An idempotency key sent again with another body (RFC 9110's 422:
    the request is well formed but cannot be processed as sent)."""

    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "idempotency_key_reused"
    default_detail = (
        "This Idempotency-Key was used for a different request. Send a new key for a new "
        "request, or the same body to retry."
    )


def field_errors(error: DjangoValidationError) -> dict[str, list[str]]:
    """A service's ValidationError as ``{field: [messages]}``, a rule about
    the whole record under ``non_field_errors``."""
    if not hasattr(error, "error_dict"):
        return {"non_field_errors": list(error.messages)}
    out: dict[str, list[str]] = {}
    for field, problems in error.message_dict.items():
        key = "non_field_errors" if field == NON_FIELD_ERRORS else field
        out.setdefault(key, []).extend(problems)
    return out


def prefixed(errors: dict, prefix: str) -> dict:
    """``errors`` with each field key put under ``prefix`` (``child.``)."""
    return {
        (key if key == "non_field_errors" else f"{prefix}{key}"): value
        for key, value in errors.items()
    }


def _flatten(detail, path: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as dotted paths to lists of strings."""
    out: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            key = "non_field_errors" if key in (NON_FIELD_ERRORS, "non_field_errors") else key
            inner = key if not path else (path if key == "non_field_errors" else f"{path}.{key}")
            for name, messages in _flatten(value, inner).items():
                out.setdefault(name, []).extend(messages)
    elif isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            out[path or "non_field_errors"] = [str(item) for item in detail]
        else:
            for index, item in enumerate(detail):
                for name, messages in _flatten(
                    item, f"{path}.{index}" if path else str(index)
                ).items():
                    out.setdefault(name, []).extend(messages)
    else:
        out[path or "non_field_errors"] = [str(detail)]
    return out


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(field_errors(exc))
    elif isinstance(exc, StaleEdit):
        exc = Conflict(StaleEdit.message)
    elif isinstance(exc, AlreadySent):
        exc = Conflict(AlreadySent.message)
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound("Not found: there is no such record that you may see.")
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    body = {"status": response.status_code, "code": "error", "detail": ""}
    if isinstance(exc, exceptions.ValidationError):
        body.update(code="invalid", detail=INVALID, errors=_flatten(exc.detail))
    else:
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        body["code"] = codes if isinstance(codes, str) else "error"
        body["detail"] = str(getattr(exc, "detail", "")) or str(exc)
    return Response(body, status=response.status_code, headers=_headers(response))


def _headers(response) -> dict:
    return {
        name: response[name]
        for name in ("WWW-Authenticate", "Retry-After", "Allow")
        if response.has_header(name)
    }
