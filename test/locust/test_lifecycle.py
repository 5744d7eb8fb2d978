"""Issue 10, run lifecycle: pushes the control plane would refuse, and the final report on demand."""

import json
import os
import subprocess
import sys

import pytest
import requests
from _harness import FIXTURES, PLUGIN_DIR, CallbackReceiver, start_run, wait_for_state, wait_until, web_ui_args

LAUNCH_TOKEN = "launch-secret"
CONTROL_PLANE_LIMITS = {"method": 200, "name": 2000, "error": 10_000}


def caps_probe(*args: str) -> dict:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(PLUGIN_DIR), os.environ.get("PYTHONPATH")]))}
    result = subprocess.run(
        [sys.executable, str(FIXTURES / "caps_probe.py"), *args], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_texts_over_the_control_planes_limits_are_cut_and_said_so():
    answer = caps_probe()
    payload = answer["payload"]
    for key, row in payload["requestStats"].items():
        assert len(row["method"]) <= CONTROL_PLANE_LIMITS["method"], key[:40]
        assert len(row["name"]) <= CONTROL_PLANE_LIMITS["name"], key[:40]
    assert len(payload["errors"]) == 500
    assert all(len(row["error"]) <= CONTROL_PLANE_LIMITS["error"] for row in payload["errors"])
    # the end of an error text is kept, where the cause is
    assert payload["errors"][0]["error"].startswith("[…truncated by loadctl]")
    # every request still counted
    assert payload["totalRequests"] == 502
    assert any(line.startswith("requestStats:") for line in payload["truncated"]), payload["truncated"]
    assert any(line.startswith("errors:") for line in payload["truncated"]), payload["truncated"]
    assert answer["size"] <= answer["budget"]


def test_a_push_over_its_budget_sends_shorter_texts():
    answer = caps_probe(str(1024 * 1024))
    payload = answer["payload"]
    assert answer["size"] <= 1024 * 1024, answer["size"]
    assert len(payload["errors"]) == 500
    assert any("bytes" in line for line in payload["truncated"]), payload["truncated"]


def test_nothing_is_marked_truncated_when_nothing_was_cut(first_report):
    assert "truncated" not in first_report["stop"].body


@pytest.fixture(scope="module")
def locust(spawn_locust, target):
    return spawn_locust(*web_ui_args(target), launch_token=LAUNCH_TOKEN)


def final_report(locust, run_id: str, token: str = LAUNCH_TOKEN) -> requests.Response:
    headers = {"Authorization": f"Bearer {token}"}
    return requests.post(f"{locust.base_url}/controlplane/final-report", json={"runId": run_id}, headers=headers, timeout=30)


def start(locust, receiver, target, run_id: str, **options) -> None:
    start_run(locust, receiver, target, run_id, launch_token=LAUNCH_TOKEN, **options)


@pytest.fixture(scope="module")
def first_report(locust, target):
    """A 1 s run whose test-stop the control plane refuses (HTTP 400): the report must still be there to ask for."""
    receiver = CallbackReceiver()
    try:
        receiver.answer_next(1000, 400, kind="test-stop")
        start(locust, receiver, target, "refused-stop", users=2, duration=1, interval=0.5)
        stop = wait_until(lambda: next(iter(receiver.attempts("test-stop")), None), 20, "a test-stop attempt", locust.log)
        wait_for_state(locust, "stopped")
        return {"stop": stop, "answer": final_report(locust, "refused-stop")}
    finally:
        receiver.close()


def test_the_final_report_is_given_again_after_the_test_stop_was_refused(first_report):
    answer = first_report["answer"]
    assert answer.status_code == 200, answer.text
    report, refused = answer.json()["report"], first_report["stop"].body
    assert report["runId"] == "refused-stop"
    assert report["autoStopped"] is True
    # the very payload the control plane refused: same seq, same numbers
    assert report["seq"] == refused["seq"]
    assert report["totalRequests"] == refused["totalRequests"] > 0
    assert report["histogram"] == refused["histogram"]


def test_the_final_report_stops_a_running_test_and_answers_with_its_numbers(locust, receiver, target, first_report):
    start(locust, receiver, target, "silent-run", users=2, duration=120, interval=0.5)
    wait_until(lambda: [c for c in receiver.accepted("silent-run") if c.kind == "metrics"], 20, "a metrics push", locust.log)
    answer = final_report(locust, "silent-run")
    assert answer.status_code == 200, answer.text
    report = answer.json()["report"]
    assert report["autoStopped"] is False
    assert report["totalRequests"] > 0
    wait_for_state(locust, "stopped")
    # the plugin still delivers the same report itself
    stop = receiver.wait_for_stop("silent-run", timeout=20, describe=locust.log)
    assert stop.body["seq"] == report["seq"]


def test_the_final_report_needs_the_launch_token_and_a_known_run(locust, first_report):
    assert final_report(locust, "refused-stop", token="wrong").status_code == 401
    assert final_report(locust, "no-such-run").status_code == 404
