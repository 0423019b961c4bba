"""A share of a run's files: read and checked one at a time, keeping only facts.

A process checks each file as soon as it has read it and drops the file's
values, keeping what other files' checks compare: the ids the file
declares, with their spans, and the candidates of ``unique`` checks.  A file
whose ``granted_by`` names an account it does not declare waits, with its
values, until the ids that other files declare are known.  The functions at
the end compare the facts of all shares in the order of a serial run.

A run shared between processes (parallel.py) and a run on changed files
with summaries of the others (changed.py) are both built from shares.
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from karmalint import integrity
from karmalint.attributes import Context
from karmalint.corpus import Corpus, Reader, read_registries
from karmalint.evaluate import (
    Candidate,
    resolve_unique,
    run_entity_check,
    unique_candidates,
)
from karmalint.finding import Problem, Span
from karmalint.graph import OrgGraph
from karmalint.model import Organisation, RightsFile, StoredNode, accounts_by_id
from karmalint.policy import Check, Policy, Rule
from karmalint.suppress import Comment

REGISTRY_MARK = b"OrganisationRegistry"
# Lines and columns are stored as C ints, four bytes each.
SPAN_TYPECODE = "i"
# A unique check is named by its rule id and its position among the checks.
CheckName = tuple[str, int]


@dataclass(slots=True)
class SharedRun:
    """The problems, registry paths and suppression comments of a shared run."""

    problems: list[Problem]
    registry_paths: set[str]
    comments: dict[str, list[Comment]]


class RightsFacts(NamedTuple):
    """The parts of one rights document that other files' rules compare."""

    path: str
    mdo: str | None
    # The span of the document and of its mdo value, with the alias note.
    span: Span
    mdo_place: tuple[Span, str]
    ids: list[str]
    orgs: list[str | None]
    # Four numbers per account: the span of its id.
    id_spans: array[int]
    id_notes: dict[int, str]


@dataclass(slots=True)
class Facts:
    """The problems, ids and comments that a process sends after reading its files."""

    problems: list[Problem] = field(default_factory=list)
    comments: dict[str, list[Comment]] = field(default_factory=dict)
    rights: dict[str, list[RightsFacts]] = field(default_factory=dict)
    # The candidates of each unique check, by file.
    candidates: dict[CheckName, dict[str, list[Candidate]]] = field(
        default_factory=dict
    )
    # granted_by ids that the files waiting to be checked do not declare.
    foreign_granters: set[str] = field(default_factory=set)
    # Whether a file of this process contains a registry document.
    found_registry: bool = False


