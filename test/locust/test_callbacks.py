"""One auto-stopped run on a local Locust: the callbacks, their order, and their numbers."""

from datetime import datetime

import pytest
import requests
from _harness import CallbackReceiver, histogram_total, start_run, wait_for_state, wait_until, web_ui_args

USERS = 4
TOKEN = "callback-secret"
SNAPSHOT_FIELDS = {
    "runId", "seq", "timestamp", "totalRps", "totalRequests", "totalFailures", "currentUsers", "errorRate",
    "avgResponseMs", "p50ResponseMs", "p95ResponseMs", "p99ResponseMs", "requestStats", "errors", "histogram",
    "minResponseMs", "maxResponseMs", "totalExceptions", "exceptions",
}  # fmt: skip
ENDPOINT_FIELDS = {
    "method", "name", "numRequests", "numFailures", "avgResponseTime", "minResponseTime", "maxResponseTime",
    "medianResponseTime", "p50ResponseTime", "p95ResponseTime", "p99ResponseTime", "requestsPerSec",
}  # fmt: skip


def parse_time(stamp: str) -> datetime:
    assert stamp.endswith("Z"), stamp
    return datetime.fromisoformat(stamp[:-1] + "+00:00")


@pytest.fixture(scope="module")
def module_receiver():
    server = CallbackReceiver()
    yield server
    server.close()


@pytest.fixture(scope="module")
def locust(spawn_locust, target):
    return spawn_locust(*web_ui_args(target))


@pytest.fixture(scope="module")
def first_run(locust, module_receiver, target):
    """A 2 s run with metrics every 0.5 s, finished and settled before any test reads it."""
    start_run(locust, module_receiver, target, "run-1", users=USERS, duration=2, interval=0.5, token=TOKEN)
    module_receiver.wait_for_stop("run-1", timeout=20, describe=locust.log)
    wait_for_state(locust, "stopped")
    return {"callbacks": module_receiver.accepted("run-1"), "served": target.served}


def test_callbacks_come_in_order_with_the_run_token(first_run, module_receiver):
    callbacks = first_run["callbacks"]
    kinds = [c.kind for c in callbacks]
    assert kinds[0] == "test-start"
    assert kinds[-1] == "test-stop"
    assert set(kinds[1:-1]) == {"metrics"}
    assert len(kinds) >= 4, kinds  # 2 s at 0.5 s intervals
    assert [c.body["seq"] for c in callbacks] == list(range(len(callbacks)))
    assert {c.authorization for c in callbacks} == {f"Bearer {TOKEN}"}
    assert len(module_receiver.calls) == len(callbacks)  # nothing refused, nothing repeated

    times = [parse_time(c.body["timestamp"]) for c in callbacks]
    assert times == sorted(times)
    for callback in callbacks:
        assert SNAPSHOT_FIELDS <= callback.body.keys(), callback.kind
        for key, endpoint in callback.body["requestStats"].items():
            assert ENDPOINT_FIELDS == endpoint.keys()
            assert key == f"{endpoint['method']} {endpoint['name']}"
    assert callbacks[0].body["targetUsers"] == USERS
    assert callbacks[0].body["totalRequests"] == 0
    assert max(c.body["currentUsers"] for c in callbacks[1:-1]) == USERS
    requests_seen = [c.body["totalRequests"] for c in callbacks]
    assert requests_seen == sorted(requests_seen)  # cumulative


def test_the_plugin_stops_the_run_after_its_duration(first_run, locust):
    start, stop = first_run["callbacks"][0], first_run["callbacks"][-1]
    assert stop.body["autoStopped"] is True
    assert stop.body["currentUsers"] == 0
    elapsed = (parse_time(stop.body["timestamp"]) - parse_time(start.body["timestamp"])).total_seconds()
    assert 2.0 <= elapsed <= 3.5, elapsed
    assert stop.arrived - start.arrived <= 3.5
    assert locust.find("duration of 2s elapsed, stopping the test")


def test_final_totals_match_what_the_target_served(first_run):
    callbacks = first_run["callbacks"]
    final = callbacks[-1].body
    total = final["totalRequests"]
    assert total > 0
    assert total == sum(e["numRequests"] for e in final["requestStats"].values())
    # users killed mid-request were served by the target but never recorded by Locust
    assert 0 <= first_run["served"] - total <= USERS
    # every interval is in exactly one acknowledged histogram
    assert histogram_total(callbacks) == total

    failing = final["requestStats"]["GET /fail"]
    assert final["totalFailures"] == failing["numFailures"] == failing["numRequests"] > 0
    assert final["errorRate"] == final["totalFailures"] / total
    assert [(e["method"], e["name"], e["occurrences"]) for e in final["errors"]] == [
        ("GET", "/fail", failing["numFailures"])
    ]
    assert "500 Server Error" in final["errors"][0]["error"]
    ok = final["requestStats"]["GET /ok"]
    assert ok["numFailures"] == 0
    assert 0 < ok["minResponseTime"] <= ok["medianResponseTime"] <= ok["maxResponseTime"]
    assert final["p50ResponseMs"] <= final["p95ResponseMs"] <= final["p99ResponseMs"]
    assert final["totalRps"] > 0


def test_context_is_cleared_once_the_run_is_reported(first_run, locust):
    def context():
        return requests.get(f"{locust.base_url}/controlplane/context", timeout=10).json()

    # the plugin lets go of the run right after test-stop is acknowledged
    wait_until(lambda: context()["context"] is None, 5, "the context to clear")
    assert context() == {"success": True, "context": None}


def test_a_second_run_works_in_the_same_locust(first_run, locust, module_receiver, target):
    start_run(locust, module_receiver, target, "run-2", users=2, duration=2, interval=0.3)
    wait_until(lambda: module_receiver.accepted("run-2"), 10, "test-start of run-2", locust.log)

    # a second context while a test runs would never start: /swarm would only rescale the test
    busy = requests.post(
        f"{locust.base_url}/controlplane/set-context",
        json={"runId": "run-3", "callbackUrl": module_receiver.url, "callbackToken": "t"},
        timeout=10,
    )
    assert busy.status_code == 409
    assert busy.json()["success"] is False

    module_receiver.wait_for_stop("run-2", timeout=15, describe=locust.log)
    callbacks = module_receiver.accepted("run-2")
    assert [c.body["seq"] for c in callbacks] == list(range(len(callbacks)))
    assert callbacks[-1].body["autoStopped"] is True
    assert histogram_total(callbacks) == callbacks[-1].body["totalRequests"] > 0
    assert {c.authorization for c in callbacks} == {"Bearer callback-secret"}


def test_a_test_started_without_context_is_not_reported(first_run, locust, module_receiver, target):
    module_receiver.wait_for_stop("run-2", timeout=15)
    wait_for_state(locust, "stopped")
    before = len(module_receiver.calls)
    answer = requests.post(f"{locust.base_url}/swarm", data={"user_count": 1, "spawn_rate": 10, "host": target.url})
    assert answer.json()["success"] is True
    locust.wait_for_line("started without /controlplane/set-context")
    assert requests.get(f"{locust.base_url}/stop", timeout=10).json()["success"] is True
    assert len(module_receiver.calls) == before


def test_without_a_launch_token_the_plugin_warns_once(first_run, locust):
    assert len(locust.find("LOADCTL_LAUNCH_TOKEN is not set")) == 1
    assert len(locust.find("loadctl plugin loaded")) == 1
