"""Schema findings point at their cause: the key, or the mapping that lacks one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from hostile.support import fixture

if TYPE_CHECKING:
    from conftest import Linter

SCHEMA = "schema"


def test_misspelt_required_key_once(lint: Linter) -> None:
    result = lint(files={"mdo/dopt.yaml": fixture("misspelt-roles.yaml")})
    assert result.triples == [(SCHEMA, 16, 5)]
    [message] = result.messages(SCHEMA)
    assert message == "unknown key rols; did you mean roles?"


def test_missing_key_at_mapping(lint: Linter) -> None:
    result = lint(files={"mdo/dopt.yaml": fixture("missing-org.yaml")})
    assert result.triples == [(SCHEMA, 14, 5)]
    [message] = result.messages(SCHEMA)
    assert message == "missing required key org"


def test_pointer_like_keys_located(lint: Linter) -> None:
    # Keys that read like JSON Pointers (/accounts/0/roles, ~1by) or dotted
    # paths (roles.0) are found where they are written, not where their
    # text would lead.
    result = lint(files={"mdo/dopt.yaml": fixture("pointer-keys.yaml")})
    assert result.triples == [(SCHEMA, 5, 1), (SCHEMA, 9, 82), (SCHEMA, 19, 5)]
    top, approval, account = result.messages(SCHEMA)
    assert top.startswith("unknown key /accounts/0/roles")
    assert approval.startswith("unknown key ~1by in approval")
    assert account.startswith("unknown key roles.0")
