"""publisher-from-ministry: CONTENT_PUBLISHER goes only to accounts of the MDO."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conftest import Linter

RULE = "publisher-from-ministry"


def test_department_publisher_passes(lint: Linter) -> None:
    result = lint(f"{RULE}/pass-department-publisher.yaml")
    assert result.triples == []


def test_attached_office_publisher_fails(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-attached-office.yaml")
    assert result.triples == [(RULE, 16, 13)]
    [message] = result.messages(RULE)
    assert "CONTENT_PUBLISHER for igot-publisher.ssc@nic.in" in message
    assert "at ssc (attached-office)" in message
    assert "the Department of Personnel and Training (dopt)" in message


def test_flow_mapping_publisher_fails(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-flow-style.yaml")
    assert result.triples == [(RULE, 14, 61)]
    [message] = result.messages(RULE)
    assert "CONTENT_PUBLISHER for igot-publisher.lbsnaa@gov.in" in message
    assert "at lbsnaa (training-institute)" in message


def test_alias_points_at_use(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-through-alias.yaml")
    assert result.triples == [(RULE, 20, 12)]
    [message] = result.messages(RULE)
    assert "CONTENT_PUBLISHER for cbp-publisher.ssc@nic.in" in message
    assert "at ssc (attached-office)" in message
    assert message.endswith("(the value comes through an alias from line 16)")


def test_merge_key_points_at_alias(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-merge-key.yaml")
    assert result.triples == [(RULE, 19, 9)]
    [message] = result.messages(RULE)
    assert "CONTENT_PUBLISHER for cbp-publisher.ssc@nic.in at ssc" in message
    assert message.endswith("(the value comes through an alias from line 17)")


def test_second_document_publisher_fails(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-second-document.yaml")
    assert result.triples == [(RULE, 29, 13)]
    [message] = result.messages(RULE)
    assert "CONTENT_PUBLISHER for igot-publisher.nacin@gov.in at nacin" in message
    assert "the Department of Revenue (dor)" in message
