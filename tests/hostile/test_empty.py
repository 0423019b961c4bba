"""Files that hold no manifest: each gives one ``empty document`` finding."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Linter

EMPTY_FILES = {
    "empty": b"",
    "spaces-and-tabs": b"  \n\t\n   \t \n",
    "comments-only": b"# DoPT rights go here.\n   # Not yet written.\n",
    "document-marker-only": b"---\n",
}


@pytest.mark.parametrize("data", EMPTY_FILES.values(), ids=EMPTY_FILES.keys())
def test_empty_file_one_finding(lint: Linter, data: bytes) -> None:
    result = lint(files={"mdo/dopt.yaml": data})
    assert result.triples == [("schema", 1, 1)]
    [message] = result.messages("schema")
    assert message.startswith("empty document")
