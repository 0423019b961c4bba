"""GitHub workflow commands: one annotation per finding, escaped for the runner."""

from __future__ import annotations

import re
from dataclasses import replace

from karmalint.finding import Severity
from karmalint.formats import Report, github

from .conftest import DOPT, DRAFT, findings_of

COMMAND = re.compile(r"::(?P<kind>\w+) (?P<properties>[^:]*)::(?P<message>.*)")


def unescape_property(value: str) -> str:
    """Decode a property value the way the Actions runner does, "%" last."""
    for escape, character in (
        ("%0D", "\r"),
        ("%0A", "\n"),
        ("%3A", ":"),
        ("%2C", ","),
        ("%25", "%"),
    ):
        value = value.replace(escape, character)
    return value


def unescape_data(value: str) -> str:
    for escape, character in (("%0D", "\r"), ("%0A", "\n"), ("%25", "%")):
        value = value.replace(escape, character)
    return value


def parse(line: str) -> tuple[str, dict[str, str], str]:
    """Split a workflow command as the runner does: at "::", then at "," and "="."""
    match = COMMAND.fullmatch(line)
    assert match is not None, line
    properties = {}
    for item in match["properties"].split(","):
        name, value = item.split("=", 1)
        properties[name] = unescape_property(value)
    return match["kind"], properties, unescape_data(match["message"])


def test_one_command_per_unsuppressed(report: Report) -> None:
    lines = github.render(report).splitlines()
    assert len(lines) == 3
    assert [parse(line)[1]["title"] for line in lines] == [
        "karmalint: yaml-syntax",
        "karmalint: publisher-from-ministry",
        "karmalint: duplicate-id",
    ]


def test_comma_in_path_is_escaped(report: Report) -> None:
    first = github.render(report).splitlines()[0]
    assert first.startswith("::error file=drafts%2C old/dor-é.yaml,line=8,col=12,")
    kind, properties, message = parse(first)
    assert kind == "error"
    assert properties["file"] == DRAFT
    assert message.startswith("invalid YAML: a [ list is not closed:")


def test_message_escaping(report: Report) -> None:
    [finding] = findings_of(report, "duplicate-id")
    tricky = replace(finding, message="100% sure:\r\nline two, with %0A literally")
    line = github.annotation(tricky)
    assert line.endswith("::100%25 sure:%0D%0Aline two, with %250A literally")
    assert "\n" not in line
    assert "\r" not in line
    assert parse(line)[2] == tricky.message


def test_property_escaping(report: Report) -> None:
    [finding] = findings_of(report, "duplicate-id")
    tricky = replace(finding, path="a:b,c%d\ne.yaml")
    line = github.annotation(tricky)
    assert "file=a%3Ab%2Cc%25d%0Ae.yaml," in line
    assert parse(line)[1]["file"] == tricky.path


def test_escape_functions() -> None:
    assert github.escape_data("%\r\n:,") == "%25%0D%0A:,"
    assert github.escape_property("%\r\n:,") == "%25%0D%0A%3A%2C"


def test_severity_commands(report: Report) -> None:
    [finding] = findings_of(report, "duplicate-id")
    kinds = [
        parse(github.annotation(replace(finding, severity=severity)))[0]
        for severity in (Severity.ERROR, Severity.WARNING, Severity.INFO)
    ]
    assert kinds == ["error", "warning", "notice"]


def test_multiline_finding_drops_columns(report: Report) -> None:
    [finding] = findings_of(report, "duplicate-id")
    spread = replace(finding, end_line=finding.line + 2, end_column=5)
    _, properties, _ = parse(github.annotation(spread))
    assert properties == {
        "file": DOPT,
        "line": "23",
        "endLine": "25",
        "title": "karmalint: duplicate-id",
    }


def test_no_findings_no_output(report: Report) -> None:
    empty = replace(report, result=replace(report.result, findings=[]))
    assert github.render(empty) == ""
