"""reserved-roles: SPV_ADMIN and SPV_PUBLISHER never appear in an MDO's file."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conftest import Linter

RULE = "reserved-roles"


def test_platform_roles_pass(lint: Linter) -> None:
    result = lint(f"{RULE}/pass-platform-roles.yaml")
    assert result.triples == []


def test_spv_admin_grant_fails(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-spv-admin.yaml")
    assert result.triples == [(RULE, 16, 13)]
    [message] = result.messages(RULE)
    assert message.startswith("SPV_ADMIN for spv-admin.dopt@gov.in:")
    assert "reserved for the platform operator" in message


def test_spv_publisher_second_item(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-spv-publisher-second.yaml")
    assert result.triples == [(RULE, 14, 74)]
    [message] = result.messages(RULE)
    assert "SPV_PUBLISHER for igot-reviewer.dopt@gov.in" in message


def test_delegated_spv_admin_once(lint: Linter) -> None:
    # Delegating a reserved role is one mistake, so it gets one finding. A
    # delegation-limits finding at the same item would only repeat it.
    result = lint(f"{RULE}/fail-delegated-spv-admin.yaml")
    assert result.triples == [(RULE, 16, 31)]
    [message] = result.messages(RULE)
    assert message.startswith("SPV_ADMIN delegated to istm:")
