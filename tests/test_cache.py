"""The result cache: reused when nothing changed, never trusted blindly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import Tree

from karmalint.cli import main

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "cli"


@pytest.fixture(autouse=True)
def tree(make_tree: Tree) -> Path:
    return make_tree(
        {
            "manifests/registry.yaml": FIXTURES / "registry.yaml",
            "manifests/publisher-at-office.yaml": FIXTURES / "publisher-at-office.yaml",
        }
    )


def check(*args: str) -> Result:
    return CliRunner().invoke(main, ["check", "--format", "json", *args])


def entries(tree: Path) -> list[Path]:
    return sorted((tree / ".karmalint_cache").glob("*.json"))


def test_warm_run_same_report(tree: Path) -> None:
    cold = check()
    warm = check()
    assert len(entries(tree)) == 1
    assert warm.stdout == cold.stdout
    assert warm.exit_code == cold.exit_code == 1


def test_change_misses_cache(tree: Path) -> None:
    check()
    path = tree / "manifests" / "publisher-at-office.yaml"
    path.write_text(
        path.read_text().replace("[CONTENT_PUBLISHER]", "[CONTENT_CREATOR]")
    )
    result = check()
    assert json.loads(result.stdout)["findings"] == []
    assert len(entries(tree)) == 2


def test_forged_entry_ignored(tree: Path) -> None:
    check()
    [entry] = entries(tree)
    data = json.loads(entry.read_text())
    body = json.loads(data["body"])
    body["findings"] = []
    data["body"] = json.dumps(body)
    entry.write_text(json.dumps(data))
    result = check()
    assert len(json.loads(result.stdout)["findings"]) == 1
    assert result.exit_code == 1


def test_corrupt_entry_ignored(tree: Path) -> None:
    check()
    [entry] = entries(tree)
    entry.write_text("{not json")
    result = check()
    assert len(json.loads(result.stdout)["findings"]) == 1


def test_no_cache_writes_nothing(tree: Path) -> None:
    result = check("--no-cache")
    assert result.exit_code == 1
    assert not (tree / ".karmalint_cache").exists()


def test_severity_override_misses_cache(tree: Path) -> None:
    check()
    (tree / ".karmalint.yaml").write_text(
        "severity:\n  publisher-from-ministry: warning\n"
    )
    result = check()
    [finding] = json.loads(result.stdout)["findings"]
    assert finding["severity"] == "warning"
    assert result.exit_code == 0
