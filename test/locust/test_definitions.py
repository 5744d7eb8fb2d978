"""docs/METRICS.md's definitions as the plugin applies them to real Locust stats."""

import json
import os
import subprocess
import sys

from _harness import FIXTURES, PLUGIN_DIR


def probe() -> dict:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(PLUGIN_DIR), os.environ.get("PYTHONPATH")]))}
    result = subprocess.run(
        [sys.executable, str(FIXTURES / "definitions_probe.py")], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["payload"]


PAYLOAD = None


def payload() -> dict:
    global PAYLOAD
    if PAYLOAD is None:
        PAYLOAD = probe()
    return PAYLOAD


def test_endpoint_p50_is_the_histogram_percentile_like_the_total():
    slow = payload()["requestStats"]["GET /slow"]
    # Locust's get_response_time_percentile(0.5) of 20×100 + 20×300 is 300; its Median column says 100
    assert slow["p50ResponseTime"] == 300
    assert slow["medianResponseTime"] != slow["p50ResponseTime"]
    # the total (20×300, 20×100, 1×24 ms) by the same definition: the 21st slowest is 100
    assert payload()["p50ResponseMs"] == 100


def test_percentiles_are_never_above_the_max():
    once = payload()["requestStats"]["GET /once"]
    assert once["maxResponseTime"] == 23.7
    assert once["p50ResponseTime"] == once["p95ResponseTime"] == once["p99ResponseTime"] == 23.7
    assert payload()["maxResponseMs"] == 300
    assert payload()["p99ResponseMs"] <= payload()["maxResponseMs"]
    assert payload()["minResponseMs"] == 23.7


def test_task_exceptions_are_sent_with_count_message_traceback_and_where():
    body = payload()
    assert body["totalExceptions"] == 4
    rows = body["exceptions"]
    # Locust groups by traceback (frames only): the same line raising with other messages is one row
    assert [row["count"] for row in rows] == [3, 1]
    first = rows[0]
    # Locust keeps str(exception) only; the plugin names the type
    assert first["message"] == "ValueError: bad id 0"
    # line 4 of the stored script is line 3 of the script as written: loadctl's import does not count
    assert first["where"] == "locustfile.py:3 in raise_in_task"
    assert 'locustfile.py", line 3, in raise_in_task' in first["traceback"]


def test_exception_texts_are_capped_to_what_the_control_plane_accepts():
    huge = [row for row in payload()["exceptions"] if len(row["message"]) > 1000][0]
    assert len(huge["message"]) <= 20_000 and len(huge["traceback"]) <= 20_000
    assert huge["message"].startswith("[…truncated by loadctl]")
