"""Shared access checks: every protected view is tried as anonymous, wrong
role, right role and other area (style.md #18). Use these from every view
test so none of the four cases is forgotten.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlparse

from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client


@dataclass
class Area:
    """A self-contained local area with one user of every role in it."""

    body: object
    local_authority: object
    provider: object
    service: object
    administrator: object
    officer: object
    practitioner: object
    commissioner: object
    la_officer: object

    def user(self, role_name: str):
        return getattr(self, role_name)

    def everyone(self) -> list:
        """One user of each role."""
        return [
            self.administrator,
            self.officer,
            self.practitioner,
            self.commissioner,
            self.la_officer,
        ]

    def scoped_users(self) -> list:
        """Every role whose view depends on the area (all but administrators)."""
        return self.everyone()[1:]


def make_area() -> Area:
    from tests import factories as f

    body = f.CommissioningBodyFactory()
    la = f.LocalAuthorityFactory()
    f.CommissioningLinkFactory(commissioning_body=body, local_authority=la)
    f.ChildPopulationFactory(local_authority=la)
    provider = f.ProviderFactory()
    service = f.ServiceFactory(provider=provider)
    service.local_authorities.set([la])
    return Area(
        body=body,
        local_authority=la,
        provider=provider,
        service=service,
        administrator=f.AdministratorFactory(),
        officer=f.DesignatedOfficerFactory(local_authorities=[la], commissioning_body=body),
        practitioner=f.PractitionerFactory(
            provider=provider, local_authorities=[la], services=[service]
        ),
        commissioner=f.CommissionerFactory(commissioning_body=body),
        la_officer=f.LAOfficerFactory(local_authorities=[la]),
    )


def get_as(user, url: str, method: str = "get", data=None):
    """The response to ``user`` (None: anonymous) asking for ``url``."""
    client = Client()
    if user is not None:
        client.force_login(user)
    return getattr(client, method)(url, data or {})


def assert_anonymous_redirected(url: str, method: str = "get") -> None:
    response = get_as(None, url, method)
    assert response.status_code == 302, f"anonymous {method.upper()} {url}: {response.status_code}"
    login = resolve_url(settings.LOGIN_URL)
    assert urlparse(response["Location"]).path == login, response["Location"]


def assert_access(
    url: str,
    *,
    allowed: list,
    denied: list,
    other_area: list | None = None,
    method: str = "get",
    data=None,
    other_area_status: int = 404,
) -> None:
    """Check the four cases for one URL.

    ``allowed`` users get 200, ``denied`` users (wrong role) get 403,
    ``other_area`` users (right role, another area) get ``other_area_status``
    (404 for a record outside scope), anonymous users go to sign-in.
    """
    assert allowed, "name at least one user who may use the view"
    assert_anonymous_redirected(url, method)
    for user in allowed:
        response = get_as(user, url, method, data)
        assert response.status_code == 200, (
            f"{user.role} {method.upper()} {url}: expected 200, got {response.status_code}"
        )
    for user in denied:
        response = get_as(user, url, method, data)
        assert response.status_code == 403, (
            f"{user.role} {method.upper()} {url}: expected 403, got {response.status_code}"
        )
    for user in other_area or []:
        response = get_as(user, url, method, data)
        assert response.status_code == other_area_status, (
            f"other-area {user.role} {method.upper()} {url}: expected "
            f"{other_area_status}, got {response.status_code}"
        )
