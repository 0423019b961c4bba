"""Baselines: accept today's findings so that only new ones are reported.

A baseline file lists findings by fingerprint, which leaves out line
numbers, so inserting lines above a baselined finding keeps it baselined.
Findings of rules that cannot be suppressed are never taken from a
baseline, so editing the file by hand cannot hide them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from karmalint.finding import Finding
from karmalint.policy import Rule

BASELINE_VERSION = 1


class BaselineError(Exception):
    """A baseline file that cannot be read."""


@dataclass(frozen=True, slots=True)
class BaselineOutcome:
    """The findings left after a baseline, and how many it held back or lost."""

    findings: list[Finding]
    baselined: int
    fixed: int


def write_baseline(findings: list[Finding], path: Path) -> int:
    """Write the unsuppressed findings to ``path``; return how many were written."""
    entries = [
        {
            "fingerprint": f.fingerprint,
            "rule": f.rule,
            "path": f.path,
            "subject": f.subject,
            "message": f.message,
        }
        for f in findings
        if f.suppression is None
    ]
    document = {"version": BASELINE_VERSION, "findings": entries}
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", "utf-8")
    return len(entries)


def read_baseline(path: Path) -> set[str]:
    """Return the fingerprints of a baseline file; raise BaselineError if invalid."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BaselineError(f"cannot read the baseline {path}: {error}") from None
    if not isinstance(document, dict):
        document = {}
    entries = document.get("findings")
    if document.get("version") != BASELINE_VERSION or not isinstance(entries, list):
        raise BaselineError(
            f"{path} is not a karmalint baseline (version {BASELINE_VERSION}); "
            "write one with karmalint baseline --output FILE"
        )
    return {
        e["fingerprint"] for e in entries if isinstance(e, dict) and "fingerprint" in e
    }


def apply_baseline(
    findings: list[Finding], fingerprints: set[str], rules: Mapping[str, Rule]
) -> BaselineOutcome:
    """Drop findings whose fingerprint is in the baseline, unless unsuppressible."""
    kept = []
    held_back = set()
    for finding in findings:
        rule = rules.get(finding.rule)
        suppressible = rule is None or rule.suppressible
        if finding.fingerprint in fingerprints and suppressible:
            held_back.add(finding.fingerprint)
            continue
        kept.append(finding)
    # An entry is fixed when no finding has its fingerprint any more; one of
    # an unsuppressible rule is still reported, so it is not fixed.
    present = {finding.fingerprint for finding in findings}
    return BaselineOutcome(kept, len(held_back), len(fingerprints - present))
