"""The version 1 JSON report: every finding as an object, and a summary."""

from __future__ import annotations

import json

from karmalint.engine import CheckResult
from karmalint.finding import Severity
from karmalint.formats import Report
from karmalint.formats.common import count, suppressed


def render(report: Report) -> str:
    return format_json(report.result)


def format_json(result: CheckResult) -> str:
    """Render `{"version": 1, "findings": [...], "summary": {...}}`.

    Suppressed findings are listed with their reason under "suppressed" and
    left out of the summary's counts.
    """
    report = {
        "version": 1,
        "findings": [finding.to_dict() for finding in result.findings],
        "summary": {
            "files": len(result.files),
            "errors": count(result.findings, Severity.ERROR),
            "warnings": count(result.findings, Severity.WARNING),
            "infos": count(result.findings, Severity.INFO),
            "suppressed": len(suppressed(result.findings)),
            # Findings a baseline held back, and baseline entries now fixed.
            "baselined": result.baselined,
            "fixed": result.fixed,
        },
    }
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"
