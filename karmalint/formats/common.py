"""Counts, summaries and rule lookups that several report formats share."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from karmalint.engine import CheckResult
from karmalint.finding import Finding, Severity
from karmalint.policy import Rule


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def active(findings: Iterable[Finding]) -> list[Finding]:
    """Return the findings that no inline comment suppresses."""
    return [finding for finding in findings if finding.suppression is None]


def suppressed(findings: Iterable[Finding]) -> list[Finding]:
    return [finding for finding in findings if finding.suppression is not None]


def count(findings: Iterable[Finding], severity: Severity) -> int:
    """Count the unsuppressed findings of one severity."""
    return sum(1 for finding in active(findings) if finding.severity == severity)


def summary_line(result: CheckResult) -> str:
    """Summarise a run as "2 errors, 1 warning, 1 suppressed in 1 of 3 files".

    Notes (info findings) and suppressed findings are named only when there
    are some. A file counts as having findings when an unsuppressed one is in it.
    """
    findings = result.findings
    parts = [
        plural(count(findings, Severity.ERROR), "error"),
        plural(count(findings, Severity.WARNING), "warning"),
    ]
    infos = count(findings, Severity.INFO)
    if infos:
        parts.append(plural(infos, "note"))
    hidden = len(suppressed(findings))
    if hidden:
        parts.append(f"{hidden} suppressed")
    with_findings = len({finding.path for finding in active(findings)})
    files = plural(len(result.files), "file")
    line = f"{', '.join(parts)} in {with_findings} of {files}"
    if result.baselined or result.fixed:
        line += (
            f"; the baseline held back {plural(result.baselined, 'finding')}, "
            f"and {result.fixed} of its findings are fixed"
        )
    return line


def rule_for(rules: Mapping[str, Rule], finding: Finding) -> Rule:
    """Return the finding's rule, or a rule built from the finding.

    The policy has no rule for a built-in rule that it leaves out.
    """
    rule = rules.get(finding.rule)
    if rule is not None:
        return rule
    return Rule(finding.rule, finding.severity, finding.rule, finding.basis)


def all_paths(result: CheckResult) -> list[str]:
    """Return the checked files and any other file a finding is in, sorted.

    A finding in a context file is reported when it involves a checked file,
    so its path need not be among the files checked.
    """
    return sorted(set(result.files) | {finding.path for finding in result.findings})
