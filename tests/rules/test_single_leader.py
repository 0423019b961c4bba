"""single-leader: an organisation has at most one MDO_LEADER account."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conftest import Linter

RULE = "single-leader"


def test_one_leader_each_passes(lint: Linter) -> None:
    result = lint(f"{RULE}/pass-one-leader-each.yaml")
    assert result.triples == []


def test_second_leader_fails(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-second-leader.yaml")
    assert result.triples == [(RULE, 19, 13)]
    [message] = result.messages(RULE)
    assert message.startswith("js-trg.dopt@nic.in is a second MDO_LEADER for dopt")
    assert "the first is at fail-second-leader.yaml:16" in message


def test_leader_alias_points_at_use(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-leader-through-alias.yaml")
    assert result.triples == [(RULE, 19, 12)]
    [message] = result.messages(RULE)
    assert "the first is at fail-leader-through-alias.yaml:16" in message
    assert message.endswith("(the value comes through an alias from line 16)")
