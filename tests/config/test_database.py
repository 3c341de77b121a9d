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
