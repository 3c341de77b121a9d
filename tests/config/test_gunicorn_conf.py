"""config/gunicorn_conf.py: gunicorn, run as the Docker image runs it, sends
no Server banner."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(tmp_path, *config):
    port = free_port()
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "gunicorn-test-only-secret-key-0123456789-abcdefghijklmnop",
        "ALLOWED_HOSTS": "127.0.0.1",
        "HTTPS": "0",
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
        "REDIS_URL": "",
        "LOG_LEVEL": "WARNING",
    }
    command = [sys.executable, "-m", "gunicorn", *config, "config.wsgi"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", "1"]
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    return process, f"http://127.0.0.1:{port}/healthz/"


def headers_of(process, url):
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.headers
        except OSError:
            if process.poll() is not None:
                pytest.fail(process.stdout.read().decode())
            time.sleep(0.2)
    pytest.fail("gunicorn did not answer within 30 seconds")


@pytest.mark.parametrize(
    "config,banner", [(("-c", "config/gunicorn_conf.py"), None), ((), "gunicorn")]
)
def test_gunicorn_sends_no_server_banner_with_the_portals_config(tmp_path, config, banner):
    """Without the config file gunicorn names itself, which shows the test
    would notice the banner coming back."""
    process, url = serve(tmp_path, *config)
    try:
        headers = headers_of(process, url)
    finally:
        process.terminate()
        process.wait(timeout=30)
        process.stdout.close()
    assert headers.get("Server") == banner
    assert "camera=()" in headers["Permissions-Policy"]


def test_a_worker_freezes_what_it_imported():
    """post_worker_init moves the objects a worker holds after loading the
    portal into the permanent generation, out of every collection."""
    import gc

    from config import gunicorn_conf

    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    try:
        gunicorn_conf.post_worker_init(worker=None)
        assert gc.get_freeze_count() > 1000
        assert gc.isenabled()
    finally:
        gc.unfreeze()
