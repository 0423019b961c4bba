"""duplicate-id: organisations, accounts and MDOs are declared once across all files."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conftest import Linter

RULE = "duplicate-id"


def test_two_mdos_pass(lint: Linter) -> None:
    result = lint(f"{RULE}/pass-two-mdos")
    assert result.triples == []


def test_account_in_two_files(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-account-in-two-files")
    assert result.places == [("fail-account-in-two-files/mha.yaml", RULE, 14, 9)]
    [message] = result.messages(RULE)
    assert message.startswith("account igot-creator@istm.gov.in is declared twice")
    assert "first at fail-account-in-two-files/dopt.yaml:14 (org istm)" in message


def test_two_files_one_mdo(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-two-files-one-mdo")
    assert result.places == [("fail-two-files-one-mdo/personnel.yaml", RULE, 4, 6)]
    [message] = result.messages(RULE)
    first = "fail-two-files-one-mdo/dopt.yaml:4"
    assert message == f"rights for dopt are declared twice, first at {first}"


def test_account_twice_in_file(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-account-twice.yaml")
    assert result.triples == [(RULE, 18, 10)]
    [message] = result.messages(RULE)
    assert "first at fail-account-twice.yaml:14 (org istm)" in message


def test_account_repeated_by_alias(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-account-alias.yaml")
    assert result.triples == [(RULE, 15, 5)]
    [message] = result.messages(RULE)
    assert "account igot-admin.dopt@gov.in is declared twice" in message
    assert "first at fail-account-alias.yaml:11 (org dopt)" in message


def test_mdo_in_second_document(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-mdo-in-two-documents.yaml")
    assert result.triples == [(RULE, 17, 6)]
    [message] = result.messages(RULE)
    assert "first at fail-mdo-in-two-documents.yaml:4" in message


def test_organisation_twice(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-organisation-twice.yaml")
    assert result.triples == [(RULE, 10, 10)]
    [message] = result.messages(RULE)
    assert message == (
        "organisation raknpa is declared twice, first at fail-organisation-twice.yaml:5"
    )
