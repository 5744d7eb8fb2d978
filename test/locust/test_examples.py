"""The shipped example scripts, run the way loadctl runs them: with the plugin import injected."""

import pytest
from _harness import REPO, LocustProcess

EXAMPLES = REPO / "locust" / "examples"


def inject_plugin(script_name: str, into) -> str:
    injected = into / script_name
    injected.write_text("import loadctl_plugin  # injected by loadctl\n" + (EXAMPLES / script_name).read_text())
    return str(injected)


@pytest.mark.parametrize(("script_name", "user_class"), [("products.py", "Shopper"), ("starter.py", "WebsiteUser")])
def test_example_defines_its_users(tmp_path, script_name, user_class):
    locust = LocustProcess(["-f", inject_plugin(script_name, tmp_path), "--list"])
    assert locust.process.wait(timeout=30) == 0, locust.log()
    locust.stop()
    assert locust.find(rf"^\s*{user_class}\s*$")


def test_headless_locust_runs_the_script_and_leaves_the_plugin_inactive(tmp_path, target):
    script = inject_plugin("products.py", tmp_path)
    locust = LocustProcess(["-f", script, "--headless", "-u", "2", "-r", "10", "-t", "1s", "--host", target.url])
    assert locust.process.wait(timeout=30) == 0, locust.log()
    locust.stop()
    assert locust.find("loadctl plugin loaded \\(inactive: no web UI")
    assert not locust.find("loadctl plugin ready")
    assert not locust.find("Traceback|ERROR")
