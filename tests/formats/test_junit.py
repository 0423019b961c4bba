"""JUnit XML: one testsuite per file, one testcase per rule, with correct counts."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace

from karmalint.formats import Report, junit

from .conftest import DOPT, DRAFT, SUPPRESSION, findings_of


def parse(report: Report) -> ET.Element:
    return ET.fromstring(junit.render(report))


def suite(root: ET.Element, name: str) -> ET.Element:
    [found] = [s for s in root.findall("testsuite") if s.get("name") == name]
    return found


def counts(element: ET.Element) -> dict[str, str | None]:
    return {name: element.get(name) for name in junit.COUNTERS}


def test_declaration_and_root(report: Report) -> None:
    text = junit.render(report)
    assert text.startswith("<?xml version='1.0' encoding='utf-8'?>\n<testsuites")
    root = ET.fromstring(text)
    assert root.tag == "testsuites"
    assert root.get("name") == "karmalint"
    assert counts(root) == {
        "tests": "6",
        "failures": "3",
        "errors": "0",
        "skipped": "1",
    }


def test_one_suite_per_file(report: Report) -> None:
    names = [s.get("name") for s in parse(report).findall("testsuite")]
    assert names == ["clean.yaml", DRAFT, "registry.yaml", DOPT]


def test_clean_file_passes(report: Report) -> None:
    clean = suite(parse(report), "clean.yaml")
    assert counts(clean) == {
        "tests": "1",
        "failures": "0",
        "errors": "0",
        "skipped": "0",
    }
    [case] = clean.findall("testcase")
    assert case.get("name") == junit.PASSING_NAME
    assert list(case) == []


def test_failures_per_rule(report: Report) -> None:
    dopt = suite(parse(report), DOPT)
    assert counts(dopt) == {
        "tests": "3",
        "failures": "2",
        "errors": "0",
        "skipped": "1",
    }
    names = [case.get("name") for case in dopt.findall("testcase")]
    assert names == [
        "duplicate-id",
        "publisher-from-ministry",
        "separation-of-duties (suppressed)",
    ]
    case = dopt.findall("testcase")[0]
    assert case.get("classname") == DOPT
    failure = case.find("failure")
    assert failure is not None
    [finding] = findings_of(report, "duplicate-id")
    assert failure.get("message") == finding.message
    assert failure.get("type") == "error"
    assert failure.text == f"{DOPT}:23:9: {finding.message}"


def test_suppressed_is_skipped(report: Report) -> None:
    case = suite(parse(report), DOPT).findall("testcase")[2]
    skipped = case.find("skipped")
    assert skipped is not None
    assert case.find("failure") is None
    assert skipped.get("message") == SUPPRESSION.reason
    assert skipped.text is not None
    assert skipped.text.startswith(f"{DOPT}:21:30: ")
    assert skipped.text.endswith(f"(suppressed: {SUPPRESSION.reason})")


def test_findings_of_one_rule_share_a_case(report: Report) -> None:
    [finding] = findings_of(report, "duplicate-id")
    second = replace(finding, line=30, column=5, message="second <&> \x01 message")
    findings = [*report.result.findings, second]
    doubled = replace(report, result=replace(report.result, findings=findings))
    case = suite(parse(doubled), DOPT).findall("testcase")[0]
    failure = case.find("failure")
    assert failure is not None
    assert failure.get("message") == finding.message
    assert failure.text is not None
    assert failure.text.splitlines() == [
        f"{DOPT}:23:9: {finding.message}",
        f"{DOPT}:30:5: second <&> \ufffd message",
    ]


def test_finding_outside_checked_files(report: Report) -> None:
    [finding] = findings_of(report, "duplicate-id")
    elsewhere = replace(finding, path="context/mha.yaml")
    doubled = replace(
        report,
        result=replace(report.result, findings=[*report.result.findings, elsewhere]),
    )
    names = [s.get("name") for s in parse(doubled).findall("testsuite")]
    assert "context/mha.yaml" in names
