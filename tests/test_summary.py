"""Summaries of context files: a changed-file run reports what a full read does."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import Tree

from karmalint.cli import main

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "review" / "diff"


@pytest.fixture(autouse=True)
def tree(make_tree: Tree) -> Path:
    return make_tree(
        {
            "manifests/organisations.yaml": FIXTURES / "registry.yaml",
            "manifests/mdo/dor.yaml": FIXTURES / "dor.yaml",
            "manifests/mdo/dopt.yaml": FIXTURES / "dopt.yaml",
        }
    )


def check(*args: str) -> Result:
    return CliRunner().invoke(main, ["check", *args])


def summaries(tree: Path) -> list[Path]:
    return sorted((tree / ".karmalint_cache" / "summaries").glob("*.json"))


def add_account(path: Path, account: str, org: str) -> None:
    text = path.read_text()
    path.write_text(
        text + f"  - id: {account}\n    org: {org}\n"
        "    roles: [CONTENT_REVIEWER]\n    granted_by: igot-admin.dopt@gov.in\n"
    )


def test_duplicate_from_summary(tree: Path) -> None:
    dopt = tree / "manifests" / "mdo" / "dopt.yaml"
    check("manifests/mdo/dopt.yaml")
    assert len(summaries(tree)) == 2
    # DoR's creator listed again in DoPT's file: the first declaration comes
    # from DoR's summary, and must name its real line.
    add_account(dopt, "igot-creator1.nadt@gov.in", "ssc")
    from_summary = check("manifests/mdo/dopt.yaml")
    full = check("--no-cache", "manifests/mdo/dopt.yaml")
    assert "first at manifests/mdo/dor.yaml:21 (org nadt)" in from_summary.stdout
    assert from_summary.stdout == full.stdout
    assert from_summary.exit_code == full.exit_code == 1


def test_registry_change_reads_everything(tree: Path) -> None:
    check("manifests/mdo/dopt.yaml")
    registry = tree / "manifests" / "organisations.yaml"
    registry.write_text(registry.read_text().replace("parent: dor}", "parent: dopt}"))
    result = check("manifests/organisations.yaml")
    full = check("--no-cache", "manifests/organisations.yaml")
    assert "manifests/mdo/dor.yaml" in result.stdout
    assert result.stdout == full.stdout


def test_forged_summary_ignored(tree: Path) -> None:
    check("manifests/mdo/dopt.yaml")
    for path in summaries(tree):
        path.write_text('{"mac": "0", "body": "{}"}')
    dopt = tree / "manifests" / "mdo" / "dopt.yaml"
    add_account(dopt, "igot-creator1.nadt@gov.in", "ssc")
    result = check("manifests/mdo/dopt.yaml")
    assert "first at manifests/mdo/dor.yaml:21 (org nadt)" in result.stdout
