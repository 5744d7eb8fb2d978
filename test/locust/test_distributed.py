"""A master with one worker: only the master reports, once per event, with the workers' numbers."""

from datetime import datetime

import requests
from _harness import free_port, histogram_total, start_run, wait_until, web_ui_args

USERS = 4


def test_only_the_master_reports_and_its_totals_are_complete(spawn_locust, receiver, target):
    port = free_port()
    master = spawn_locust(
        *web_ui_args(target), "--master", "--master-bind-host", "127.0.0.1", "--master-bind-port", str(port),
        "--expect-workers", "1",
    )  # fmt: skip
    worker = spawn_locust("--worker", "--master-host", "127.0.0.1", "--master-port", str(port))
    worker.wait_for_line("loadctl plugin loaded \\(inactive: not a local or master runner\\)")
    wait_until(
        lambda: requests.get(f"{master.base_url}/worker-count", timeout=10).json()["worker_count"] == 1,
        30,
        "the worker to connect",
        master.log,
    )
    served_before = target.served
    # the route loadctl waits on before /swarm: the master's runner's clients
    workers = requests.get(f"{master.base_url}/controlplane/workers", timeout=10).json()
    assert workers["role"] == "master"
    assert [(w["state"], w["users"]) for w in workers["workers"]] == [("ready", 0)]
    assert workers["workers"][0]["host"] and workers["workers"][0]["host"] in workers["workers"][0]["id"]

    start_run(master, receiver, target, "run-dist", users=USERS, duration=2, interval=0.5)
    wait_until(
        lambda: [w["users"] for w in requests.get(f"{master.base_url}/controlplane/workers", timeout=10).json()["workers"]]
        == [USERS],
        15,
        "the worker to report its users",
        master.log,
    )
    stop = receiver.wait_for_stop("run-dist", timeout=30, describe=master.log)

    kinds = [c.kind for c in receiver.calls]
    assert kinds.count("test-start") == 1
    assert kinds.count("test-stop") == 1
    assert kinds[0] == "test-start" and kinds[-1] == "test-stop"
    accepted = receiver.accepted("run-dist")
    assert len(accepted) == len(receiver.calls)
    assert [c.body["seq"] for c in accepted] == list(range(len(accepted)))
    assert stop.body["autoStopped"] is True
    assert accepted[0].body["targetUsers"] == USERS

    # locust #1426: the plugin waits for the worker's report after the stop, so nothing is missing
    total = stop.body["totalRequests"]
    assert total == sum(e["numRequests"] for e in stop.body["requestStats"].values()) > 0
    assert 0 <= target.served - served_before - total <= USERS
    assert histogram_total(accepted) == total
    assert not worker.find("reporting this test")
    # the master's test_stop fires seconds after the stop (once the workers reported no users):
    # the load's end, and so the run's length, is the stop request
    seconds = (at(stop.body["intervalEnd"]) - at(accepted[0].body["timestamp"])).total_seconds()
    assert 2 <= seconds < 2.5
    assert all(at(c.body["intervalEnd"]) <= at(stop.body["intervalEnd"]) for c in accepted)


def at(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def test_a_workers_exception_is_named_by_its_type_on_the_master(spawn_locust, receiver, target):
    # Locust sends the master only str(exception) ("" here): the worker sends the types it saw in its reports
    port = free_port()
    master = spawn_locust(
        *web_ui_args(target), "--master", "--master-bind-host", "127.0.0.1", "--master-bind-port", str(port),
        script="raising.py",
    )  # fmt: skip
    spawn_locust("--worker", "--master-host", "127.0.0.1", "--master-port", str(port), script="raising.py")
    wait_until(
        lambda: len(requests.get(f"{master.base_url}/controlplane/workers", timeout=10).json()["workers"]) == 1,
        30,
        "the worker to connect",
        master.log,
    )
    start_run(master, receiver, target, "run-raise", users=2, duration=2, interval=0.5)
    stop = receiver.wait_for_stop("run-raise", timeout=30, describe=master.log)
    assert stop.body["totalExceptions"] > 0
    assert [row["message"] for row in stop.body["exceptions"]] == ["KeyError"]
