"""`compacts up` end to end, as a person runs it: a fresh data folder, the real console entry
point, the production server and the worker, then an HTTP request."""

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def compacts_env(data_dir: Path) -> dict:
    env = {**os.environ, "COMPACTS_DATA_DIR": str(data_dir)}
    env["DJANGO_SETTINGS_MODULE"] = "compacts.config.settings.local"
    env.pop("DATABASE_URL", None)
    return env


def wait_for(url: str, process: subprocess.Popen, deadline_s: float = 400) -> bytes:
    """Poll until the server answers (bounded: the process's exit or the deadline ends it)."""
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        if process.poll() is not None:
            raise AssertionError(f"compacts up exited early with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
                return response.read()
        except OSError:
            time.sleep(0.25)
    raise AssertionError(f"{url} did not answer within {deadline_s} s")


class UpCommandTests:
    def test_up_without_demo_serves_the_platform_and_has_no_known_account(self, tmp_path):
        port = free_port()
        process = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "compacts",
                "up",
                "--no-demo",
                "--port",
                str(port),
                "--workers",
                "1",
            ],
            env=compacts_env(tmp_path),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            home = wait_for(f"http://127.0.0.1:{port}/", process)
            assert b"Coordinating the Global Compacts" in home
            css = wait_for(f"http://127.0.0.1:{port}/static/core/site.css", process)
            assert b"--un-blue" in css
            objectives = json.loads(
                wait_for(f"http://127.0.0.1:{port}/api/v1/framework/gcm/objectives", process)
            )
            assert objectives["count"] == 23
        finally:
            process.send_signal(signal.SIGINT)
            output, _ = process.communicate(timeout=30)
        assert f"running at http://127.0.0.1:{port}/" in output
        assert "uv run compacts createadmin" in output
        with sqlite3.connect(tmp_path / "compacts.sqlite3") as db:
            assert db.execute("SELECT COUNT(*) FROM core_user").fetchone()[0] == 0

    def test_prepare_is_idempotent_and_loads_demo_logins(self, tmp_path):
        """Running the preparation twice changes nothing the second time; demo accounts exist."""
        env = compacts_env(tmp_path)
        command = [sys.executable, "-m", "compacts", "up", "--prepare-only"]
        first = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
        assert first.returncode == 0, first.stderr[-2000:]
        with sqlite3.connect(tmp_path / "compacts.sqlite3") as db:
            counts = {
                table: db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]  # noqa: S608
                for table in ("core_user", "core_auditrecord")
            }
        second = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
        assert second.returncode == 0, second.stderr[-2000:]
        with sqlite3.connect(tmp_path / "compacts.sqlite3") as db:
            assert db.execute("SELECT COUNT(*) FROM core_user").fetchone()[0] == counts["core_user"]
            # Nothing was written again: a rerun appends no audit record.
            assert (
                db.execute("SELECT COUNT(*) FROM core_auditrecord").fetchone()[0]
                == counts["core_auditrecord"]
            )
            assert (
                db.execute(
                    "SELECT COUNT(*) FROM core_user WHERE username LIKE 'demo-%'"
                ).fetchone()[0]
                >= 1
            )


pytestmark = pytest.mark.slow
