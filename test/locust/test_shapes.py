"""Issue 12: a load shape drives the test. The plugin reports the shape, its target users and
stage in every push, and says when the shape itself ended the test (Finished, not Stopped)."""

import json
import os
import subprocess
import sys

import requests
from _harness import FIXTURES, PLUGIN_DIR, CallbackReceiver, start_run, wait_until, web_ui_args


def set_context(locust, receiver: CallbackReceiver, run_id: str, **extra) -> requests.Response:
    context = {"runId": run_id, "callbackUrl": receiver.url, "callbackToken": "t", "metricsIntervalSeconds": 0.5, **extra}
    return requests.post(f"{locust.base_url}/controlplane/set-context", json=context, timeout=10)


def swarm(locust, target) -> None:
    answer = requests.post(f"{locust.base_url}/swarm", data={"user_count": 1, "spawn_rate": 1, "host": target.url}, timeout=10)
    assert answer.json()["success"] is True, answer.text


def test_a_script_shape_that_ends_by_itself_is_reported_as_the_shape_ending(spawn_locust, target, receiver):
    locust = spawn_locust(*web_ui_args(target), script="shaped.py")
    assert set_context(locust, receiver, "run-shape", durationSeconds=60).status_code == 200
    swarm(locust, target)
    stop = receiver.wait_for_stop("run-shape", timeout=30, describe=locust.log)
    assert stop.body["autoStopped"] is True
    assert stop.body["stopReason"] == "shape"
    pushes = [c.body for c in receiver.accepted("run-shape") if c.kind == "metrics"]
    assert pushes, "no metrics push before the shape ended"
    assert {p["shape"]["name"] for p in pushes} == {"StepShape"}
    assert {p["shape"]["kind"] for p in pushes} == {"script"}
    # the script's stages list ("duration" as cumulative end times) gives the stage
    assert {p["shapeStage"]["count"] for p in pushes} == {2}
    assert {p["targetUsers"] for p in pushes} <= {2, 4}
    assert 4 in {p["targetUsers"] for p in pushes}


def test_a_shape_cut_by_the_duration_ends_for_the_duration(spawn_locust, target, receiver):
    locust = spawn_locust(*web_ui_args(target), script="shaped.py")
    assert set_context(locust, receiver, "run-cut", durationSeconds=1).status_code == 200
    swarm(locust, target)
    stop = receiver.wait_for_stop("run-cut", timeout=30, describe=locust.log)
    assert stop.body["autoStopped"] is True
    assert stop.body["stopReason"] == "duration"


def test_stages_run_as_a_shape_loadctl_provides(spawn_locust, target, receiver):
    locust = spawn_locust(*web_ui_args(target))
    stages = [{"durationSeconds": 1, "users": 3}, {"durationSeconds": 1.5, "users": 3}]
    assert set_context(locust, receiver, "run-stages", durationSeconds=60, stages=stages).status_code == 200
    swarm(locust, target)
    stop = receiver.wait_for_stop("run-stages", timeout=30, describe=locust.log)
    assert stop.body["stopReason"] == "shape"
    pushes = [c.body for c in receiver.accepted("run-stages") if c.kind == "metrics"]
    assert pushes and {p["shape"]["kind"] for p in pushes} == {"stages"}
    assert max(p["currentUsers"] for p in pushes) == 3
    assert {p["shapeStage"]["count"] for p in pushes} == {2}
    # a later run without stages drives /swarm's user count again, not the stages
    start_run(locust, receiver, target, "run-plain", users=2, duration=1)
    plain = receiver.wait_for_stop("run-plain", timeout=30, describe=locust.log)
    assert plain.body["stopReason"] == "duration"
    assert all("shape" not in c.body for c in receiver.accepted("run-plain"))


def test_stages_and_a_script_shape_together_are_refused(spawn_locust, target, receiver):
    locust = spawn_locust(*web_ui_args(target), script="shaped.py")
    answer = set_context(locust, receiver, "run-both", stages=[{"durationSeconds": 1, "users": 1}])
    assert answer.status_code == 400
    assert "StepShape" in answer.json()["message"]


def test_a_stop_on_request_is_not_the_shape_ending(spawn_locust, target, receiver):
    locust = spawn_locust(*web_ui_args(target), script="shaped.py")
    assert set_context(locust, receiver, "run-asked", durationSeconds=60).status_code == 200
    swarm(locust, target)
    wait_until(lambda: [c for c in receiver.accepted("run-asked") if c.kind == "test-start"], 20, "test-start")
    requests.get(f"{locust.base_url}/stop", timeout=10)
    stop = receiver.wait_for_stop("run-asked", timeout=30, describe=locust.log)
    assert stop.body["autoStopped"] is False
    assert "stopReason" not in stop.body


def stages_probe(bad_stages: list) -> dict:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(PLUGIN_DIR), os.environ.get("PYTHONPATH")]))}
    result = subprocess.run(
        [sys.executable, str(FIXTURES / "stages_probe.py"), json.dumps(bad_stages)], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_stages_plan_ramps_linearly_and_bad_stages_are_named():
    answer = stages_probe([[], [{"durationSeconds": 0, "users": 1}], [{"durationSeconds": 1, "users": 1}, {"durationSeconds": 1, "users": -1}]])
    # 0 → 10 over 30 s, hold 10 for 60 s, 10 → 0 over 20 s, then over
    assert answer["plan"] == {"0": [0, 0], "15": [5, 0], "50": [10, 1], "100": [5, 2], "110": None}
    empty, first, second = answer["errors"]
    assert "non-empty" in empty
    assert first.startswith("stage 1:")
    assert second.startswith("stage 2:")
