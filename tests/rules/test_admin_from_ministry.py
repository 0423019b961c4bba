"""admin-from-ministry: MDO_ADMIN stays with the MDO unless delegated to an office."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conftest import Linter

RULE = "admin-from-ministry"


def test_delegated_office_admin_passes(lint: Linter) -> None:
    result = lint(f"{RULE}/pass-delegated-office.yaml")
    assert result.triples == []


def test_delegation_reaches_sub_office(lint: Linter) -> None:
    result = lint(f"{RULE}/pass-sub-office-via-ancestor.yaml")
    assert result.triples == []


def test_undelegated_office_admin_fails(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-undelegated-office.yaml")
    assert result.triples == [(RULE, 16, 13)]
    [message] = result.messages(RULE)
    assert "MDO_ADMIN for igot-admin.ssc@nic.in" in message
    assert "at ssc (attached-office)" in message
    assert "unless it delegates MDO_ADMIN to ssc" in message


def test_delegation_below_does_not_reach_up(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-delegated-below.yaml")
    assert result.triples == [(RULE, 16, 13)]
    [message] = result.messages(RULE)
    assert "MDO_ADMIN for igot-admin.ssc@nic.in at ssc" in message


def test_flow_mapping_admin_fails(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-flow-style.yaml")
    assert result.triples == [(RULE, 14, 57)]
    [message] = result.messages(RULE)
    assert "MDO_ADMIN for igot-admin.lbsnaa@gov.in" in message
    assert "at lbsnaa (training-institute)" in message
