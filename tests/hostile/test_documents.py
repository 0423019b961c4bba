"""Several documents in one file: each is checked, at positions in the whole file."""

from __future__ import annotations

from typing import TYPE_CHECKING

from hostile.support import fixture

if TYPE_CHECKING:
    from conftest import Linter

PUBLISHER = "publisher-from-ministry"


def test_every_document_checked(lint: Linter) -> None:
    # A %YAML directive, an end marker and comments sit between documents.
    result = lint(files={"rights.yaml": fixture("three-documents.yaml")})
    assert result.triples == [(PUBLISHER, 18, 13), (PUBLISHER, 48, 61)]
    first, third = result.messages(PUBLISHER)
    assert "igot-publisher.ssc@nic.in at ssc" in first
    assert "igot-publisher@svpnpa.gov.in at svpnpa" in third
    assert third.endswith("the Ministry of Home Affairs (mha)")


def test_second_document_error_absolute(lint: Linter) -> None:
    text = fixture("three-documents.yaml").replace(
        "  - id: igot-admin.dor@gov.in\n    org: dor\n",
        "  - id: igot-admin.dor@gov.in\n    org: dor\n    rol: [CONTENT_CREATOR]\n",
    )
    result = lint(files={"rights.yaml": text})
    assert result.triples == [
        (PUBLISHER, 18, 13),
        (PUBLISHER, 49, 61),
        ("schema", 33, 5),
    ]
    [message] = result.messages("schema")
    assert message == "unknown key rol; did you mean roles?"
