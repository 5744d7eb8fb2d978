"""Runs that end early: a manual /stop, and Locust itself being terminated mid-run."""

import requests
from _harness import histogram_total, start_run, wait_until, web_ui_args


def wait_for_metrics(receiver, run_id, locust, field):
    """Wait for a metrics push whose `field` is above zero, so the run has something to report."""
    wait_until(
        lambda: any(c.kind == "metrics" and c.body[field] > 0 for c in receiver.accepted(run_id)),
        15,
        f"a metrics push with {field} > 0",
        locust.log,
    )


def test_a_manual_stop_is_reported_as_not_auto_stopped(spawn_locust, receiver, target):
    locust = spawn_locust(*web_ui_args(target))
    start_run(locust, receiver, target, "run-manual", duration=60, interval=0.3)
    wait_for_metrics(receiver, "run-manual", locust, "totalRequests")

    assert requests.get(f"{locust.base_url}/stop", timeout=10).json()["success"] is True
    stop = receiver.wait_for_stop("run-manual", timeout=15, describe=locust.log)
    assert stop.body["autoStopped"] is False
    accepted = receiver.accepted("run-manual")
    assert [c.body["seq"] for c in accepted] == list(range(len(accepted)))
    assert histogram_total(accepted) == stop.body["totalRequests"] > 0
    assert not locust.find("duration of 60s elapsed")


def test_sigterm_during_a_run_still_delivers_test_stop(spawn_locust, receiver, target):
    locust = spawn_locust(*web_ui_args(target))
    start_run(locust, receiver, target, "run-term", duration=60, interval=0.3)
    wait_for_metrics(receiver, "run-term", locust, "totalFailures")

    locust.process.terminate()
    # Locust exits 1 when any request failed (--exit-code-on-error), and the fixture has a failing endpoint
    assert locust.process.wait(timeout=20) == 1
    stop = receiver.wait_for_stop("run-term", timeout=1)
    assert stop.body["autoStopped"] is False
    accepted = receiver.accepted("run-term")
    assert [c.body["seq"] for c in accepted] == list(range(len(accepted)))
    assert histogram_total(accepted) == stop.body["totalRequests"] > 0
    assert locust.find("Got SIGTERM signal")
