"""The parent-death guard watches the pid in LOADCTL_PARENT_PID itself: with a --locust-bin
wrapper script that runs (not execs) locust, loadctl is Locust's grandparent, not its parent."""

import subprocess

from _harness import web_ui_args


def test_locust_quits_when_the_watched_pid_dies_though_it_is_not_locusts_parent(spawn_locust, target, monkeypatch):
    stand_in = subprocess.Popen(["sleep", "300"])  # plays loadctl; Locust's parent is pytest
    try:
        monkeypatch.setenv("LOADCTL_PARENT_PID", str(stand_in.pid))
        locust = spawn_locust(*web_ui_args(target))
        assert locust.base_url  # the web UI (and so the plugin) is up
        assert locust.process.poll() is None
    finally:
        stand_in.kill()
        stand_in.wait()
    # the guard checks once a second; Locust's own shutdown takes a moment more
    locust.process.wait(timeout=20)
    assert locust.find(rf"loadctl \(pid {stand_in.pid}\) is gone: shutting Locust down")
