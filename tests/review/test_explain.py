"""karmalint explain and who-can: the chain behind a right, and who holds one."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import Tree

from karmalint.cli import main

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "review" / "diff"


@pytest.fixture(autouse=True)
def tree(make_tree: Tree) -> Path:
    return make_tree(
        {
            "manifests/organisations.yaml": FIXTURES / "registry.yaml",
            "manifests/mdo/dor.yaml": FIXTURES / "dor.yaml",
            "manifests/mdo/dopt.yaml": FIXTURES / "dopt.yaml",
        }
    )


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def test_explain_delegated_admin() -> None:
    result = invoke("explain", "igot-admin.nadt@gov.in")
    assert result.stdout.splitlines() == [
        "MDO_ADMIN for igot-admin.nadt@gov.in at nadt:",
        "  manifests/mdo/dor.yaml:19: igot-admin.nadt@gov.in holds MDO_ADMIN at nadt "
        "(production)",
        "  manifests/mdo/dor.yaml:20: igot-admin.nadt@gov.in approved by dor, "
        "A-11013/7/2022-Ad.VI of 2022-07-04",
        "  manifests/mdo/dor.yaml:10: dor delegates MDO_ADMIN to nadt",
        "  manifests/organisations.yaml:7: nadt is a training-institute, a Central "
        "Training Institute, under dor",
        "  manifests/organisations.yaml:6: dor is a department, under mof",
    ]
    assert result.exit_code == 0


def test_explain_granted_by() -> None:
    result = invoke("explain", "igot-creator1.nadt@gov.in")
    lines = result.stdout.splitlines()
    assert lines[2] == (
        "  manifests/mdo/dor.yaml:17: granted by igot-admin.nadt@gov.in, "
        "holding MDO_ADMIN at nadt"
    )
    assert lines[3].startswith(
        "  manifests/mdo/dor.yaml:20: igot-admin.nadt@gov.in approved"
    )


def test_explain_not_allowed(tree: Path) -> None:
    path = tree / "manifests" / "mdo" / "dor.yaml"
    path.write_text(
        path.read_text().replace(
            "roles: [CONTENT_CREATOR]", "roles: [CONTENT_PUBLISHER]"
        )
    )
    result = invoke("explain", "igot-creator1.nadt@gov.in")
    assert result.stdout.splitlines()[-1].startswith(
        "  not allowed: CONTENT_PUBLISHER for igot-creator1.nadt@gov.in at nadt"
    )


def test_explain_unknown_account() -> None:
    result = invoke("explain", "igot-admin.dorr@gov.in")
    assert "no account igot-admin.dorr@gov.in" in result.stderr
    assert "did you mean igot-admin.dor@gov.in?" in result.stderr
    assert result.exit_code == 2


def test_who_can_administer_office() -> None:
    result = invoke("who-can", "MDO_ADMIN", "--org", "nadt")
    assert result.stdout.splitlines() == [
        "igot-admin.nadt@gov.in (production): MDO_ADMIN at nadt itself, delegated by "
        "dor [manifests/mdo/dor.yaml:17]",
        "igot-admin.dor@gov.in (production): MDO_ADMIN of dor, the administrative "
        "Ministry/Department of nadt [manifests/mdo/dor.yaml:13]",
    ]


def test_who_can_publish_for_office() -> None:
    result = invoke("who-can", "CONTENT_PUBLISHER", "--org", "ssc")
    assert result.stdout == "no account holds CONTENT_PUBLISHER for ssc\n"


def test_who_can_environment_filter() -> None:
    result = invoke("who-can", "MDO_ADMIN", "--org", "nadt", "--env", "staging")
    assert result.stdout == "no account holds MDO_ADMIN for nadt\n"


def test_who_can_unknown_org() -> None:
    result = invoke("who-can", "MDO_ADMIN", "--org", "nadtt")
    assert "no organisation nadtt in the registry; did you mean nadt?" in result.stderr
    assert result.exit_code == 2
