"""JUnit XML, which GitLab and Jenkins show as test results.

Each checked file, and any other file that a finding is in, is a <testsuite>.
Each rule with unsuppressed findings in the file is a failed <testcase> named
after the rule, whose <failure> lists the findings. A rule's suppressed
findings form a second testcase, named "<rule> (suppressed)", that is
<skipped> with the reasons. A file without any finding has one passing
testcase, so that every file shows in the results.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable

from karmalint.finding import Finding
from karmalint.formats import Report
from karmalint.formats.common import all_paths

PASSING_NAME = "all rules"
COUNTERS = ("tests", "failures", "errors", "skipped")
# Characters that XML 1.0 does not allow anywhere, even escaped.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def render(report: Report) -> str:
    findings = report.result.findings
    root = ET.Element("testsuites", name="karmalint")
    for path in all_paths(report.result):
        root.append(_suite(path, [f for f in findings if f.path == path]))
    _add_counts(root)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def xml_safe(text: str) -> str:
    """Replace the characters that XML 1.0 cannot carry with U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


def _suite(path: str, findings: list[Finding]) -> ET.Element:
    suite = ET.Element("testsuite", name=xml_safe(path))
    for rule in sorted({finding.rule for finding in findings}):
        of_rule = [finding for finding in findings if finding.rule == rule]
        failed = [f for f in of_rule if f.suppression is None]
        skipped = [f for f in of_rule if f.suppression is not None]
        if failed:
            suite.append(_failed_case(path, rule, failed))
        if skipped:
            suite.append(_skipped_case(path, rule, skipped))
    if not findings:
        suite.append(_case(path, PASSING_NAME))
    _add_counts(suite)
    return suite


def _case(path: str, name: str) -> ET.Element:
    safe_path = xml_safe(path)
    return ET.Element(
        "testcase", name=xml_safe(name), classname=safe_path, file=safe_path
    )


def _failed_case(path: str, rule: str, findings: list[Finding]) -> ET.Element:
    case = _case(path, rule)
    first = findings[0]
    failure = ET.SubElement(
        case,
        "failure",
        message=xml_safe(first.message),
        type=str(first.severity),
    )
    failure.text = _listing(findings)
    return case


def _skipped_case(path: str, rule: str, findings: list[Finding]) -> ET.Element:
    case = _case(path, f"{rule} (suppressed)")
    reasons = [_reason(finding) for finding in findings]
    skipped = ET.SubElement(case, "skipped", message=xml_safe(reasons[0]))
    skipped.text = _listing(findings)
    return case


def _reason(finding: Finding) -> str:
    return "" if finding.suppression is None else finding.suppression.reason


def _listing(findings: Iterable[Finding]) -> str:
    """List findings one a line as `path:line:column: message`.

    A suppressed finding's line ends with `(suppressed: reason)`.
    """
    lines = []
    for finding in findings:
        line = f"{finding.path}:{finding.line}:{finding.column}: {finding.message}"
        if finding.suppression is not None:
            line += f" (suppressed: {finding.suppression.reason})"
        lines.append(line)
    return xml_safe("\n".join(lines))


def _add_counts(element: ET.Element) -> None:
    """Set the tests, failures, errors and skipped attributes of ``element``.

    They count the testcases below it. karmalint reports every finding as a
    failure, so errors is always 0.
    """
    cases = list(element.iter("testcase"))
    counts = {
        "tests": len(cases),
        "failures": sum(1 for case in cases if case.find("failure") is not None),
        "errors": 0,
        "skipped": sum(1 for case in cases if case.find("skipped") is not None),
    }
    for name in COUNTERS:
        element.set(name, str(counts[name]))
