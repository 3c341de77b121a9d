"""Production settings: checked in a fresh process with a production environment."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "x" * 20 + "-a-long-random-production-secret-value-0123456789",
    "ALLOWED_HOSTS": "send.example.nhs.uk",
    "HTTPS": "1",
    "DATABASE_URL": "sqlite:///:memory:",
}


# Variables the test run sets for itself that a production process never has.
TEST_ONLY = {"HTTPS", "DJANGO_ALLOW_ASYNC_UNSAFE", "STATIC_MANIFEST", "OTP_REQUIRED_ROLES"}


def _manage(*args, env_overrides=None, drop=()):
    env = {k: v for k, v in os.environ.items() if k not in drop and k not in TEST_ONLY}
    env.update(PRODUCTION)
    env.update(env_overrides or {})
    for name in drop:
        env.pop(name, None)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_deploy_check_passes_in_production():
    result = _manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


def test_missing_secret_key_fails_with_a_hint():
    result = _manage("check", drop=("SECRET_KEY",))
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_missing_allowed_hosts_fails_with_a_hint():
    result = _manage("check", drop=("ALLOWED_HOSTS",))
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_malformed_boolean_is_reported():
    result = _manage("check", env_overrides={"EMAIL_USE_TLS": "maybe"})
    assert result.returncode != 0
    assert "EMAIL_USE_TLS must be a boolean" in result.stderr


def test_seed_demo_refuses_with_debug_off():
    result = _manage("seed_demo")
    assert result.returncode != 0
    assert "refuses to run with DEBUG off" in result.stderr


def test_collectstatic_builds_the_production_manifest(tmp_path):
    result = _manage("collectstatic", "--no-input", env_overrides={"STATIC_ROOT": str(tmp_path)})
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "staticfiles.json").exists()
    assert list(tmp_path.glob("vendor/govuk-frontend/govuk-frontend.min.*.css"))


def test_manage_py_in_a_checkout_defaults_to_development():
    """A developer (or a tool) running manage.py with nothing set gets a
    working development configuration, not a missing-variable error."""
    env = {k: v for k, v in os.environ.items() if k not in TEST_ONLY | {"DEBUG", "SECRET_KEY"}}
    env["DATABASE_URL"] = "sqlite:///:memory:"
    result = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No changes detected" in result.stdout


def test_wsgi_in_production_fails_at_start_up_without_secret_key():
    env = {k: v for k, v in os.environ.items() if k not in TEST_ONLY | {"DEBUG", "SECRET_KEY"}}
    env["ALLOWED_HOSTS"] = "send.example.nhs.uk"
    result = subprocess.run(
        [sys.executable, "-c", "import config.wsgi"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
