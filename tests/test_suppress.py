"""Inline suppressions: a reason is required, some rules cannot be suppressed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from karmalint.cli import main

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    manifests = tmp_path / "manifests"
    manifests.mkdir()
    shutil.copy(FIXTURES / "cli" / "registry.yaml", manifests)
    shutil.copy(FIXTURES / "suppress" / "dopt.yaml", manifests)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check", "--format", "json"])
    assert result.exit_code == 1
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def places(report: dict[str, object]) -> list[tuple[int, int, str, bool]]:
    findings = report["findings"]
    assert isinstance(findings, list)
    return [
        (f["line"], f["column"], f["rule"], f["suppressed"] is not None)
        for f in findings
    ]


def test_suppression_findings_exact(report: dict[str, object]) -> None:
    assert places(report) == [
        (15, 9, "generic-id", True),
        (19, 9, "generic-id", False),
        (19, 24, "suppression", False),
        (25, 13, "publisher-from-ministry", False),
        (25, 33, "suppression", False),
        (27, 9, "generic-id", False),
        (27, 25, "suppression", False),
        (31, 36, "unused-suppression", False),
        (35, 9, "generic-id", True),
    ]


def test_suppressed_keeps_reason(report: dict[str, object]) -> None:
    findings = report["findings"]
    assert isinstance(findings, list)
    assert findings[0]["suppressed"] == {
        "reason": "shared mailbox of the training cell",
        "until": None,
    }
    assert findings[-1]["suppressed"] == {"reason": "until June", "until": "2099-06-30"}


def test_suppression_messages(report: dict[str, object]) -> None:
    findings = report["findings"]
    assert isinstance(findings, list)
    messages = {(f["line"], f["rule"]): f["message"] for f in findings}
    assert messages[(19, "suppression")].startswith("the suppression has no reason")
    assert messages[(25, "suppression")].startswith(
        "publisher-from-ministry cannot be suppressed"
    )
    assert messages[(27, "suppression")].startswith(
        "the suppression expired on 2024-01-01"
    )
    assert messages[(31, "unused-suppression")].startswith(
        "the suppression of generic-id matches no finding"
    )


def test_summary_counts_suppressed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    manifests = tmp_path / "manifests"
    manifests.mkdir()
    shutil.copy(FIXTURES / "cli" / "registry.yaml", manifests)
    shutil.copy(FIXTURES / "suppress" / "dopt.yaml", manifests)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check"])
    assert result.stdout.endswith("6 errors, 1 warning, 2 suppressed in 1 of 2 files\n")
