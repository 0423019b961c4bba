"""Inline suppressions: ``# karmalint: ignore[rule-id] reason="..." until=YYYY-MM-DD``.

A suppression applies to findings on its own line and on the line below, so
it can trail the offending value or sit on the line above it.  It must give a
reason; it stops working after its ``until`` date; and it cannot switch off a
rule that the policy marks ``suppressible: false``.  Every misuse is itself a
finding, so a suppression can never silently let a change through.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from karmalint.finding import Finding, Problem, Span, Suppression
from karmalint.policy import Rule

# A YAML comment starts at a "#" that begins the line or follows whitespace.
COMMENT = re.compile(
    r"(?:^|(?<=\s))#\s*karmalint:\s*ignore\[(?P<rules>[^\]]*)\](?P<rest>.*)$"
)
REASON = re.compile(r'reason="(?P<reason>[^"]*)"')
UNTIL = re.compile(r"until=(?P<until>\S+)")


@dataclass(slots=True)
class Comment:
    """One suppression comment and the findings it matched."""

    line: int
    column: int
    end_column: int
    rules: tuple[str, ...]
    reason: str
    until: str | None
    used: set[str] = field(default_factory=set)

    @property
    def span(self) -> Span:
        return Span(self.line, self.column, self.line, self.end_column)


def parse_comments(text: str) -> list[Comment]:
    """Find the suppression comments of a file."""
    # NOTE: a "#" inside a quoted value that reads like a suppression
    # comment is taken for one; the YAML parser does not report comments.
    comments = []
    for number, line in enumerate(text.splitlines(), start=1):
        if "karmalint:" not in line:
            continue
        match = COMMENT.search(line)
        if match is None:
            continue
        rest = match.group("rest")
        reason = REASON.search(rest)
        until = UNTIL.search(rest)
        rules = tuple(r.strip() for r in match.group("rules").split(",") if r.strip())
        comments.append(
            Comment(
                line=number,
                column=match.start() + 1,
                end_column=len(line.rstrip()) + 1,
                rules=rules,
                reason=reason.group("reason").strip() if reason else "",
                until=until.group("until") if until else None,
            )
        )
    return comments


def apply_suppressions(
    findings: list[Finding],
    comments: Mapping[str, list[Comment]],
    rules: Mapping[str, Rule],
    today: datetime.date,
) -> tuple[list[Finding], list[Problem]]:
    """Mark suppressed findings and return the problems of the comments themselves."""
    problems: list[Problem] = []
    valid: dict[int, bool] = {}
    for path, file_comments in comments.items():
        for comment in file_comments:
            valid[id(comment)] = _check_comment(path, comment, rules, today, problems)

    result = []
    for finding in findings:
        match = _matching(comments.get(finding.path, []), finding)
        if match is None:
            result.append(finding)
            continue
        comment = match
        comment.used.add(finding.rule)
        rule = rules.get(finding.rule)
        if rule is not None and not rule.suppressible:
            problems.append(_unsuppressible(finding, comment))
            result.append(finding)
        elif valid[id(comment)]:
            suppression = Suppression(comment.reason, comment.until, comment.line)
            result.append(replace(finding, suppression=suppression))
        else:
            result.append(finding)
    problems += _unused(comments, valid)
    return result, problems


def _matching(comments: list[Comment], finding: Finding) -> Comment | None:
    for comment in comments:
        if finding.rule in comment.rules and finding.line in (
            comment.line,
            comment.line + 1,
        ):
            return comment
    return None


def _check_comment(
    path: str,
    comment: Comment,
    rules: Mapping[str, Rule],
    today: datetime.date,
    problems: list[Problem],
) -> bool:
    """Report a malformed, unknown or expired suppression; True if it may suppress."""

    def report(message: str) -> bool:
        problems.append(Problem("suppression", path, comment.span, message))
        return False

    if not comment.rules:
        return report("the suppression names no rule: write ignore[rule-id]")
    unknown = [rule for rule in comment.rules if rule not in rules]
    if unknown:
        return report(f"the suppression names unknown rule {', '.join(unknown)}")
    if not comment.reason:
        return report('the suppression has no reason: add reason="why this is right"')
    if comment.until is not None:
        try:
            until = datetime.date.fromisoformat(comment.until)
        except ValueError:
            return report(
                f"until={comment.until} is not a date: write until=YYYY-MM-DD"
            )
        if until < today:
            return report(
                f"the suppression expired on {comment.until}: fix the finding "
                "or renew the suppression with a new reason"
            )
    return True


def _unsuppressible(finding: Finding, comment: Comment) -> Problem:
    message = (
        f"{finding.rule} cannot be suppressed: it protects other MDOs, "
        "so the finding must be fixed"
    )
    return Problem("suppression", finding.path, comment.span, message)


def _unused(
    comments: Mapping[str, list[Comment]], valid: Mapping[int, bool]
) -> list[Problem]:
    """Report valid suppressions that matched no finding, so stale ones are removed."""
    problems = []
    for path, file_comments in comments.items():
        for comment in file_comments:
            stale = [rule for rule in comment.rules if rule not in comment.used]
            if stale and valid[id(comment)]:
                message = (
                    f"the suppression of {', '.join(stale)} matches no finding on this "
                    "line or the next; remove it"
                )
                problems.append(
                    Problem("unused-suppression", path, comment.span, message)
                )
    return problems
