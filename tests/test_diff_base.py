"""--diff-base: judge a change on the findings it adds, in a real git repository."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import GitRepo, git

from karmalint.cli import main

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "cli"


@pytest.fixture
def repo(git_repo: GitRepo) -> Path:
    # The base already has one warning: creator and reviewer on one account.
    return git_repo(
        {
            "manifests/registry.yaml": FIXTURES / "registry.yaml",
            "manifests/dopt.yaml": FIXTURES / "creator-reviewer.yaml",
        }
    )


def check(*args: str) -> Result:
    return CliRunner().invoke(main, ["check", "--format", "json", *args])


def rules(result: Result) -> list[str]:
    return [finding["rule"] for finding in json.loads(result.stdout)["findings"]]


def test_unchanged_tree_reports_nothing(repo: Path) -> None:
    result = check("--diff-base", "main")
    assert rules(result) == []
    assert result.exit_code == 0


def test_new_finding_reported(repo: Path) -> None:
    path = repo / "manifests" / "dopt.yaml"
    text = path.read_text()
    # Lines inserted above the old warning must not make it look new.
    path.write_text(
        "# reviewed in 2026\n" + text.replace("[MDO_ADMIN]", "[MDO_ADMIN, SPV_ADMIN]")
    )
    result = check("--diff-base", "main")
    assert rules(result) == ["reserved-roles"]
    assert result.exit_code == 1


def test_without_diff_base_reports_all(repo: Path) -> None:
    assert rules(check()) == ["separation-of-duties"]


def test_unknown_revision_usage_error(repo: Path) -> None:
    result = check("--diff-base", "no-such-branch")
    assert "git archive" in result.stderr
    assert result.exit_code == 2


def test_from_subdirectory(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo / "manifests")
    result = check("--diff-base", "main", ".")
    assert rules(result) == []
    assert result.exit_code == 0


def test_empty_base_tree(repo: Path) -> None:
    git(repo, "checkout", "-q", "--orphan", "empty")
    git(repo, "rm", "-q", "-r", "--cached", ".")
    git(repo, "commit", "-q", "--allow-empty", "-m", "empty")
    git(repo, "checkout", "-q", "-f", "main")
    result = check("--diff-base", "empty")
    assert rules(result) == ["separation-of-duties"]
