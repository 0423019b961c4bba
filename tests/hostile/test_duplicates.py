"""Duplicate keys, merge keys and aliases: what YAML keeps, and where findings point."""

from __future__ import annotations

from typing import TYPE_CHECKING

from hostile.support import fixture

if TYPE_CHECKING:
    from conftest import Linter

SYNTAX = "yaml-syntax"
PUBLISHER = "publisher-from-ministry"


def test_duplicate_key_at_depth(lint: Linter) -> None:
    result = lint(files={"mdo/dopt.yaml": fixture("dup-key-block.yaml")})
    assert result.triples == [(SYNTAX, 22, 7)]
    [message] = result.messages(SYNTAX)
    assert message.startswith("duplicate key by, first defined at line 19")


def test_duplicate_key_flow_mapping(lint: Linter) -> None:
    result = lint(files={"mdo/dopt.yaml": fixture("dup-key-flow.yaml")})
    assert result.triples == [(SYNTAX, 14, 73)]
    [message] = result.messages(SYNTAX)
    assert message.startswith("duplicate key org, first defined at line 14")


def test_typed_keys_collide(lint: Linter) -> None:
    # 1 and 1.0 are one key once typed, and so are true and yes. Each second
    # key is one mistake with one finding: the collision, which names the
    # first key's line. The first keys are reported as typed keys.
    result = lint(files={"mdo/dopt.yaml": fixture("dup-key-typed.yaml")})
    assert result.triples == [
        (SYNTAX, 18, 5),
        (SYNTAX, 19, 5),
        (SYNTAX, 20, 5),
        (SYNTAX, 21, 5),
    ]
    messages = result.messages(SYNTAX)
    assert "duplicate key 1.0, first defined at line 18" in messages[1]
    assert "duplicate key yes, first defined at line 20" in messages[3]


def test_merge_override_not_duplicate(lint: Linter) -> None:
    result = lint(files={"mdo/dopt.yaml": fixture("merge-override.yaml")})
    assert result.triples == []


def test_second_merge_key_fails(lint: Linter) -> None:
    result = lint(files={"mdo/dopt.yaml": fixture("merge-twice.yaml")})
    assert result.triples == [(SYNTAX, 20, 5)]
    [message] = result.messages(SYNTAX)
    assert message.startswith("second merge key << in one mapping")
    assert "the first is at line 19" in message


def test_alias_roles_caught_at_use(lint: Linter) -> None:
    result = lint(files={"mdo/dopt.yaml": fixture("alias-roles.yaml")})
    assert result.triples == [(PUBLISHER, 20, 12)]
    [message] = result.messages(PUBLISHER)
    assert "CONTENT_PUBLISHER for cbp-publisher.ssc@nic.in at ssc" in message
    assert message.endswith("(the value comes through an alias from line 16)")


def test_merged_defaults_caught_at_use(lint: Linter) -> None:
    # The anchor &publisher_defaults is on line 16, and the merged roles
    # value inside it is on line 17. The note names the value's line.
    result = lint(files={"mdo/dopt.yaml": fixture("merge-defaults.yaml")})
    assert result.triples == [(PUBLISHER, 21, 9)]
    [message] = result.messages(PUBLISHER)
    assert "CONTENT_PUBLISHER for cbp-publisher.ssc@nic.in at ssc" in message
    assert message.endswith("(the value comes through an alias from line 17)")
