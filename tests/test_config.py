"""Configuration files: pyproject.toml, .karmalint.yaml and the command line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from karmalint.cli import main

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "cli"


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


@pytest.fixture(autouse=True)
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "manifests"
    root.mkdir()
    shutil.copy(FIXTURES / "registry.yaml", root)
    shutil.copy(FIXTURES / "creator-reviewer.yaml", root / "dopt.yaml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_pyproject_fail_on(tree: Path) -> None:
    (tree / "pyproject.toml").write_text('[tool.karmalint]\nfail-on = "warning"\n')
    assert invoke("check").exit_code == 1


def test_command_line_overrides(tree: Path) -> None:
    (tree / "pyproject.toml").write_text('[tool.karmalint]\nfail-on = "warning"\n')
    assert invoke("check", "--fail-on", "error").exit_code == 0


def test_yaml_overrides_pyproject(tree: Path) -> None:
    (tree / "pyproject.toml").write_text('[tool.karmalint]\nfail-on = "warning"\n')
    (tree / ".karmalint.yaml").write_text("fail-on: never\n")
    assert invoke("check").exit_code == 0


def test_config_found_upward(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tree / ".karmalint.yaml").write_text("manifests: manifests\nfail-on: warning\n")
    monkeypatch.chdir(tree / "manifests")
    result = invoke("check")
    assert result.exit_code == 1
    assert "separation-of-duties" in result.stdout


def test_severity_override(tree: Path) -> None:
    (tree / ".karmalint.yaml").write_text("severity:\n  separation-of-duties: error\n")
    result = invoke("check")
    assert ": error: " in result.stdout
    assert result.exit_code == 1


def test_unknown_key_names_file(tree: Path) -> None:
    (tree / ".karmalint.yaml").write_text("fail_on: warning\n")
    result = invoke("check")
    config = tree / ".karmalint.yaml"
    assert f"{config}: unknown configuration key fail_on; did you mean fail-on?" in (
        result.stderr
    )
    assert result.exit_code == 2


def test_invalid_value_names_key(tree: Path) -> None:
    (tree / "pyproject.toml").write_text('[tool.karmalint]\nmin-severity = "loud"\n')
    result = invoke("check")
    assert "min-severity must be one of error, warning, info" in result.stderr
    assert result.exit_code == 2


def test_show_config_sources(tree: Path) -> None:
    (tree / ".karmalint.yaml").write_text("fail-on: warning\n")
    result = invoke("check", "--show-config", "--min-severity", "warning")
    lines = result.stdout.splitlines()
    assert f"fail-on = warning  # {tree / '.karmalint.yaml'}" in lines
    assert "min-severity = warning  # command line" in lines
    assert "formats = text  # default" in lines
    assert result.exit_code == 0


def test_paths_relative_to_config_root(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tree / ".karmalint.yaml").write_text("manifests: manifests\n")
    (tree / "sub").mkdir()
    monkeypatch.chdir(tree / "sub")
    result = invoke("check")
    assert result.stdout.startswith("manifests/dopt.yaml:")


@pytest.mark.parametrize("value", ["-1", "true", '"two"'])
def test_invalid_jobs_rejected(tree: Path, value: str) -> None:
    (tree / "pyproject.toml").write_text(f"[tool.karmalint]\njobs = {value}\n")
    result = invoke("check")
    expected = "jobs must be a whole number of processes, 0 for one per core"
    assert expected in result.stderr
    assert result.exit_code == 2


def test_jobs_from_config_and_command_line(tree: Path) -> None:
    (tree / ".karmalint.yaml").write_text("jobs: 2\n")
    shown = invoke("check", "--show-config").output
    assert "jobs = 2  # " in shown
    assert (
        invoke("check", "--show-config", "--jobs", "1").output.count(
            "jobs = 1  # command line"
        )
        == 1
    )
    assert invoke("check", "--jobs", "-1").exit_code == 2
    assert invoke("check", "--jobs", "2").exit_code == 0
