"""generic-id: role accounts use a designation- or role-based ID on gov.in or nic.in."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conftest import Linter

RULE = "generic-id"


def test_designation_ids_pass(lint: Linter) -> None:
    result = lint(f"{RULE}/pass-designation-ids.yaml")
    assert result.triples == []


def test_nodal_own_id_exempt(lint: Linter) -> None:
    result = lint(f"{RULE}/pass-nodal-own-id.yaml")
    assert result.triples == []


def test_leader_personal_id_passes(lint: Linter) -> None:
    result = lint(f"{RULE}/pass-leader-personal-id.yaml")
    assert result.triples == []


def test_upper_case_id_schema_only(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-upper-case-id.yaml")
    assert result.triples == [("schema", 15, 9)]
    [message] = result.messages("schema")
    assert message.startswith("IGOT-Creator.DoPT@GOV.IN is not a valid e-mail ID")


def test_personal_id_fails(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-personal-id.yaml")
    assert result.triples == [(RULE, 14, 9)]
    [message] = result.messages(RULE)
    assert "anil.verma42@nic.in holds CONTENT_CREATOR" in message
    assert "is not a generic ID" in message


def test_lookalike_domain_fails(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-lookalike-domain.yaml")
    assert result.triples == [(RULE, 14, 9)]
    [message] = result.messages(RULE)
    assert "igot-reviewer.dopt@gov.in.example.com" in message
    assert "holds CONTENT_REVIEWER, CONTENT_PUBLISHER" in message


def test_private_domain_flow_fails(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-private-domain.yaml")
    assert result.triples == [(RULE, 14, 10)]
    [message] = result.messages(RULE)
    assert "igot-publisher.dopt@gmail.com holds CONTENT_PUBLISHER" in message
