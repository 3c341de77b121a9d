"""Import first in a benchmark that measures what production runs: DEBUG
off, tasks in-process (no broker), and no HTTPS redirect or second factor
in the way of the test client. Then it sets Django up (``_bench``).

``import _production`` works because a script's own folder is on the
import path.
"""

from __future__ import annotations

import os
import warnings

os.environ["DEBUG"] = "0"
os.environ.pop("REDIS_URL", None)
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-any-real-deployment-0123456789")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("HTTPS", "0")
os.environ.setdefault("STATIC_MANIFEST", "0")
os.environ.setdefault("OTP_REQUIRED_ROLES", "none")

# WhiteNoise warns that STATIC_ROOT is missing: the test client fetches no static files.
warnings.filterwarnings("ignore", message="No directory at")

import _bench  # noqa: E402, F401  (sets Django up)
