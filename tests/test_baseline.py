"""Baselines: accepted findings survive inserted lines; unsuppressible ones never do."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from karmalint.cli import main

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "cli"


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def manifests(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "manifests"
    root.mkdir()
    shutil.copy(FIXTURES / "registry.yaml", root)
    # A warning (creator and reviewer) that the baseline will accept.
    shutil.copy(FIXTURES / "creator-reviewer.yaml", root / "dopt.yaml")
    monkeypatch.chdir(tmp_path)
    return root


def test_baseline_written(manifests: Path) -> None:
    result = invoke("baseline", "--output", "base.json")
    document = json.loads(Path("base.json").read_text())
    assert result.stdout == "wrote 1 finding to base.json\n"
    assert document["version"] == 1
    assert [entry["rule"] for entry in document["findings"]] == ["separation-of-duties"]


def test_baseline_hides_known(manifests: Path) -> None:
    invoke("baseline", "--output", "base.json")
    result = invoke("check", "--baseline", "base.json")
    assert result.stdout == (
        "0 errors, 0 warnings in 0 of 2 files; "
        "the baseline held back 1 finding, and 0 of its findings are fixed\n"
    )
    assert result.exit_code == 0


def test_baseline_survives_inserted_lines(manifests: Path) -> None:
    invoke("baseline", "--output", "base.json")
    path = manifests / "dopt.yaml"
    path.write_text("# a comment\n# another\n" + path.read_text())
    result = invoke("check", "--baseline", "base.json", "--format", "json")
    report = json.loads(result.stdout)
    assert report["findings"] == []


def test_baseline_reports_new(manifests: Path) -> None:
    invoke("baseline", "--output", "base.json")
    path = manifests / "dopt.yaml"
    path.write_text(
        path.read_text().replace("[CONTENT_CREATOR, ", "[CONTENT_PUBLISHER, ")
    )
    result = invoke("check", "--baseline", "base.json", "--format", "json")
    rules = [f["rule"] for f in json.loads(result.stdout)["findings"]]
    assert rules == ["publisher-from-ministry"]
    assert result.exit_code == 1


def test_baseline_cannot_hide_unsuppressible(manifests: Path) -> None:
    path = manifests / "dopt.yaml"
    path.write_text(
        path.read_text().replace("[CONTENT_CREATOR, ", "[CONTENT_PUBLISHER, ")
    )
    invoke("baseline", "--output", "base.json")
    result = invoke("check", "--baseline", "base.json", "--format", "json")
    rules = [f["rule"] for f in json.loads(result.stdout)["findings"]]
    assert rules == ["publisher-from-ministry"]
    assert result.exit_code == 1


def test_baseline_counts_fixed(manifests: Path) -> None:
    invoke("baseline", "--output", "base.json")
    path = manifests / "dopt.yaml"
    path.write_text(path.read_text().replace("[CONTENT_CREATOR, ", "["))
    result = invoke("check", "--baseline", "base.json")
    assert result.stdout == (
        "0 errors, 0 warnings in 0 of 2 files; "
        "the baseline held back 0 findings, and 1 of its findings are fixed\n"
    )


def test_baseline_invalid_file(manifests: Path) -> None:
    Path("base.json").write_text("[]")
    result = invoke("check", "--baseline", "base.json")
    assert "is not a karmalint baseline" in result.stderr
    assert result.exit_code == 2


def test_unsuppressible_not_counted_fixed(manifests: Path) -> None:
    path = manifests / "dopt.yaml"
    path.write_text(
        path.read_text().replace("[CONTENT_CREATOR, ", "[CONTENT_PUBLISHER, ")
    )
    invoke("baseline", "--output", "base.json")
    result = invoke("check", "--baseline", "base.json", "--format", "json")
    summary = json.loads(result.stdout)["summary"]
    assert summary["fixed"] == 0
    assert summary["baselined"] == 0
