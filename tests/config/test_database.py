"""The database connection's settings (config/settings.py, "Database")."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's JIT only")
def test_postgresql_connections_run_without_jit():
    # Compiling a report statement costs about 90 ms it never earns back.
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def settings_with(expression: str, **environ: str) -> str:
    """``expression`` over the settings module as loaded with ``environ``
    added (a fresh interpreter: settings are read once)."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "DATABASE_CONN_MAX_AGE"}
    env.update(DEBUG="1", **environ)
    code = f"import config.settings as s; print({expression})"
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return out.stdout.strip()


POSTGRES = "postgres://postgres@127.0.0.1:5432/x"


def test_options_in_the_database_url_are_kept_beside_jit_off():
    """A statement timeout given in DATABASE_URL (as bench/load.py gives
    one) is kept when the settings add ``-c jit=off``."""
    url = f"{POSTGRES}?options=-c%20statement_timeout%3D5000"
    options = settings_with("s.DATABASES['default']['OPTIONS']['options']", DATABASE_URL=url)
    assert options == "-c statement_timeout=5000 -c jit=off"


def test_postgresql_connections_are_kept_between_requests_unless_told():
    age = "s.DATABASES['default']['CONN_MAX_AGE']"
    assert settings_with(age, DATABASE_URL=POSTGRES) == "60"
    assert settings_with(age, DATABASE_URL=POSTGRES, DATABASE_CONN_MAX_AGE="0") == "0"
    assert settings_with(age, DATABASE_URL="sqlite:////tmp/x.sqlite3") == "0"
    assert settings_with("s.DATABASES['default']['CONN_HEALTH_CHECKS']") == "True"
