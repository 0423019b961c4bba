"""Evaluate the compiled checks of policy rules over the entities of a check run."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple

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
        if check.unique is not None:
            problems += resolve_unique(
                unique_candidates(rule, check, rights_files, context)
            )
            continue
        scope = rights_files
        if reported is not None:
            scope = [f for f in rights_files if f.node.path in reported]
        problems += run_entity_check(rule, check, scope, context)
    return problems


def _selected(check: Check, rights_files: list[RightsFile], context: Context) -> Any:
    return (
        e
        for e in entities(check.kind, rights_files, context)
        if check.where is None or check.where(e, context)
    )


def run_entity_check(
    rule: Rule, check: Check, rights_files: list[RightsFile], context: Context
) -> list[Problem]:
    """Return a problem for each selected entity that fails ``require``."""
    assert check.require is not None
    require = check.require
    return [
        _problem(rule, check, entity, context, {})
        for entity in _selected(check, rights_files, context)
        if not require(entity, context)
    ]


# Stands for the place of the first entity with the same key in the message of
# a later one, until every file's candidates have been compared.  YAML text
# cannot hold a NUL character, so no rendered value contains it.
FIRST_PLACE = "\0first\0"


class Candidate(NamedTuple):
    """An entity that a ``unique`` check compares with the entities before it."""

    key: Any
    # The entity's file and line, as a later entity's message names them.
    place: str
    # None for an entity of a file whose findings are not reported.
    problem: Problem | None


def unique_candidates(
    rule: Rule, check: Check, rights_files: list[RightsFile], context: Context
) -> list[Candidate]:
    """List the entities of a ``unique`` check in order, each with its key.

    The problem of each names the first entity with its key as
    ``FIRST_PLACE``, and ``resolve_unique`` keeps the problems of repeated keys.
    """
    assert check.unique is not None
    candidates = []
    for entity in _selected(check, rights_files, context):
        key = check.unique(entity, context)
        if key is None:
            continue
        path, span, _ = location(entity, check.at)
        problem = _problem(rule, check, entity, context, {"first": FIRST_PLACE})
        candidates.append(Candidate(key, f"{path}:{span.line}", problem))
    return candidates


def resolve_unique(candidates: Iterable[Candidate]) -> list[Problem]:
    """Return the problems of the candidates whose key an earlier one has."""
    first_place: dict[Any, str] = {}
    problems = []
    for candidate in candidates:
        place = first_place.get(candidate.key)
        if place is None:
            first_place[candidate.key] = candidate.place
            continue
        problem = candidate.problem
        if problem is None:
            continue
        message = problem.message.replace(FIRST_PLACE, place)
        problems.append(dataclasses.replace(problem, message=message))
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
