"""Check the files of a run on several cores.

Most of a check is spent on one file at a time: parsing it, validating it
and testing each of its accounts against the rules.  So the files are shared
out: the main process reads the registry, builds the organisation graph and
then forks workers, which inherit the graph, the policy and the schemas.
Each process, the main one included, reads its share of the files and keeps
them.  Two facts cross files: an account's ``granted_by`` may name an
account of another file, and ``duplicate-id`` and ``unique`` checks compare
entities across files in the order of the run.  So each process first sends
the ids it declares and the ``granted_by`` ids it could not find.  The main
process replies with those that another file declares, and each process then
runs the rules on its own files.  The main process compares the ids and the
candidates of ``unique`` checks in the order a serial run would.

The findings are the same as those of a serial run; a test compares the
two.  Whenever the files do not fit this plan, such as when a registry turns
up in a file that only a worker read, the caller runs the check serially.
"""

from __future__ import annotations

import contextlib
import logging
import os
import traceback
from array import array
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
from karmalint.model import Account, RightsFile, StoredNode
from karmalint.policy import Policy
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

    problems: list[Problem]
    comments: dict[str, list[Comment]]
    rights: dict[str, list[RightsFacts]]
    # granted_by ids that no file of this process declares.
    foreign_granters: set[str]
    # Whether a file of this process contains a registry document.
    found_registry: bool


@dataclass(slots=True)
class Checked:
    """The problems and unique-check candidates of one process's files."""

    problems: list[Problem]
    # The candidates of each unique check, by file.
    candidates: dict[CheckName, dict[str, list[Candidate]]] = field(
        default_factory=dict
    )


class _Share:
    """The files one process reads and checks, and what it keeps of them."""

    def __init__(self, reader: Reader) -> None:
        self.reader = reader
        self.corpus = Corpus()

    def read(self, files: dict[str, Path]) -> Facts:
        """Read ``files`` into the share and return what other processes need."""
        corpus = Corpus()
        for shown, path in files.items():
            self.reader.read_file(corpus, shown, path)
        declared = {a.id for f in corpus.rights_files for a in f.accounts}
        foreign = {
            a.granted_by
            for f in corpus.rights_files
            for a in f.accounts
            if a.granted_by is not None
            and a.granted_by not in declared
            and a.granted_by != f.nodal_email
        }
        rights: dict[str, list[RightsFacts]] = {}
        for rights_file in corpus.rights_files:
            facts = _rights_facts(rights_file)
            rights.setdefault(facts.path, []).append(facts)
        self.corpus.rights_files += corpus.rights_files
        for shown, organisations in corpus.registries.items():
            self.corpus.registries.setdefault(shown, []).extend(organisations)
        return Facts(
            corpus.problems,
            corpus.comments,
            rights,
            foreign,
            bool(corpus.registries),
        )

    def check(
        self, policy: Policy, graph: OrgGraph, other_accounts: frozenset[str]
    ) -> Checked:
        rights_files = self.corpus.rights_files
        accounts: dict[str, Account] = {}
        for rights_file in rights_files:
            for account in rights_file.accounts:
                accounts.setdefault(account.id, account)
        context = Context(graph, accounts, policy.parameters, other_accounts)
        checked = Checked(
            integrity.unknown_references(graph, [], rights_files, context.has_account)
        )
        for rule in policy.rules.values():
            if not rule.enabled:
                continue
            for index, check in enumerate(rule.checks):
                if check.unique is None:
                    checked.problems += run_entity_check(
                        rule, check, rights_files, context
                    )
                    continue
                by_file = checked.candidates.setdefault((rule.id, index), {})
                for rights_file in rights_files:
                    by_file.setdefault(rights_file.node.path, []).extend(
                        unique_candidates(rule, check, [rights_file], context)
                    )
        return checked


def _rights_facts(rights_file: RightsFile) -> RightsFacts:
    spans: array[int] = array("l")
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
        [a.org for a in rights_file.accounts],
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

    def __init__(self, facts: RightsFacts) -> None:
        self.mdo = facts.mdo
        mdo_span, mdo_note = facts.mdo_place
        self.node = StoredNode(
            facts.path,
            {"": facts.span, "mdo": mdo_span},
            {"mdo": facts.mdo},
            {"mdo": mdo_note} if mdo_note else {},
        )
        self.accounts = [_AccountRecord(facts, i) for i in range(len(facts.ids))]


