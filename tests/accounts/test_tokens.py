"""accounts.tokens: issuing, revoking and recognising API tokens, called
with plain values as the settings page, Django admin and the command do."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from accounts import tokens
from accounts.models import ApiToken
from accounts.roles import AccountKind
from tests import factories as f

pytestmark = pytest.mark.django_db


def in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def service_account(la, **extra):
    return f.LAOfficerFactory(kind=AccountKind.SYSTEM, local_authorities=[la], **extra)


def test_a_token_is_shown_once_and_kept_only_as_its_digest():
    user = f.DesignatedOfficerFactory()
    token, raw = tokens.issue_token(user=user, name="Script", expires_on=in_days(30), by=user)
    assert raw.startswith("sendp_") and len(raw) == 6 + 43
    assert token.digest == tokens.digest_of(raw) and raw not in token.digest
    assert token.prefix == raw[:12]
    assert token.expires_at == tokens.end_of_day(in_days(30))
    stored = ApiToken.objects.get(pk=token.pk)
    assert raw not in {stored.digest, stored.prefix, stored.name}


def test_a_token_names_its_user_and_notes_its_use():
    user = f.LAOfficerFactory()
    token, raw = tokens.issue_token(user=user, name="Link", expires_on=in_days(1), by=user)
    found = tokens.token_for(raw, address="192.0.2.1")
    assert found == token and found.user == user
    assert found.last_used_at is not None


@pytest.mark.parametrize(
    ("name", "days", "field", "message"),
    [
        ("  ", 30, "name", "Enter a name for the token"),
        ("x" * 101, 30, "name", "The name must be 100 characters or fewer"),
        (
            "Link\x00",
            30,
            "name",
            "Remove the hidden control character (such as a null byte) from this text: "
            "it may have come from copying and pasting",
        ),
        ("Script", 0, "expires_on", "The expiry date must be in the future"),
        ("Script", 366, "expires_on", "The expiry date must be within 365 days of today"),
    ],
)
def test_names_and_expiry_are_checked(name, days, field, message):
    user = f.LAOfficerFactory()
    with pytest.raises(ValidationError) as raised:
        tokens.issue_token(user=user, name=name, expires_on=in_days(days), by=user)
    assert raised.value.message_dict == {field: [message]}


def test_a_live_token_name_is_not_used_twice_but_a_revoked_ones_may_be():
    user = f.LAOfficerFactory()
    first, _ = tokens.issue_token(user=user, name="Link", expires_on=in_days(5), by=user)
    with pytest.raises(ValidationError, match="already have a token with this name"):
        tokens.issue_token(user=user, name="link", expires_on=in_days(5), by=user)
    tokens.revoke_token(token=first, by=user)
    tokens.issue_token(user=user, name="Link", expires_on=in_days(5), by=user)


def test_revoked_expired_and_switched_off_tokens_do_not_work():
    user = f.LAOfficerFactory()
    revoked, raw_revoked = tokens.issue_token(user=user, name="A", expires_on=in_days(5), by=user)
    tokens.revoke_token(token=revoked, by=user)
    expired, raw_expired = tokens.issue_token(user=user, name="B", expires_on=in_days(5), by=user)
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now())
    assert tokens.token_for(raw_revoked, address=None) is None
    assert tokens.token_for(raw_expired, address=None) is None
    _live, raw = tokens.issue_token(user=user, name="C", expires_on=in_days(5), by=user)
    assert tokens.token_for(raw, address=None) is not None
    user.is_active = False
    user.save()
    assert tokens.token_for(raw, address=None) is None
    assert tokens.token_for(raw + "x", address=None) is None
    assert tokens.token_for("not-a-token", address=None) is None


def test_only_the_owner_or_an_administrator_revokes():
    owner, other = f.LAOfficerFactory(), f.LAOfficerFactory()
    token, _ = tokens.issue_token(user=owner, name="A", expires_on=in_days(5), by=owner)
    with pytest.raises(PermissionDenied):
        tokens.revoke_token(token=token, by=other)
    tokens.revoke_token(token=token, by=f.AdministratorFactory())
    assert not ApiToken.objects.get(pk=token.pk).is_live


def test_people_issue_their_own_tokens_only():
    user = f.DesignatedOfficerFactory()
    with pytest.raises(PermissionDenied, match="People create their own"):
        tokens.issue_token(user=user, name="A", expires_on=in_days(5), by=f.AdministratorFactory())


def test_a_second_factor_is_needed_where_the_role_requires_one(two_factor_required):
    user = f.DesignatedOfficerFactory()
    with pytest.raises(PermissionDenied, match="second factor"):
        tokens.issue_token(user=user, name="A", expires_on=in_days(5), by=user)
    tokens.issue_token(
        user=user, name="A", expires_on=in_days(5), by=user, second_factor_verified=True
    )


def test_only_an_administrator_issues_a_service_accounts_tokens():
    la = f.LocalAuthorityFactory()
    system = service_account(la)
    with pytest.raises(PermissionDenied, match="Only an administrator"):
        tokens.issue_token(user=system, name="A", expires_on=in_days(5), by=system)
    with pytest.raises(PermissionDenied, match="Only an administrator"):
        tokens.issue_token(user=system, name="A", expires_on=in_days(5), by=f.LAOfficerFactory())
    tokens.issue_token(user=system, name="A", expires_on=in_days(5), by=f.AdministratorFactory())


def test_a_service_account_covers_exactly_one_local_authority():
    system = f.LAOfficerFactory(
        kind=AccountKind.SYSTEM,
        local_authorities=[f.LocalAuthorityFactory(), f.LocalAuthorityFactory()],
    )
    with pytest.raises(PermissionDenied, match="exactly one local authority"):
        tokens.issue_token(user=system, name="A", expires_on=in_days(5), by=None)


@pytest.mark.parametrize(
    ("allowed", "address", "works"),
    [
        ("", "203.0.113.9", True),
        ("192.0.2.10", "192.0.2.10", True),
        ("192.0.2.10", "192.0.2.11", False),
        ("198.51.100.0/24\n192.0.2.0/28", "192.0.2.7", True),
        ("192.0.2.0/28", None, False),
        ("not an address", "192.0.2.7", False),
        ("2001:db8::/32", "2001:db8::1", True),
    ],
)
def test_a_service_accounts_allow_list(allowed, address, works):
    system = service_account(f.LocalAuthorityFactory(), allowed_addresses=allowed)
    _token, raw = tokens.issue_token(user=system, name="A", expires_on=in_days(5), by=None)
    assert (tokens.token_for(raw, address=address) is not None) is works


def test_a_persons_allow_list_is_not_read():
    # Only a service account has one; a person's field stays empty in the
    # admin, and would be ignored if it were not.
    person = f.LAOfficerFactory(allowed_addresses="192.0.2.10")
    _token, raw = tokens.issue_token(user=person, name="A", expires_on=in_days(5), by=person)
    assert tokens.token_for(raw, address="203.0.113.1") is not None


def test_the_command_prints_the_token_on_its_last_line(capsys):
    user = f.CommissionerFactory(email="analyst@example.org")
    call_command("create_api_token", "Analyst@example.org", "--name", "Figures", "--days", "7")
    raw = capsys.readouterr().out.strip().splitlines()[-1]
    token = tokens.token_for(raw, address=None)
    assert token is not None and token.user == user and token.name == "Figures"
    assert token.expires_at == tokens.end_of_day(in_days(7))


def test_the_command_refuses_what_the_rules_refuse():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No user"):
        call_command("create_api_token", "nobody@example.org")
    f.LAOfficerFactory(email="la@example.org")
    with pytest.raises(CommandError, match="within 365 days"):
        call_command("create_api_token", "la@example.org", "--days", "400")


def test_issuing_and_revoking_are_audited_without_the_digest():
    from auditlog.models import LogEntry

    user = f.LAOfficerFactory()
    token, raw = tokens.issue_token(user=user, name="A", expires_on=in_days(5), by=user)
    tokens.revoke_token(token=token, by=user)
    entries = LogEntry.objects.get_for_object(token).order_by("pk")
    assert [e.action for e in entries] == [LogEntry.Action.CREATE, LogEntry.Action.UPDATE]
    assert {e.actor for e in entries} == {user}
    assert all(token.digest not in str(e.changes) and raw not in str(e.changes) for e in entries)
    assert "revoked_at" in entries[1].changes_dict


def test_an_administrator_issues_a_service_accounts_token_in_django_admin():
    from django.test import Client

    la = f.LocalAuthorityFactory()
    system = service_account(la)
    admin = Client()
    admin.force_login(f.AdministratorFactory())
    response = admin.post(
        "/admin/accounts/apitoken/add/",
        {"user": system.pk, "name": "Hub link", "expires_on": str(in_days(60))},
        follow=True,
    )
    assert response.status_code == 200
    messages = " ".join(str(m) for m in response.context["messages"])
    raw = next(word for word in messages.split() if word.startswith("sendp_"))
    assert tokens.token_for(raw, address=None).user == system
    # A person is not offered: people make their own.
    person = f.LAOfficerFactory()
    refused = admin.post(
        "/admin/accounts/apitoken/add/",
        {"user": person.pk, "name": "X", "expires_on": str(in_days(60))},
    )
    assert refused.status_code == 200 and not person.api_tokens.exists()


def test_an_allow_list_line_that_is_not_an_address_is_refused_in_the_admin():
    system = service_account(f.LocalAuthorityFactory(), allowed_addresses="192.0.2.1\n192.0.2.300")
    with pytest.raises(ValidationError) as raised:
        system.full_clean()
    assert raised.value.message_dict["allowed_addresses"] == [
        "Line 2: Enter one address or network a line, such as 192.0.2.10 or 192.0.2.0/24"
    ]
