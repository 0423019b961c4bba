"""yaml-syntax: each file is readable YAML without duplicate keys or custom tags."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conftest import Linter

RULE = "yaml-syntax"
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "rules" / RULE


def test_plain_yaml_passes(lint: Linter) -> None:
    result = lint(f"{RULE}/pass-plain-yaml.yaml")
    assert result.triples == []


def test_duplicate_key_fails(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-duplicate-key.yaml")
    assert result.triples == [(RULE, 18, 5)]
    [message] = result.messages(RULE)
    assert message.startswith("duplicate key roles, first defined at line 16")


def test_duplicate_key_flow_mapping(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-duplicate-key-flow.yaml")
    assert result.triples == [(RULE, 17, 81)]
    [message] = result.messages(RULE)
    assert message.startswith("duplicate key date, first defined at line 17")


def test_unparsable_line_fails(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-unparsable.yaml")
    assert result.triples == [(RULE, 15, 14)]
    [message] = result.messages(RULE)
    assert message.startswith("invalid YAML: a colon and space start a new key")


def test_python_tag_never_runs(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-python-tag.yaml")
    assert not Path("pwned-by-karmalint").exists()
    # The tagged list also fails the schema at the same place, but the
    # yaml-syntax finding supersedes it: one mistake, one finding.
    assert result.triples == [(RULE, 6, 16)]
    [message] = result.messages(RULE)
    assert message.startswith("tag !!python/object/apply:os.mkdir is not allowed")


def test_local_tag_fails(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-local-tag.yaml")
    assert result.triples == [(RULE, 6, 16)]
    [message] = result.messages(RULE)
    assert message.startswith("tag !include is not allowed")


def test_undefined_alias_once(lint: Linter) -> None:
    # The missing anchor is the one mistake. A schema finding that roles is
    # null would repeat it at the same place.
    result = lint(f"{RULE}/fail-undefined-alias.yaml")
    assert result.triples == [(RULE, 16, 12)]
    [message] = result.messages(RULE)
    assert message.startswith("alias *content-roles refers to no anchor")


def test_unclosed_list_second_document(lint: Linter) -> None:
    # The file has 21 lines. The parser stops at the end of the input, so the
    # finding belongs at the "[" that is never closed, not after the last line.
    result = lint(f"{RULE}/fail-second-document.yaml")
    assert result.triples == [(RULE, 21, 12)]
    [message] = result.messages(RULE)
    assert message.startswith("invalid YAML:")


def test_windows_1252_byte_fails(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-cp1252-byte.yaml")
    assert result.triples == [(RULE, 6, 43)]
    [message] = result.messages(RULE)
    assert message == "invalid UTF-8 byte 0x96; save the file as UTF-8"


def test_utf16_with_bom_passes(lint: Linter) -> None:
    fixture = FIXTURES / "pass-plain-yaml.yaml"
    text = fixture.read_text(encoding="utf-8")
    result = lint(files={"dopt.yaml": text.encode("utf-16")})
    assert result.triples == []
