"""Real servers and a real Locust process for the plugin's integration tests."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[2]
PLUGIN_DIR = REPO / "locust"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CALLBACK_PREFIX = "/v1/internal/locust/"
READY_LINE = re.compile(r"loadctl plugin ready: web UI at (\S+)")


def wait_until(condition, timeout: float, what: str, describe=lambda: ""):
    """Poll `condition` until it returns something truthy; fail with `what` at the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}\n{describe()}")
        time.sleep(0.02)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _serve(handler_class) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_class)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


class TargetServer:
    """The system under load: 200 for every path, 500 for paths starting with /fail."""

    def __init__(self):
        self.served = 0
        self._lock = threading.Lock()
        target = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                with target._lock:
                    target.served += 1
                status = 500 if self.path.startswith("/fail") else 200
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            do_GET = do_POST = _answer

            def log_message(self, *_args):
                pass

        self.server = _serve(Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@dataclass
class Callback:
    kind: str
    authorization: str | None
    body: dict
    status: int
    arrived: float


class CallbackReceiver:
    """Stands in for loadctl's control plane: records every callback, answers as scripted."""

    def __init__(self):
        self.calls: list[Callback] = []
        self._rules: list[list] = []  # [kind or None, remaining count, status]
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"null")
                kind = self.path[len(CALLBACK_PREFIX) :] if self.path.startswith(CALLBACK_PREFIX) else "?"
                status = receiver._status_for(kind)
                with receiver._lock:
                    receiver.calls.append(
                        Callback(kind, self.headers.get("Authorization"), body, status, time.monotonic())
                    )
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *_args):
                pass

        self.server = _serve(Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}{CALLBACK_PREFIX.rstrip('/')}"

    def answer_next(self, count: int, status: int, kind: str | None = None) -> None:
        """Answer the next `count` callbacks (of `kind`, or of any kind) with `status`."""
        with self._lock:
            self._rules.append([kind, count, status])

    def _status_for(self, kind: str) -> int:
        with self._lock:
            for rule in self._rules:
                if rule[1] > 0 and rule[0] in (None, kind):
                    rule[1] -= 1
                    return rule[2]
        return 200

    def accepted(self, run_id: str | None = None) -> list[Callback]:
        with self._lock:
            return [c for c in self.calls if 200 <= c.status < 300 and run_id in (None, c.body.get("runId"))]

    def attempts(self, kind: str) -> list[Callback]:
        with self._lock:
            return [c for c in self.calls if c.kind == kind]

    def wait_for_stop(self, run_id: str, timeout: float, describe=lambda: "") -> Callback:
        return wait_until(
            lambda: next((c for c in self.accepted(run_id) if c.kind == "test-stop"), None),
            timeout,
            f"test-stop of {run_id}",
            describe,
        )

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class LocustProcess:
    """`python -m locust` with the plugin on PYTHONPATH; its output is kept for diagnosis."""

    def __init__(self, args: list[str], launch_token: str | None = None):
        env = {k: v for k, v in os.environ.items() if k != "LOADCTL_LAUNCH_TOKEN"}
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PLUGIN_DIR), env.get("PYTHONPATH")]))
        env["PYTHONUNBUFFERED"] = "1"
        if launch_token is not None:
            env["LOADCTL_LAUNCH_TOKEN"] = launch_token
        self.args = args
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            [sys.executable, "-m", "locust", *args],
            env=env,
            cwd=FIXTURES,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self._base_url: str | None = None

    def _read(self):
        for line in self.process.stdout:
            self.lines.append(line)

    def log(self) -> str:
        return "".join(self.lines[-80:])

    def find(self, pattern: str) -> list[str]:
        return [line for line in list(self.lines) if re.search(pattern, line)]

    def wait_for_line(self, pattern: str, timeout: float = 30) -> str:
        def seen():
            if found := self.find(pattern):
                return found[0]
            if self.process.poll() is not None:
                raise AssertionError(f"locust exited ({self.process.returncode}) before {pattern!r}\n{self.log()}")
            return None

        return wait_until(seen, timeout, repr(pattern), self.log)

    @property
    def base_url(self) -> str:
        if self._base_url is None:
            self._base_url = READY_LINE.search(self.wait_for_line(READY_LINE.pattern)).group(1)
        return self._base_url

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._reader.join(timeout=5)
        return self.process.returncode


# ---- what loadctl's orchestrator does, and what the tests read back ----------------------


def web_ui_args(target: TargetServer) -> list[str]:
    return ["--web-host", "127.0.0.1", "--web-port", "0", "--host", target.url]


def start_run(
    locust: LocustProcess,
    receiver: CallbackReceiver,
    target: TargetServer,
    run_id: str,
    *,
    users: int = 4,
    duration: float = 2,
    interval: float = 0.5,
    token: str = "callback-secret",
    launch_token: str | None = None,
) -> None:
    """What loadctl's orchestrator does: set-context, then /swarm."""
    context = {
        "runId": run_id,
        "callbackUrl": receiver.url,
        "callbackToken": token,
        "durationSeconds": duration,
        "metricsIntervalSeconds": interval,
    }
    headers = {"Authorization": f"Bearer {launch_token}"} if launch_token else {}
    answer = requests.post(f"{locust.base_url}/controlplane/set-context", json=context, headers=headers, timeout=10)
    assert answer.status_code == 200, answer.text
    swarm = {"user_count": users, "spawn_rate": 50, "host": target.url}
    answer = requests.post(f"{locust.base_url}/swarm", data=swarm, timeout=10)
    assert answer.json()["success"] is True, answer.text


def locust_state(locust: LocustProcess) -> str:
    return requests.get(f"{locust.base_url}/stats/requests", timeout=10).json()["state"]


def wait_for_state(locust: LocustProcess, state: str, timeout: float = 10) -> None:
    # /stats/requests is cached for 2 s by Locust, so allow for a stale answer
    wait_until(lambda: locust_state(locust) == state, timeout, f"locust state {state!r}", locust.log)


def histogram_total(callbacks) -> int:
    return sum(sum(c.body["histogram"].values()) for c in callbacks)
