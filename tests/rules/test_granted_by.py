"""granted-by: content roles come from the nodal officer or an admin of the file."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conftest import Linter

RULE = "granted-by"


def test_allowed_granters_pass(lint: Linter) -> None:
    result = lint(f"{RULE}/pass-grants.yaml")
    assert result.triples == []


def test_granter_not_admin_fails(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-granter-not-admin.yaml")
    assert result.triples == [(RULE, 21, 17)]
    [message] = result.messages(RULE)
    assert "igot-creator.dopt@gov.in is granted by igot-reviewer.dopt@gov.in" in message
    assert "nor an MDO_ADMIN account of dopt" in message


def test_missing_granted_by_fails(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-no-granted-by.yaml")
    assert result.triples == [(RULE, 14, 5)]
    [message] = result.messages(RULE)
    assert message == (
        "igot-creator.dopt@gov.in holds CONTENT_CREATOR but names no granted_by"
    )


def test_missing_granted_by_flow(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-no-granted-by-flow.yaml")
    assert result.triples == [(RULE, 14, 5)]
    [message] = result.messages(RULE)
    assert message.startswith("igot-reviewer.dopt@gov.in holds CONTENT_REVIEWER")


def test_office_admin_grants_publisher(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-office-admin-grants-publisher.yaml")
    assert result.triples == [(RULE, 20, 13)]
    [message] = result.messages(RULE)
    assert "CONTENT_PUBLISHER for igot-publisher.dopt@gov.in at dopt" in message
    assert "granted by igot-admin.istm@gov.in, an admin of istm" in message


def test_office_admin_grants_outside(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-office-admin-grants-outside.yaml")
    assert result.triples == [(RULE, 20, 13)]
    [message] = result.messages(RULE)
    assert "CONTENT_CREATOR for igot-creator.lbsnaa@gov.in at lbsnaa" in message
    assert "CONTENT_REVIEWER inside istm" in message


def test_granter_in_other_file_fails(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-granter-in-other-file")
    assert result.places == [
        ("fail-granter-in-other-file/mha.yaml", RULE, 17, 17),
    ]
    [message] = result.messages(RULE)
    assert "igot-creator@mha.gov.in is granted by igot-admin.dopt@gov.in" in message
    assert "nor an MDO_ADMIN account of mha" in message
