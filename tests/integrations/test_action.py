"""action.yml: its metadata, and its check step's script run by bash.

No GitHub runner is involved. The test reads the check step's `run:` script
and `env:` from action.yml, gives the inputs values the way the runner does
(`${{ inputs.NAME }}` becomes the value), and runs the script with bash, as
GitHub's `shell: bash` does, against a small manifests tree. A `karmalint` on
PATH runs this checkout's code.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

REPOSITORY = Path(__file__).resolve().parents[2]
ACTION = REPOSITORY / "action.yml"
FIXTURES = REPOSITORY / "tests" / "fixtures" / "integrations"
MDO_FILE = "manifests/mdo/morail.yaml"
INPUT = re.compile(r"\$\{\{\s*inputs\.([A-Za-z0-9_-]+)\s*\}\}")
EXPECTED_INPUTS = {
    "paths": "",
    "policy": "",
    "fail-on": "error",
    "sarif": "karmalint.sarif",
    "python-version": "3.11",
}
# What `shell: bash` runs on a GitHub runner: bash --noprofile --norc -eo pipefail.
BASH = ["bash", "--noprofile", "--norc", "-eo", "pipefail"]


@pytest.fixture(scope="module")
def action() -> dict[str, Any]:
    document = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    assert isinstance(document, dict)
    return document


def _step(action: dict[str, Any], step_id: str) -> dict[str, Any]:
    for step in action["runs"]["steps"]:
        if step.get("id") == step_id:
            return dict(step)
    raise AssertionError(f"action.yml has no step with id {step_id}")


def test_inputs_and_defaults(action: dict[str, Any]) -> None:
    inputs = action["inputs"]
    assert {name: spec["default"] for name, spec in inputs.items()} == EXPECTED_INPUTS
    for name, spec in inputs.items():
        assert spec.get("description"), f"input {name} has no description"
        assert spec.get("required", False) is False


def test_output_names_the_check_steps_output(action: dict[str, Any]) -> None:
    output = action["outputs"]["sarif-file"]
    assert output["description"]
    assert INPUT.search(output["value"]) is None
    assert output["value"] == "${{ steps.check.outputs.sarif-file }}"
    assert "sarif-file=" in _step(action, "check")["run"]


def test_steps_are_a_valid_composite(action: dict[str, Any]) -> None:
    assert action["name"]
    assert action["description"]
    runs = action["runs"]
    assert runs["using"] == "composite"
    steps = runs["steps"]
    setup = steps[0]
    assert setup["uses"].startswith("actions/setup-python@")
    assert setup["with"] == {"python-version": "${{ inputs.python-version }}"}
    for step in steps:
        assert ("uses" in step) != ("run" in step), step
        if "run" in step:
            # A composite action's run steps must name their shell.
            assert step["shell"] == "bash", step
    installs = [step["run"] for step in steps if "pip install" in step.get("run", "")]
    assert len(installs) == 1
    assert '"$GITHUB_ACTION_PATH"' in installs[0]


def test_every_input_used_is_declared(action: dict[str, Any]) -> None:
    used = set(INPUT.findall(ACTION.read_text(encoding="utf-8")))
    assert used <= set(action["inputs"])
    # The scripts read inputs only through env: nothing is pasted into them.
    for step in action["runs"]["steps"]:
        assert INPUT.search(step.get("run", "")) is None, step["run"]


class Runner:
    """Run the check step's script in a folder, with given input values."""

    def __init__(self, action: dict[str, Any], root: Path, shims: Path) -> None:
        self.step = _step(action, "check")
        self.defaults = {
            name: str(spec.get("default", ""))
            for name, spec in action["inputs"].items()
        }
        self.root = root
        self.shims = shims
        self.github_output = root.parent / "github-output"

    def __call__(self, **values: str) -> subprocess.CompletedProcess[str]:
        inputs = {
            **self.defaults,
            **{k.replace("_", "-"): v for k, v in values.items()},
        }
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("KARMALINT_", "GITHUB_"))
        }
        for name, template in self.step["env"].items():
            env[name] = INPUT.sub(lambda match: inputs[match.group(1)], template)
        env["PATH"] = f"{self.shims}{os.pathsep}{env.get('PATH', '')}"
        env["GITHUB_OUTPUT"] = str(self.github_output)
        env["GITHUB_ACTION_PATH"] = str(REPOSITORY)
        env["NO_COLOR"] = "1"
        self.github_output.write_text("", encoding="utf-8")
        return subprocess.run(
            [*BASH, "-c", self.step["run"]],
            cwd=self.root,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    def outputs(self) -> dict[str, str]:
        lines = self.github_output.read_text(encoding="utf-8").splitlines()
        return dict(line.split("=", 1) for line in lines if "=" in line)


@pytest.fixture
def shims(tmp_path: Path) -> Path:
    """A folder with a `karmalint` that runs this checkout with this interpreter."""
    folder = tmp_path / "bin"
    folder.mkdir()
    script = folder / "karmalint"
    script.write_text(
        "#!/bin/sh\n"
        f'PYTHONPATH="{REPOSITORY}${{PYTHONPATH:+:$PYTHONPATH}}" '
        f'exec "{sys.executable}" -m karmalint "$@"\n',
        encoding="utf-8",
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return folder


def _tree(root: Path, mdo_fixture: str) -> Path:
    (root / "manifests" / "mdo").mkdir(parents=True)
    shutil.copyfile(
        FIXTURES / "organisations.yaml", root / "manifests" / "organisations.yaml"
    )
    shutil.copyfile(FIXTURES / mdo_fixture, root / MDO_FILE)
    return root


@pytest.fixture
def violation(action: dict[str, Any], tmp_path: Path, shims: Path) -> Runner:
    root = _tree(tmp_path / "workspace", "morail-publisher-at-office.yaml")
    return Runner(action, root, shims)


@pytest.fixture
def clean(action: dict[str, Any], tmp_path: Path, shims: Path) -> Runner:
    root = _tree(tmp_path / "workspace", "morail.yaml")
    return Runner(action, root, shims)


def _sarif_results(path: Path) -> list[dict[str, Any]]:
    report = json.loads(path.read_text(encoding="utf-8"))
    assert report["version"] == "2.1.0"
    assert report["runs"][0]["tool"]["driver"]["name"] == "karmalint"
    results = report["runs"][0]["results"]
    assert isinstance(results, list)
    return results


def test_violation_fails_with_annotation_and_sarif(violation: Runner) -> None:
    done = violation()
    assert done.returncode == 1, done.stderr
    assert done.stdout.splitlines() == [
        f"::error file={MDO_FILE},line=16,col=13,endLine=16,endColumn=30,"
        "title=karmalint%3A publisher-from-ministry::CONTENT_PUBLISHER for "
        "igot-creator1.iricen@railnet.gov.in at iricen (training-institute): "
        "publishing rights stay with the Ministry of Railways (morail)"
    ]
    results = _sarif_results(violation.root / "karmalint.sarif")
    assert [result["ruleId"] for result in results] == ["publisher-from-ministry"]
    place = results[0]["locations"][0]["physicalLocation"]
    assert place["artifactLocation"]["uri"] == MDO_FILE
    assert (place["region"]["startLine"], place["region"]["startColumn"]) == (16, 13)
    assert violation.outputs() == {"sarif-file": "karmalint.sarif"}


def test_fail_on_never_still_reports(violation: Runner) -> None:
    done = violation(fail_on="never", sarif="reports/karmalint.sarif")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("::error file=manifests/mdo/morail.yaml,line=16,")
    assert len(_sarif_results(violation.root / "reports" / "karmalint.sarif")) == 1
    assert violation.outputs() == {"sarif-file": "reports/karmalint.sarif"}


def test_clean_tree_with_paths_and_policy(clean: Runner) -> None:
    # A policy path with a space shows that the input is passed as one word.
    policy = clean.root / "rights policy"
    shutil.copytree(REPOSITORY / "policy", policy)
    done = clean(
        paths=f"{MDO_FILE}\n manifests/organisations.yaml\n",
        policy=str(policy),
        sarif="out dir/karmalint.sarif",
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    assert _sarif_results(clean.root / "out dir" / "karmalint.sarif") == []


def test_missing_policy_exits_two(clean: Runner) -> None:
    done = clean(policy="no-such-policy")
    assert done.returncode == 2
    assert "no-such-policy" in done.stderr
