"""GitLab Code Quality reports: a JSON array with one entry per finding.

GitLab compares the entries of a merge request with those of its target
branch by fingerprint, so each entry's fingerprint is the finding's, which
survives edits that only move lines. Suppressed findings are left out,
because an entry cannot be marked as suppressed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from karmalint.finding import Finding, Severity
from karmalint.formats import Report
from karmalint.formats.common import active, rule_for
from karmalint.policy import Rule

# GitLab's severities are info, minor, major, critical and blocker.
SEVERITIES = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}
# An error of a rule that cannot be suppressed.
UNSUPPRESSIBLE_ERROR = "critical"


def render(report: Report) -> str:
    return json.dumps(entries(report), indent=2, ensure_ascii=False) + "\n"


def entries(report: Report) -> list[dict[str, Any]]:
    """Build one Code Quality entry per unsuppressed finding."""
    seen: set[str] = set()
    result = []
    for finding in active(report.result.findings):
        fingerprint = _unique(_fingerprint(finding), seen)
        result.append(_entry(finding, fingerprint, report.rules))
    return result


def severity(finding: Finding, rule: Rule) -> str:
    if finding.severity == Severity.ERROR and not rule.suppressible:
        return UNSUPPRESSIBLE_ERROR
    return SEVERITIES[finding.severity]


def _entry(
    finding: Finding, fingerprint: str, rules: Mapping[str, Rule]
) -> dict[str, Any]:
    return {
        "description": finding.message,
        "check_name": finding.rule,
        "fingerprint": fingerprint,
        "severity": severity(finding, rule_for(rules, finding)),
        "location": {
            "path": finding.path,
            "lines": {"begin": finding.line, "end": finding.end_line},
        },
    }


def _fingerprint(finding: Finding) -> str:
    """Return the finding's fingerprint, or a hash of its place if it has none."""
    if finding.fingerprint:
        return finding.fingerprint
    place = "\0".join(
        (finding.rule, finding.path, str(finding.line), str(finding.column))
    )
    return hashlib.sha256(place.encode("utf-8")).hexdigest()[:32]


def _unique(fingerprint: str, seen: set[str]) -> str:
    """Number a fingerprint that an earlier entry already has."""
    candidate, number = fingerprint, 1
    while candidate in seen:
        number += 1
        candidate = f"{fingerprint}~{number}"
    seen.add(candidate)
    return candidate
