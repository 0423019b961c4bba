"""Check the files of a run on several cores.

Most of a check is spent on one file at a time: parsing it, validating it
and testing each of its accounts against the rules.  So the files are shared
out: the main process reads the registry, builds the organisation graph and
then forks workers, which inherit the graph, the policy and the schemas.
Each process, the main one included, reads its share one file at a time,
runs the rules on it and keeps only the facts that other files' checks
compare: the ids it declares and the candidates of ``unique`` checks.

A file whose ``granted_by`` names an account it does not declare cannot be
checked alone.  It is kept until the main process, which receives every
process's ids, replies with the ids that other files declare.  The main
process then compares the ids for ``duplicate-id`` and the candidates of
``unique`` checks in the order a serial run would.

The findings are the same as those of a serial run, and a test compares the
two.  Whenever the files do not fit this plan, such as when a registry turns
up in a file that only a worker read, the caller runs the check serially.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import traceback
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

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
from karmalint.schema import SchemaSet
from karmalint.suppress import Comment
from karmalint.yamlload import Limits

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

log = logging.getLogger(__name__)

# Below this many bytes of manifests a serial run finishes before a worker
# would have started and exchanged its results.
MIN_SHARED_BYTES = 256 * 1024
REGISTRY_MARK = b"OrganisationRegistry"
# Lines and columns are stored as C ints, four bytes each.
SPAN_TYPECODE = "i"
# A unique check is named by its rule id and its position among the checks.
CheckName = tuple[str, int]


def default_jobs() -> int:
    """Return the number of cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


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
        self._keep(found)
        release(rights_files)

    def read_and_check(self, files: dict[str, Path]) -> Facts:
        for shown, path in files.items():
            self.check(self.read(shown, path))
        return self.facts

    def check_waiting(self, other_accounts: frozenset[str]) -> Facts:
        """Run the rules on the files that waited and return what they found."""
        self.facts = Facts()
        for rights_files in self.waiting:
            self._keep(self._run_rules(rights_files, other_accounts, None))
        return self.facts

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

    def _keep(self, found: Facts) -> None:
        self.facts.problems += found.problems
        for name, by_file in found.candidates.items():
            kept = self.facts.candidates.setdefault(name, {})
            for shown, candidates in by_file.items():
                kept.setdefault(shown, []).extend(candidates)


