"""Load shapes for loadctl's plugin: the stages shape loadctl provides (`--stage 30s:10`, k6's
`stages`) and what the plugin reports of any shape (a script's own `LoadTestShape` too).

The stages shape is never in the user's script: the plugin sets it as
``environment.shape_class`` when set-context carries stages, and Locust's /swarm then runs it
like a script's shape (``runner.start_shape()``).
"""

from __future__ import annotations

import math

from locust import LoadTestShape

# Locust's shape worker calls tick() about once a second
TICK_SECONDS = 1.0


class StagesShape(LoadTestShape):
    """k6-like stages: each stage ramps linearly from the previous stage's users (0 at first) to
    its own over its duration; the shape ends (tick() returns None) after the last stage."""

    abstract = True  # never picked up as a script's shape class

    def __init__(self, stages: list[tuple[float, int]]):
        super().__init__()
        if not stages:
            raise ValueError("stages must not be empty")
        self.stages = list(stages)
        self.total_seconds = sum(seconds for seconds, _users in self.stages)
        self.stage_index = 0

    def plan_at(self, seconds: float) -> tuple[int, int] | None:
        """(planned users, stage index from 0) at `seconds` into the run; None once it is over."""
        start, before = 0.0, 0
        for index, (length, users) in enumerate(self.stages):
            if seconds < start + length:
                users_now = before + (users - before) * (seconds - start) / length
                return round(users_now), index
            start, before = start + length, users
        return None

    def tick(self):
        plan = self.plan_at(self.get_run_time())
        if plan is None:
            return None
        users, self.stage_index = plan
        current = self.runner.user_count if self.runner is not None else 0
        # reach the target within one tick: Locust's start() blocks while it spawns
        return users, max(1.0, float(abs(users - current)) / TICK_SECONDS)


def _script_stage(shape) -> tuple[int, int] | None:
    """(index, count) for a script shape written like Locust's docs: `stages` = [{"duration": end, …}]
    with cumulative end times; None for any other shape."""
    stages = getattr(shape, "stages", None)
    if not isinstance(stages, (list, tuple)) or not stages:
        return None
    if not all(isinstance(s, dict) and isinstance(s.get("duration"), (int, float)) for s in stages):
        return None
    elapsed = shape.get_run_time()
    index = next((i for i, s in enumerate(stages) if elapsed < s["duration"]), len(stages) - 1)
    return index, len(stages)


def shape_report(shape, runner) -> dict:
    """What a push says of the shape driving the test: its kind and name, the users it asks for
    now (its last tick) and, when it has stages, which one runs. {} without a shape."""
    if shape is None:
        return {}
    kind = "stages" if isinstance(shape, StagesShape) else "script"
    stage = (shape.stage_index, len(shape.stages)) if isinstance(shape, StagesShape) else _script_stage(shape)
    report = {
        "shape": {"kind": kind, "name": "stages" if kind == "stages" else type(shape).__name__},
        "targetUsers": int(getattr(runner, "target_user_count", 0) or 0),
    }
    if isinstance(shape, StagesShape):
        # the plan itself, not the last tick: a tick lags by up to a second
        plan = shape.plan_at(shape.get_run_time())
        if plan is not None:
            report["targetUsers"] = plan[0]
    if stage is not None:
        report["shapeStage"] = {"index": stage[0] + 1, "count": stage[1]}
    return report


def parse_stages(value: object) -> list[tuple[float, int]] | None:
    """set-context's `stages` ([{durationSeconds, users}, …]) → [(seconds, users)]; ValueError names the bad one."""
    if value is None:
        return None
    if not isinstance(value, list) or not value:
        raise ValueError("stages must be a non-empty list of {durationSeconds, users}")
    stages = []
    for number, stage in enumerate(value, 1):
        seconds = stage.get("durationSeconds") if isinstance(stage, dict) else None
        users = stage.get("users") if isinstance(stage, dict) else None
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not math.isfinite(seconds) or seconds <= 0:
            raise ValueError(f"stage {number}: durationSeconds must be a positive number")
        if isinstance(users, bool) or not isinstance(users, int) or users < 0:
            raise ValueError(f"stage {number}: users must be a whole number, 0 or more")
        stages.append((float(seconds), users))
    return stages
