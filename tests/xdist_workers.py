"""Loaded before Django (``-p tests.xdist_workers`` in pyproject.toml).

``make test`` runs the suite on every core with pytest-xdist. pytest-django
gives each worker its own test database (``test_<name>_gw0``, ...); this gives
each worker its own Redis database too, so a worker emptying its cache between
tests (tests/conftest.py, ``empty_redis_cache``) or a rate-limit counter never
reaches another worker's test. Worker ``gwN`` takes the database ``N + 1`` below
the one ``REDIS_URL`` names (CI's ``/15`` becomes ``/14`` and ``/13``).
"""

import os

_worker = os.environ.get("PYTEST_XDIST_WORKER", "")  # "gw0", "gw1", ... or unset
_url = os.environ.get("REDIS_URL", "")
if _worker.startswith("gw") and _url:
    _base, _, _db = _url.rpartition("/")
    _number = int(_db) if _db.isdigit() else 0
    os.environ["REDIS_URL"] = f"{_base}/{(_number - 1 - int(_worker[2:])) % 16}"
