"""GitHub Actions workflow commands that annotate each finding in a pull request.

Each unsuppressed finding becomes one line such as
`::error file=mdo/dopt.yaml,line=3,col=5,endLine=3,endColumn=9,title=...::message`.
The runner (actions/runner, ActionCommand.cs) decodes `%25`, `%0D` and `%0A`
in the message, and also `%3A` and `%2C` in property values, whose ends it
finds by `,` and `::`. Suppressed findings get no annotation.
"""

from __future__ import annotations

from karmalint.finding import Finding, Severity
from karmalint.formats import Report
from karmalint.formats.common import active

COMMANDS = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFO: "notice",
}


def escape_data(text: str) -> str:
    """Escape a command's message, `%` first so that no escape is escaped again."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value, which also must not contain `:` or `,`."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(report: Report) -> str:
    lines = [annotation(finding) for finding in active(report.result.findings)]
    return "".join(line + "\n" for line in lines)


def annotation(finding: Finding) -> str:
    """Build the workflow command for one finding."""
    properties = [("file", finding.path), ("line", str(finding.line))]
    # Columns may be sent only when the annotation starts and ends on one line
    # (AnnotationProperties in actions/toolkit, packages/core/src/core.ts).
    if finding.end_line == finding.line:
        # NOTE: GitHub does not document whether endColumn is inclusive. It
        # gets karmalint's exclusive end column, as every other format does.
        properties += [
            ("col", str(finding.column)),
            ("endLine", str(finding.end_line)),
            ("endColumn", str(finding.end_column)),
        ]
    else:
        properties.append(("endLine", str(finding.end_line)))
    properties.append(("title", f"karmalint: {finding.rule}"))
    joined = ",".join(f"{name}={escape_property(value)}" for name, value in properties)
    return f"::{COMMANDS[finding.severity]} {joined}::{escape_data(finding.message)}"
