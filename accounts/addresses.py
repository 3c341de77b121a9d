"""A service account's allowed client addresses (docs/api.md, "Service
accounts"): one address or network a line, IPv4 or IPv6."""

from __future__ import annotations

import ipaddress

from django.core.exceptions import ValidationError

MESSAGE = "Enter one address or network a line, such as 192.0.2.10 or 192.0.2.0/24"


def networks(text: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """The networks listed in ``text`` (an address is a network of one);
    lines that are neither are left out, so a typo allows nothing more."""
    found = []
    for line in text.splitlines():
        try:
            found.append(ipaddress.ip_network(line.strip(), strict=False))
        except ValueError:
            continue
    return found


def validate_allowed_addresses(text: str) -> None:
    """Refuse a line that is not an address or a network (ValidationError
    naming the line)."""
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            ipaddress.ip_network(line.strip(), strict=False)
        except ValueError:
            raise ValidationError(f"Line {number}: {MESSAGE}") from None
