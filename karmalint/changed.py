"""Check a few changed files, with the rest of the tree read from summaries.

A pre-commit hook checks the files of a commit, yet their rules compare
them with every other file: ids declared twice, granted_by ids declared
elsewhere, a second MDO_LEADER of one organisation.  The other files'
facts come from summaries (see summary.py), so only the changed files are
parsed once each file has a summary.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from karmalint import summary
from karmalint.corpus import Corpus, Reader
from karmalint.evaluate import Candidate
from karmalint.finding import Problem
from karmalint.model import RightsFile
from karmalint.policy import Policy
from karmalint.schema import SchemaSet
from karmalint.share import (
    Facts,
    Share,
    SharedRun,
    compare_ids,
    declared_ids,
    registry_bytes,
    release,
    resolve_all_unique,
)
from karmalint.summary import UniqueKeys
from karmalint.yamlload import Limits

log = logging.getLogger(__name__)


def check_changed(
    files: dict[str, Path],
    summarised: frozenset[str],
    policy: Policy,
    schemas: SchemaSet,
    limits: Limits,
    loader: type | None,
) -> SharedRun | None:
    """Check the files not in ``summarised``, comparing them with all ``files``.

    Return None when no registry file can be read before the others, so the
    caller reads every file instead.
    """
    share = Share(Reader(Corpus(), schemas, limits, loader), policy)
    registry_data = _registry_data(files)
    if not registry_data or not registry_data.keys() <= summarised:
        return None
    run = summary.run_digest(policy, registry_data, limits, loader)
    registry_rights = _read_registry(share, files, registry_data, run)
    registry = share.build_graph()
    if share.graph is None:
        return None

    for rights_files in registry_rights:
        share.check(rights_files)
    context_keys: dict[str, UniqueKeys] = {}
    for shown, path in files.items():
        if shown in registry_data:
            continue
        if shown not in summarised:
            share.check(share.read(shown, path))
            continue
        try:
            data = path.read_bytes()
        except OSError:
            continue  # its own findings are not reported, and it adds nothing
        key = summary.summary_key(shown, data, run)
        keys = _context_file(share, shown, path, key)
        if keys is not None:
            context_keys[shown] = keys

    problems = _compare(share, registry, files, summarised, context_keys)
    summary.prune()
    log.info(
        "parsed %d of %d files, the others from summaries", share.read_count, len(files)
    )
    return SharedRun(problems, registry.registry_paths, share.facts.comments)


def _read_registry(
    share: Share, files: dict[str, Path], registry_data: dict[str, bytes], run: bytes
) -> list[list[RightsFile]]:
    """Add the registry files' organisations to the share, from summaries if stored.

    Return the rights documents of registry files that have some.  Their
    rights are checked once the graph is built, so such a file is read on
    every run.
    """
    registry_rights = []
    for shown, data in registry_data.items():
        key = summary.summary_key(shown, data, run)
        organisations = _stored(key, lambda d, s=shown: summary.decode_registry(s, d))
        if organisations is not None:
            share.registries[shown] = organisations
            continue
        rights_files = share.read(shown, files[shown])
        if rights_files:
            registry_rights.append(rights_files)
        else:
            organisations = share.registries.get(shown, [])
            summary.store(key, summary.encode_registry(organisations))
    return registry_rights


def _compare(
    share: Share,
    registry: Corpus,
    files: dict[str, Path],
    summarised: frozenset[str],
    context_keys: dict[str, UniqueKeys],
) -> list[Problem]:
    """Check the waiting files and compare the ids and unique keys of all files."""
    assert share.graph is not None
    facts = share.facts
    declared, repeated = declared_ids([facts])
    waited = share.check_waiting(frozenset(facts.foreign_granters & declared))
    # Only ids of the checked files can give a duplicate that is reported.
    checked_ids = {
        i
        for shown, per_file in facts.rights.items()
        if shown not in summarised
        for r in per_file
        for i in r.ids
    }
    problems = facts.problems + waited.problems
    problems += compare_ids(
        registry.organisations, share.graph, files, [facts], checked_ids & repeated
    )
    unique = Facts(candidates=_as_candidates(context_keys))
    problems += resolve_all_unique(share.policy, files, [facts, waited, unique])
    return problems


def _registry_data(files: dict[str, Path]) -> dict[str, bytes]:
    """Return the bytes of the files that may contain a registry, by display path."""
    found = {}
    for shown, path in files.items():
        data = registry_bytes(path)
        if data is not None:
            found[shown] = data
    return found


def _stored(key: str, decode: Any) -> Any:
    """Return a decoded summary, or None when it is missing, untrusted or invalid."""
    stored = summary.load(key)
    if stored is None:
        return None
    try:
        return decode(stored)
    except (KeyError, TypeError, ValueError) as error:
        log.info("summary %s ignored: %s", key, error)
        return None


def _context_file(share: Share, shown: str, path: Path, key: str) -> UniqueKeys | None:
    """Add a context file's facts to the share and return its unique keys.

    Return None when its unique checks looked up an account of another
    file: the file then waits with its values, like a checked file.
    """
    decoded = _stored(key, lambda d: summary.decode_rights(shown, d))
    if decoded is not None:
        rights, keys = decoded
        if rights:
            share.facts.rights[shown] = rights
        return keys  # type: ignore[no-any-return]

    rights_files = share.read(shown, path)
    unresolved: set[str] = set()
    context = share.context(rights_files, frozenset(), unresolved)
    candidates = share.candidates(rights_files, context)
    if unresolved:
        share.facts.foreign_granters |= unresolved
        share.waiting.append(rights_files)
        return None
    keys = {
        name: [(c.key, c.place) for c in by_file.get(shown, [])]
        for name, by_file in candidates.items()
    }
    try:
        encoded = summary.encode_rights(share.facts.rights.get(shown, []), keys)
    except TypeError as error:
        log.info("no summary of %s: %s", shown, error)
    else:
        summary.store(key, encoded)
    release(rights_files)
    return keys


def _as_candidates(context_keys: dict[str, UniqueKeys]) -> dict[Any, Any]:
    """Turn the unique keys of context files into candidates without problems."""
    candidates: dict[Any, dict[str, list[Candidate]]] = {}
    for shown, keys in context_keys.items():
        for name, pairs in keys.items():
            by_file = candidates.setdefault(name, {})
            by_file[shown] = [Candidate(key, place, None) for key, place in pairs]
    return candidates