def release(rights_files: list[RightsFile]) -> None:
    """Break the links between a file's entities, so that they are freed at once.

    Accounts and delegations point back at their rights file, a cycle that
    only the paused cycle collector would free.
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


class _Worker:
    """A forked process that reads and checks one share of the files."""

    def __init__(self, share: Share, files: dict[str, Path]) -> None:
        # Imported here: a run on a few files never starts a worker.
        import multiprocessing

        context = multiprocessing.get_context("fork")
        self.connection, child = context.Pipe()
        self.process = context.Process(
            target=_work, args=(child, share, files), daemon=True
        )
        self.process.start()
        child.close()

    def receive(self) -> Facts:
        try:
            kind, payload = self.connection.recv()
        except EOFError:
            self.process.join()
            raise RuntimeError(
                f"a checking process ended with exit code {self.process.exitcode}"
            ) from None
        if kind == "error":
            lines = str(payload).strip().splitlines() or ["no traceback"]
            error = RuntimeError(f"a checking process failed: {lines[-1]}")
            # --debug shows the worker's own traceback beside the main one.
            error.add_note(str(payload))
            raise error
        assert isinstance(payload, Facts)
        return payload

    def send(self, other_accounts: frozenset[str] | None) -> None:
        self.connection.send(other_accounts)

    def close(self) -> None:
        self.connection.close()
        self.process.join(timeout=5)
        if self.process.is_alive():  # pragma: no cover - a worker that hangs
            self.process.kill()


def _work(connection: Connection, share: Share, files: dict[str, Path]) -> None:
    """Run in a worker: check the files, then those that waited for other ids."""
    try:
        connection.send(("read", share.read_and_check(files)))
        # The main process has the facts now, so this copy can go.
        share.facts = Facts()
        other_accounts = connection.recv()
        if other_accounts is not None:
            connection.send(("checked", share.check_waiting(other_accounts)))
    except EOFError:
        pass  # the main process ended the run
    except BaseException:
        with contextlib.suppress(OSError):
            connection.send(("error", traceback.format_exc()))
    finally:
        connection.close()


def check_shared(
    files: dict[str, Path],
    policy: Policy,
    schemas: SchemaSet,
    limits: Limits,
    loader: type | None,
    jobs: int,
) -> SharedRun | None:
    """Check ``files`` (display path -> path, in run order) on ``jobs`` processes.

    Return None when the files are better checked serially: too few bytes,
    no registry the main process can read first, or a registry in a file
    that a worker read.
    """
    if jobs < 2 or not hasattr(os, "fork"):
        return None
    sizes = _sizes(files)
    if sum(sizes.values()) < MIN_SHARED_BYTES:
        return None
    registry_files = {s: p for s, p in files.items() if may_hold_registry(p)}
    others = {s: p for s, p in files.items() if s not in registry_files}
    jobs = min(jobs, len(others))
    if not registry_files or jobs < 2:
        return None

    main = Share(Reader(Corpus(), schemas, limits, loader), policy)
    registry_rights = [main.read(shown, path) for shown, path in registry_files.items()]
    registry = main.build_graph()
    if main.graph is None:
        return None
    organisations = registry.organisations

    head_start = sum(sizes[shown] for shown in registry_files)
    parts = share_out(others, sizes, jobs, head_start)
    workers = []
    for part in parts[1:]:
        share = Share(main.reader, policy)
        share.graph = main.graph
        workers.append(_Worker(share, part))
    log.info("checking %d files on %d processes", len(files), jobs)
    try:
        for rights_files in registry_rights:
            main.check(rights_files)
        facts = [main.read_and_check(parts[0])]
        facts += [worker.receive() for worker in workers]
        if any(sent.found_registry for sent in facts[1:]):
            log.info("a worker read a registry; checking serially instead")
            for worker in workers:
                worker.send(None)
            return None
        declared, repeated = declared_ids(facts)
        for worker, sent in zip(workers, facts[1:], strict=True):
            worker.send(frozenset(sent.foreign_granters & declared))
        waited = [main.check_waiting(frozenset(facts[0].foreign_granters & declared))]
        problems = compare_ids(organisations, main.graph, files, facts, repeated)
        waited += [worker.receive() for worker in workers]
    finally:
        for worker in workers:
            worker.close()

    for sent in facts + waited:
        problems += sent.problems
    problems += resolve_all_unique(policy, files, facts + waited)
    comments = {path: c for sent in facts for path, c in sent.comments.items()}
    return SharedRun(problems, registry.registry_paths, comments)


def _sizes(files: dict[str, Path]) -> dict[str, int]:
    sizes = {}
    for shown, path in files.items():
        try:
            sizes[shown] = path.stat().st_size
        except OSError:
            sizes[shown] = 0
    return sizes


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


def share_out(
    files: dict[str, Path], sizes: dict[str, int], jobs: int, head_start: int
) -> list[dict[str, Path]]:
    """Split the files into ``jobs`` parts of about equal size, largest first.

    The first part is the main process's, which has already read
    ``head_start`` bytes of registry.
    """
    loads = [head_start] + [0] * (jobs - 1)
    parts: list[dict[str, Path]] = [{} for _ in range(jobs)]
    for shown in sorted(files, key=lambda s: (-sizes[s], s)):
        lightest = loads.index(min(loads))
        parts[lightest][shown] = files[shown]
        loads[lightest] += sizes[shown]
    # Within a part, files keep the run's order.
    order = {shown: index for index, shown in enumerate(files)}
    return [dict(sorted(part.items(), key=lambda i: order[i[0]])) for part in parts]


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
