"""Summaries of context files, so that checking one changed file parses only that file.

When only some files are checked, as a pre-commit hook does, the other files
are read for what they add to the cross-file rules: the registry, the
accounts and the MDO each file claims.  Their own findings are not reported.
So a summary of those facts, keyed by the file's content, replaces parsing
an unchanged context file again.  Summaries are signed like the
result cache, so one committed to a repository is ignored.
"""

from __future__ import annotations

import contextlib
import hashlib
from dataclasses import astuple
from pathlib import Path
from typing import Any

from karmalint import __version__, signed
from karmalint.finding import Span
from karmalint.model import Account, Located, Organisation, RightsFile, StoredNode
from karmalint.yamlload import Limits

FORMAT = 1
FOLDER = "summaries"
# Enough for every file of a national repository, several versions each.
MAX_SUMMARIES = 4096


def summary_key(shown: str, data: bytes, limits: Limits, loader: type | None) -> str:
    digest = hashlib.sha256()
    name = loader.__name__ if loader else ""
    digest.update(
        f"{FORMAT}\0{__version__}\0{astuple(limits)}\0{name}\0{shown}\0".encode()
    )
    digest.update(data)
    return digest.hexdigest()


def _spans(
    node: Located, fields: list[str | tuple[str | int, ...]]
) -> dict[str, list[int]]:
    spans = {"": list(node.span()[0])}
    for field in fields:
        keys = field if isinstance(field, tuple) else (field,)
        spans[".".join(map(str, keys))] = list(node.span(*keys)[0])
    return spans


def summarise(
    organisations: list[Organisation], rights_files: list[RightsFile]
) -> dict[str, Any]:
    """Collect what a context file contributes to the cross-file rules."""
    return {
        "organisations": [_organisation(org) for org in organisations],
        "rights_files": [_rights_file(rights_file) for rights_file in rights_files],
    }


def _organisation(org: Organisation) -> dict[str, Any]:
    return {
        "id": org.id,
        "name": org.name,
        "type": org.type,
        "parent": org.parent,
        "cti": org.cti,
        "map_id": org.map_id,
        "spans": _spans(org.node, ["id", "parent"]),
    }


def _rights_file(rights_file: RightsFile) -> dict[str, Any]:
    return {
        "mdo": rights_file.mdo,
        "nodal_email": rights_file.nodal_email,
        "has_nodal_officer": rights_file.has_nodal_officer,
        "nodal_has_approval": rights_file.nodal_has_approval,
        "has_unknown_keys": rights_file.has_unknown_keys,
        "spans": _spans(rights_file.node, ["mdo", "nodal_officer"]),
        "accounts": [_account(account) for account in rights_file.accounts],
    }


def _account(account: Account) -> dict[str, Any]:
    roles: list[str | tuple[str | int, ...]] = [
        ("roles", index) for index, _ in account.roles if index is not None
    ]
    return {
        "id": account.id,
        "org": account.org,
        "roles": [[index, role] for index, role in account.roles],
        "environments": list(account.environments),
        "granted_by": account.granted_by,
        "declares_granted_by": account.declares_granted_by,
        "has_approval": account.has_approval,
        "has_unknown_keys": account.has_unknown_keys,
        "spans": _spans(account.node, ["id", "org", "roles", "granted_by", *roles]),
    }


def restore(
    path: str, summary: dict[str, Any]
) -> tuple[list[Organisation], list[RightsFile]]:
    """Rebuild the entities of a context file from its summary."""
    organisations = [
        Organisation(
            o["id"],
            o["name"],
            o["type"],
            o["parent"],
            o["cti"],
            o["map_id"],
            _node(path, o["spans"], {"id": o["id"]}),
        )
        for o in summary["organisations"]
    ]
    rights_files = []
    for r in summary["rights_files"]:
        rights_file = RightsFile(
            mdo=r["mdo"],
            nodal_email=r["nodal_email"],
            has_nodal_officer=r["has_nodal_officer"],
            nodal_has_approval=r["nodal_has_approval"],
            has_unknown_keys=r["has_unknown_keys"],
            node=_node(path, r["spans"], {"mdo": r["mdo"]}),
        )
        rights_file.accounts = [
            _restore_account(path, a, rights_file) for a in r["accounts"]
        ]
        rights_files.append(rights_file)
    return organisations, rights_files


def _restore_account(path: str, a: dict[str, Any], rights_file: RightsFile) -> Account:
    return Account(
        id=a["id"],
        org=a["org"],
        roles=[(index, role) for index, role in a["roles"]],
        environments=tuple(a["environments"]),
        granted_by=a["granted_by"],
        declares_granted_by=a["declares_granted_by"],
        has_approval=a["has_approval"],
        has_unknown_keys=a["has_unknown_keys"],
        rights_file=rights_file,
        node=_node(path, a["spans"], {"id": a["id"], "org": a["org"]}),
    )


def _node(path: str, spans: dict[str, list[int]], values: dict[str, Any]) -> StoredNode:
    return StoredNode(path, {k: Span(*v) for k, v in spans.items()}, values)


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
