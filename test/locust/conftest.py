"""Fixtures for the plugin tests: a target server, a callback receiver and real Locust processes.

Run with any Python that has locust and pytest installed:
    <venv>/bin/python -m pytest test/locust -q
"""

from __future__ import annotations

import pytest
from _harness import FIXTURES, CallbackReceiver, LocustProcess, TargetServer


@pytest.fixture(scope="module")
def target():
    server = TargetServer()
    yield server
    server.close()


@pytest.fixture
def receiver():
    server = CallbackReceiver()
    yield server
    server.close()


@pytest.fixture(scope="module")
def spawn_locust():
    """Start Locust processes for a module; all of them are stopped (and their logs shown on failure) after it."""
    started: list[LocustProcess] = []

    def spawn(*extra_args: str, script: str = "steady.py", launch_token: str | None = None) -> LocustProcess:
        args = ["-f", str(FIXTURES / script), *extra_args]
        process = LocustProcess(args, launch_token=launch_token)
        started.append(process)
        return process

    yield spawn
    for process in started:
        process.stop()
        print(f"--- locust {' '.join(process.args)} (exit {process.process.returncode})\n{process.log()}")
