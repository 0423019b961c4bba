"""The entities that rules select: organisations, rights files, accounts, grants.

Entities are built from documents that may have failed their schema, so every
field is read defensively: a value of the wrong type is left out here and
reported by the ``schema`` rule instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from karmalint.finding import Span
from karmalint.locate import locate
from karmalint.yamlload import Document, Mapping

DEFAULT_ENVIRONMENTS = ("production",)
# The keys the MDORights schema allows; a test keeps them in step with it.
RIGHTS_FILE_KEYS = frozenset(
    {"apiVersion", "kind", "mdo", "nodal_officer", "delegations", "accounts"}
)
ACCOUNT_KEYS = frozenset(
    {"id", "org", "roles", "environments", "granted_by", "approval"}
)


@dataclass(slots=True)
class SourceFile:
    """A manifest file as read from disk."""

    path: str
    documents: list[Document] = field(default_factory=list)


@dataclass(slots=True)
class Node:
    """The position of an entity: its document and its path inside it."""

    path: str
    document: Document
    keys: tuple[str | int, ...]

    def span(self, *more: str | int, key: bool = False) -> tuple[Span, str]:
        """Return the span of a field below this entity, falling back to the entity."""
        span, note = locate(self.document.value, self.keys + more, key=key)
        return span or self.document.span, note

    def entry(self) -> Mapping:
        value: Any = self.document.value
        for step in self.keys:
            value = value[step]
        assert isinstance(value, Mapping)
        return value


@dataclass(slots=True)
class StoredNode:
    """The position of an entity read back from a cached summary of its file.

    It keeps only the spans and values that findings about other files can
    name: the entry itself and a few fields, keyed like ``"roles.0"``.
    """

    path: str
    spans: dict[str, Span]
    values: dict[str, Any]
    # The alias notes of fields reached through an alias, keyed like spans.
    notes: dict[str, str] = field(default_factory=dict)

    def span(self, *more: str | int, key: bool = False) -> tuple[Span, str]:
        """Return the span of the longest known prefix of the field path."""
        parts = [str(step) for step in more]
        while parts:
            name = ".".join(parts)
            found = self.spans.get(name)
            if found is not None:
                return found, self.notes.get(name, "")
            parts.pop()
        return self.spans[""], ""

    def entry(self) -> dict[str, Any]:
        return self.values


Located = Node | StoredNode


@dataclass(slots=True)
class Organisation:
    """An entry of the organisation registry."""

    id: str
    name: str
    type: str
    parent: str | None
    cti: bool
    map_id: str | None
    node: Located


@dataclass(slots=True)
class Delegation:
    """Rights an MDO hands to one of its offices (OM para 5)."""

    org: str | None
    rights: list[tuple[int | None, str]]
    rights_file: RightsFile
    node: Located


@dataclass(slots=True)
class Account:
    """A role account declared in an MDO's rights file."""

    id: str
    org: str | None
    roles: list[tuple[int | None, str]]
    environments: tuple[str, ...]
    granted_by: str | None
    # Whether the entry has a granted_by key, whatever the type of its value.
    declares_granted_by: bool
    has_approval: bool
    # An unknown key, likely a misspelt one, which the schema reports.
    has_unknown_keys: bool
    rights_file: RightsFile
    node: Located


@dataclass(slots=True)
class RightsFile:
    """One MDORights document: the rights an MDO declares."""

    mdo: str | None
    nodal_email: str | None
    has_nodal_officer: bool
    nodal_has_approval: bool
    has_unknown_keys: bool
    node: Located
    accounts: list[Account] = field(default_factory=list)
    delegations: list[Delegation] = field(default_factory=list)
    _by_id: dict[str, Account] | None = None

    def account(self, account_id: str) -> Account | None:
        """Return this file's first account with the id, if any."""
        if self._by_id is None:
            self._by_id = {}
            for account in self.accounts:
                self._by_id.setdefault(account.id, account)
        return self._by_id.get(account_id)


def accounts_by_id(rights_files: list[RightsFile]) -> dict[str, Account]:
    """Index the accounts of rights files by id; the first declaration wins."""
    accounts: dict[str, Account] = {}
    for rights_file in rights_files:
        for account in rights_file.accounts:
            accounts.setdefault(account.id, account)
    return accounts


def _text(entry: Mapping, key: str) -> str | None:
    value = entry.get(key)
    return value if isinstance(value, str) else None


def _texts(value: Any) -> list[tuple[int | None, str]]:
    """Read a list of codes; a lone string counts as a one-item list."""
    if isinstance(value, str):
        return [(None, value)]
    if isinstance(value, list):
        return [(i, item) for i, item in enumerate(value) if isinstance(item, str)]
    return []


def read_organisations(path: str, document: Document) -> list[Organisation]:
    """Read the organisations of an OrganisationRegistry document."""
    entries = document.value.get("organisations")
    if not isinstance(entries, list):
        return []
    result = []
    for index, entry in enumerate(entries):
        if not isinstance(entry, Mapping) or _text(entry, "id") is None:
            continue
        result.append(
            Organisation(
                id=entry["id"],
                name=_text(entry, "name") or entry["id"],
                type=_text(entry, "type") or "",
                parent=_text(entry, "parent"),
                cti=entry.get("cti") is True,
                map_id=_text(entry, "map_id"),
                node=Node(path, document, ("organisations", index)),
            )
        )
    return result


def read_rights_file(path: str, document: Document) -> RightsFile:
    """Read the nodal officer, delegations and accounts of an MDORights document."""
    root = document.value
    nodal = root.get("nodal_officer")
    nodal_ok = isinstance(nodal, Mapping)
    rights_file = RightsFile(
        mdo=_text(root, "mdo"),
        nodal_email=_text(nodal, "email") if nodal_ok else None,
        # A nodal_officer key of the wrong type is the schema's finding.
        has_nodal_officer="nodal_officer" in root,
        nodal_has_approval=nodal_ok and isinstance(nodal.get("approval"), Mapping),
        has_unknown_keys=not RIGHTS_FILE_KEYS.issuperset(root),
        node=Node(path, document, ()),
    )
    delegations = root.get("delegations")
    for index, entry in enumerate(delegations if isinstance(delegations, list) else []):
        if isinstance(entry, Mapping):
            rights_file.delegations.append(
                Delegation(
                    org=_text(entry, "org"),
                    rights=_texts(entry.get("rights")),
                    rights_file=rights_file,
                    node=Node(path, document, ("delegations", index)),
                )
            )
    accounts = root.get("accounts")
    for index, entry in enumerate(accounts if isinstance(accounts, list) else []):
        if isinstance(entry, Mapping) and _text(entry, "id") is not None:
            rights_file.accounts.append(
                _read_account(path, document, index, entry, rights_file)
            )
    return rights_file


def _read_account(
    path: str, document: Document, index: int, entry: Mapping, rights_file: RightsFile
) -> Account:
    environments = [env for _, env in _texts(entry.get("environments"))]
    return Account(
        id=entry["id"],
        org=_text(entry, "org"),
        roles=_texts(entry.get("roles")),
        environments=tuple(environments)
        if "environments" in entry
        else DEFAULT_ENVIRONMENTS,
        granted_by=_text(entry, "granted_by"),
        declares_granted_by="granted_by" in entry,
        has_approval=isinstance(entry.get("approval"), Mapping),
        has_unknown_keys=not ACCOUNT_KEYS.issuperset(entry),
        rights_file=rights_file,
        node=Node(path, document, ("accounts", index)),
    )
