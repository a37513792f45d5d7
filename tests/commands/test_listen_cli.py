"""`serve` and `emulator` on a port that is taken: one clear line and a non-zero exit, at once, never a hang."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

CLI = [sys.executable, "-m", "intacct_bridge"]


@pytest.fixture
def taken_port():
    holder = socket.create_server(("127.0.0.1", 0))
    yield holder.getsockname()[1]
    holder.close()


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INTACCT_")}
    env.update(INTACCT_BRIDGE_DATA_DIR=str(tmp_path), COLUMNS="200")
    return env


def test_serve_on_a_taken_port_exits_with_a_message(tmp_path, taken_port):
    env = _env(tmp_path)
    # a workspace with a nightly schedule: the scheduler is what kept the process from exiting
    subprocess.run([*CLI, "workspace", "create", "Acme"], env=env, check=True, capture_output=True)
    subprocess.run([*CLI, "settings", "set", "--schedule", "02:00"], env=env, check=True, capture_output=True)
    done = subprocess.run([*CLI, "serve", "--port", str(taken_port)], env=env, capture_output=True, text=True,
                          timeout=120)  # a guard against the old hang, not a measure
    assert done.returncode == 1
    assert f"cannot listen on 127.0.0.1:{taken_port}: Address already in use" in done.stderr
    assert "--port" in done.stderr and "Traceback" not in done.stderr


def test_emulator_on_a_taken_port_is_one_line_not_a_traceback(tmp_path, taken_port):
    done = subprocess.run([*CLI, "emulator", "--port", str(taken_port), "--db", ":memory:", "--seed", "none"],
                          env=_env(tmp_path), capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.strip() == (f"error: cannot listen on 127.0.0.1:{taken_port}: Address already in use "
                                   "(another emulator?); stop it or pick another --port")
