"""``Authorization: Bearer <token>`` (docs/api.md, "Tokens").

A token acts as its user, with the user's role and scope; the token itself
is ``request.auth`` (its name goes on the access log). Without a token a
request is anonymous, which :class:`api.permissions.PortalPermission`
answers with 401; a token that is unknown, expired, revoked, of a switched
off user, or used from an address a service account does not allow, is
refused with 401 too, with no word on which.
"""

from __future__ import annotations

from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from accounts import tokens
from core.client_address import client_address

REFUSED = (
    "The token is not valid: it is unknown, expired or revoked, or not allowed from this address."
)


class BearerTokenAuthentication(BaseAuthentication):
    keyword = b"bearer"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise AuthenticationFailed("Send the header as 'Authorization: Bearer <token>'.")
        try:
            raw = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed(REFUSED) from None
        token = tokens.token_for(raw, address=client_address(request._request))
        if token is None:
            raise AuthenticationFailed(REFUSED)
        return token.user, token

    def authenticate_header(self, request) -> str:
        # Present, so a missing or refused token is a 401, not a 403.
        return 'Bearer realm="api"'
