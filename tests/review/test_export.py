"""The export command: the gate, the requests it writes and the plan against a state."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from karmalint.cli import main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "review" / "export"
REPOSITORY = Path(__file__).resolve().parents[2]
EXPECTED = FIXTURES / "expected-production.json"
DOPT, ISTM = "M_1_D_1", "istm"
# A named officer's account, an error of generic-id that a comment suppresses.
SUPPRESSED_ACCOUNT = """\
  # karmalint: ignore[generic-id] reason="until a generic ID exists"
  - id: anita.sharma84@nic.in
    org: dopt
    roles: [CONTENT_CREATOR]
    granted_by: igot-admin.dopt@gov.in
"""


def tree(root: Path, rights: str, *, reverse: bool = False) -> Path:
    """Copy the registry and one DoPT rights fixture into ``root/manifests``."""
    folder = root / "manifests"
    folder.mkdir(parents=True)
    copies = [("registry.yaml", "registry.yaml"), (rights, "dopt.yaml")]
    for source, name in reversed(copies) if reverse else copies:
        shutil.copy(FIXTURES / source, folder / name)
    return folder


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, ["export", *args])


def request(user: str, org: str, *roles: tuple[str, str]) -> dict[str, Any]:
    scope = [{"organisationId": org}]
    entries = [{"operation": op, "role": role, "scope": scope} for op, role in roles]
    return {"request": {"userId": user, "roles": entries}}


def adds(*roles: str) -> list[tuple[str, str]]:
    return [("add", role) for role in roles]


@pytest.fixture(autouse=True)
def work_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def test_error_blocks_export(tmp_path: Path) -> None:
    tree(tmp_path, "dopt-error.yaml")
    result = invoke("--output", "out.json")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "manifests/dopt.yaml:16:13: error: CONTENT_PUBLISHER for "
        "igot-publisher1.istm@gov.in at istm (training-institute): publishing "
        "rights stay with the Department of Personnel and Training (dopt) "
        "[publisher-from-ministry]",
        "1 error, 0 warnings in 1 of 2 files",
    ]
    assert result.stderr == (
        "karmalint: nothing written: fix 1 error and export again\n"
    )
    assert not (tmp_path / "out.json").exists()


def test_suppressed_error_allows_export(tmp_path: Path) -> None:
    folder = tree(tmp_path, "dopt.yaml")
    text = (folder / "dopt.yaml").read_text(encoding="utf-8")
    (folder / "dopt.yaml").write_text(text + SUPPRESSED_ACCOUNT, encoding="utf-8")
    result = invoke("--output", "out.json")
    assert result.exit_code == 0, result.output
    users = [r["request"]["userId"] for r in json.loads(Path("out.json").read_text())]
    assert "anita.sharma84@nic.in" in users


def test_full_state_contents(tmp_path: Path) -> None:
    tree(tmp_path, "dopt.yaml")
    result = invoke("--output", "out.json")
    assert result.exit_code == 0, result.output
    assert result.stderr == "wrote 4 requests (8 adds, 0 removes) to out.json\n"
    written = (tmp_path / "out.json").read_bytes()
    assert json.loads(written) == [
        request("igot-admin.dopt@gov.in", DOPT, *adds("MDO_ADMIN", "PUBLIC")),
        request("igot-creator1.dopt@gov.in", DOPT, *adds("CONTENT_CREATOR", "PUBLIC")),
        request(
            "igot-publisher1.dopt@gov.in", DOPT, *adds("CONTENT_PUBLISHER", "PUBLIC")
        ),
        request(
            "igot-reviewer1.dopt@gov.in", DOPT, *adds("CONTENT_REVIEWER", "PUBLIC")
        ),
    ]
    assert written == EXPECTED.read_bytes()


def test_output_identical_across_runs(tmp_path: Path) -> None:
    tree(tmp_path / "a", "dopt.yaml")
    tree(tmp_path / "b", "dopt.yaml", reverse=True)
    first = invoke("a/manifests", "--output", "1.json")
    second = invoke("a/manifests", "--output", "2.json")
    elsewhere = invoke(str(tmp_path / "b" / "manifests"), "--output", "3.json")
    assert first.exit_code == 0
    assert second.exit_code == 0
    assert elsewhere.exit_code == 0
    for name in ("1.json", "2.json", "3.json"):
        assert Path(name).read_bytes() == EXPECTED.read_bytes()
    assert EXPECTED.read_bytes().endswith(b"}\n]\n")


def test_plan_against_previous_export(tmp_path: Path) -> None:
    tree(tmp_path, "dopt-changed.yaml")
    result = invoke("--against", str(EXPECTED), "--output", "plan.json")
    assert result.exit_code == 0, result.output
    assert result.stderr == "wrote 4 requests (4 adds, 4 removes) to plan.json\n"
    remove = [("remove", "CONTENT_CREATOR"), ("remove", "PUBLIC")]
    assert json.loads((tmp_path / "plan.json").read_text()) == [
        # The account moved from dopt to istm: removed at one, added at the other.
        request("igot-creator1.dopt@gov.in", DOPT, *remove),
        request("igot-creator1.dopt@gov.in", ISTM, *adds("CONTENT_CREATOR", "PUBLIC")),
        request(
            "igot-publisher2.dopt@gov.in", DOPT, *adds("CONTENT_PUBLISHER", "PUBLIC")
        ),
        # The reviewer's account is gone, so its implicit PUBLIC goes too.
        request(
            "igot-reviewer1.dopt@gov.in",
            DOPT,
            ("remove", "CONTENT_REVIEWER"),
            ("remove", "PUBLIC"),
        ),
    ]


def test_unchanged_plan_is_empty(tmp_path: Path) -> None:
    tree(tmp_path, "dopt.yaml")
    result = invoke("--against", str(EXPECTED), "--output", "plan.json")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "plan.json").read_text() == "[]\n"
    assert result.stderr == "wrote 0 requests (0 adds, 0 removes) to plan.json\n"


def test_staging_exports_staging_only(tmp_path: Path) -> None:
    tree(tmp_path, "dopt.yaml")
    result = invoke("--env", "staging", "--output", "out.json")
    assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "out.json").read_text()) == [
        request("igot-admin.dopt@gov.in", DOPT, *adds("MDO_ADMIN", "PUBLIC")),
        request("igot-creator1.dopt@gov.in", DOPT, *adds("CONTENT_CREATOR", "PUBLIC")),
        request("igot-creator2.dopt@gov.in", ISTM, *adds("CONTENT_CREATOR", "PUBLIC")),
    ]


def test_dry_run_prints_table(tmp_path: Path) -> None:
    tree(tmp_path, "dopt-changed.yaml")
    result = invoke("--against", str(EXPECTED), "--dry-run", "--output", "plan.json")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "USER                         ORGANISATION  OPERATION  ROLE",
        "igot-creator1.dopt@gov.in    M_1_D_1       remove     CONTENT_CREATOR",
        "igot-creator1.dopt@gov.in    M_1_D_1       remove     PUBLIC",
        "igot-creator1.dopt@gov.in    istm          add        CONTENT_CREATOR",
        "igot-creator1.dopt@gov.in    istm          add        PUBLIC",
        "igot-publisher2.dopt@gov.in  M_1_D_1       add        CONTENT_PUBLISHER",
        "igot-publisher2.dopt@gov.in  M_1_D_1       add        PUBLIC",
        "igot-reviewer1.dopt@gov.in   M_1_D_1       remove     CONTENT_REVIEWER",
        "igot-reviewer1.dopt@gov.in   M_1_D_1       remove     PUBLIC",
    ]
    assert result.stderr == (
        "dry run: would write 4 requests (4 adds, 4 removes) to plan.json\n"
    )
    assert not (tmp_path / "plan.json").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe", "invalid JSON"),
        (b"{not json", "invalid JSON"),
        (b'{"request": {}}', "invalid export: expected a JSON array of requests"),
        (b"[1]", "request 1: missing request object"),
        (b'[{"request": {"roles": []}}]', "request 1: missing or empty userId"),
        (
            b'[{"request": {"userId": "a@gov.in", "roles": [{"role": "PUBLIC", '
            b'"operation": "remove", "scope": [{"organisationId": "dopt"}]}]}}]',
            "request 1: removes a role, so the file is a plan, not a full export",
        ),
        (
            b'[{"request": {"userId": "a@gov.in", "roles": [{"role": "PUBLIC", '
            b'"operation": "add", "scope": []}]}}]',
            "request 1: missing or empty scope list",
        ),
    ],
)
def test_against_invalid_file(tmp_path: Path, content: bytes, message: str) -> None:
    tree(tmp_path, "dopt.yaml")
    (tmp_path / "state.json").write_bytes(content)
    result = invoke("--against", "state.json", "--output", "out.json")
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""
    assert not (tmp_path / "out.json").exists()


def test_against_missing_file(tmp_path: Path) -> None:
    tree(tmp_path, "dopt.yaml")
    result = invoke("--against", "gone.json", "--output", "out.json")
    assert result.exit_code == 2
    assert "--against: cannot read gone.json: No such file or directory" in (
        result.stderr
    )
    assert "Give a file that `karmalint export` wrote" in result.stderr


def test_output_required_without_dry_run(tmp_path: Path) -> None:
    tree(tmp_path, "dopt.yaml")
    result = invoke()
    assert result.exit_code == 2
    assert "missing --output FILE: give one, or --dry-run" in result.stderr


def test_shipped_manifests_export(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPOSITORY)
    result = CliRunner().invoke(main, ["export", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("dry run: would write ")
    assert " remove " not in result.stdout


def test_against_with_paths_rejected(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "previous.json").write_text("[]\n")
    (tmp_path / "x.yaml").write_text("a: 1\n")
    result = CliRunner().invoke(
        main, ["export", "x.yaml", "--against", "previous.json", "--output", "o.json"]
    )
    assert "--against compares whole exports" in result.stderr
    assert result.exit_code == 2