class Share:
    """The files one process reads and checks, and what it keeps of them.

    Each file is checked as soon as it is read and its values are dropped,
    so a process keeps one file's values at a time.  A file whose
    ``granted_by`` names an account it does not declare itself waits, with
    its values, until the main process has sent the ids that other files
    declare.
    """

    def __init__(self, reader: Reader, policy: Policy) -> None:
        self.reader = reader
        self.policy = policy
        self.graph: OrgGraph | None = None
        self.facts = Facts()
        self.registries: dict[str, list[Organisation]] = {}
        self.waiting: list[list[RightsFile]] = []
        self.read_count = 0

    def empty_copy(self) -> Share:
        """Return an empty share with this one's reader, policy and graph."""
        share = Share(self.reader, self.policy)
        share.graph = self.graph
        return share

    def build_graph(self) -> Corpus:
        """Order the registries read so far and build the graph of their organisations.

        The graph stays None when they declare no organisation.  The corpus
        returned has the organisations and the registry paths.
        """
        registry = Corpus(registries=self.registries)
        if read_registries(registry):
            self.graph = OrgGraph(registry.organisations)
        return registry

    def read(self, shown: str, path: Path) -> list[RightsFile]:
        """Read one file, keep its facts and return its rights documents."""
        corpus = Corpus()
        self.reader.read_file(corpus, shown, path)
        self.read_count += 1
        self.facts.problems += corpus.problems
        self.facts.comments.update(corpus.comments)
        self.registries.update(corpus.registries)
        self.facts.found_registry |= bool(corpus.registries)
        for rights_file in corpus.rights_files:
            facts = _rights_facts(rights_file)
            self.facts.rights.setdefault(facts.path, []).append(facts)
        return corpus.rights_files

    def check(self, rights_files: list[RightsFile]) -> None:
        """Run the rules on one file's rights, or keep them until ids are known."""
        unresolved: set[str] = set()
        found = self._run_rules(rights_files, frozenset(), unresolved)
        if unresolved:
            self.facts.foreign_granters |= unresolved
            self.waiting.append(rights_files)
            return
        _add_findings(self.facts, found)
        release(rights_files)

    def read_and_check(self, files: dict[str, Path]) -> Facts:
        for shown, path in files.items():
            self.check(self.read(shown, path))
        return self.facts

    def check_waiting(self, other_accounts: frozenset[str]) -> Facts:
        """Run the rules on the files that waited and return what they found.

        The share's own facts are left as they are.
        """
        waited = Facts()
        for rights_files in self.waiting:
            _add_findings(waited, self._run_rules(rights_files, other_accounts, None))
        return waited

    def context(
        self,
        rights_files: list[RightsFile],
        other_accounts: frozenset[str],
        unresolved: set[str] | None,
    ) -> Context:
        """Return the context of rules on one file, knowing its own accounts."""
        assert self.graph is not None
        accounts = accounts_by_id(rights_files)
        return Context(
            self.graph, accounts, self.policy.parameters, other_accounts, unresolved
        )

    def candidates(
        self, rights_files: list[RightsFile], context: Context
    ) -> dict[CheckName, dict[str, list[Candidate]]]:
        """Return the candidates of every unique check, by check and by file."""
        found: dict[CheckName, dict[str, list[Candidate]]] = {}
        for name, rule, check in unique_checks(self.policy):
            by_file = found.setdefault(name, {})
            for rights_file in rights_files:
                by_file.setdefault(rights_file.node.path, []).extend(
                    unique_candidates(rule, check, [rights_file], context)
                )
        return found

    def _run_rules(
        self,
        rights_files: list[RightsFile],
        other_accounts: frozenset[str],
        unresolved: set[str] | None,
    ) -> Facts:
        context = self.context(rights_files, other_accounts, unresolved)
        graph = context.graph
        found = Facts(
            integrity.unknown_references(graph, [], rights_files, context.has_account)
        )
        for rule in self.policy.rules.values():
            if not rule.enabled:
                continue
            for check in rule.checks:
                if check.unique is None:
                    found.problems += run_entity_check(
                        rule, check, rights_files, context
                    )
        found.candidates = self.candidates(rights_files, context)
        return found


def _add_findings(facts: Facts, found: Facts) -> None:
    """Add the problems and unique-check candidates of ``found`` to ``facts``."""
    facts.problems += found.problems
    for name, by_file in found.candidates.items():
        candidates = facts.candidates.setdefault(name, {})
        for shown, more in by_file.items():
            candidates.setdefault(shown, []).extend(more)


def release(rights_files: list[RightsFile]) -> None:
    """Break the links between a file's entities, so that they are freed at once.

    Accounts and delegations point back at their rights file, a cycle that
    only the cycle collector would free, and a run switches it off.
    """
    for rights_file in rights_files:
        rights_file.accounts.clear()
        rights_file.delegations.clear()
        rights_file._by_id = None


def _rights_facts(rights_file: RightsFile) -> RightsFacts:
    spans: array[int] = array(SPAN_TYPECODE)
    notes: dict[int, str] = {}
    for index, account in enumerate(rights_file.accounts):
        span, note = account.node.span("id")
        spans.extend(span)
        if note:
            notes[index] = note
    node = rights_file.node
    return RightsFacts(
        node.path,
        rights_file.mdo,
        node.span()[0],
        node.span("mdo"),
        [a.id for a in rights_file.accounts],
        # Thousands of accounts share an organisation, so its id is kept once.
        [None if a.org is None else sys.intern(a.org) for a in rights_file.accounts],
        spans,
        notes,
    )


