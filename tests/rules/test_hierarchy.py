"""hierarchy: the registry is a forest of ministries with an MDO above each office."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conftest import Linter

RULE = "hierarchy"


def test_new_academy_passes(lint: Linter) -> None:
    result = lint(f"{RULE}/pass-posts-academy")
    assert result.triples == []


def test_ministry_with_parent_fails(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-ministry-with-parent.yaml")
    assert result.triples == [(RULE, 8, 13)]
    [message] = result.messages(RULE)
    assert message.startswith("ministry mea has a parent (mof)")


def test_office_without_parent_fails(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-office-without-parent.yaml")
    assert result.triples == [(RULE, 5, 9)]
    [message] = result.messages(RULE)
    assert message.startswith("training-institute ssifs has no parent")


def test_cycle_of_offices_once(lint: Linter) -> None:
    # The cycle is the one mistake. That neither office reaches a ministry
    # follows from it, so it is not a finding of its own.
    result = lint(f"{RULE}/fail-cycle-of-offices.yaml")
    assert result.triples == [(RULE, 14, 13)]
    [message] = result.messages(RULE)
    assert message == "the parents form a cycle: ntiprit -> raknpa -> ntiprit"


def test_own_parent_cycle_fails(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-own-parent.yaml")
    assert result.triples == [(RULE, 5, 81)]
    [message] = result.messages(RULE)
    assert message == "the parents form a cycle: dot -> dot"


def test_cycle_message_follows_parents(lint: Linter) -> None:
    # dea's parent is dipam, dipam's is dfs, dfs's is dpe and dpe's is dea.
    # Listed in sorted order, the arrows would link dea to dfs, which are not
    # parent and child.
    result = lint(f"{RULE}/fail-cycle-of-four.yaml")
    assert result.triples == [(RULE, 5, 79)]
    [message] = result.messages(RULE)
    assert "dea -> dipam -> dfs -> dpe" in message