class _Worker:
    """A forked process that reads and checks one share of the files."""

    def __init__(
        self, reader: Reader, files: dict[str, Path], policy: Policy, graph: OrgGraph
    ) -> None:
        # Imported here: a run on a few files never starts a worker.
        import multiprocessing

        context = multiprocessing.get_context("fork")
        self.connection, child = context.Pipe()
        self.process = context.Process(
            target=_work,
            args=(child, _Share(reader), files, policy, graph),
            daemon=True,
        )
        self.process.start()
        child.close()

    def receive(self) -> Any:
        try:
            kind, payload = self.connection.recv()
        except EOFError:
            self.process.join()
            raise RuntimeError(
                f"a checking process ended with exit code {self.process.exitcode}"
            ) from None
        if kind == "error":
            raise RuntimeError(f"a checking process failed:\n{payload}")
        return payload

    def send(self, message: Any) -> None:
        self.connection.send(message)

    def close(self) -> None:
        self.connection.close()
        self.process.join(timeout=5)
        if self.process.is_alive():  # pragma: no cover - a worker that hangs
            self.process.kill()


def _work(
    connection: Connection,
    share: _Share,
    files: dict[str, Path],
    policy: Policy,
    graph: OrgGraph,
) -> None:
    """Run in a worker: read the files, wait for the other ids, then check them."""
    try:
        connection.send(("read", share.read(files)))
        other_accounts = connection.recv()
        if other_accounts is not None:
            connection.send(("checked", share.check(policy, graph, other_accounts)))
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

    main = _Share(Reader(Corpus(), schemas, limits, loader))
    facts = [main.read(registry_files)]
    organisations = read_registries(main.corpus)
    if not organisations:
        return None
    graph = OrgGraph(organisations)

    head_start = sum(sizes[shown] for shown in registry_files)
    parts = share_out(others, sizes, jobs, head_start)
    workers = [_Worker(main.reader, part, policy, graph) for part in parts[1:]]
    log.info("checking %d files on %d processes", len(files), jobs)
    try:
        facts.append(main.read(parts[0]))
        facts += [worker.receive() for worker in workers]
        if any(part.found_registry for part in facts[1:]):
            log.info("a worker read a registry; checking serially instead")
            for worker in workers:
                worker.send(None)
            return None
        declared = {i for part in facts for r in _all_rights(part) for i in r.ids}
        for worker, part in zip(workers, facts[2:], strict=True):
            worker.send(frozenset(part.foreign_granters & declared))
        own_foreign = (facts[0].foreign_granters | facts[1].foreign_granters) & declared
        checked = [main.check(policy, graph, frozenset(own_foreign))]
        problems = _compare_ids(organisations, graph, files, facts)
        checked += [worker.receive() for worker in workers]
    finally:
        for worker in workers:
            worker.close()

    for part in facts:
        problems += part.problems
    for outcome in checked:
        problems += outcome.problems
    problems += _resolve_unique(policy, files, checked)
    comments = {path: c for part in facts for path, c in part.comments.items()}
    return SharedRun(problems, main.corpus.registry_paths, comments)


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
    try:
        return REGISTRY_MARK in path.read_bytes()
    except OSError:
        return False


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


def _all_rights(facts: Facts) -> list[RightsFacts]:
    return [r for per_file in facts.rights.values() for r in per_file]


def _compare_ids(
    organisations: list[Any],
    graph: OrgGraph,
    files: dict[str, Path],
    facts: list[Facts],
) -> list[Problem]:
    """Run the checks that compare the whole run's ids, in the run's order."""
    by_file: dict[str, list[RightsFacts]] = {}
    for part in facts:
        by_file.update(part.rights)
    records = [_FileRecord(r) for shown in files for r in by_file.get(shown, [])]
    problems = integrity.duplicate_ids(organisations, records)
    problems += integrity.hierarchy(graph, organisations)
    problems += integrity.unknown_references(graph, organisations, [], lambda _: True)
    return problems


def _resolve_unique(
    policy: Policy, files: dict[str, Path], checked: list[Checked]
) -> list[Problem]:
    problems = []
    for rule in policy.rules.values():
        for index, check in enumerate(rule.checks):
            if not rule.enabled or check.unique is None:
                continue
            name = (rule.id, index)
            ordered = (
                candidate
                for shown in files
                for part in checked
                for candidate in part.candidates.get(name, {}).get(shown, [])
            )
            problems += resolve_unique(ordered)
    return problems
