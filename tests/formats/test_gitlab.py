"""GitLab Code Quality: entries valid for GitLab's parser, unique fingerprints."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest
from jsonschema import Draft7Validator, FormatChecker

from karmalint.finding import Severity
from karmalint.formats import Report, gitlab

from .conftest import DOPT, DRAFT, FORMAT_FIXTURES, findings_of

SCHEMA = json.loads(
    (FORMAT_FIXTURES / "gitlab-codeclimate.json").read_text(encoding="utf-8")
)


def render(report: Report) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = json.loads(gitlab.render(report))
    return entries


def test_entries_validate(report: Report) -> None:
    validator = Draft7Validator(SCHEMA, format_checker=FormatChecker())
    entries = render(report)
    assert len(entries) == 3
    for entry in entries:
        assert list(validator.iter_errors(entry)) == []


def test_entry_fields(report: Report) -> None:
    [finding] = findings_of(report, "duplicate-id")
    [entry] = [e for e in render(report) if e["check_name"] == "duplicate-id"]
    assert entry == {
        "description": finding.message,
        "check_name": "duplicate-id",
        "fingerprint": finding.fingerprint,
        "severity": "major",
        "location": {"path": DOPT, "lines": {"begin": 23, "end": 23}},
    }


def test_suppressed_left_out(report: Report) -> None:
    names = [entry["check_name"] for entry in render(report)]
    assert "separation-of-duties" not in names


def test_paths_are_plain(report: Report) -> None:
    assert render(report)[0]["location"]["path"] == DRAFT


@pytest.mark.parametrize(
    ("severity", "suppressible", "expected"),
    [
        (Severity.ERROR, True, "major"),
        (Severity.ERROR, False, "critical"),
        (Severity.WARNING, True, "minor"),
        (Severity.WARNING, False, "minor"),
        (Severity.INFO, True, "info"),
    ],
)
def test_severity(
    report: Report, severity: Severity, suppressible: bool, expected: str
) -> None:
    [finding] = findings_of(report, "duplicate-id")
    rule = replace(report.rules["duplicate-id"], suppressible=suppressible)
    assert gitlab.severity(replace(finding, severity=severity), rule) == expected


def test_fingerprints_unique(report: Report) -> None:
    [finding] = findings_of(report, "duplicate-id")
    copies = [finding, finding, replace(finding, fingerprint="")]
    same = replace(report, result=replace(report.result, findings=copies))
    fingerprints = [entry["fingerprint"] for entry in render(same)]
    assert len(set(fingerprints)) == 3
    assert fingerprints[0] == finding.fingerprint
    assert fingerprints[1] == f"{finding.fingerprint}~2"
    assert len(fingerprints[2]) == 32


def test_no_findings_empty_array(report: Report) -> None:
    empty = replace(report, result=replace(report.result, findings=[]))
    assert gitlab.render(empty) == "[]\n"
