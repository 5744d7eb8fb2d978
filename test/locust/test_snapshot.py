"""The plugin's snapshot and histogram arithmetic on real Locust stats objects."""

import json
import os
import subprocess
import sys

from _harness import FIXTURES, PLUGIN_DIR


def probe() -> dict:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(PLUGIN_DIR), os.environ.get("PYTHONPATH")]))}
    result = subprocess.run(
        [sys.executable, str(FIXTURES / "snapshot_probe.py")], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_snapshot_caps_rows_keeps_totals_and_folds_histograms():
    answer = probe()
    payload = answer["payload"]
    item_requests = sum(1 + n // 100 for n in range(600))
    assert payload["totalRequests"] == item_requests + 700
    assert payload["totalFailures"] == 700
    assert payload["errorRate"] == 700 / (item_requests + 700)
    # the 500 busiest endpoints and the 500 most frequent errors, however many there are
    assert len(payload["requestStats"]) == 500
    assert len(payload["errors"]) == 500
    assert payload["requestStats"]["GET /item/599"]["numRequests"] == 6
    assert payload["requestStats"]["GET /item/599"]["minResponseTime"] == 12.3
    # response times are kept in Locust's rounded buckets
    assert answer["histogram"] == {"12": item_requests, "1500": 700}
    assert answer["delta"] == {"12": 3}
    # after a stats reset the buckets shrink: the next histogram counts from the reset
    assert answer["afterReset"] == {"12": 1}
