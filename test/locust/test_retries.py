"""Callbacks the control plane refuses or loses: retried, given up, and nothing lost in the totals."""

import pytest
from _harness import histogram_total, start_run, web_ui_args


@pytest.fixture(scope="module")
def locust(spawn_locust, target):
    return spawn_locust(*web_ui_args(target))


def statuses(callbacks):
    return [c.status for c in callbacks]


def test_test_start_and_test_stop_are_retried_until_delivered(locust, receiver, target):
    receiver.answer_next(2, 503)  # the first two callbacks are test-start's first two tries
    receiver.answer_next(2, 503, kind="test-stop")
    start_run(locust, receiver, target, "run-retry", duration=1.5, interval=0.5)
    stop = receiver.wait_for_stop("run-retry", timeout=20, describe=locust.log)

    starts, stops = receiver.attempts("test-start"), receiver.attempts("test-stop")
    assert statuses(starts) == [503, 503, 200]
    assert statuses(stops) == [503, 503, 200]
    # a retry repeats the same push, seq included, so the control plane can drop duplicates
    assert all(c.body == starts[0].body for c in starts)
    assert all(c.body == stops[0].body for c in stops)

    accepted = receiver.accepted("run-retry")
    assert [c.body["seq"] for c in accepted] == list(range(len(accepted)))
    assert accepted[-1] is stop
    assert stop.body["autoStopped"] is True
    assert histogram_total(accepted) == stop.body["totalRequests"] > 0


def test_a_lost_metrics_push_is_folded_into_the_next(locust, receiver, target):
    receiver.answer_next(4, 503, kind="metrics")  # every try of the first metrics push
    start_run(locust, receiver, target, "run-lost", duration=3.5, interval=0.5)
    stop = receiver.wait_for_stop("run-lost", timeout=20, describe=locust.log)

    metrics_tries = receiver.attempts("metrics")
    assert [(c.body["seq"], c.status) for c in metrics_tries[:5]] == [(1, 503)] * 4 + [(2, 200)]
    accepted = receiver.accepted("run-lost")
    seqs = [c.body["seq"] for c in accepted]
    assert seqs == [0] + list(range(2, seqs[-1] + 1))
    # seq 2 carries everything since the start, as seq 1 was never acknowledged
    first_metrics = accepted[1].body
    assert sum(first_metrics["histogram"].values()) == first_metrics["totalRequests"] > 0
    assert histogram_total(accepted) == stop.body["totalRequests"]
    assert locust.find("gave up delivering metrics seq 1 for run run-lost")


def test_a_refused_callback_is_not_retried_but_429_is(locust, receiver, target):
    receiver.answer_next(1, 401, kind="test-start")
    receiver.answer_next(1, 429, kind="metrics")
    start_run(locust, receiver, target, "run-refused", duration=1.5, interval=0.5)
    stop = receiver.wait_for_stop("run-refused", timeout=20, describe=locust.log)

    assert statuses(receiver.attempts("test-start")) == [401]
    assert statuses(receiver.attempts("metrics")[:2]) == [429, 200]
    assert locust.find("test-start seq 0 refused with HTTP 401")
    accepted = receiver.accepted("run-refused")
    assert [c.body["seq"] for c in accepted] == list(range(1, len(accepted) + 1))
    assert histogram_total(accepted) == stop.body["totalRequests"] > 0
