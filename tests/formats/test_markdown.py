"""Markdown comment: heading, table rows, links, fixes and the suppressed section."""

from __future__ import annotations

import re
from dataclasses import replace

from karmalint.formats import Report, markdown, rule_doc_uri

from .conftest import SUPPRESSION, findings_of

LINK = re.compile(r"\[(?P<label>(?:[^\]\\]|\\.)*)\]\((?P<target>[^)\s]*)\)")


def table_rows(text: str, header: str) -> list[str]:
    """Return the body rows of the table whose header row starts with ``header``."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(header))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append(line)
    return rows


def split_row(row: str) -> list[str]:
    """Split a table row at the pipes that are not escaped."""
    cells = re.split(r"(?<!\\)\|", row.strip())
    return [cell.strip() for cell in cells[1:-1]]


def test_heading_counts(report: Report) -> None:
    first = markdown.render(report).splitlines()[0]
    assert first == "## karmalint: 3 errors, 0 warnings, 1 suppressed in 2 of 4 files"


def test_finding_rows(report: Report) -> None:
    rows = table_rows(markdown.render(report), "| Severity | Rule | Location |")
    assert len(rows) == 3
    cells = split_row(rows[1])
    assert cells[:2] == ["error", "`publisher-from-ministry`"]
    assert cells[2] == (
        "[team a/dopt rights.yaml:17:13](team%20a/dopt%20rights.yaml#L17)"
    )
    assert cells[3].startswith("CONTENT\\_PUBLISHER for igot-publisher.ssc@nic.in")


def test_links_are_relative(report: Report) -> None:
    rows = table_rows(markdown.render(report), "| Severity | Rule | Location |")
    matches = [LINK.search(row) for row in rows]
    targets = [match["target"] for match in matches if match is not None]
    assert targets == [
        "drafts%2C%20old/dor-%C3%A9.yaml#L8",
        "team%20a/dopt%20rights.yaml#L17",
        "team%20a/dopt%20rights.yaml#L23",
    ]


def test_multiline_link(report: Report) -> None:
    [finding] = findings_of(report, "duplicate-id")
    spread = replace(finding, end_line=26)
    assert markdown.link_target(spread) == "team%20a/dopt%20rights.yaml#L23-L26"


def test_cell_escaping() -> None:
    assert markdown.cell("a | b") == "a \\| b"
    assert markdown.cell("one\ntwo\r\nthree\rfour") == "one<br>two<br>three<br>four"
    assert markdown.cell("<b>*x*</b> [y] `z` ~q~ & \\") == (
        "\\<b\\>\\*x\\*\\</b\\> \\[y\\] \\`z\\` \\~q\\~ \\& \\\\"
    )


def test_pipe_in_message_keeps_columns(report: Report) -> None:
    [finding] = findings_of(report, "duplicate-id")
    odd = replace(finding, message="a | b\nc")
    piped = replace(report, result=replace(report.result, findings=[odd]))
    [row] = table_rows(markdown.render(piped), "| Severity | Rule | Location |")
    cells = split_row(row)
    assert len(cells) == 4
    assert cells[3] == "a \\| b<br>c"


def test_counts_per_rule(report: Report) -> None:
    rows = table_rows(markdown.render(report), "| Rule | Severity | Findings |")
    assert [split_row(row) for row in rows] == [
        ["`duplicate-id`", "error", "1", "0"],
        ["`publisher-from-ministry`", "error", "1", "0"],
        ["`separation-of-duties`", "warning", "0", "1"],
        ["`yaml-syntax`", "error", "1", "0"],
    ]


def test_how_to_fix(report: Report) -> None:
    text = markdown.render(report)
    fixes = text.split("### How to fix\n\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert len(fixes) == 3
    fix = report.rules["publisher-from-ministry"].fix
    uri = rule_doc_uri("publisher-from-ministry")
    assert f"- `publisher-from-ministry`: {fix} ([rule]({uri}))" in fixes
    assert not any("separation-of-duties" in line for line in fixes)


def test_suppressed_details(report: Report) -> None:
    text = markdown.render(report)
    details = text.split("<details>\n", 1)[1]
    assert details.startswith("<summary>1 suppressed finding</summary>\n")
    assert details.rstrip().endswith("</details>")
    [row] = table_rows(details, "| Rule | Location | Message | Reason |")
    cells = split_row(row)
    assert cells[0] == "`separation-of-duties`"
    link = "[team a/dopt rights.yaml:21:30](team%20a/dopt%20rights.yaml#L21)"
    assert cells[1] == link
    assert cells[3] == markdown.cell(SUPPRESSION.reason)
    assert "\\|" in cells[3]


def test_no_findings(report: Report) -> None:
    empty = replace(report, result=replace(report.result, findings=[]))
    text = markdown.render(empty)
    assert text == "## karmalint: 0 errors, 0 warnings in 0 of 4 files\n"
