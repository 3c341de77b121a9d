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


def test_options_in_the_database_url_are_kept_beside_jit_off():
    """A statement timeout given in DATABASE_URL (as bench/load.py gives
    one) is kept when the settings add ``-c jit=off``."""
    import os
    import subprocess
    import sys

    url = "postgres://postgres@127.0.0.1:5432/x?options=-c%20statement_timeout%3D5000"
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "1"}
    code = "import config.settings as s; print(s.DATABASES['default']['OPTIONS']['options'])"
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "-c statement_timeout=5000 -c jit=off"
