"""separation-of-duties: no account both creates content and reviews or publishes it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from karmalint.finding import Severity

if TYPE_CHECKING:
    from conftest import Linter

RULE = "separation-of-duties"


def test_reviewer_publisher_passes(lint: Linter) -> None:
    result = lint(f"{RULE}/pass-reviewer-publisher.yaml")
    assert result.triples == []


def test_creator_reviewer_warns(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-creator-reviewer.yaml")
    assert result.triples == [(RULE, 16, 30)]
    [finding] = result.findings
    assert finding.severity == Severity.WARNING
    assert "igot-content.dopt@gov.in holds CONTENT_REVIEWER" in finding.message


def test_all_content_roles_warn_twice(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-all-content-roles.yaml")
    assert result.triples == [(RULE, 18, 9), (RULE, 19, 9)]
    reviewer, publisher = result.messages(RULE)
    assert "holds CONTENT_REVIEWER and CONTENT_CREATOR" in reviewer
    assert "holds CONTENT_PUBLISHER and CONTENT_CREATOR" in publisher


def test_shared_anchor_warns_both(lint: Linter) -> None:
    result = lint(f"{RULE}/fail-shared-anchor.yaml")
    assert result.triples == [(RULE, 16, 49), (RULE, 20, 12)]
    first, second = result.messages(RULE)
    assert first.startswith("igot-content1.dopt@gov.in holds CONTENT_REVIEWER")
    assert second.startswith("igot-content2.dopt@gov.in holds CONTENT_REVIEWER")
    assert second.endswith("(the value comes through an alias from line 16)")
