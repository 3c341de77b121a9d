"""Reading configuration from the environment, failing loudly.

Settings call these helpers instead of ``os.environ`` directly so that a
missing or malformed variable stops start-up with a message that says exactly
what to set, rather than surfacing later as an obscure error.
"""

from __future__ import annotations

import datetime
import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class _Required:
    def __repr__(self) -> str:  # pragma: no cover - cosmetic
        return "<required>"


REQUIRED = _Required()


def env_str(name: str, default: str | _Required = REQUIRED, *, hint: str = "") -> str:
    """Return the variable as a string, or raise with a hint if it is required."""
    value = os.environ.get(name)
    if value is not None and value != "":
        return value
    if isinstance(default, _Required):
        message = f"The environment variable {name} must be set."
        if hint:
            message += f" {hint}"
        raise ImproperlyConfigured(message)
    return default


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"The environment variable {name} must be a boolean (1/0, true/false), not {raw!r}."
    )


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(
            f"The environment variable {name} must be a whole number, not {raw!r}."
        ) from None


def env_list(name: str, default: list[str] | _Required = REQUIRED, *, hint: str = "") -> list[str]:
    """A comma-separated list; blanks are dropped."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        if isinstance(default, _Required):
            message = f"The environment variable {name} must be set (comma-separated)."
            if hint:
                message += f" {hint}"
            raise ImproperlyConfigured(message)
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_date(name: str) -> datetime.date | None:
    """The variable as a date (ISO, YYYY-MM-DD), or None when unset or
    empty; raise naming it when it is not a date."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise ImproperlyConfigured(
            f"The environment variable {name} must be a date as YYYY-MM-DD, not {raw!r}."
        ) from None
