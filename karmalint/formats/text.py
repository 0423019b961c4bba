"""The terminal report: one finding a line, then a summary line."""

from __future__ import annotations

import click

from karmalint.engine import CheckResult
from karmalint.finding import Finding, Severity
from karmalint.formats import Report
from karmalint.formats.common import summary_line

SEVERITY_COLOURS = {
    Severity.ERROR: "red",
    Severity.WARNING: "yellow",
    Severity.INFO: "blue",
}


def render(report: Report) -> str:
    """Render the report without colour."""
    return format_text(report.result, colour=False)


def format_text(result: CheckResult, colour: bool) -> str:
    """Render one finding a line, `path:line:column: severity: message [rule]`.

    A suppressed finding's line ends with `(suppressed: reason)`.
    """
    lines = [_line(finding, colour) for finding in result.findings]
    lines.append(summary_line(result))
    return "\n".join(lines) + "\n"


def _line(finding: Finding, colour: bool) -> str:
    severity = str(finding.severity)
    if colour:
        severity = click.style(
            severity, fg=SEVERITY_COLOURS[finding.severity], bold=True
        )
    line = (
        f"{finding.path}:{finding.line}:{finding.column}: {severity}: "
        f"{finding.message} [{finding.rule}]"
    )
    if finding.suppression is not None:
        line += f" (suppressed: {finding.suppression.reason})"
    return line
