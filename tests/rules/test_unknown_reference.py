"""unknown-reference: every organisation, granter and approving body resolves."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conftest import Linter

RULE = "unknown-reference"


def test_all_references_resolve(lint: Linter) -> None:
    result = lint(f"{RULE}/pass-all-resolve.yaml")
    assert result.triples == []


def test_unknown_mdo_fails(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-mdo.yaml")
    assert result.triples == [(RULE, 4, 6)]
    [message] = result.messages(RULE)
    assert message == ("organisation dopx is not in the registry; did you mean dopt?")


def test_unknown_account_org_fails(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-account-org.yaml")
    assert result.triples == [(RULE, 15, 10)]
    [message] = result.messages(RULE)
    assert "organisation lbsnas is not in the registry" in message
    assert message.endswith("did you mean lbsnaa?")


def test_unknown_delegation_org_fails(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-delegation-org.yaml")
    assert result.triples == [(RULE, 15, 10)]
    [message] = result.messages(RULE)
    assert message.endswith("did you mean istm?")


def test_unknown_approval_body_flow(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-approval-by.yaml")
    assert result.triples == [(RULE, 8, 18)]
    [message] = result.messages(RULE)
    assert "organisation doptt is not in the registry" in message


def test_unknown_granter_fails(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-granter.yaml")
    assert result.triples == [(RULE, 17, 17)]
    [message] = result.messages(RULE)
    assert "granted_by names igot-admn.dopt@gov.in" in message
    assert message.endswith("did you mean igot-admin.dopt@gov.in?")


def test_misspelt_nodal_granter_suggested(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-nodal-granter.yaml")
    assert result.triples == [(RULE, 17, 17)]
    [message] = result.messages(RULE)
    assert message.endswith("did you mean us-trg.dopt@nic.in?")


def test_unknown_registry_parent_fails(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-registry-parent.yaml")
    assert result.triples == [(RULE, 8, 13)]
    [message] = result.messages(RULE)
    assert message.endswith("did you mean mocomm?")


def test_missing_registry_one_finding(lint: Linter) -> None:
    result = lint(f"{RULE}/pass-all-resolve.yaml", registry=False)
    assert result.triples == [(RULE, 2, 1)]
    [message] = result.messages(RULE)
    assert "no OrganisationRegistry document" in message
