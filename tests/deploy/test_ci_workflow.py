"""The GitHub Actions workflow: valid against GitHub's workflow schema (check-jsonschema's vendored copy,
offline), running the README's test command and building the three images from Dockerfiles that exist."""

import re
import subprocess
import sys

import yaml
from support import REPO_ROOT

WORKFLOW = REPO_ROOT / ".github" / "workflows" / "ci.yml"
CHECK = [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows"]


def test_the_workflow_is_valid_for_github():
    result = subprocess.run([*CHECK, str(WORKFLOW)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_rejects_a_broken_workflow(tmp_path):
    broken = tmp_path / "ci.yml"
    broken.write_text(WORKFLOW.read_text().replace("runs-on:", "runs_on:", 1))
    result = subprocess.run([*CHECK, str(broken)], capture_output=True, text=True)
    assert result.returncode != 0


def test_the_workflow_runs_the_readme_test_command_and_builds_the_three_images():
    workflow = yaml.safe_load(WORKFLOW.read_text())
    commands = [step.get("run", "") for job in workflow["jobs"].values() for step in job["steps"]]
    assert "python3 dev.py test" in commands
    assert "python3 dev.py test" in (REPO_ROOT / "README.md").read_text()
    builds = workflow["jobs"]["images"]["strategy"]["matrix"]["include"]
    assert {b["image"] for b in builds} == {f"energy-forecast-{app}" for app in ("api", "frontend", "monitoring")}
    for build in builds:
        assert (REPO_ROOT / build["dockerfile"]).is_file()


def test_every_action_is_pinned_by_a_full_commit_with_its_release_in_a_comment():
    lines = [
        line.strip() for line in WORKFLOW.read_text().splitlines() if line.strip().startswith(("- uses:", "uses:"))
    ]
    assert len(lines) >= 5
    for line in lines:
        assert re.fullmatch(r"(- )?uses: [\w.-]+/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+", line), line


def test_dependabot_proposes_updates_of_the_pinned_actions():
    config = REPO_ROOT / ".github" / "dependabot.yml"
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.dependabot", str(config)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert [update["package-ecosystem"] for update in yaml.safe_load(config.read_text())["updates"]] == [
        "github-actions"
    ]
