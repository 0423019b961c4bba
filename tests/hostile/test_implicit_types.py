"""Plain scalars that YAML 1.1 types as booleans, numbers or dates."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from hostile.support import fixture

if TYPE_CHECKING:
    from conftest import Linter

SCHEMA = "schema"
SYNTAX = "yaml-syntax"

# (line, column, source text, what YAML made of it) in implicit-values.yaml.
IMPLICIT_VALUES = [
    (6, 16, "no", "a boolean"),
    (8, 35, "010", "an integer"),
    (8, 46, "2022-04-05", "a date"),
    (13, 20, "off", "a boolean"),
    (13, 36, "1:30", "an integer"),
    (15, 10, "on", "a boolean"),
    (17, 17, "yes", "a boolean"),
]


def test_implicit_values_all_found(lint: Linter) -> None:
    result = lint(files={"mdo/dopt.yaml": fixture("implicit-values.yaml")})
    expected = [(SCHEMA, line, column) for line, column, _, _ in IMPLICIT_VALUES]
    assert result.triples == sorted(expected)


@pytest.mark.parametrize(
    ("line", "column", "source", "typed"),
    IMPLICIT_VALUES,
    ids=[source for _, _, source, _ in IMPLICIT_VALUES],
)
def test_implicit_value_message(
    lint: Linter, line: int, column: int, source: str, typed: str
) -> None:
    result = lint(files={"mdo/dopt.yaml": fixture("implicit-values.yaml")})
    [message] = [
        f.message for f in result.findings if (f.line, f.column) == (line, column)
    ]
    assert f"YAML read {source} as {typed}, not a string" in message
    assert message.endswith(f'quote it: "{source}"')


def test_boolean_and_integer_keys(lint: Linter) -> None:
    result = lint(files={"mdo/dopt.yaml": fixture("typed-keys.yaml")})
    assert result.triples == [(SYNTAX, 18, 5), (SYNTAX, 19, 5)]
    boolean, integer = result.messages(SYNTAX)
    assert boolean == (
        'key on is read by YAML as a boolean, not a string; quote it: "on"'
    )
    assert integer == (
        'key 12 is read by YAML as an integer, not a string; quote it: "12"'
    )
