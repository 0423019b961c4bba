"""schema: each document matches the JSON Schema of its kind."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conftest import Linter

RULE = "schema"


def test_valid_document_passes(lint: Linter) -> None:
    result = lint(f"{RULE}/pass-valid.yaml")
    assert result.triples == []


def test_unknown_key_suggests_key(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-unknown-key.yaml")
    assert result.triples == [(RULE, 17, 5)]
    [message] = result.messages(RULE)
    assert message == "unknown key environment; did you mean environments?"


def test_unknown_top_level_key(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-unknown-top-key.yaml")
    assert result.triples == [(RULE, 14, 1)]
    [message] = result.messages(RULE)
    assert message == "unknown key delegation; did you mean delegations?"


def test_misspelt_granted_by_once(lint: Linter) -> None:
    # The misspelt key is the one mistake. A granted-by finding that the
    # account names no granted_by would report the same typo a second time.
    result = lint(f"{RULE}/fail-misspelt-granted-by.yaml")
    assert result.triples == [(RULE, 17, 5)]
    [message] = result.messages(RULE)
    assert message.endswith("did you mean granted_by?")


def test_missing_key_at_mapping_start(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-missing-org.yaml")
    assert result.triples == [(RULE, 14, 5)]
    [message] = result.messages(RULE)
    assert message == "missing required key org"


def test_missing_key_flow_mapping(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-missing-org-flow.yaml")
    assert result.triples == [(RULE, 14, 5)]
    [message] = result.messages(RULE)
    assert message == "missing required key org"


def test_missing_mdo_at_document_start(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-missing-mdo.yaml")
    assert result.triples == [(RULE, 2, 1)]
    [message] = result.messages(RULE)
    assert message == "missing required key mdo"


def test_unquoted_date_says_quote(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-unquoted-date.yaml")
    assert result.triples == [(RULE, 13, 67)]
    [message] = result.messages(RULE)
    assert "YAML read 2022-04-11 as a date, not a string" in message
    assert message.endswith('quote it: "2022-04-11"')


def test_unquoted_no_says_quote(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-unquoted-no.yaml")
    assert result.triples == [(RULE, 10, 16)]
    [message] = result.messages(RULE)
    assert "YAML read no as a boolean, not a string" in message
    assert message.endswith('quote it: "no"')


def test_lower_case_role_code(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-role-case.yaml")
    assert result.triples == [(RULE, 16, 13)]
    [message] = result.messages(RULE)
    assert message == (
        "content_creator is not a valid role code; did you mean CONTENT_CREATOR?"
    )


def test_plural_role_code(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-role-plural.yaml")
    assert result.triples == [(RULE, 16, 13)]
    [message] = result.messages(RULE)
    assert message.endswith("did you mean CONTENT_PUBLISHER?")


def test_repeated_role_second_item(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-repeated-role.yaml")
    assert result.triples == [(RULE, 18, 9)]
    [message] = result.messages(RULE)
    assert message == "CONTENT_CREATOR is listed twice, first at line 17"


def test_misspelt_kind_fails(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-kind.yaml")
    assert result.triples == [(RULE, 3, 7)]
    [message] = result.messages(RULE)
    assert "unknown kind MDORight" in message
    assert "did you mean MDORights?" in message


def test_second_document_error(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-second-document.yaml")
    assert result.triples == [(RULE, 26, 5)]
    [message] = result.messages(RULE)
    assert message.endswith("did you mean environments?")


def test_empty_file_fails(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-empty.yaml")
    assert result.triples == [(RULE, 1, 1)]
    [message] = result.messages(RULE)
    assert "the file contains no manifest" in message
