"""Format findings for the terminal and for machines."""

from __future__ import annotations

import json

import click

from karmalint.engine import CheckResult
from karmalint.finding import Finding, Severity

SEVERITY_COLOURS = {
    Severity.ERROR: "red",
    Severity.WARNING: "yellow",
    Severity.INFO: "blue",
}


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def count(findings: list[Finding], severity: Severity) -> int:
    return sum(1 for finding in findings if finding.severity == severity)


def format_text(result: CheckResult, colour: bool) -> str:
    """Render one finding a line, then a summary line."""
    lines = []
    for finding in result.findings:
        severity = str(finding.severity)
        if colour:
            severity = click.style(
                severity, fg=SEVERITY_COLOURS[finding.severity], bold=True
            )
        lines.append(
            f"{finding.path}:{finding.line}:{finding.column}: {severity}: "
            f"{finding.message} [{finding.rule}]"
        )
    lines.append(summary_line(result))
    return "\n".join(lines) + "\n"


def summary_line(result: CheckResult) -> str:
    findings = result.findings
    with_findings = len({finding.path for finding in findings})
    parts = [
        _plural(count(findings, Severity.ERROR), "error"),
        _plural(count(findings, Severity.WARNING), "warning"),
    ]
    infos = count(findings, Severity.INFO)
    if infos:
        parts.append(_plural(infos, "note"))
    return (
        f"{', '.join(parts)} in {with_findings} of {_plural(len(result.files), 'file')}"
    )


def format_json(result: CheckResult) -> str:
    """Render the findings as the version 1 JSON report."""
    report = {
        "version": 1,
        "findings": [finding.to_dict() for finding in result.findings],
        "summary": {
            "files": len(result.files),
            "errors": count(result.findings, Severity.ERROR),
            "warnings": count(result.findings, Severity.WARNING),
            "infos": count(result.findings, Severity.INFO),
        },
    }
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"
