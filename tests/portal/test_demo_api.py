"""The API's demo (portal/demo/api.py): a service account whose fresh
token works from this machine, and requests it sent, made again (not
twice) on a rerun."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from accounts import tokens
from accounts.models import User
from ehc.models import HealthAdviceRequest
from portal.demo.api import EMAIL

pytestmark = pytest.mark.django_db


def test_the_demo_la_system_and_its_requests(settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo", size="small")
    first = capsys.readouterr().out
    call_command("seed_demo", size="small")
    second = capsys.readouterr().out
    account = User.objects.get(email=EMAIL)
    assert account.is_service_account and not account.has_usable_password()
    sent = HealthAdviceRequest.objects.filter(created_by=account)
    assert sorted(sent.values_list("la_reference", flat=True)) == ["EHC-API-0001", "EHC-API-0002"]
    old, new = (
        next(line.rsplit(" ", 1)[1] for line in out.splitlines() if "Demo API token" in line)
        for out in (first, second)
    )
    assert tokens.token_for(old, address="127.0.0.1") is None  # revoked by the rerun
    assert tokens.token_for(new, address="127.0.0.1").user == account
    assert tokens.token_for(new, address="192.0.2.1") is None
