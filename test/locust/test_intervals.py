"""The interval each push covers, its rates, and the peak users, on a real Locust."""

from datetime import datetime

import pytest
from _harness import start_run, wait_for_state, web_ui_args

USERS = 4


def ms(stamp: str) -> int:
    assert stamp.endswith("Z"), stamp
    return round(datetime.fromisoformat(stamp[:-1] + "+00:00").timestamp() * 1000)


def seconds(body: dict) -> float:
    return (ms(body["intervalEnd"]) - ms(body["intervalStart"])) / 1000


@pytest.fixture(scope="module")
def locust(spawn_locust, target):
    return spawn_locust(*web_ui_args(target))


def finished_run(locust, receiver, target, run_id: str, duration: float, interval: float) -> list[dict]:
    start_run(locust, receiver, target, run_id, users=USERS, duration=duration, interval=interval)
    receiver.wait_for_stop(run_id, timeout=20, describe=locust.log)
    wait_for_state(locust, "stopped")
    return [c.body for c in receiver.accepted(run_id)]


def test_intervals_tile_from_the_test_start_and_rates_are_counted_over_them(locust, receiver, target):
    pushes = finished_run(locust, receiver, target, "tiles", duration=2, interval=0.5)
    start, metrics, final = pushes[0], pushes[1:-1], pushes[-1]
    assert len(metrics) >= 3, [p["seq"] for p in pushes]
    # test-start is the zero point: an empty interval at the test start
    assert start["intervalStart"] == start["intervalEnd"] == start["timestamp"]
    for before, push in zip(pushes, pushes[1:]):
        assert push["intervalStart"] == before["intervalEnd"], push["seq"]
        assert push["intervalEnd"] == push["timestamp"]
        assert ms(push["intervalEnd"]) >= ms(push["intervalStart"])
    # a push's rate is its requests over its own interval, the first one included
    first = metrics[0]
    assert first["totalRequests"] > 0
    assert first["totalRps"] == pytest.approx(first["totalRequests"] / seconds(first))
    for before, push in zip(metrics, metrics[1:]):
        assert push["totalRps"] == pytest.approx((push["totalRequests"] - before["totalRequests"]) / seconds(push))
        for key, stats in push["requestStats"].items():
            earlier = before["requestStats"].get(key, {}).get("numRequests", 0)
            assert stats["requestsPerSec"] == pytest.approx((stats["numRequests"] - earlier) / seconds(push)), key
    # the final push's rates are over the whole load, test start to stop
    load_seconds = (ms(final["intervalEnd"]) - ms(start["intervalStart"])) / 1000
    assert 2.0 <= load_seconds < 2.5
    assert final["totalRps"] == pytest.approx(final["totalRequests"] / load_seconds)
    for key, stats in final["requestStats"].items():
        assert stats["requestsPerSec"] == pytest.approx(stats["numRequests"] / load_seconds), key
    # peak users: in every push, never falling, the users asked for once they ran
    peaks = [p["peakUsers"] for p in pushes]
    assert peaks == sorted(peaks)
    assert final["peakUsers"] == USERS
    assert final["currentUsers"] == 0


def test_a_lost_push_leaves_its_interval_to_the_next_one(locust, receiver, target):
    receiver.answer_next(4, 503, kind="metrics")  # every try of the first metrics push
    pushes = finished_run(locust, receiver, target, "lost", duration=3, interval=0.5)
    start, second = pushes[0], pushes[1]
    # the lost push's requests and time both belong to the next delivered one
    assert second["intervalStart"] == start["intervalEnd"]
    assert second["totalRps"] == pytest.approx(second["totalRequests"] / seconds(second))
    assert seconds(second) > 1.0


def test_a_run_shorter_than_one_interval_still_has_its_peak(locust, receiver, target):
    pushes = finished_run(locust, receiver, target, "short", duration=0.5, interval=5)
    assert [p["seq"] for p in pushes] == [0, 1]  # test-start and test-stop only
    final = pushes[-1]
    assert final["currentUsers"] == 0
    assert final["peakUsers"] == USERS
    assert final["intervalStart"] == pushes[0]["intervalEnd"]
    assert final["totalRps"] == pytest.approx(final["totalRequests"] / seconds(final))
    assert final["totalRps"] > 0
