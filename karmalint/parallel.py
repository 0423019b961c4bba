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
import traceback
from pathlib import Path
from typing import TYPE_CHECKING

from karmalint.corpus import Corpus, Reader
from karmalint.finding import Problem
from karmalint.policy import Policy
from karmalint.schema import SchemaSet
from karmalint.share import (
    Facts,
    Share,
    SharedRun,
    compare_ids,
    declared_ids,
    may_hold_registry,
    resolve_all_unique,
)
from karmalint.yamlload import Limits

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

log = logging.getLogger(__name__)

# Below this many bytes of manifests a serial run finishes before a worker
# would have started and exchanged its results.
MIN_SHARED_BYTES = 256 * 1024


def default_jobs() -> int:
    """Return the number of cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


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

    head_start = sum(sizes[shown] for shown in registry_files)
    parts = share_out(others, sizes, jobs, head_start)
    workers = [_Worker(main.empty_copy(), part) for part in parts[1:]]
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
        problems, waited = _exchange_ids(main, workers, facts, registry, files)
    finally:
        for worker in workers:
            worker.close()

    for sent in facts + waited:
        problems += sent.problems
    problems += resolve_all_unique(policy, files, facts + waited)
    comments = {path: c for sent in facts for path, c in sent.comments.items()}
    return SharedRun(problems, registry.registry_paths, comments)


def _exchange_ids(
    main: Share,
    workers: list[_Worker],
    facts: list[Facts],
    registry: Corpus,
    files: dict[str, Path],
) -> tuple[list[Problem], list[Facts]]:
    """Send each process the ids it looked for, and compare the run's ids.

    ``facts`` are the main process's first, then the workers' in order.
    Return the problems of the comparison and what the waiting files found.
    The comparison runs while the workers check their waiting files.
    """
    assert main.graph is not None
    declared, repeated = declared_ids(facts)
    for worker, sent in zip(workers, facts[1:], strict=True):
        worker.send(frozenset(sent.foreign_granters & declared))
    waited = [main.check_waiting(frozenset(facts[0].foreign_granters & declared))]
    organisations = registry.organisations
    problems = compare_ids(organisations, main.graph, files, facts, repeated)
    waited += [worker.receive() for worker in workers]
    return problems, waited


def _sizes(files: dict[str, Path]) -> dict[str, int]:
    sizes = {}
    for shown, path in files.items():
        try:
            sizes[shown] = path.stat().st_size
        except OSError:
            sizes[shown] = 0
    return sizes


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