class _AccountRecord:
    """An account with the fields that ``duplicate_ids`` reads, from a file's facts."""

    __slots__ = ("_facts", "_index", "id", "org")

    def __init__(self, facts: RightsFacts, index: int) -> None:
        self._facts, self._index = facts, index
        self.id = facts.ids[index]
        self.org = facts.orgs[index]

    @property
    def node(self) -> StoredNode:
        facts, index = self._facts, self._index
        span = Span(*facts.id_spans[4 * index : 4 * index + 4])
        notes = {"id": facts.id_notes[index]} if index in facts.id_notes else {}
        return StoredNode(facts.path, {"": span, "id": span}, {"id": self.id}, notes)


class _FileRecord:
    """A rights document with the fields that ``duplicate_ids`` reads."""

    __slots__ = ("accounts", "mdo", "node")

    def __init__(self, facts: RightsFacts, only: set[str] | None) -> None:
        self.mdo = facts.mdo
        mdo_span, mdo_note = facts.mdo_place
        self.node = StoredNode(
            facts.path,
            {"": facts.span, "mdo": mdo_span},
            {"mdo": facts.mdo},
            {"mdo": mdo_note} if mdo_note else {},
        )
        self.accounts = [
            _AccountRecord(facts, index)
            for index, account_id in enumerate(facts.ids)
            if only is None or account_id in only
        ]


def may_hold_registry(path: Path) -> bool:
    """Tell whether the main process should read the file before the others.

    A file without the kind's name can still contain a registry, in UTF-16 or
    with the kind behind an alias.  The worker that reads it reports it, and
    the run starts again serially.
    """
    return registry_bytes(path) is not None


def registry_bytes(path: Path) -> bytes | None:
    """Return the file's bytes if it may contain a registry, else None."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return data if REGISTRY_MARK in data else None


def declared_ids(facts: list[Facts]) -> tuple[set[str], set[str]]:
    """Return every account id the facts declare, and those declared twice."""
    declared: set[str] = set()
    repeated: set[str] = set()
    for sent in facts:
        for per_file in sent.rights.values():
            for rights in per_file:
                for account_id in rights.ids:
                    if account_id in declared:
                        repeated.add(account_id)
                    else:
                        declared.add(account_id)
    return declared, repeated


def compare_ids(
    organisations: list[Any],
    graph: OrgGraph,
    files: dict[str, Path],
    facts: list[Facts],
    only: set[str] | None = None,
) -> list[Problem]:
    """Run the checks that compare the whole run's ids, in the run's order.

    With ``only``, accounts with other ids are left out: ids declared once,
    or ids that no reported file declares.
    """
    by_file: dict[str, list[RightsFacts]] = {}
    for part in facts:
        by_file.update(part.rights)
    records = [_FileRecord(r, only) for shown in files for r in by_file.get(shown, [])]
    problems = integrity.duplicate_ids(organisations, records)
    problems += integrity.hierarchy(graph, organisations)
    problems += integrity.unknown_references(graph, organisations, [], lambda _: True)
    return problems


def resolve_all_unique(
    policy: Policy, files: dict[str, Path], facts: list[Facts]
) -> list[Problem]:
    """Compare the candidates of every unique check in the run's order."""
    problems = []
    for name, _rule, _check in unique_checks(policy):
        ordered = (
            candidate
            for shown in files
            for part in facts
            for candidate in part.candidates.get(name, {}).get(shown, [])
        )
        problems += resolve_unique(ordered)
    return problems


def unique_checks(policy: Policy) -> Iterator[tuple[CheckName, Rule, Check]]:
    """Yield each enabled rule's checks with ``unique``, named by rule and position."""
    for rule in policy.rules.values():
        if not rule.enabled:
            continue
        for index, check in enumerate(rule.checks):
            if check.unique is not None:
                yield (rule.id, index), rule, check
