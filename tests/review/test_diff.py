"""karmalint diff: the rights a change grants or revokes, between git revisions."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from conftest import GitRepo

from karmalint.cli import main

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "review" / "diff"


@pytest.fixture
def repo(git_repo: GitRepo) -> Path:
    return git_repo(
        {
            "manifests/organisations.yaml": FIXTURES / "registry.yaml",
            "manifests/mdo/dor.yaml": FIXTURES / "dor.yaml",
            "manifests/mdo/dopt.yaml": FIXTURES / "dopt.yaml",
        }
    )


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def change(repo: Path) -> None:
    """Add a publisher, move SSC to DARPG and remove the NADT admin delegation."""
    dor = repo / "manifests" / "mdo" / "dor.yaml"
    edit(
        dor,
        "accounts:\n",
        "accounts:\n  - id: igot-publisher.dor@gov.in\n"
        "    org: dor\n    roles: [CONTENT_PUBLISHER]\n"
        "    granted_by: igot-admin.dor@gov.in\n",
    )
    edit(dor, "rights: [MDO_ADMIN, CONTENT_CREATOR]", "rights: [CONTENT_CREATOR]")
    edit(repo / "manifests" / "organisations.yaml", "parent: dopt}", "parent: darpg}")


def diff(*args: str) -> Result:
    return CliRunner().invoke(main, ["diff", *args])


def as_json(*args: str) -> dict[str, Any]:
    result = diff(*args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_no_change(repo: Path) -> None:
    result = diff("main")
    assert result.stdout == "no change to rights\n"
    assert result.exit_code == 0


def test_exact_changes(repo: Path) -> None:
    change(repo)
    report = as_json("main")
    granted = [(g["account"], g["role"], g["org"]) for g in report["granted"]]
    assert granted == [("igot-publisher.dor@gov.in", "CONTENT_PUBLISHER", "dor")]
    assert report["revoked"] == []
    assert report["delegations_removed"] == [
        {"mdo": "dor", "org": "nadt", "right": "MDO_ADMIN"}
    ]
    assert report["delegations_added"] == []
    assert report["accounts_added"] == ["igot-publisher.dor@gov.in"]
    assert report["registry_changes"] == [
        {
            "org": "ssc",
            "before": "attached-office under dopt",
            "after": "attached-office under darpg",
        }
    ]
    moved = [(m["account"], m["from_mdo"], m["to_mdo"]) for m in report["moved_rights"]]
    assert moved == [("cbp-creator.ssc@nic.in", "dopt", "darpg")]


def test_flags_the_publisher(repo: Path) -> None:
    change(repo)
    flags = as_json("main")["flags"]
    assert flags[0] == (
        "new CONTENT_PUBLISHER for igot-publisher.dor@gov.in at dor (production) "
        "in manifests/mdo/dor.yaml:13"
    )
    assert flags[1].startswith("registry change: CONTENT_CREATOR of cbp-creator.ssc")


def test_grant_line_points_at_account(repo: Path) -> None:
    change(repo)
    [grant] = as_json("main")["granted"]
    lines = (repo / "manifests" / "mdo" / "dor.yaml").read_text().splitlines()
    assert lines[grant["line"] - 1] == "  - id: igot-publisher.dor@gov.in"


def test_two_folders(repo: Path, tmp_path: Path) -> None:
    base = tmp_path / "base"
    shutil.copytree(repo, base, ignore=shutil.ignore_patterns(".git"))
    change(repo)
    report = as_json(str(base), str(repo))
    assert [g["role"] for g in report["granted"]] == ["CONTENT_PUBLISHER"]


def test_markdown_has_picture(repo: Path) -> None:
    change(repo)
    result = diff("main", "--format", "markdown")
    assert result.stdout.startswith(
        "### karmalint: rights changed by this pull request"
    )
    assert "```mermaid\nflowchart TD" in result.stdout


def test_fail_on_findings(repo: Path) -> None:
    dor = repo / "manifests" / "mdo" / "dor.yaml"
    edit(dor, "roles: [CONTENT_CREATOR]", "roles: [CONTENT_PUBLISHER]")
    result = diff("main", "--fail-on-findings")
    assert "+ CONTENT_PUBLISHER for igot-creator1.nadt@gov.in at nadt" in result.stdout
    assert "[publisher-from-ministry]" in result.stderr
    assert result.exit_code == 1


def test_unknown_base(repo: Path) -> None:
    result = diff("no-such-branch")
    assert "neither a folder nor a git revision" in result.stderr
    assert result.exit_code == 2
