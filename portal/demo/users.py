"""One demo user per role, scoped to the first demo area."""

from __future__ import annotations

from accounts.models import User
from accounts.roles import OfficerKind, Role
from commissioning.models import ServiceType

# email, full name, label, role, officer kind
DEMO_USERS = [
    ("admin@example.org", "Ada Administrator", "Administrator", Role.ADMINISTRATOR, ""),
    (
        "dco@example.org",
        "Dami Clinical-Officer",
        "Designated Clinical Officer",
        Role.DESIGNATED_OFFICER,
        OfficerKind.DCO,
    ),
    (
        "dmo@example.org",
        "Dev Medical-Officer",
        "Designated Medical Officer",
        Role.DESIGNATED_OFFICER,
        OfficerKind.DMO,
    ),
    (
        "practitioner@example.org",
        "Priya Practitioner",
        "Health practitioner",
        Role.HEALTH_PRACTITIONER,
        "",
    ),
    ("commissioner@example.org", "Cal Commissioner", "Commissioner", Role.COMMISSIONER, ""),
    ("la@example.org", "Lee SEND-Officer", "LA SEND officer", Role.LA_OFFICER, ""),
]


def seed_users(organisations, *, password: str) -> list[User]:
    body = organisations.bodies[0]
    body_las = [la for la in organisations.local_authorities if la.demo_body == body]
    first_provider = organisations.providers[0]
    paediatrics = next(
        (
            s
            for s in organisations.services
            if s.provider_id == first_provider.pk
            and s.service_type == ServiceType.COMMUNITY_PAEDIATRICS
        ),
        next(s for s in organisations.services if s.provider_id == first_provider.pk),
    )
    users = []
    for email, full_name, _label, role, kind in DEMO_USERS:
        user = User.objects.filter(email=email).first() or User(email=email)
        user.full_name = full_name
        user.role = role
        user.officer_kind = kind
        user.commissioning_body = (
            body if role in (Role.COMMISSIONER, Role.DESIGNATED_OFFICER) else None
        )
        user.provider = first_provider if role == Role.HEALTH_PRACTITIONER else None
        user.is_active = True
        user.set_password(password)
        user.save()
        if role in (Role.DESIGNATED_OFFICER, Role.HEALTH_PRACTITIONER):
            user.local_authorities.set(body_las)
        elif role == Role.LA_OFFICER:
            user.local_authorities.set(body_las[:1])
        else:
            # set() rather than clear(): clear() signals a removal (and the
            # audit log records one) even when there is nothing to remove.
            user.local_authorities.set([])
        user.services.set([paediatrics] if role == Role.HEALTH_PRACTITIONER else [])
        users.append(user)
    return users
