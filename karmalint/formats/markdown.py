"""A Markdown pull-request comment: counts, a table of findings and the fixes.

Locations link to `path#L<line>` relative to the repository root, or to
`path#L<line>-L<end line>` for a finding over several lines. Suppressed
findings are counted and listed, with their reasons, in a collapsed
<details> section.
"""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import quote

from karmalint.finding import Finding
from karmalint.formats import Report, rule_doc_uri
from karmalint.formats.common import active, plural, rule_for, summary_line, suppressed

# ASCII punctuation that Markdown or a GFM table would read as syntax, and `&`,
# which starts an entity. A backslash before each makes it literal.
_SYNTAX = re.compile(r"([\\`*_\[\]<>|~&])")
_NEWLINE = re.compile(r"\r\n|\r|\n")


def cell(text: str) -> str:
    """Escape text for one table cell: syntax characters and line breaks."""
    return _NEWLINE.sub("<br>", _SYNTAX.sub(r"\\\1", text))


def link_target(finding: Finding) -> str:
    """Return the percent-encoded `path#L<line>` (or `-L<end>`) of a finding."""
    anchor = f"#L{finding.line}"
    if finding.end_line != finding.line:
        anchor += f"-L{finding.end_line}"
    return quote(finding.path, safe="/") + anchor


def location_link(finding: Finding) -> str:
    label = cell(f"{finding.path}:{finding.line}:{finding.column}")
    return f"[{label}]({link_target(finding)})"


def render(report: Report) -> str:
    findings = report.result.findings
    sections = [f"## karmalint: {summary_line(report.result)}"]
    if active(findings):
        sections += [
            _findings_table(active(findings)),
            _counts_table(findings),
            _fixes(report),
        ]
    elif findings:
        sections.append(_counts_table(findings))
    if suppressed(findings):
        sections.append(_suppressed_section(suppressed(findings)))
    return "\n\n".join(sections) + "\n"


def _table(header: list[str], rows: list[list[str]], align: list[str]) -> str:
    lines = [_row(header), _row(align)]
    lines += [_row(row) for row in rows]
    return "\n".join(lines)


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _findings_table(findings: list[Finding]) -> str:
    rows = [
        [str(f.severity), f"`{f.rule}`", location_link(f), cell(f.message)]
        for f in findings
    ]
    header = ["Severity", "Rule", "Location", "Message"]
    return _table(header, rows, ["---"] * 4)


def _counts_table(findings: list[Finding]) -> str:
    """Count the findings of each rule and severity, suppressed ones apart."""
    open_counts = Counter((f.rule, str(f.severity)) for f in active(findings))
    suppressed_counts = Counter((f.rule, str(f.severity)) for f in suppressed(findings))
    rows = []
    for key in sorted(open_counts.keys() | suppressed_counts.keys()):
        rule, severity = key
        counts = [str(open_counts[key]), str(suppressed_counts[key])]
        rows.append([f"`{rule}`", severity, *counts])
    header = ["Rule", "Severity", "Findings", "Suppressed"]
    table = _table(header, rows, ["---", "---", "---:", "---:"])
    return f"### Findings by rule\n\n{table}"


def _fixes(report: Report) -> str:
    """List the fix of each rule that has unsuppressed findings."""
    lines = ["### How to fix", ""]
    fired: dict[str, Finding] = {}
    for finding in active(report.result.findings):
        fired.setdefault(finding.rule, finding)
    for rule_id in sorted(fired):
        rule = rule_for(report.rules, fired[rule_id])
        fix = cell(rule.fix or rule.summary)
        lines.append(f"- `{rule_id}`: {fix} ([rule]({rule_doc_uri(rule_id)}))")
    return "\n".join(lines)


def _suppressed_section(findings: list[Finding]) -> str:
    rows = [
        [f"`{f.rule}`", location_link(f), cell(f.message), cell(_reason(f))]
        for f in findings
    ]
    table = _table(["Rule", "Location", "Message", "Reason"], rows, ["---"] * 4)
    summary = plural(len(findings), "suppressed finding")
    return f"<details>\n<summary>{summary}</summary>\n\n{table}\n\n</details>"


def _reason(finding: Finding) -> str:
    return "" if finding.suppression is None else finding.suppression.reason
