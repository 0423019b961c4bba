"""cti-staging-rights: no CTI administers or publishes in staging, unless delegated."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conftest import Linter

RULE = "cti-staging-rights"


def test_delegated_admin_passes(lint: Linter) -> None:
    result = lint(f"{RULE}/pass-delegated-admin.yaml")
    assert result.triples == []


def test_staging_creator_passes(lint: Linter) -> None:
    result = lint(f"{RULE}/pass-creator-in-staging.yaml")
    assert result.triples == []


def test_publisher_replaces_publisher_rule(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-publisher.yaml")
    assert result.triples == [(RULE, 16, 13)]
    [message] = result.messages(RULE)
    assert "CONTENT_PUBLISHER in staging" in message
    assert "for igot-publisher.lbsnaa@gov.in at lbsnaa" in message


def test_admin_replaces_admin_rule(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-undelegated-admin.yaml")
    assert result.triples == [(RULE, 16, 13)]
    [message] = result.messages(RULE)
    assert "MDO_ADMIN in staging for igot-admin.lbsnaa@gov.in" in message
    assert "at lbsnaa, a Central Training Institute" in message


def test_publisher_beside_delegated_admin(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-publisher-beside-admin.yaml")
    assert result.triples == [(RULE, 16, 24)]
    [message] = result.messages(RULE)
    assert "CONTENT_PUBLISHER in staging for igot-admin.lbsnaa@gov.in" in message
    assert "at lbsnaa, a Central Training Institute" in message


def test_non_cti_keeps_publisher_rule(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-not-a-cti.yaml")
    assert result.triples == [("publisher-from-ministry", 16, 13)]
    [message] = result.messages("publisher-from-ministry")
    assert "CONTENT_PUBLISHER for igot-publisher.ptc@gov.in" in message
    assert "at ptc-mysuru (training-institute)" in message
