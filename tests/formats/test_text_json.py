"""Text and JSON: suppressed findings are marked, and karmalint.report still works."""

from __future__ import annotations

import json
from dataclasses import replace

import click

from karmalint import report as report_module
from karmalint.finding import Severity
from karmalint.formats import FORMATS, Report, json_report, text

from .conftest import DOPT, SUPPRESSION, findings_of


def test_format_names() -> None:
    assert set(FORMATS) == {
        "text",
        "json",
        "sarif",
        "github",
        "junit",
        "gitlab",
        "markdown",
    }


def test_report_module_reexports() -> None:
    assert report_module.format_text is text.format_text
    assert report_module.format_json is json_report.format_json


def test_text_marks_suppressed(report: Report) -> None:
    lines = text.render(report).splitlines()
    assert lines[2] == (
        f"{DOPT}:21:30: warning: "
        f"{findings_of(report, 'separation-of-duties')[0].message} "
        f"[separation-of-duties] (suppressed: {SUPPRESSION.reason})"
    )
    assert lines[-1] == "3 errors, 0 warnings, 1 suppressed in 2 of 4 files"


def test_text_without_suppressed(report: Report) -> None:
    findings = [replace(f, suppression=None) for f in report.result.findings]
    plain = replace(report.result, findings=findings)
    assert text.format_text(plain, colour=False).endswith(
        "3 errors, 1 warning in 2 of 4 files\n"
    )


def test_text_notes_counted(report: Report) -> None:
    findings = [replace(f, severity=Severity.INFO) for f in report.result.findings]
    infos = replace(report.result, findings=findings)
    summary = text.format_text(infos, colour=False).splitlines()[-1]
    assert summary == "0 errors, 0 warnings, 3 notes, 1 suppressed in 2 of 4 files"


def test_text_colour(report: Report) -> None:
    coloured = text.format_text(report.result, colour=True)
    assert click.unstyle(coloured) == text.render(report)
    assert coloured != text.render(report)


def test_json_suppressed_entry(report: Report) -> None:
    data = json.loads(json_report.render(report))
    suppressed = [f for f in data["findings"] if f["suppressed"] is not None]
    assert [f["rule"] for f in suppressed] == ["separation-of-duties"]
    assert suppressed[0]["suppressed"] == {
        "reason": SUPPRESSION.reason,
        "until": SUPPRESSION.until,
    }
    assert len(data["findings"]) == 4


def test_json_summary_skips_suppressed(report: Report) -> None:
    data = json.loads(json_report.render(report))
    assert data["summary"] == {
        "files": 4,
        "errors": 3,
        "warnings": 0,
        "infos": 0,
        "suppressed": 1,
        "baselined": 0,
        "fixed": 0,
    }
