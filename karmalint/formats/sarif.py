"""SARIF 2.1.0 logs, as GitHub code scanning uploads them.

The log has one run. Its driver lists every rule of the policy, plus any rule
that a finding names and the policy leaves out. Result locations are URIs
relative to %SRCROOT%, the base id of the repository root. Regions count
columns in Unicode code points and end one column after the last character,
as karmalint's spans do.
"""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from karmalint.finding import Finding, Related, Severity, Span, Suppression
from karmalint.formats import HOMEPAGE, Report, rule_doc_uri
from karmalint.formats.common import rule_for
from karmalint.policy import Rule

SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/"
    "sarif-schema-2.1.0.json"
)
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "karmalint/v1"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}

Json = dict[str, Any]


def render(report: Report) -> str:
    return json.dumps(sarif_log(report), indent=2, ensure_ascii=False) + "\n"


def sarif_log(report: Report) -> Json:
    """Build the SARIF log of a report as a JSON-ready dict."""
    rules = _rules(report)
    index = {rule.id: position for position, rule in enumerate(rules)}
    run: Json = {
        "tool": {"driver": _driver(report.version, rules)},
        "originalUriBaseIds": {SRCROOT: _root_location(report.root)},
        "columnKind": "unicodeCodePoints",
        "results": [_result(f, index[f.rule]) for f in report.result.findings],
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def _rules(report: Report) -> list[Rule]:
    rules = dict(report.rules)
    for finding in report.result.findings:
        rules.setdefault(finding.rule, rule_for(report.rules, finding))
    return [rules[rule_id] for rule_id in sorted(rules)]


def _driver(version: str, rules: list[Rule]) -> Json:
    return {
        "name": "karmalint",
        "version": version,
        "informationUri": HOMEPAGE,
        "rules": [_descriptor(rule) for rule in rules],
    }


def _descriptor(rule: Rule) -> Json:
    """Describe a rule: its summary, legal basis, fix and default level."""
    basis = rule.basis.rstrip(".")
    fix = rule.fix or rule.summary
    return {
        "id": rule.id,
        "name": "".join(word.capitalize() for word in rule.id.split("-")),
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": f"{rule.summary} Legal basis: {basis}."},
        "help": {
            "text": f"How to fix: {fix}\nLegal basis: {basis}.",
            "markdown": f"**How to fix:** {fix}\n\n**Legal basis:** {basis}.",
        },
        "helpUri": rule_doc_uri(rule.id),
        "defaultConfiguration": {
            "level": LEVELS[rule.severity],
            "enabled": rule.enabled,
        },
        "properties": {"suppressible": rule.suppressible},
    }


def _root_location(root: str) -> Json:
    """Describe %SRCROOT%: an absolute root becomes a file URI ending in "/".

    A relative root is left without a URI so that the log does not depend on
    the machine it was written on, and the consumer supplies the checkout.
    """
    if Path(root).is_absolute():
        uri = Path(root).as_uri()
        return {"uri": uri if uri.endswith("/") else uri + "/"}
    return {"description": {"text": "The root of the repository of manifests."}}


def artifact_location(path: str) -> Json:
    """Return a path as a percent-encoded URI, relative to %SRCROOT% if relative."""
    if PurePosixPath(path).is_absolute():
        return {"uri": Path(path).as_uri()}
    return {"uri": quote(path, safe="/"), "uriBaseId": SRCROOT}


def _region(span: Span) -> Json:
    return {
        "startLine": span.line,
        "startColumn": span.column,
        "endLine": span.end_line,
        "endColumn": span.end_column,
    }


def _physical(path: str, span: Span) -> Json:
    return {"artifactLocation": artifact_location(path), "region": _region(span)}


def _result(finding: Finding, rule_index: int) -> Json:
    span = Span(finding.line, finding.column, finding.end_line, finding.end_column)
    result: Json = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [{"physicalLocation": _physical(finding.path, span)}],
    }
    if finding.related:
        result["relatedLocations"] = [
            _related(number, related)
            for number, related in enumerate(finding.related, start=1)
        ]
    if finding.fingerprint:
        result["partialFingerprints"] = {FINGERPRINT_KEY: finding.fingerprint}
    if finding.suppression is not None:
        result["suppressions"] = [_suppression(finding.path, finding.suppression)]
    return result


def _related(number: int, related: Related) -> Json:
    return {
        "id": number,
        "physicalLocation": _physical(related.path, related.span),
        "message": {"text": related.message},
    }


def _suppression(path: str, suppression: Suppression) -> Json:
    """Describe an inline suppression, with the comment's line when it is known."""
    entry: Json = {"kind": "inSource", "justification": suppression.reason}
    if suppression.line > 0:
        region = {"startLine": suppression.line}
        entry["location"] = {
            "physicalLocation": {
                "artifactLocation": artifact_location(path),
                "region": region,
            }
        }
    if suppression.until is not None:
        entry["properties"] = {"until": suppression.until}
    return entry
