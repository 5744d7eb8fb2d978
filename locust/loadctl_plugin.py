"""loadctl's Locust plugin: control-plane routes, run callbacks and auto-stop.

loadctl injects ``import loadctl_plugin`` into the user's script (``locust/`` is on
PYTHONPATH). On the local or master runner, with a web UI, the plugin adds:

    POST {base}/controlplane/set-context   which run the next test reports to
    GET  {base}/controlplane/context       that context, without its token
    POST {base}/controlplane/final-report  {runId} → the run's test-stop payload in the answer
                                           (stops the test first if it runs): for a control
                                           plane whose watchdog found the run silent
    GET  {base}/controlplane/workers       a master's workers (id, host, state, users), read from
                                           its runner's clients: loadctl waits for them before /swarm

and, for the next test Locust starts, posts JSON to ``{callbackUrl}/test-start`` (seq 0),
``{callbackUrl}/metrics`` every interval (seq 1..n) and ``{callbackUrl}/test-stop`` (the
highest seq), each with ``Authorization: Bearer <callbackToken>``. It also owns the run's
duration: when it elapses it calls ``runner.stop()`` and marks the run ``autoStopped``.
"""

from __future__ import annotations

import os
import sys

# Python compiles a whole module before running its first statement: this import running means
# the locustfile compiled. A Locust that loadctl started (it gives a launch token) says so at
# once, so loadctl needs no separate Python start to check the script's syntax (issue 14).
if os.environ.get("LOADCTL_LAUNCH_TOKEN"):
    sys.stderr.write("loadctl plugin imported: the locustfile compiled\n")
    sys.stderr.flush()

import hashlib
import hmac
import json
import logging
import math
import re
import select
import signal
import time
import traceback
from dataclasses import dataclass, field
from datetime import datetime, timezone
from urllib.parse import urlsplit

# locust first: importing it gevent-patches the standard library, which must happen before ssl loads
from locust import events
from locust.runners import (
    STATE_MISSING,
    STATE_RUNNING,
    STATE_SPAWNING,
    WORKER_REPORT_INTERVAL,
    LocalRunner,
    MasterRunner,
    WorkerRunner,
)

# isort: split
import gevent
import requests
from flask import request
from gevent.event import Event
from loadctl_shapes import StagesShape, parse_stages, shape_report

logger = logging.getLogger("loadctl")

