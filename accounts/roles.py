"""The portal's access roles (docs/architecture.md, "Access").

Kept free of models so that every app can import it without cycles.
"""

from django.db import models


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", "Administrator"
    DESIGNATED_OFFICER = "designated_officer", "Designated officer (DCO or DMO)"
    HEALTH_PRACTITIONER = "health_practitioner", "Health practitioner"
    COMMISSIONER = "commissioner", "Commissioner"
    LA_OFFICER = "la_officer", "LA SEND officer"


class AccountKind(models.TextChoices):
    """A person signs in; a service account is another system calling the
    API (docs/api.md, "Service accounts")."""

    PERSON = "person", "Person"
    SYSTEM = "system", "Service account (another system)"


class OfficerKind(models.TextChoices):
    """Which designated officer role a designated officer holds."""

    DCO = "dco", "Designated Clinical Officer (DCO)"
    DMO = "dmo", "Designated Medical Officer (DMO)"


# Roles whose scope is a set of local authorities listed on the user.
AREA_SCOPED_ROLES = frozenset({Role.DESIGNATED_OFFICER, Role.HEALTH_PRACTITIONER, Role.LA_OFFICER})


def role_of(user) -> str | None:
    """The user's effective role: None for anonymous or inactive users;
    superusers count as administrators."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Role.ADMINISTRATOR
    return getattr(user, "role", None) or None
