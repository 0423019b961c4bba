"""delegation-limits: delegate only to your own offices, and never CONTENT_PUBLISHER."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conftest import Linter

RULE = "delegation-limits"


def test_own_offices_pass(lint: Linter) -> None:
    result = lint(f"{RULE}/pass-own-offices.yaml")
    assert result.triples == []


def test_other_mdo_office_fails(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-other-mdo-office.yaml")
    assert result.triples == [(RULE, 15, 10)]
    [message] = result.messages(RULE)
    assert "delegation to nadt (training-institute)" in message
    assert "nadt is not an office of dopt" in message


def test_delegation_to_itself_fails(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-to-itself.yaml")
    assert result.triples == [(RULE, 15, 10)]
    [message] = result.messages(RULE)
    assert "delegation to dopt (department)" in message
    assert "dopt is not an office of dopt" in message


def test_publisher_right_fails(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-publisher-right.yaml")
    assert result.triples == [(RULE, 16, 31)]
    [message] = result.messages(RULE)
    assert "CONTENT_PUBLISHER cannot be delegated to lbsnaa" in message
    assert "delegates only MDO_ADMIN, CONTENT_CREATOR and CONTENT_REVIEWER" in message


def test_flow_mapping_leader_right_fails(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-flow-style.yaml")
    assert result.triples == [(RULE, 15, 26)]
    [message] = result.messages(RULE)
    assert "MDO_LEADER cannot be delegated to istm" in message


def test_own_department_fails(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-own-department.yaml")
    assert result.triples == [(RULE, 15, 10)]
    [message] = result.messages(RULE)
    assert "delegation to mha-dis (department)" in message
    assert "mha-dis is not an office of mha" in message
