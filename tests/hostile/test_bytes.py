"""Encodings, line breaks and control characters: handled, or reported at line:col.

Each case encodes publisher-at-office.yaml, whose one mistake is reported at
line 16, column 13, so a file that is read correctly keeps that position.
Lines are counted as an editor and ``git diff`` count them: a new line
starts after LF, CRLF or CR.
"""

from __future__ import annotations

import codecs
from typing import TYPE_CHECKING

import pytest

from hostile.support import fixture

if TYPE_CHECKING:
    from conftest import Linter

PUBLISHER = "publisher-from-ministry"
SYNTAX = "yaml-syntax"
TEXT = fixture("publisher-at-office.yaml")
DESIGNATION = "designation: Under Secretary (Training)"
PUBLISHER_ID = "id: igot-publisher.ssc@nic.in"

READABLE = {
    "utf-8-bom": codecs.BOM_UTF8 + TEXT.encode(),
    "utf-16-le-bom": codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"),
    "utf-16-be-bom": codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
    "utf-32-le-bom": codecs.BOM_UTF32_LE + TEXT.encode("utf-32-le"),
    "utf-32-be-bom": codecs.BOM_UTF32_BE + TEXT.encode("utf-32-be"),
    "crlf": TEXT.replace("\n", "\r\n").encode(),
    "cr-only": TEXT.replace("\n", "\r").encode(),
}


@pytest.mark.parametrize("data", READABLE.values(), ids=READABLE.keys())
def test_encoding_read_normally(lint: Linter, data: bytes) -> None:
    result = lint(files={"mdo/dopt.yaml": data})
    assert result.triples == [(PUBLISHER, 16, 13)]


def test_bom_after_document_marker(lint: Linter) -> None:
    data = ("---\n\ufeff" + TEXT).encode()
    result = lint(files={"mdo/dopt.yaml": data})
    assert result.triples == [(PUBLISHER, 17, 13)]


def test_utf16_without_bom_reported(lint: Linter) -> None:
    result = lint(files={"mdo/dopt.yaml": TEXT.encode("utf-16-le")})
    assert result.triples == [(SYNTAX, 1, 1)]
    [message] = result.messages(SYNTAX)
    assert "UTF-16" in message
    assert "save it as UTF-8" in message


def _with_bad_byte(newline: str) -> bytes:
    # The designation in Hindi, then a byte that is not UTF-8. Columns count
    # code points, so the bad byte is at column 25 of line 6.
    text = TEXT.replace(DESIGNATION, "designation: अवर सचिव \udcff")
    return text.replace("\n", newline).encode("utf-8", errors="surrogateescape")


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr"])
def test_invalid_utf8_byte_position(lint: Linter, newline: str) -> None:
    result = lint(files={"mdo/dopt.yaml": _with_bad_byte(newline)})
    assert result.triples == [(SYNTAX, 6, 25)]
    [message] = result.messages(SYNTAX)
    assert message == "invalid UTF-8 byte 0xff; save the file as UTF-8"


def test_nul_byte_position(lint: Linter) -> None:
    text = TEXT.replace("Under Secretary", "Under\x00Secretary")
    result = lint(files={"mdo/dopt.yaml": text.encode()})
    assert result.triples == [(SYNTAX, 6, 21)]
    [message] = result.messages(SYNTAX)
    assert "U+0000" in message


def test_nel_in_quoted_text(lint: Linter) -> None:
    # YAML 1.1 reads a NEL as a line break but editors do not, so it is
    # reported where the editor shows it and later lines keep their number.
    text = TEXT.replace(DESIGNATION, 'designation: "Under\x85Secretary (Training)"')
    before = text[: text.index("\x85")]
    line = before.count("\n") + 1
    column = len(before) - before.rfind("\n")
    result = lint(files={"mdo/dopt.yaml": text.encode()})
    assert result.triples == sorted([(PUBLISHER, 16, 13), (SYNTAX, line, column)])
    [message] = result.messages(SYNTAX)
    assert "U+0085" in message


def test_nel_in_quoted_id(lint: Linter) -> None:
    text = TEXT.replace(PUBLISHER_ID, 'id: "igot-publisher\x85.ssc@nic.in"')
    result = lint(files={"mdo/dopt.yaml": text.encode()})
    assert result.triples == [(PUBLISHER, 16, 13), (SYNTAX, 14, 24)]
    [message] = result.messages(SYNTAX)
    assert "U+0085" in message


def test_line_separator_in_id(lint: Linter) -> None:
    text = TEXT.replace(PUBLISHER_ID, "id: igot-publisher\u2028.ssc@nic.in")
    result = lint(files={"mdo/dopt.yaml": text.encode()})
    assert result.triples == [(PUBLISHER, 16, 13), (SYNTAX, 14, 23)]
    [message] = result.messages(SYNTAX)
    assert "U+2028 LINE SEPARATOR" in message


def test_tab_indenting_account_key(lint: Linter) -> None:
    text = TEXT.replace("    org: ssc\n", "\torg: ssc\n")
    result = lint(files={"mdo/dopt.yaml": text.encode()})
    assert result.triples == [(SYNTAX, 15, 1)]
    [message] = result.messages(SYNTAX)
    assert "tab" in message


def test_tab_indenting_nested_key(lint: Linter) -> None:
    text = TEXT.replace("  designation:", "\tdesignation:")
    result = lint(files={"mdo/dopt.yaml": text.encode()})
    assert result.triples == [(SYNTAX, 6, 1)]
    [message] = result.messages(SYNTAX)
    assert "tab" in message
