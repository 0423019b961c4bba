"""nodal-and-admin: an approved nodal officer and an approved admin of the MDO."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conftest import Linter

RULE = "nodal-and-admin"


def test_nodal_and_admin_pass(lint: Linter) -> None:
    result = lint(f"{RULE}/pass-nodal-and-admin.yaml")
    assert result.triples == []


def test_missing_nodal_officer_fails(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-no-nodal.yaml")
    assert result.triples == [(RULE, 4, 6)]
    [message] = result.messages(RULE)
    assert message == "the rights of dopt declare no nodal_officer"


def test_unapproved_nodal_officer_fails(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-nodal-unapproved.yaml")
    assert result.triples == [(RULE, 6, 3)]
    [message] = result.messages(RULE)
    assert message == "the nodal officer of dopt has no approval"


def test_unapproved_nodal_flow_mapping(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-nodal-unapproved-flow.yaml")
    assert result.triples == [(RULE, 5, 16)]
    [message] = result.messages(RULE)
    assert message == "the nodal officer of dopt has no approval"


def test_admin_only_at_office_fails(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-admin-only-at-office.yaml")
    assert result.triples == [(RULE, 4, 6)]
    [message] = result.messages(RULE)
    assert "declare no MDO_ADMIN account at dopt itself" in message


def test_unapproved_admin_fails(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-admin-unapproved.yaml")
    assert result.triples == [(RULE, 14, 49)]
    [message] = result.messages(RULE)
    assert message == "MDO_ADMIN account so-trg.dopt@nic.in has no approval"
