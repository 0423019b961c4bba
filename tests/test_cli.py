"""The check and rules commands: exit codes, stdout and stderr."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from karmalint import __version__
from karmalint.cli import main

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "cli"
REPO_POLICY = Path(__file__).resolve().parent.parent / "policy"


def tree(tmp_path: Path, *names: str) -> Path:
    """Copy the registry and the named fixtures into a fresh manifests folder."""
    root = tmp_path / "manifests"
    root.mkdir()
    for name in ("registry.yaml", *names):
        shutil.copy(FIXTURES / name, root / name)
    return root


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


@pytest.fixture(autouse=True)
def work_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)


def test_check_clean_tree(tmp_path: Path) -> None:
    tree(tmp_path, "dopt.yaml")
    result = invoke("check")
    assert result.stdout == "0 errors, 0 warnings in 0 of 2 files\n"
    assert result.stderr == ""
    assert result.exit_code == 0


def test_check_error_line_format(tmp_path: Path) -> None:
    tree(tmp_path, "publisher-at-office.yaml")
    result = invoke("check")
    assert result.stdout.splitlines() == [
        "manifests/publisher-at-office.yaml:16:13: error: CONTENT_PUBLISHER for "
        "igot-creator1.istm@gov.in at istm (training-institute): publishing rights "
        "stay with the Department of Personnel and Training (dopt) "
        "[publisher-from-ministry]",
        "1 error, 0 warnings in 1 of 2 files",
    ]
    assert result.exit_code == 1


def test_check_warning_exits_zero(tmp_path: Path) -> None:
    tree(tmp_path, "creator-reviewer.yaml")
    result = invoke("check")
    assert "warning:" in result.stdout
    assert result.stdout.endswith("0 errors, 1 warning in 1 of 2 files\n")
    assert result.exit_code == 0


def test_check_json_report(tmp_path: Path) -> None:
    tree(tmp_path, "publisher-at-office.yaml")
    result = invoke("check", "--format", "json")
    report = json.loads(result.stdout)
    assert report["version"] == 1
    assert report["summary"] == {
        "files": 2,
        "errors": 1,
        "warnings": 0,
        "infos": 0,
        "suppressed": 0,
        "baselined": 0,
        "fixed": 0,
    }
    assert report["findings"] == [
        {
            "rule": "publisher-from-ministry",
            "severity": "error",
            "path": "manifests/publisher-at-office.yaml",
            "line": 16,
            "column": 13,
            "end_line": 16,
            "end_column": 30,
            "message": report["findings"][0]["message"],
            "basis": "OM No. T-16017/21/2020-iGOT (pt. 6) of 28.03.2022, paras 2 and 4",
            "fingerprint": report["findings"][0]["fingerprint"],
            "related": [
                {
                    "path": "manifests/registry.yaml",
                    "line": 7,
                    "column": 10,
                    "message": "registry entry of istm",
                }
            ],
            "suppressed": None,
        }
    ]
    assert len(report["findings"][0]["fingerprint"]) == 32
    assert result.exit_code == 1


def test_check_explicit_file_uses_context(tmp_path: Path) -> None:
    tree(tmp_path, "publisher-at-office.yaml", "dopt.yaml")
    (tmp_path / "manifests" / "dopt.yaml").unlink()
    result = invoke("check", "manifests/publisher-at-office.yaml")
    assert result.stdout.endswith("1 error, 0 warnings in 1 of 1 file\n")
    assert result.exit_code == 1


def test_check_ignore_rule(tmp_path: Path) -> None:
    tree(tmp_path, "publisher-at-office.yaml")
    result = invoke("check", "--ignore", "publisher-from-ministry")
    assert result.stdout == "0 errors, 0 warnings in 0 of 2 files\n"
    assert result.exit_code == 0


def test_check_select_other_rule(tmp_path: Path) -> None:
    tree(tmp_path, "publisher-at-office.yaml")
    result = invoke("check", "--select", "generic-id,schema")
    assert result.exit_code == 0


def test_check_unknown_rule_id(tmp_path: Path) -> None:
    tree(tmp_path, "dopt.yaml")
    result = invoke("check", "--ignore", "publisher-from-ministy")
    assert "unknown rule id publisher-from-ministy" in result.stderr
    assert result.stdout == ""
    assert result.exit_code == 2


def test_check_missing_path(tmp_path: Path) -> None:
    result = invoke("check", "nowhere.yaml")
    assert "nowhere.yaml: no such file or folder" in result.stderr
    assert result.stdout == ""
    assert result.exit_code == 2


def test_check_no_manifests_folder(tmp_path: Path) -> None:
    result = invoke("check")
    assert "no manifests folder in the working directory" in result.stderr
    assert result.exit_code == 2


def test_check_folder_without_yaml(tmp_path: Path) -> None:
    (tmp_path / "manifests").mkdir()
    result = invoke("check")
    assert "no *.yaml or *.yml files found in manifests" in result.stderr
    assert result.exit_code == 2


def test_check_misspelt_rule_suggested(tmp_path: Path) -> None:
    tree(tmp_path, "dopt.yaml")
    result = invoke("check", "--select", "generic_id")
    assert "unknown rule id generic_id; did you mean generic-id?" in result.stderr
    assert result.exit_code == 2


def test_check_unparsable_file(tmp_path: Path) -> None:
    root = tree(tmp_path)
    (root / "broken.yaml").write_text("accounts: [a, b\n")
    result = invoke("check")
    first = result.stdout.splitlines()[0]
    assert first.startswith("manifests/broken.yaml:1:11: error: invalid YAML")
    assert result.exit_code == 1


def test_check_no_colour_off_terminal(tmp_path: Path) -> None:
    tree(tmp_path, "publisher-at-office.yaml")
    result = invoke("check")
    assert "\x1b[" not in result.stdout


def test_check_invalid_policy(tmp_path: Path) -> None:
    tree(tmp_path, "dopt.yaml")
    bad = tmp_path / "bad-policy.yaml"
    bad.write_text(
        "apiVersion: karmalint/v1\n"
        "kind: Policy\n"
        "rules:\n"
        "  - id: x\n"
        "    severty: error\n"
    )
    result = invoke("check", "--policy", str(bad))
    lines = result.stderr.splitlines()
    assert (
        f"{bad}:4:5: error: missing required key severity, summary, basis [policy]"
        in lines
    )
    assert (
        f"{bad}:5:5: error: unknown key severty; did you mean severity? [policy]"
        in lines
    )
    assert result.stdout == ""
    assert result.exit_code == 2


def test_check_local_policy_overrides(tmp_path: Path) -> None:
    tree(tmp_path, "publisher-at-office.yaml")
    policy = tmp_path / "policy"
    policy.mkdir()
    text = (REPO_POLICY / "default.yaml").read_text()
    (policy / "default.yaml").write_text(
        text.replace(
            "  - id: publisher-from-ministry\n    severity: error",
            "  - id: publisher-from-ministry\n    severity: warning",
        )
    )
    result = invoke("check")
    assert ": warning: CONTENT_PUBLISHER for" in result.stdout
    assert result.exit_code == 0


def test_internal_error_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree(tmp_path, "dopt.yaml")

    def explode(*args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("karmalint.commands.options.run_check", explode)
    result = invoke("check")
    assert result.stderr == (
        "karmalint: internal error: RuntimeError: boom "
        "(run with --debug for the traceback)\n"
    )
    assert result.exit_code == 3


def test_internal_error_debug_raises(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree(tmp_path, "dopt.yaml")

    def explode(*args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("karmalint.commands.options.run_check", explode)
    result = invoke("--debug", "check")
    assert isinstance(result.exception, RuntimeError)


def test_version() -> None:
    result = invoke("--version")
    assert result.stdout == f"karmalint, version {__version__}\n"
    assert result.exit_code == 0


def test_rules_lists_policy() -> None:
    result = invoke("rules")
    assert "publisher-from-ministry [error]" in result.stdout
    assert "    basis: OM No. T-16017/21/2020-iGOT (pt. 6) of 28.03.2022, para 5" in (
        result.stdout
    )
    assert result.exit_code == 0
