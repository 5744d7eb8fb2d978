"""POST /controlplane/set-context and GET /controlplane/context on a Locust with a launch token."""

import pytest
import requests
from _harness import web_ui_args

LAUNCH_TOKEN = "launch-secret"
VALID = {
    "runId": "run-ctx",
    "callbackUrl": "http://127.0.0.1:9/v1/internal/locust/",
    "callbackToken": "callback-secret",
    "durationSeconds": 30,
}


@pytest.fixture(scope="module")
def locust(spawn_locust, target):
    return spawn_locust(*web_ui_args(target), launch_token=LAUNCH_TOKEN)


def set_context(locust, authorization=f"Bearer {LAUNCH_TOKEN}", **kwargs):
    headers = {"Authorization": authorization} if authorization else {}
    return requests.post(f"{locust.base_url}/controlplane/set-context", headers=headers, timeout=10, **kwargs)


def test_accepts_the_launch_token_and_hides_the_callback_token(locust):
    answer = set_context(locust, json=VALID)
    assert answer.status_code == 200
    assert answer.json()["success"] is True
    assert "run-ctx" in answer.json()["message"]

    answer = requests.get(
        f"{locust.base_url}/controlplane/context", headers={"Authorization": f"Bearer {LAUNCH_TOKEN}"}, timeout=10
    )
    assert answer.status_code == 200
    assert answer.json() == {
        "success": True,
        "context": {
            "runId": "run-ctx",
            "callbackUrl": "http://127.0.0.1:9/v1/internal/locust",
            "durationSeconds": 30,
            "metricsIntervalSeconds": 2,
            "finalDeadlineSeconds": 120,
            "hasToken": True,
            "state": "pending",
        },
    }
    assert "callback-secret" not in answer.text


@pytest.mark.parametrize("authorization", [None, "Bearer wrong", f"Basic {LAUNCH_TOKEN}", f"Bearer {LAUNCH_TOKEN}x"])
def test_refuses_a_missing_or_wrong_launch_token(locust, authorization):
    answer = set_context(locust, json=VALID, authorization=authorization)
    assert answer.status_code == 401
    assert answer.json()["success"] is False
    assert answer.json()["message"]

    answer = requests.get(f"{locust.base_url}/controlplane/context", timeout=10)
    assert answer.status_code == 401


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"runId": None}, "runId"),
        ({"runId": "  "}, "runId"),
        ({"callbackUrl": None}, "callbackUrl"),
        ({"callbackUrl": "ftp://127.0.0.1/x"}, "callbackUrl"),
        ({"callbackToken": None}, "callbackToken"),
        ({"durationSeconds": 0}, "durationSeconds"),
        ({"durationSeconds": -5}, "durationSeconds"),
        ({"durationSeconds": "30"}, "durationSeconds"),
        ({"durationSeconds": True}, "durationSeconds"),
        ({"metricsIntervalSeconds": 0}, "metricsIntervalSeconds"),
        ({"finalDeadlineSeconds": -1}, "finalDeadlineSeconds"),
    ],
)
def test_refuses_an_invalid_body(locust, change, field):
    body = {key: value for key, value in {**VALID, **change}.items() if value is not None}
    answer = set_context(locust, json=body)
    assert answer.status_code == 400
    assert answer.json()["success"] is False
    assert field in answer.json()["message"]


@pytest.mark.parametrize("raw", [b"not json", b"[1, 2]", b""])
def test_refuses_a_body_that_is_not_a_json_object(locust, raw):
    answer = set_context(locust, data=raw)
    assert answer.status_code == 400
    assert answer.json() == {"success": False, "message": "body must be a JSON object"}
