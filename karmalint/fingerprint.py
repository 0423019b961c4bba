"""Fingerprints that identify a finding across edits that only move lines."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import replace

from karmalint.finding import Finding


def node_text(text: str, finding: Finding) -> str:
    """Return the source text of the finding's node, or of its first line."""
    lines = text.splitlines()
    if not 1 <= finding.line <= len(lines):
        return ""
    line = lines[finding.line - 1]
    start = finding.column - 1
    if finding.end_line == finding.line and finding.end_column > finding.column:
        return line[start : finding.end_column - 1]
    return line[start:]


def add_fingerprints(
    findings: list[Finding], read_text: Callable[[str], str]
) -> list[Finding]:
    """Give each finding a fingerprint from its rule, path, subject and node text.

    Line numbers are left out, so inserting lines above a finding keeps its
    fingerprint.  Findings that would share one are numbered in file order.
    """
    texts: dict[str, str] = {}
    seen: Counter[str] = Counter()
    result = []
    for finding in findings:
        if finding.path not in texts:
            texts[finding.path] = read_text(finding.path)
        content = node_text(texts[finding.path], finding)
        key = "\0".join((finding.rule, finding.path, finding.subject, content))
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
        seen[digest] += 1
        if seen[digest] > 1:
            digest = f"{digest}-{seen[digest]}"
        result.append(replace(finding, fingerprint=digest))
    return result
