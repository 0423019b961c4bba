"""manifest-scope: an MDO declares rights only for itself and its own offices."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conftest import Linter

RULE = "manifest-scope"


def test_own_offices_pass(lint: Linter) -> None:
    result = lint(f"{RULE}/pass-own-offices.yaml")
    assert result.triples == []


def test_office_as_mdo_fails(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-office-as-mdo.yaml")
    assert result.triples == [(RULE, 4, 6)]
    [message] = result.messages(RULE)
    assert message.startswith("ssc (attached-office) is not a Ministry or Department")
    assert "attached-office" in message
    assert "belong in the rights file of dopt" in message


def test_other_mdo_account_fails(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-other-mdo-account.yaml")
    assert result.triples == [(RULE, 15, 10)]
    [message] = result.messages(RULE)
    assert "igot-creator.nadt@gov.in is at nadt" in message
    assert "not dopt or one of its offices" in message
    assert "(nadt is administered by dor)" in message


def test_parent_ministry_account_fails(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-parent-ministry-account.yaml")
    assert result.triples == [(RULE, 14, 42)]
    [message] = result.messages(RULE)
    assert "igot-leader.moppgp@gov.in is at moppgp" in message


def test_own_department_account_fails(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-own-department-account.yaml")
    assert result.triples == [(RULE, 15, 10)]
    [message] = result.messages(RULE)
    assert "igot-creator.dis@mha.gov.in is at mha-dis" in message
    assert "not mha or one of its offices" in message