REQUEST_TIMEOUT = 5.0
# test-start and metrics: one try plus three retries; numbers are cumulative, so a lost push costs nothing
PUSH_BACKOFFS = (0.25, 0.5, 1.0)
FINAL_BACKOFF_FIRST, FINAL_BACKOFF_MAX = 0.25, 5.0
# when Locust is shutting down the process exits right after test_stop: bound the wait
QUIT_GRACE_SECONDS = 10.0
OK, RETRY, GIVE_UP = "ok", "retry", "give-up"
# like Locust's own web UI: a script that forgets name= on dynamic URLs makes thousands of
# entries, which would bloat every push past what the control plane accepts
MAX_ROWS = 500
# the control plane's limits for exception rows (src/controlplane/schemas.ts): never send what it refuses
MAX_EXCEPTIONS = 100
MAX_EXCEPTION_TEXT = 20_000
MAX_WHERE_TEXT = 2_000
# the control plane's limits for request and error rows (src/controlplane/schemas.ts); an older
# control plane refused a method over 20 characters and an error text over 10,000
MAX_METHOD_TEXT = 200
MAX_NAME_TEXT = 2_000
MAX_ERROR_TEXT = 10_000
# the control plane's body limit for callbacks is 16 MiB: a push over this budget sends shorter
# texts instead of being refused, and says so in `truncated`
PAYLOAD_BUDGET_BYTES = 8 * 1024 * 1024
SHORT_TEXT = 500
# how long POST /controlplane/final-report waits for the test to stop and its final report to be built
FINAL_REPORT_WAIT_SECONDS = 20.0
LIBRARY_PATH_PARTS = ("site-packages", "dist-packages", f"{os.sep}lib{os.sep}python")
TRACEBACK_FRAME = re.compile(r'File "([^"]+)", line (\d+), in (\S+)')
# the line loadctl adds to every script (src/domain/inject-plugin.ts PLUGIN_IMPORT)
INJECTED_IMPORT = "import loadctl_plugin  # added by loadctl"
_INJECTED_LINES: dict[str, int | None] = {}
# traceback digest → exception type name; a worker sends its own to the master in its reports
_EXCEPTION_TYPES: dict[str, str] = {}
EXCEPTION_TYPES_KEY = "loadctl_exception_types"
PARENT_CHECK_SECONDS = 1.0
# set when the loadctl that started us died: its control plane died with it, so the final
# report gets one short try instead of the full quit grace
PARENT_GONE = Event()
PARENT_GONE_GRACE_SECONDS = 1.0


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def iso_ms(epoch_ms: int) -> str:
    return datetime.fromtimestamp(epoch_ms / 1000, timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class Context:
    run_id: str
    callback_url: str
    callback_token: str
    duration_seconds: float | None
    metrics_interval_seconds: float
    final_deadline_seconds: float
    # loadctl's stages shape (--stage): [(seconds, users)]; None: the script's own shape, if any
    stages: list | None = None

    def public(self) -> dict:
        stages = {"stages": [{"durationSeconds": s, "users": u} for s, u in self.stages]} if self.stages else {}
        return {
            "runId": self.run_id,
            "callbackUrl": self.callback_url,
            "durationSeconds": self.duration_seconds,
            "metricsIntervalSeconds": self.metrics_interval_seconds,
            "finalDeadlineSeconds": self.final_deadline_seconds,
            "hasToken": bool(self.callback_token),
            **stages,
        }


def _positive(body: dict, key: str, default: float | None) -> float | None:
    value = body.get(key, default)
    if value is None:
        return None
    # bool is an int in Python; "true" seconds is a caller bug, not a number
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
        raise ValueError(f"{key} must be a positive number")
    return value


def _text(body: dict, key: str) -> str:
    value = body.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{key} is required (a non-empty string)")
    return value.strip()


def parse_context(body: object) -> Context:
    """Validate a set-context body; raise ValueError with a message a person can act on."""
    if not isinstance(body, dict):
        raise ValueError("body must be a JSON object")
    callback_url = _text(body, "callbackUrl").rstrip("/")
    parts = urlsplit(callback_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError("callbackUrl must be an http(s) URL")
    return Context(
        run_id=_text(body, "runId"),
        callback_url=callback_url,
        callback_token=_text(body, "callbackToken"),
        duration_seconds=_positive(body, "durationSeconds", None),
        metrics_interval_seconds=_positive(body, "metricsIntervalSeconds", 2),
        final_deadline_seconds=_positive(body, "finalDeadlineSeconds", 120),
        stages=parse_stages(body.get("stages")),
    )


def _percentiles(entry) -> tuple[float, float, float]:
    """p50/p95/p99 as docs/METRICS.md defines them: the histogram percentile, within [min, max].

    Buckets are rounded (23.7 ms counts in bucket 24): without the clamp a p99 would be shown
    above the max. Locust's own median_response_time clamps the same way.
    """
    low, high = entry.min_response_time or 0, entry.max_response_time or 0
    return tuple(min(max(entry.get_response_time_percentile(p), low), high) for p in (0.5, 0.95, 0.99))


def _endpoint_stats(entry, final: bool) -> dict:
    p50, p95, p99 = _percentiles(entry)
    return {
        "method": entry.method,
        "name": entry.name,
        "numRequests": entry.num_requests,
        "numFailures": entry.num_failures,
        "avgResponseTime": entry.avg_response_time,
        "minResponseTime": entry.min_response_time or 0,
        "maxResponseTime": entry.max_response_time,
        # Locust's Median column, kept for the replaced system's clients; loadctl shows p50ResponseTime
        "medianResponseTime": entry.median_response_time,
        "p50ResponseTime": p50,
        "p95ResponseTime": p95,
        "p99ResponseTime": p99,
        "requestsPerSec": entry.total_rps if final else entry.current_rps,
    }


def _largest(rows: dict, size: str) -> list:
    rows = list(rows.values())
    return rows if len(rows) <= MAX_ROWS else sorted(rows, key=lambda row: getattr(row, size), reverse=True)[:MAX_ROWS]


def _injected_line(path: str) -> int | None:
    """The line of the plugin import loadctl added to this script (1-based), or None."""
    if path not in _INJECTED_LINES:
        found = None
        try:
            with open(path, encoding="utf-8", errors="replace") as script:
                found = next((number for number, text in enumerate(script, 1) if text.startswith(INJECTED_IMPORT)), None)
        except OSError:
            pass
        _INJECTED_LINES[path] = found
    return _INJECTED_LINES[path]


def as_written(traceback_text: str) -> str:
    """The traceback with the script's line numbers as the user wrote them: loadctl's added import does not count."""

    def original(match: re.Match) -> str:
        path, line = match.group(1), int(match.group(2))
        injected = _injected_line(path)
        return f'File "{path}", line {line - 1 if injected is not None and line > injected else line}, in {match.group(3)}'

    return TRACEBACK_FRAME.sub(original, traceback_text or "")


def _innermost_frame(traceback_text: str) -> str:
    """Where an exception was raised: "locustfile.py:14 in checkout" (the script's deepest frame)."""
    frames = TRACEBACK_FRAME.findall(traceback_text)
    # a task that calls json.loads fails inside the standard library: name the script's line
    own = [frame for frame in frames if not any(part in frame[0] for part in LIBRARY_PATH_PARTS)]
    if not frames:
        return ""
    path, line, function = (own or frames)[-1]
    return f"{os.path.basename(path)}:{line} in {function}"


def _capped(text: str, limit: int) -> str:
    # the control plane refuses longer texts: keep the end of a traceback, where the error is
    return text if len(text) <= limit else "[…truncated by loadctl] " + text[-(limit - 24) :]


def _head(text: str, limit: int) -> str:
    # a method or a name reads from its start
    return text if len(text) <= limit else text[: limit - 1] + "…"


def cap_payload(payload: dict) -> dict:
    """Never send what the control plane refuses: cut over-long texts, then shorten texts until
    the push fits its budget. What was cut is listed in payload["truncated"]."""
    cut: list[str] = []
    stats, long_keys = {}, 0
    for key, row in payload["requestStats"].items():
        method, name = _head(str(row["method"]), MAX_METHOD_TEXT), _head(str(row["name"]), MAX_NAME_TEXT)
        if (method, name) != (row["method"], row["name"]):
            long_keys += 1
            key = f"{method} {name}"
        # two long names may share their first characters: the first row keeps the key (the
        # others' requests still count in the totals)
        stats.setdefault(key, {**row, "method": method, "name": name})
    payload["requestStats"] = stats
    if long_keys:
        cut.append(f"requestStats: {long_keys} method or name texts cut to {MAX_METHOD_TEXT} / {MAX_NAME_TEXT} characters")
    long_errors = 0
    for row in payload["errors"]:
        fields = {
            "method": _head(str(row.get("method") or ""), MAX_METHOD_TEXT),
            "name": _head(str(row.get("name") or ""), MAX_NAME_TEXT),
            "error": _capped(str(row.get("error") or ""), MAX_ERROR_TEXT),
        }
        long_errors += any(fields[k] != (row.get(k) or "") for k in fields)
        row.update(fields)
    if long_errors:
        cut.append(f"errors: {long_errors} rows with texts over the limits ({MAX_ERROR_TEXT} characters per error)")
    if len(json.dumps(payload)) > PAYLOAD_BUDGET_BYTES:
        for row in payload["errors"]:
            row["error"] = _capped(row["error"], SHORT_TEXT)
        for row in payload.get("exceptions", []):
            row["traceback"] = _capped(row["traceback"], SHORT_TEXT * 4)
            row["message"] = _capped(row["message"], SHORT_TEXT)
        cut.append(f"push over {PAYLOAD_BUDGET_BYTES} bytes: error texts cut to {SHORT_TEXT} characters, tracebacks to {SHORT_TEXT * 4}")
    if cut:
        payload["truncated"] = cut
    return payload


def on_user_error(exception=None, tb=None, **_kwargs) -> None:
    """Remember each traceback's exception type: Locust keeps only str(exception), which can be empty."""
    if exception is not None and tb is not None:
        _EXCEPTION_TYPES[traceback_digest("".join(traceback.format_tb(tb)))] = type(exception).__name__


def traceback_digest(text: str) -> str:
    # not hash(): it differs between processes, and a master names the exceptions its workers saw
    return hashlib.sha1(text.encode("utf-8", "replace")).hexdigest()


def on_report_to_master(data: dict, **_kwargs) -> None:
    """On a worker: send the exception types it saw with its stats report (Locust sends only str(exception))."""
    if _EXCEPTION_TYPES:
        data[EXCEPTION_TYPES_KEY] = dict(list(_EXCEPTION_TYPES.items())[:MAX_EXCEPTIONS])


def worker_host(client_id: str) -> str:
    # Locust names a worker "<hostname>_<uuid4 hex>"
    host, _, suffix = client_id.rpartition("_")
    return host if host and len(suffix) == 32 else client_id


def exception_rows(runner) -> tuple[int, list[dict]]:
    """Locust's task exceptions (runner.exceptions, reset at each test start): the total and the most frequent rows."""
    entries = list(getattr(runner, "exceptions", {}).items())
    total = sum(row["count"] for _key, row in entries)
    entries.sort(key=lambda entry: entry[1]["count"], reverse=True)
    rows = []
    for _key, row in entries[:MAX_EXCEPTIONS]:
        message, kind = str(row["msg"]), _EXCEPTION_TYPES.get(traceback_digest(str(row["traceback"])))
        if kind and not message.startswith(kind):
            message = f"{kind}: {message}" if message else kind
        traceback_text = as_written(str(row["traceback"]))
        rows.append(
            {
                "message": _capped(message, MAX_EXCEPTION_TEXT),
                "traceback": _capped(traceback_text, MAX_EXCEPTION_TEXT),
                "count": row["count"],
                "where": _innermost_frame(traceback_text)[:MAX_WHERE_TEXT],
            }
        )
    return total, rows


def take_snapshot(environment, final: bool = False) -> tuple[dict, dict]:
    """Cumulative numbers of the current test, and a copy of its response-time buckets."""
    # stats.total and stats.entries are replaced when a test starts: never keep them
    stats = environment.stats
    total = stats.total
    requests_made = total.num_requests
    p50, p95, p99 = _percentiles(total)
    exceptions_total, exceptions = exception_rows(environment.runner)
    payload = {
        "timestamp": utc_now(),
        "totalRps": total.total_rps if final else total.current_rps,
        "totalRequests": requests_made,
        "totalFailures": total.num_failures,
        "currentUsers": environment.runner.user_count,
        "errorRate": total.num_failures / requests_made if requests_made else 0.0,
        "avgResponseMs": total.avg_response_time,
        "p50ResponseMs": p50,
        "p95ResponseMs": p95,
        "p99ResponseMs": p99,
        "minResponseMs": total.min_response_time or 0,
        "maxResponseMs": total.max_response_time or 0,
        "requestStats": {
            f"{e.method} {e.name}": _endpoint_stats(e, final) for e in _largest(stats.entries, "num_requests")
        },
        "errors": [e.to_dict() for e in _largest(stats.errors, "occurrences")],
        "totalExceptions": exceptions_total,
        "exceptions": exceptions,
    }
    return cap_payload(payload), dict(total.response_times)


def ms_of(stamp: str) -> int:
    return round(datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp() * 1000)


def stamp_interval(payload: dict, run: "Run", end_ms: int, final: bool = False) -> dict:
    """Say which interval a snapshot covers and replace Locust's rates with that interval's.

    Locust's current_rps needs seconds of history (0 at the first push) and its total_rps
    runs from the first request to the last, so rates are counted here instead: a push's is
    its requests since the last acknowledged push over the time since then; the final push's
    is all requests over the load's length (test start to stop).
    """
    start_ms = run.started_ms if final else run.acked_end_ms
    counted = {} if final else run.acked_requests
    seconds = (end_ms - start_ms) / 1000

    def rate(key: str, requests: int) -> float:
        made = requests - counted.get(key, 0)
        # a stats reset (/stats/reset) shrinks the totals: count from the reset, as histogram_delta does
        return (made if made >= 0 else requests) / seconds if seconds > 0 else 0.0

    payload["timestamp"] = iso_ms(end_ms)
    payload["intervalStart"] = iso_ms(run.acked_end_ms)
    payload["intervalEnd"] = iso_ms(end_ms)
    payload["totalRps"] = rate("", payload["totalRequests"])
    for key, stats in payload["requestStats"].items():
        stats["requestsPerSec"] = rate(key, stats["numRequests"])
    payload["peakUsers"] = run.peak_users = max(run.peak_users, payload["currentUsers"])
    return payload


def requests_by_key(payload: dict) -> dict[str, int]:
    """What a push counted so far, total ("") and per endpoint: where the next push's rates start."""
    return {"": payload["totalRequests"], **{k: s["numRequests"] for k, s in payload["requestStats"].items()}}


def histogram_delta(current: dict, acked: dict) -> dict[str, int]:
    """Buckets added since the last acknowledged push, keyed by the bucket in ms as a string."""
    delta = {k: n - acked.get(k, 0) for k, n in current.items() if n != acked.get(k, 0)}
    # a stats reset (/stats/reset, --reset-stats) shrinks buckets: count from the reset instead
    if any(n < 0 for n in delta.values()):
        delta = {k: n for k, n in current.items() if n}
    return {str(int(k)): n for k, n in sorted(delta.items())}


@dataclass(eq=False)
class Run:
    """One test reported to one run; everything here is dropped once test-stop is settled."""

    context: Context
    started_mono: float = field(default_factory=time.monotonic)
    # the test start on the wall clock; later times are derived from the monotonic clock so
    # that intervals tile exactly and a wall-clock step cannot make one negative
    started_ms: int = field(default_factory=lambda: round(time.time() * 1000))
    seq: int = 0
    acked_times: dict = field(default_factory=dict)
    # the push acked_times belongs to: sent as histogramBaseSeq, so the control plane can take out
    # a push it stored but whose answer never came back (the next delta repeats it)
    acked_seq: int = 0
    # where the acknowledged pushes ended: the next push's interval and rates start there
    acked_end_ms: int = 0
    acked_requests: dict = field(default_factory=dict)
    # the most users seen running, so a run stopped before its first push still has a peak
    peak_users: int = 0
    stop_ms: int | None = None
    auto_stopped: bool = False
    # why the test stopped: "shape" (its tick() returned None), "duration", or None (on request)
    stop_reason: str | None = None
    stop_seen: bool = False
    stop_requested_mono: float = math.inf
    stopping: Event = field(default_factory=Event)
    # the test-stop payload, kept once built: POST /controlplane/final-report answers with it
    final_report: dict | None = None
    final_built: Event = field(default_factory=Event)
    pusher: gevent.Greenlet | None = None
    monitor: gevent.Greenlet | None = None
    reporting_workers: set = field(default_factory=set)

    def __post_init__(self):
        self.acked_end_ms = self.started_ms

    def next_seq(self) -> int:
        self.seq += 1
        return self.seq - 1

    def now_ms(self) -> int:
        return self.ms_at(time.monotonic())

    def ms_at(self, mono: float) -> int:
        return self.started_ms + round((mono - self.started_mono) * 1000)

    def see_users(self, count: int) -> None:
        self.peak_users = max(self.peak_users, count)


class LoadctlPlugin:
    def __init__(self, environment, launch_token: str | None):
        self.environment = environment
        self.runner = environment.runner
        self.launch_token = launch_token
        self.pending: Context | None = None
        self.run: Run | None = None
        self.quitting = False
        self.last_idle_report: dict[str, float] = {}
        self.finishing: set[gevent.Greenlet] = set()
        # the last run reported, kept after its test-stop: a control plane that never got it can ask again
        self.last_run: Run | None = None
        # the script's own LoadTestShape (Locust picked it at start-up): a run without stages uses it again
        self.script_shape = environment.shape_class

    # ---- wiring -------------------------------------------------------------------------

    def attach(self) -> None:
        web_ui, ev = self.environment.web_ui, self.environment.events
        options = self.environment.parsed_options
        base = (getattr(options, "web_base_path", "") or "").rstrip("/")
        # same guard as Locust's own routes: a no-op unless Locust runs with --web-login
        guard = web_ui.auth_required_if_enabled
        web_ui.app.add_url_rule(
            f"{base}/controlplane/set-context", "loadctl_set_context", guard(self.set_context_view), methods=["POST"]
        )
        web_ui.app.add_url_rule(f"{base}/controlplane/context", "loadctl_context", guard(self.context_view))
        web_ui.app.add_url_rule(
            f"{base}/controlplane/final-report", "loadctl_final_report", guard(self.final_report_view), methods=["POST"]
        )
        web_ui.app.add_url_rule(f"{base}/controlplane/workers", "loadctl_workers", guard(self.workers_view))
        ev.test_start.add_listener(self._guarded(self.on_test_start))
        ev.test_stopping.add_listener(self._guarded(self.on_test_stopping))
        ev.spawning_complete.add_listener(self._guarded(self.on_spawning_complete))
        ev.test_stop.add_listener(self._guarded(self.on_test_stop))
        ev.quitting.add_listener(self._guarded(self.on_quitting))
        ev.quit.add_listener(self._guarded(self.on_quit))
        if isinstance(self.runner, MasterRunner):
            ev.worker_report.add_listener(self._guarded(self.on_worker_report))
        gevent.spawn(self._announce_ready, base)

    @staticmethod
    def _guarded(listener):
        # an exception out of a listener makes Locust exit with code 2: log it instead
        def safe(*args, **kwargs):
            try:
                listener(*args, **kwargs)
            except Exception:
                logger.exception("loadctl plugin: %s failed", getattr(listener, "__name__", listener))

        return safe

    def _announce_ready(self, base: str) -> None:
        # Locust logs the port it was given (0 stays 0): print the one it really listens on
        web_ui, deadline = self.environment.web_ui, time.monotonic() + 60
        while not (web_ui.server is not None and web_ui.server.started) and time.monotonic() < deadline:
            gevent.sleep(0.02)
        if web_ui.server is not None and web_ui.server.started:
            host, port = web_ui.server.address[:2]
            scheme = "https" if web_ui.tls_cert and web_ui.tls_key else "http"
            logger.info("loadctl plugin ready: web UI at %s://%s:%s%s", scheme, host, port, base)

    # ---- routes -------------------------------------------------------------------------

    def _unauthorized(self):
        if not self.launch_token:
            return None
        scheme, _, given = request.headers.get("Authorization", "").partition(" ")
        given = given.strip() if scheme.lower() == "bearer" else ""
        if hmac.compare_digest(given.encode(), self.launch_token.encode()):
            return None
        return {"success": False, "message": "missing or wrong Authorization: Bearer <launch token>"}, 401

    def set_context_view(self):
        if denied := self._unauthorized():
            return denied
        try:
            context = parse_context(request.get_json(force=True, silent=True))
        except ValueError as error:
            return {"success": False, "message": str(error)}, 400
        # a /swarm during a running test only rescales it: no test_start, so no new run would start
        if (self.run is not None and not self.run.stop_seen) or self.runner.state in (STATE_SPAWNING, STATE_RUNNING):
            return {"success": False, "message": "a test is running; stop it (GET /stop) first"}, 409
        if context.stages and self.script_shape is not None:
            message = f"the script defines its own load shape ({type(self.script_shape).__name__}): give stages or a LoadTestShape, not both"
            return {"success": False, "message": message}, 400
        self._use_shape(StagesShape(context.stages) if context.stages else self.script_shape)
        self.pending = context
        logger.info("context set for run %s (duration %ss)", context.run_id, context.duration_seconds)
        return {"success": True, "message": f"context set for run {context.run_id}; start it with /swarm"}

    def _use_shape(self, shape) -> None:
        # /swarm runs environment.shape_class when one is set (runner.start_shape())
        if shape is not None:
            shape.runner = self.runner
        self.environment.shape_class = shape

    def context_view(self):
        if denied := self._unauthorized():
            return denied
        if self.pending is not None:
            return {"success": True, "context": {**self.pending.public(), "state": "pending"}}
        if self.run is not None:
            state = "stopping" if self.run.stop_seen else "running"
            return {"success": True, "context": {**self.run.context.public(), "state": state}}
        return {"success": True, "context": None}

    def workers_view(self):
        """A master's workers as its runner sees them (Locust's --expect-workers works only headless)."""
        if denied := self._unauthorized():
            return denied
        if not isinstance(self.runner, MasterRunner):
            return {"success": True, "role": "local", "workers": []}
        workers = [
            {"id": node.id, "host": worker_host(node.id), "state": node.state, "users": node.user_count}
            for node in list(self.runner.clients.values())
        ]
        return {"success": True, "role": "master", "workers": workers}

    def final_report_view(self):
        """The run's test-stop payload, in the answer: for a control plane whose watchdog found the
        run silent. Stops the test first if it is still running."""
        if denied := self._unauthorized():
            return denied
        body = request.get_json(force=True, silent=True)
        run_id = body.get("runId") if isinstance(body, dict) else None
        if not isinstance(run_id, str) or not run_id:
            return {"success": False, "message": "runId is required (a non-empty string)"}, 400
        run = next((r for r in (self.run, self.last_run) if r is not None and r.context.run_id == run_id), None)
        if run is None:
            return {"success": False, "message": f"run {run_id} is not reported by this Locust"}, 404
        if not run.stop_seen:
            elapsed = time.monotonic() - run.started_mono
            if run.context.duration_seconds and elapsed >= run.context.duration_seconds:
                run.auto_stopped, run.stop_reason = True, "duration"
            logger.warning("final report asked for run %s while it runs: stopping the test", run_id)
            gevent.spawn(self._guarded(self.runner.stop))
        if not run.final_built.wait(FINAL_REPORT_WAIT_SECONDS):
            return {"success": False, "message": f"the final report of run {run_id} was not ready within {FINAL_REPORT_WAIT_SECONDS}s"}, 503
        return {"success": True, "report": run.final_report}

    # ---- events -------------------------------------------------------------------------

    def on_test_start(self, **_kwargs) -> None:
        if self.pending is None:
            logger.warning("a test started without /controlplane/set-context; it will not be reported")
            return
        if self.run is not None and not self.run.stop_seen:
            self.run.stopping.set()
        run = self.run = Run(self.pending)
        self.pending = None
        if isinstance(self.runner, MasterRunner):
            run.reporting_workers.update(self.runner.clients.keys())
        # stats were cleared just before test_start fired: this snapshot is the run's zero point
        payload, times = take_snapshot(self.environment)
        stamp_interval(payload, run, run.started_ms)
        payload["targetUsers"] = self.runner.target_user_count
        payload.update(shape_report(self.environment.shape_class, self.runner))
        run.pusher = gevent.spawn(self._push_loop, run, payload, times)
        if run.context.duration_seconds:
            run.monitor = gevent.spawn(self._auto_stop, run)
        logger.info("reporting this test to run %s", run.context.run_id)

    def on_test_stop(self, **_kwargs) -> None:
        run = self.run
        # test_stop can fire twice (a second runner.stop() during cleanup) or with no test started
        if run is None or run.stop_seen:
            return
        run.stop_seen = True
        run.stop_requested_mono = min(run.stop_requested_mono, time.monotonic())
        # the load ends here, even when a master's final numbers are read later; a master's
        # test_stop fires only once its workers reported no users (seconds later): its load
        # ended when the stop was asked
        if isinstance(self.runner, MasterRunner) and math.isfinite(run.stop_requested_mono):
            run.stop_ms = run.ms_at(run.stop_requested_mono)
        else:
            run.stop_ms = run.now_ms()
        run.stopping.set()
        if run.monitor is not None:
            run.monitor.kill(block=False)
        # locust #1426: a master's stats miss the workers' last reports here; _finish waits for them
        wait_for_workers = isinstance(self.runner, MasterRunner) and not self.quitting
        final = None if wait_for_workers else take_snapshot(self.environment, final=True)
        if self.quitting:
            self._finish(run, final)
        else:
            greenlet = gevent.spawn(self._finish, run, final)
            self.finishing.add(greenlet)
            greenlet.link(self.finishing.discard)

    def on_test_stopping(self, **_kwargs) -> None:
        if self.run is not None and not self.run.stop_seen:
            self.run.stop_requested_mono = min(self.run.stop_requested_mono, time.monotonic())
            # Locust's shape worker calls runner.stop() itself when tick() returns None: the shape ended
            shape_greenlet = getattr(self.runner, "shape_greenlet", None)
            if shape_greenlet is not None and gevent.getcurrent() is shape_greenlet and not self.run.auto_stopped:
                self.run.auto_stopped, self.run.stop_reason = True, "shape"
                logger.info("the load shape ended, stopping the test")
            # the last moment the users are all still there
            self.run.see_users(self.runner.user_count)
            if isinstance(self.runner, MasterRunner):
                # no push may end after the load's end (the stop request): the rest goes in test-stop
                self.run.stopping.set()

    def on_spawning_complete(self, user_count: int = 0, **_kwargs) -> None:
        if self.run is not None and not self.run.stop_seen:
            self.run.see_users(max(user_count, self.runner.user_count))

    def on_worker_report(self, client_id: str, data: dict, **_kwargs) -> None:
        kinds = data.get(EXCEPTION_TYPES_KEY)
        if isinstance(kinds, dict) and len(_EXCEPTION_TYPES) < 10 * MAX_EXCEPTIONS:
            _EXCEPTION_TYPES.update({str(k): str(v) for k, v in kinds.items()})
        # a report sent once the worker's users are gone holds all of its requests
        if data.get("user_count") == 0:
            self.last_idle_report[client_id] = time.monotonic()
        if self.run is not None:
            self.run.reporting_workers.add(client_id)

    def on_quitting(self, **_kwargs) -> None:
        self.quitting = True

    def on_quit(self, **_kwargs) -> None:
        # a test-stop still being retried would die with the process: give it a little time
        gevent.joinall(list(self.finishing), timeout=QUIT_GRACE_SECONDS)

    # ---- run greenlets ------------------------------------------------------------------

    def _auto_stop(self, run: Run) -> None:
        deadline = run.started_mono + run.context.duration_seconds
        # gevent's timers can fire a little early: sleep against the monotonic deadline
        while (remaining := deadline - time.monotonic()) > 0:
            gevent.sleep(remaining)
        if run.stop_seen:
            return
        run.auto_stopped, run.stop_reason = True, "duration"
        logger.info("duration of %ss elapsed, stopping the test", run.context.duration_seconds)
        # runner.stop() blocks until the users are gone, then fires test_stop (which kills this
        # greenlet): it runs in a greenlet of its own
        gevent.spawn(self._guarded(self.runner.stop))

    def _push_loop(self, run: Run, start_payload: dict, start_times: dict) -> None:
        self._push(run, "test-start", start_payload, start_times)
        interval, tick = run.context.metrics_interval_seconds, 1
        while not run.stopping.wait(max(0.0, run.started_mono + tick * interval - time.monotonic())):
            end_ms = run.now_ms()
            payload, times = take_snapshot(self.environment)
            payload["targetUsers"] = self.runner.target_user_count
            payload.update(shape_report(self.environment.shape_class, self.runner))
            self._push(run, "metrics", stamp_interval(payload, run, end_ms), times)
            # a slow push skips the ticks it overran instead of bunching pushes up
            tick = max(tick + 1, math.floor((time.monotonic() - run.started_mono) / interval) + 1)

    def _finish(self, run: Run, final: tuple[dict, dict] | None) -> None:
        try:
            # the metrics push in flight must settle first: test-stop carries the highest seq
            if run.pusher is not None:
                run.pusher.join(timeout=REQUEST_TIMEOUT + 1)
                run.pusher.kill(block=True)
            if final is None:
                self._wait_for_worker_reports(run)
                final = take_snapshot(self.environment, final=True)
            payload, times = final
            end_ms = run.stop_ms if run.stop_ms is not None else run.now_ms()
            # a push computed just before the stop request may end a little after it
            stamp_interval(payload, run, max(end_ms, run.acked_end_ms), final=True)
            payload["autoStopped"] = run.auto_stopped
            if run.stop_reason is not None:
                payload["stopReason"] = run.stop_reason
            if shape := shape_report(self.environment.shape_class, self.runner).get("shape"):
                payload["shape"] = shape
            grace = PARENT_GONE_GRACE_SECONDS if PARENT_GONE.is_set() else QUIT_GRACE_SECONDS
            budget = min(run.context.final_deadline_seconds, grace if self.quitting else math.inf)
            run.final_report = self._seal(run, payload, times)
            run.final_built.set()
            self._deliver(run, "test-stop", run.final_report, times, deadline=time.monotonic() + budget)
        finally:
            if self.run is run:
                self.run = None
                self.last_run = run

    def _wait_for_worker_reports(self, run: Run) -> None:
        # workers report every WORKER_REPORT_INTERVAL s: wait for one from each with no users left
        since = run.stop_requested_mono
        deadline = since + WORKER_REPORT_INTERVAL + 1.0

        def waiting_for(worker: str) -> bool:
            # a worker that went missing or quit sends nothing more: what it sent is what there is
            node = self.runner.clients.get(worker)
            alive = node is not None and node.state != STATE_MISSING
            return alive and self.last_idle_report.get(worker, -math.inf) <= since

        while time.monotonic() < deadline and any(waiting_for(worker) for worker in run.reporting_workers):
            gevent.sleep(0.05)

    # ---- delivery -----------------------------------------------------------------------

    @staticmethod
    def _seal(run: Run, payload: dict, times: dict) -> dict:
        """The callback as sent: the run, its seq, and the buckets since the last acknowledged push."""
        payload = {"runId": run.context.run_id, "seq": run.next_seq(), **payload}
        payload["histogram"] = histogram_delta(times, run.acked_times)
        payload["histogramBaseSeq"] = run.acked_seq
        return payload

    def _push(self, run: Run, kind: str, payload: dict, times: dict, deadline: float | None = None) -> bool:
        return self._deliver(run, kind, self._seal(run, payload, times), times, deadline)

    def _deliver(self, run: Run, kind: str, payload: dict, times: dict, deadline: float | None = None) -> bool:
        """Deliver one callback: test-stop retries until `deadline`, the others a few times."""
        attempt, backoff = 0, FINAL_BACKOFF_FIRST
        while True:
            timeout = REQUEST_TIMEOUT if deadline is None else min(REQUEST_TIMEOUT, deadline - time.monotonic())
            outcome = self._post(run, kind, payload, max(timeout, 0.5)) if timeout > 0 else GIVE_UP
            if outcome == OK:
                # the next histogram starts here; an unacknowledged one folds into the next push
                run.acked_times = times
                run.acked_seq = payload["seq"]
                run.acked_end_ms = ms_of(payload["intervalEnd"])
                run.acked_requests = requests_by_key(payload)
                return True
            if outcome == GIVE_UP:
                break
            if deadline is None:
                if attempt == len(PUSH_BACKOFFS):
                    break
                wait, attempt = PUSH_BACKOFFS[attempt], attempt + 1
            else:
                wait, backoff = backoff, min(backoff * 2, FINAL_BACKOFF_MAX)
                if time.monotonic() + wait >= deadline:
                    break
            if kind != "metrics":
                gevent.sleep(wait)
            # a metrics push overtaken by the stop is folded into test-stop instead
            elif run.stopping.wait(wait):
                break
        logger.warning("gave up delivering %s seq %s for run %s", kind, payload["seq"], run.context.run_id)
        return False

    @staticmethod
    def _post(run: Run, kind: str, payload: dict, timeout: float) -> str:
        url = f"{run.context.callback_url}/{kind}"
        headers = {"Authorization": f"Bearer {run.context.callback_token}"}
        try:
            response = requests.post(url, json=payload, headers=headers, timeout=timeout)
        except requests.RequestException as error:
            logger.info("%s seq %s failed (%s), will retry", kind, payload["seq"], type(error).__name__)
            return RETRY
        status = response.status_code
        if 200 <= status < 300:
            return OK
        if 400 <= status < 500 and status not in (408, 429):
            logger.error("%s seq %s refused with HTTP %s: %.200s", kind, payload["seq"], status, response.text)
            return GIVE_UP
        logger.info("%s seq %s got HTTP %s, will retry", kind, payload["seq"], status)
        return RETRY


def _exit_check(pid: int):
    """A function that says whether process `pid` has exited. The pid is watched itself, not
    compared with getppid(): a --locust-bin wrapper script that runs (not execs) locust is
    Locust's parent, loadctl its grandparent. A pidfd (Linux 5.3+) cannot be fooled by pid reuse."""
    try:
        pidfd = os.pidfd_open(pid)
    except ProcessLookupError:
        return lambda: True
    except (AttributeError, OSError):  # no pidfd here (not Linux, old kernel or Python)
        return lambda: not _process_exists(pid)
    return lambda: bool(select.select([pidfd], [], [], 0)[0])


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _quit_when_parent_dies(parent_pid: int) -> None:
    """loadctl starts Locust in its own process group, so a terminal's Ctrl+C reaches only
    loadctl (which then stops the run cleanly); if loadctl itself dies, Locust must not outlive it."""
    parent_exited = _exit_check(parent_pid)
    while not parent_exited():
        gevent.sleep(PARENT_CHECK_SECONDS)
    logger.warning("loadctl (pid %s) is gone: shutting Locust down", parent_pid)
    PARENT_GONE.set()
    # SIGTERM runs Locust's own clean shutdown, which fires test_stop and quitting
    os.kill(os.getpid(), signal.SIGTERM)


@events.init.add_listener
def on_locust_init(environment, **_kwargs):
    """Attach to the local or master runner's web UI; workers and headless runs stay untouched."""
    environment.events.user_error.add_listener(on_user_error)
    environment.events.report_to_master.add_listener(on_report_to_master)
    parent_pid = os.environ.get("LOADCTL_PARENT_PID", "")
    if parent_pid.isdigit():
        gevent.spawn(_quit_when_parent_dies, int(parent_pid))
    runner = environment.runner
    if isinstance(runner, WorkerRunner) or not isinstance(runner, (LocalRunner, MasterRunner)):
        logger.info("loadctl plugin loaded (inactive: not a local or master runner)")
        return
    if not environment.web_ui:
        logger.warning("loadctl plugin loaded (inactive: no web UI, so no /controlplane routes)")
        return
    launch_token = os.environ.get("LOADCTL_LAUNCH_TOKEN") or None
    if launch_token is None:
        logger.warning("LOADCTL_LAUNCH_TOKEN is not set; /controlplane/set-context accepts any caller")
    LoadctlPlugin(environment, launch_token).attach()
    logger.info("loadctl plugin loaded")
