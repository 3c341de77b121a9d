"""The requirement's configuration: on by default whenever DEBUG is off,
off with DEBUG on, checked at start-up and by ``check --deploy``."""

from __future__ import annotations

import pytest

from accounts.permissions import ROLE_PERMISSIONS
from accounts.two_factor import setup
from tests.config.test_settings import _manage

SHELL = ("shell", "--no-imports", "-c")
PRINT_ROLES = "from django.conf import settings; print(','.join(settings.OTP_REQUIRED_ROLES))"


def test_the_identifiable_roles_are_those_that_see_identifiable_records():
    assert set(setup.IDENTIFIABLE_ROLES) == {
        "administrator",
        "designated_officer",
        "health_practitioner",
        "la_officer",
    }
    assert all(
        "portal.view_identifiable_records" in ROLE_PERMISSIONS[role]
        for role in setup.IDENTIFIABLE_ROLES
    )


def test_on_by_default_whenever_debug_is_off():
    result = _manage(*SHELL, PRINT_ROLES)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().split(",") == list(setup.IDENTIFIABLE_ROLES)


def test_off_by_default_in_development():
    result = _manage(*SHELL, PRINT_ROLES, env_overrides={"DEBUG": "1"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


@pytest.mark.parametrize(
    ("value", "expected"),
    [("none", ""), ("administrator, commissioner", "administrator,commissioner")],
)
def test_configurable_per_role(value, expected):
    result = _manage(*SHELL, PRINT_ROLES, env_overrides={"OTP_REQUIRED_ROLES": value})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


def test_an_unknown_role_stops_start_up():
    result = _manage("check", env_overrides={"OTP_REQUIRED_ROLES": "administrator,dco"})
    assert result.returncode != 0
    assert "accounts.E101" in result.stderr
    assert "OTP_REQUIRED_ROLES names dco, which is not a role" in result.stderr


def test_the_deploy_check_warns_when_an_identifiable_role_is_let_off():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_overrides={"OTP_REQUIRED_ROLES": "administrator"},
    )
    assert result.returncode != 0
    assert "accounts.W101" in result.stderr
    assert "designated_officer, health_practitioner, la_officer" in result.stderr


def test_the_checks_pass_with_the_default(settings):
    settings.OTP_REQUIRED_ROLES = list(setup.IDENTIFIABLE_ROLES)
    assert setup.check_required_roles() == []
    assert setup.check_identifiable_roles_required() == []
