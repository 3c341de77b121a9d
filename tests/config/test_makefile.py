"""`make run` points the links in emails at the portal it serves."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run(stamp: Path, *arguments: str) -> set[str]:
    """SITE_URL as `make run` passes it on. Stand-ins make the run target
    only report it: a fresh stamp file says the virtualenv is installed
    (nothing is installed), and every Python command prints SITE_URL."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    stamp.touch()
    echo = [f"STAMP={stamp}", "PY=sh -c 'echo SITE_URL=$$SITE_URL' python"]
    done = subprocess.run(
        ["make", "--no-print-directory", "-s", "run", *echo, *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return {line for line in done.stdout.splitlines() if line.startswith("SITE_URL=")}


def test_make_run_sets_site_url_from_host_and_port(tmp_path):
    stamp = tmp_path / "installed"
    assert _run(stamp, "PORT=8123") == {"SITE_URL=http://127.0.0.1:8123"}
    assert _run(stamp, "HOST=0.0.0.0", "PORT=9000") == {"SITE_URL=http://0.0.0.0:9000"}


def test_a_site_url_given_to_make_run_wins(tmp_path):
    assert _run(tmp_path / "installed", "PORT=8123", "SITE_URL=https://portal.example.org") == {
        "SITE_URL=https://portal.example.org"
    }
