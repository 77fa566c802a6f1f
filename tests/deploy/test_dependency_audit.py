"""`.ci/audit` (pip-audit of uv.lock, run by .ci/run and GitHub Actions) fails when it should: on a known
vulnerability (requests 2.19.1: CVE-2018-18074, PYSEC-2018-28), and, when required, if PyPI's
per-release vulnerability data cannot be reached (nothing audited is never a pass). Which of the two a
machine can show depends on whether it reaches that data; each run shows the one it can."""

import os
import subprocess
import urllib.request

from support import REPO_ROOT

AUDIT = REPO_ROOT / ".ci" / "audit"
VULNERABLE = REPO_ROOT / "tests" / "deploy" / "vulnerable-requirements.txt"
PROBE = "https://pypi.org/pypi/pip-audit/2.10.1/json"


def vulnerability_data_reachable() -> bool:
    try:
        urllib.request.urlopen(PROBE, timeout=20)
    except OSError:
        return False
    return True


def audit(*arguments: str, required: bool) -> subprocess.CompletedProcess:
    env = {**os.environ, "AUDIT_REQUIRED": "1" if required else "0"}
    return subprocess.run(["bash", str(AUDIT), *arguments], capture_output=True, text=True, env=env, timeout=600)


def test_the_audit_fails_on_a_known_vulnerability_or_when_it_cannot_audit_at_all():
    result = audit(str(VULNERABLE), required=True)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    if vulnerability_data_reachable():
        assert "requests" in output and ("PYSEC-2018-28" in output or "CVE-2018-18074" in output), output
    else:
        assert "NOTHING WAS AUDITED" in output


def test_where_the_data_is_unreachable_and_not_required_the_log_says_nothing_was_audited():
    if vulnerability_data_reachable():
        return  # the other test covers this machine
    result = audit(str(VULNERABLE), required=False)
    assert result.returncode == 0 and "NOTHING WAS AUDITED" in result.stderr


def test_ci_runs_the_audit_and_github_requires_it():
    assert "bash .ci/audit" in (REPO_ROOT / ".ci" / "run").read_text()
    workflow = (REPO_ROOT / ".github" / "workflows" / "ci.yml").read_text()
    assert "bash .ci/audit" in workflow and 'AUDIT_REQUIRED: "1"' in workflow
    script = AUDIT.read_text()
    assert "--strict" in script and 'uv" export --frozen' in script
