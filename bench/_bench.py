"""What every benchmark starts with: Django set up from this checkout, and a
throwaway database that is never your own or the test suite's.

Import it before anything from Django (``import _bench`` works because a
script's own folder is on the import path).
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()


@contextlib.contextmanager
def throwaway_database():
    """A fresh, migrated database for the benchmark, dropped afterwards."""
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The benchmarks sign in with force_login and time pages, not sign-in:
    # two-factor sign-in is switched off here whatever DEBUG and
    # OTP_REQUIRED_ROLES say (tests/two_factor.py shows how to verify a session).
    settings.OTP_REQUIRED_ROLES = []
    if connection.vendor != "sqlite":
        # Never the test suite's kept database, nor another checkout's
        # benchmark on the same server: named after the configured database
        # unless BENCH_DB_NAME names one.
        name = connection.settings_dict["NAME"]
        connection.settings_dict["TEST"]["NAME"] = os.environ.get("BENCH_DB_NAME", f"bench_{name}")
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        yield
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
