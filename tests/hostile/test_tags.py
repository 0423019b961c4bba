"""Explicit tags: none is constructed, and each is reported at the tag."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from hostile.support import fixture

if TYPE_CHECKING:
    from conftest import Linter

SYNTAX = "yaml-syntax"


def test_python_tag_never_runs(lint: Linter, tmp_path: Path) -> None:
    # An unsafe loader would run `touch hostile-marker` in the working
    # directory, which is tmp_path while the check runs.
    result = lint(files={"mdo/dopt.yaml": fixture("python-tag.yaml")})
    assert not (tmp_path / "hostile-marker").exists()
    assert result.triples == [(SYNTAX, 17, 17)]
    [message] = result.messages(SYNTAX)
    assert message.startswith("tag !!python/object/apply:os.system is not allowed")


def test_python_name_tag_once(lint: Linter) -> None:
    # The tag is the one mistake. The empty organisation id that the tagged
    # scalar leaves behind is not a second one.
    text = fixture("publisher-at-office.yaml").replace(
        "mdo: dopt", "mdo: !!python/name:os.system"
    )
    result = lint(files={"mdo/dopt.yaml": text})
    assert result.triples == [(SYNTAX, 4, 6)]
    [message] = result.messages(SYNTAX)
    assert message.startswith("tag !!python/name:os.system is not allowed")


def test_vault_tag_at_tag(lint: Linter) -> None:
    result = lint(files={"mdo/dopt.yaml": fixture("vault-tag.yaml")})
    assert result.triples == [(SYNTAX, 20, 18)]
    [message] = result.messages(SYNTAX)
    assert message.startswith("tag !vault is not allowed in a manifest")


def test_custom_tag_value_still_checked(lint: Linter) -> None:
    # The tagged org is read as the plain string ssc, so the publishing
    # role at the office is still found.
    result = lint(files={"mdo/dopt.yaml": fixture("custom-tag.yaml")})
    assert result.triples == [
        ("publisher-from-ministry", 16, 13),
        (SYNTAX, 15, 10),
    ]
    [message] = result.messages(SYNTAX)
    assert message.startswith("tag !office is not allowed in a manifest")
