"""The Prometheus alert rules in deploy/prometheus/, checked and unit-tested by the real `promtool`.

Besides running the rule tests, this pins that they can fail: an alert made unable to fire, or one
that fires at once instead of after its `for:`, must make `promtool test rules` fail. So every alert
has a test where it fires and one where it has not fired yet.
"""

import copy
import subprocess
from pathlib import Path

import pytest
import yaml
from devtools.paths import REPO_ROOT

pytestmark = pytest.mark.prometheus

RULES_DIR = REPO_ROOT / "deploy" / "prometheus"
ALERTS = RULES_DIR / "alerts.yml"
ALERT_TESTS = RULES_DIR / "alerts.test.yml"
CONFIG = RULES_DIR / "prometheus.yml"
SEVERITIES = {"info", "warning", "critical"}


def alert_rules() -> list[dict]:
    groups = yaml.safe_load(ALERTS.read_text())["groups"]
    return [rule for group in groups for rule in group["rules"] if "alert" in rule]


def alert_names() -> list[str]:
    return [rule["alert"] for rule in alert_rules()]


def run_promtool(promtool: str, *arguments: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([promtool, *arguments], cwd=cwd, capture_output=True, text=True, timeout=60, check=False)


def test_rules_pass_promtool_check(promtool):
    result = run_promtool(promtool, "check", "rules", ALERTS.name, cwd=RULES_DIR)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"SUCCESS: {len(alert_rules())} rules found" in result.stdout


def test_example_configuration_is_valid_and_loads_the_rules(promtool):
    result = run_promtool(promtool, "check", "config", CONFIG.name, cwd=RULES_DIR)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS: 1 rule files found" in result.stdout


def test_rule_unit_tests_pass(promtool):
    result = run_promtool(promtool, "test", "rules", ALERT_TESTS.name, cwd=RULES_DIR)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS" in result.stdout


@pytest.mark.parametrize("rule", alert_rules(), ids=alert_names())
def test_every_alert_has_a_severity_a_summary_and_a_description(rule):
    assert rule["labels"]["severity"] in SEVERITIES
    assert rule["annotations"]["summary"].strip()
    assert len(rule["annotations"]["description"].split()) >= 20, "say where to look next"


def test_every_alert_is_tested_firing_and_not_firing():
    cases = [case for group in yaml.safe_load(ALERT_TESTS.read_text())["tests"] for case in group["alert_rule_test"]]
    firing = {case["alertname"] for case in cases if case["exp_alerts"]}
    silent = {case["alertname"] for case in cases if not case["exp_alerts"]}
    assert set(alert_names()) <= firing
    assert set(alert_names()) <= silent


def mutated_rules_fail_their_tests(promtool: str, tmp_path: Path, alert: str, change) -> str:
    """Write alerts.yml with `change` applied to `alert`, run the unchanged tests; their output."""
    groups = copy.deepcopy(yaml.safe_load(ALERTS.read_text()))
    (rule,) = [rule for group in groups["groups"] for rule in group["rules"] if rule.get("alert") == alert]
    change(rule)
    (tmp_path / ALERTS.name).write_text(yaml.safe_dump(groups, sort_keys=False, allow_unicode=True))
    (tmp_path / ALERT_TESTS.name).write_text(ALERT_TESTS.read_text())
    result = run_promtool(promtool, "test", "rules", ALERT_TESTS.name, cwd=tmp_path)
    assert result.returncode != 0, f"the tests still pass with {alert} changed"
    return result.stdout + result.stderr


@pytest.mark.parametrize("alert", alert_names())
def test_tests_fail_when_an_alert_can_no_longer_fire(promtool, tmp_path, alert):
    output = mutated_rules_fail_their_tests(promtool, tmp_path, alert, lambda rule: rule.update(expr="vector(1) == 0"))
    assert f"alertname: {alert}" in output


@pytest.mark.parametrize("alert", alert_names())
def test_tests_fail_when_an_alert_fires_without_waiting_for_its_duration(promtool, tmp_path, alert):
    output = mutated_rules_fail_their_tests(promtool, tmp_path, alert, lambda rule: rule.update({"for": "0s"}))
    assert f"alertname: {alert}" in output
