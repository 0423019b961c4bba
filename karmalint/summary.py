"""Summaries of context files, so that checking one changed file parses only that file.

When only some files are checked, as a pre-commit hook does, the other files
are read only for what the checked files' rules compare with them: the
registry, the ids each file declares and the keys of its entities for
``unique`` checks.  Their own findings are not reported.  So a summary of
those facts replaces parsing an unchanged context file again.

A summary is keyed by the file's path and content and by everything its
facts depend on: karmalint's version, the loader and its limits, the policy
(unique checks select entities by its conditions) and the registry (the
conditions read organisation properties).  Summaries are signed like the
result cache, so one committed to a repository is ignored.
"""

from __future__ import annotations

import contextlib
import hashlib
from array import array
from dataclasses import astuple
from pathlib import Path
from typing import Any

from karmalint import __version__, signed
from karmalint.finding import Span
from karmalint.model import Organisation, StoredNode
from karmalint.policy import Policy, policy_digest
from karmalint.share import SPAN_TYPECODE, CheckName, RightsFacts
from karmalint.yamlload import Limits

FORMAT = 2
FOLDER = "summaries"
# Enough for every file of a national repository, several versions each.
MAX_SUMMARIES = 4096
# The key and place of each entity of one unique check, in file order.
UniqueKeys = dict[CheckName, list[tuple[Any, str]]]


def run_digest(
    policy: Policy, registry: dict[str, bytes], limits: Limits, loader: type | None
) -> bytes:
    """Hash what every summary of a run depends on besides its own file."""
    digest = hashlib.sha256()
    name = loader.__name__ if loader else ""
    digest.update(f"{FORMAT}\0{__version__}\0{astuple(limits)}\0{name}\0".encode())
    digest.update(policy_digest(policy))
    for shown in sorted(registry):
        digest.update(shown.encode() + b"\0" + hashlib.sha256(registry[shown]).digest())
    return digest.digest()


def summary_key(shown: str, data: bytes, run: bytes) -> str:
    """Return the name of a file's summary, given the run digest."""
    digest = hashlib.sha256(run)
    digest.update(shown.encode() + b"\0")
    digest.update(data)
    return digest.hexdigest()


def encode_registry(organisations: list[Organisation]) -> dict[str, Any]:
    return {"organisations": [_organisation(org) for org in organisations]}


def _organisation(org: Organisation) -> dict[str, Any]:
    spans = {"": list(org.node.span()[0])}
    for field in ("id", "parent"):
        spans[field] = list(org.node.span(field)[0])
    return {
        "id": org.id,
        "name": org.name,
        "type": org.type,
        "parent": org.parent,
        "cti": org.cti,
        "map_id": org.map_id,
        "spans": spans,
    }


def decode_registry(path: str, summary: dict[str, Any]) -> list[Organisation]:
    """Rebuild a registry file's organisations from its summary.

    A summary of another shape raises KeyError, TypeError or ValueError.
    """
    return [
        Organisation(
            o["id"],
            o["name"],
            o["type"],
            o["parent"],
            o["cti"],
            o["map_id"],
            StoredNode(
                path, {k: Span(*v) for k, v in o["spans"].items()}, {"id": o["id"]}
            ),
        )
        for o in summary["organisations"]
    ]


def encode_rights(rights: list[RightsFacts], keys: UniqueKeys) -> dict[str, Any]:
    """Turn a rights file's facts into JSON values; raise TypeError if a key is not."""
    return {
        "rights": [
            {
                "mdo": facts.mdo,
                "span": list(facts.span),
                "mdo_span": list(facts.mdo_place[0]),
                "mdo_note": facts.mdo_place[1],
                "ids": facts.ids,
                "orgs": facts.orgs,
                "id_spans": facts.id_spans.tolist(),
                "id_notes": {
                    str(index): note for index, note in facts.id_notes.items()
                },
            }
            for facts in rights
        ],
        "unique": [
            [rule_id, index, [[_plain(key), place] for key, place in pairs]]
            for (rule_id, index), pairs in keys.items()
        ],
    }


def _plain(key: Any) -> Any:
    """Return a unique-check key as a JSON value, or raise TypeError."""
    if key is None or isinstance(key, (str, int, float, bool)):
        return key
    if isinstance(key, tuple):
        return [_plain(item) for item in key]
    raise TypeError(f"a unique key of type {type(key).__name__} cannot be stored")


def _hashable(value: Any) -> Any:
    return (
        tuple(_hashable(item) for item in value) if isinstance(value, list) else value
    )


def decode_rights(
    path: str, summary: dict[str, Any]
) -> tuple[list[RightsFacts], UniqueKeys]:
    """Rebuild a rights file's facts from its summary.

    A summary of another shape raises KeyError, TypeError or ValueError.
    """
    rights = [
        RightsFacts(
            path,
            r["mdo"],
            Span(*r["span"]),
            (Span(*r["mdo_span"]), r["mdo_note"]),
            list(r["ids"]),
            list(r["orgs"]),
            array(SPAN_TYPECODE, r["id_spans"]),
            {int(index): note for index, note in r["id_notes"].items()},
        )
        for r in summary["rights"]
    ]
    for facts in rights:
        if len(facts.id_spans) != 4 * len(facts.ids) or len(facts.orgs) != len(
            facts.ids
        ):
            raise ValueError("the id lists of a summary differ in length")
    keys: UniqueKeys = {
        (str(rule_id), int(index)): [
            (_hashable(key), str(place)) for key, place in pairs
        ]
        for rule_id, index, pairs in summary["unique"]
    }
    return rights, keys


def load(key: str) -> dict[str, Any] | None:
    """Return a stored summary, or None when there is none or it is not trusted."""
    document = signed.read_signed(Path(FOLDER) / f"{key}.json")
    return document if isinstance(document, dict) else None


def store(key: str, summary: dict[str, Any]) -> None:
    """Write a summary; pruning is left to ``prune``, once per run."""
    signed.write_signed(Path(FOLDER) / f"{key}.json", summary, keep=None)


def prune() -> None:
    with contextlib.suppress(OSError):
        signed.prune(signed.CACHE_FOLDER / FOLDER, MAX_SUMMARIES)
