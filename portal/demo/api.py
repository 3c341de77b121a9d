"""Demo of the API (docs/api.md): a service account for the first demo
area's LA system ("Demo EHC Hub link"), a fresh token for it (printed by
seed_demo, so `make run` can be tried with curl at once), and two requests
the "LA system" sent through the API's intake, so the worklist shows
requests that arrived that way. Runs after the casework, whose clean-up
removes the demo children (LA references starting DEMO-) these requests
name, so a rerun makes them again rather than twice."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from accounts import tokens
from accounts.models import User
from accounts.roles import AccountKind, Role
from api import intake
from ehc.models import Child
from portal.demo.casework import DEMO_MARKER, nhs_number

EMAIL = "ehc-hub@example.org"
TOKEN_NAME = "Demo EHC Hub token"

# (given name, family name, date of birth, LA reference of the child, of the request)
SENT = [
    ("Noor", "Apidemo", datetime.date(2016, 3, 9), "API-0001", "EHC-API-0001"),
    ("Theo", "Apidemo", datetime.date(2012, 11, 21), "API-0002", "EHC-API-0002"),
]


def seed_api(organisations) -> dict:
    """The service account, its token (the only live one) and the requests
    it sent. Returns ``{"account": User, "token": str, "requests": int}``."""
    la = organisations.local_authorities[0]
    account = User.objects.filter(email=EMAIL).first() or User(email=EMAIL)
    account.full_name = "Demo EHC Hub link"
    account.role = Role.LA_OFFICER
    account.kind = AccountKind.SYSTEM
    account.allowed_addresses = "127.0.0.1\n::1"  # the demo runs on this machine
    account.is_active = True
    account.set_unusable_password()
    account.save()
    account.local_authorities.set([la])
    for old in account.api_tokens.live():
        tokens.revoke_token(token=old, by=account)
    _token, raw = tokens.issue_token(
        user=account,
        name=TOKEN_NAME,
        expires_on=timezone.localdate() + datetime.timedelta(days=30),
        by=None,
    )
    asked = [s.pk for s in organisations.services if la in s.local_authorities.all()][:2]
    sent = 0
    rng = random.Random(20)  # NHS numbers in the 999 test range, none held already
    for given, family, born, child_ref, request_ref in SENT:
        number = nhs_number(rng)
        while Child.objects.filter(nhs_number=number).exists():
            number = nhs_number(rng)
        intake.receive_request(
            by=account,
            values={
                "child": {
                    "given_name": given,
                    "family_name": family,
                    "date_of_birth": born,
                    "nhs_number": number,
                    "la_reference": f"{DEMO_MARKER}{child_ref}",
                },
                "process": "needs_assessment",
                "la_reference": request_ref,
                "sent_on": timezone.localdate() - datetime.timedelta(days=2),
                "services": asked,
            },
        )
        sent += 1
    return {"account": account, "token": raw, "requests": sent}
