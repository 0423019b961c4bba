"""Evaluate the compiled checks of policy rules over the entities of a check run."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from karmalint.attributes import (
    Context,
    DelegatedRight,
    Grant,
    delegated_rights_of,
    grants_of,
)
from karmalint.finding import Problem, Related, Span
from karmalint.model import Account, Delegation, Located, RightsFile
from karmalint.policy import Check, Rule


def entities(
    kind: str, rights_files: list[RightsFile], context: Context
) -> Iterator[Any]:
    """Yield the entities of one kind whose references all resolve.

    An entity naming an unknown organisation is left to ``unknown-reference``,
    so that one mistake gives one finding instead of a cascade.
    """
    known = context.graph.orgs
    for rights_file in rights_files:
        if rights_file.mdo not in known:
            continue
        if kind == "files":
            yield rights_file
        elif kind == "accounts":
            yield from (a for a in rights_file.accounts if a.org in known)
        elif kind == "grants":
            yield from (g for g in grants_of(rights_file) if g.account.org in known)
        elif kind == "delegations":
            yield from (d for d in rights_file.delegations if d.org in known)
        elif kind == "delegated_rights":
            yield from (
                r for r in delegated_rights_of(rights_file) if r.delegation.org in known
            )


def location(entity: Any, at: str) -> tuple[str, Span, str]:
    """Return the path, span and alias note of the place a check points at."""
    node, keys = _node_and_keys(entity, at)
    span, note = node.span(*keys)
    return node.path, span, note


def _node_and_keys(entity: Any, at: str) -> tuple[Located, tuple[str | int, ...]]:
    if isinstance(entity, Grant):
        if at == "role":
            index = entity.index
            return entity.account.node, ("roles",) if index is None else (
                "roles",
                index,
            )
        return _node_and_keys(entity.account, at)
    if isinstance(entity, DelegatedRight):
        if at == "right":
            index = entity.index
            return entity.delegation.node, ("rights",) if index is None else (
                "rights",
                index,
            )
        return _node_and_keys(entity.delegation, at)
    assert isinstance(entity, (Account, Delegation, RightsFile))
    if at in ("entry", "document"):
        return entity.node, ()
    return entity.node, (at,)


def run_rule(
    rule: Rule,
    rights_files: list[RightsFile],
    context: Context,
    reported: set[str] | None = None,
) -> list[Problem]:
    """Run every check of a rule and return its problems.

    With ``reported``, checks of one entity at a time run only on the rights
    files whose findings are reported.  Checks with ``unique`` compare
    entities across files, so they always see every file.
    """
    problems: list[Problem] = []
    for check in rule.checks:
        scope = rights_files
        if reported is not None and check.unique is None:
            scope = [f for f in rights_files if f.node.path in reported]
        selected = (
            e
            for e in entities(check.kind, scope, context)
            if check.where is None or check.where(e, context)
        )
        if check.unique is not None:
            problems += _run_unique(rule, check, selected, context)
            continue
        assert check.require is not None
        for entity in selected:
            if not check.require(entity, context):
                problems.append(_problem(rule, check, entity, context, {}))
    return problems


def _run_unique(
    rule: Rule, check: Check, selected: Iterator[Any], context: Context
) -> list[Problem]:
    assert check.unique is not None
    first_seen: dict[Any, str] = {}
    problems = []
    for entity in selected:
        key = check.unique(entity, context)
        if key is None:
            continue
        if key in first_seen:
            problems.append(
                _problem(rule, check, entity, context, {"first": first_seen[key]})
            )
            continue
        path, span, _ = location(entity, check.at)
        first_seen[key] = f"{path}:{span.line}"
    return problems


def _problem(
    rule: Rule, check: Check, entity: Any, context: Context, extra: dict[str, str]
) -> Problem:
    path, span, note = location(entity, check.at)
    message = check.message.render(entity, context, extra) + note
    subject, org_id = _subject_and_org(entity)
    related: tuple[Related, ...] = ()
    org = context.graph.orgs.get(org_id) if org_id is not None else None
    if org is not None:
        org_span, _ = org.node.span("id")
        related = (Related(org.node.path, org_span, f"registry entry of {org.id}"),)
    return Problem(rule.id, path, span, message, related, subject)


def _subject_and_org(entity: Any) -> tuple[str, str | None]:
    """Return the id a finding is about and the organisation it involves."""
    if isinstance(entity, Grant):
        entity = entity.account
    if isinstance(entity, DelegatedRight):
        entity = entity.delegation
    if isinstance(entity, Account):
        return entity.id, entity.org
    if isinstance(entity, Delegation):
        return entity.org or "", entity.org
    assert isinstance(entity, RightsFile)
    return entity.mdo or "", entity.mdo
