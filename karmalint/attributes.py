"""The attributes that policy conditions can read, per kind of entity.

A rule names an attribute such as ``org.type`` or ``granter.roles``.  The
policy compiler turns each name into a getter once, so evaluating a rule
never parses text.  Attributes whose value is an organisation id accept the
suffixes in ``ORG_PROPERTIES`` (``org.cti``, ``mdo.type``, ...), which the
organisation graph provides.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from karmalint.graph import OrgGraph
from karmalint.model import Account, Delegation, RightsFile

ENTITY_KINDS = ("files", "accounts", "grants", "delegations", "delegated_rights")
TOKEN_SEPARATORS = re.compile(r"[._-]")
TRAILING_DIGITS = re.compile(r"\d+$")


@dataclass(slots=True)
class Grant:
    """One role item of an account."""

    account: Account
    index: int | None
    role: str


@dataclass(slots=True)
class DelegatedRight:
    """One right item of a delegation."""

    delegation: Delegation
    index: int | None
    right: str


@dataclass(slots=True)
class Context:
    """The graph, accounts and parameters that rules consult besides the entity."""

    graph: OrgGraph
    accounts: dict[str, Account]
    parameters: dict[str, Any]
    # Ids of accounts declared in files this process did not read, when the
    # files of a run are shared out between processes.
    other_accounts: frozenset[str] = frozenset()
    # When set, has_account adds each id it cannot find here, and its False
    # is provisional until the other files are read.
    unresolved: set[str] | None = None
    _delegated: dict[int, dict[str, frozenset[str]]] = field(default_factory=dict)

    def has_account(self, account_id: str) -> bool:
        """Tell whether any file of the run declares the account."""
        if account_id in self.accounts or account_id in self.other_accounts:
            return True
        if self.unresolved is not None:
            self.unresolved.add(account_id)
        return False

    def delegated_rights(
        self, rights_file: RightsFile, org_id: str | None
    ) -> frozenset[str]:
        """Return the rights the MDO delegated to an organisation or its ancestors.

        Only delegations to an office of the MDO count, that is, one whose
        administrative Ministry/Department is the MDO.  Any other delegation is
        reported by ``delegation-limits`` and grants nothing.
        """
        if org_id is None or rights_file.mdo is None:
            return frozenset()
        by_target = self._delegated.get(id(rights_file))
        if by_target is None:
            by_target = self._index_delegations(rights_file)
            self._delegated[id(rights_file)] = by_target
        rights: set[str] = set()
        for ancestor in self.graph.chain(org_id):
            if ancestor == rights_file.mdo:
                break
            rights |= by_target.get(ancestor, frozenset())
        return frozenset(rights)

    def _index_delegations(self, rights_file: RightsFile) -> dict[str, frozenset[str]]:
        mdo = rights_file.mdo
        index: dict[str, set[str]] = {}
        for delegation in rights_file.delegations:
            target = delegation.org
            if target is None or mdo is None or target == mdo:
                continue
            if self.graph.admin_mdo(target) == mdo:
                index.setdefault(target, set()).update(r for _, r in delegation.rights)
        return {target: frozenset(rights) for target, rights in index.items()}


Getter = Callable[[Any, Context], Any]


def _org_property(name: str) -> Callable[[str | None, Context], Any]:
    def get(org_id: str | None, context: Context) -> Any:
        org = context.graph.orgs.get(org_id) if org_id is not None else None
        if name == "exists":
            return org is not None
        if org is None:
            return None
        if name == "admin_mdo":
            return context.graph.admin_mdo(org.id)
        return getattr(org, name)

    return get


ORG_PROPERTIES = {
    name: _org_property(name)
    for name in ("type", "cti", "name", "parent", "map_id", "admin_mdo", "exists")
}


# Generic-ID tests compare in lower case.  The schema separately requires
# e-mail IDs to be written in lower case, so a mixed-case ID gets one finding.
def _local_part(account_id: str) -> str:
    local = account_id.rpartition("@")[0] if "@" in account_id else account_id
    return local.lower()


def _domain(account_id: str) -> str | None:
    return account_id.rpartition("@")[2].lower() if "@" in account_id else None


def _tokens(account_id: str) -> list[str]:
    parts = TOKEN_SEPARATORS.split(_local_part(account_id))
    return [
        token for token in (TRAILING_DIGITS.sub("", part) for part in parts) if token
    ]


def _granter(account: Account, context: Context) -> Account | None:
    if account.granted_by is None:
        return None
    return account.rights_file.account(account.granted_by)


def _roles(account: Account | None) -> list[str]:
    return [role for _, role in account.roles] if account is not None else []


# Each table maps an attribute name to (getter, whether it is an organisation id).
Table = dict[str, tuple[Getter, bool]]

FILE_ATTRIBUTES: Table = {
    "mdo": (lambda f, c: f.mdo, True),
    "has_nodal_officer": (lambda f, c: f.has_nodal_officer, False),
    "has_unknown_keys": (lambda f, c: f.has_unknown_keys, False),
    "nodal_has_approval": (lambda f, c: f.nodal_has_approval, False),
    "nodal_email": (lambda f, c: f.nodal_email, False),
    "path": (lambda f, c: f.node.path, False),
    "file_stem": (lambda f, c: PurePosixPath(f.node.path).stem, False),
    "folder": (lambda f, c: PurePosixPath(f.node.path).parent.name, False),
}

ACCOUNT_ATTRIBUTES: Table = {
    "id": (lambda a, c: a.id, False),
    "id.local": (lambda a, c: _local_part(a.id), False),
    "id.domain": (lambda a, c: _domain(a.id), False),
    "id.tokens": (lambda a, c: _tokens(a.id), False),
    "org": (lambda a, c: a.org, True),
    "mdo": (lambda a, c: a.rights_file.mdo, True),
    "roles": (lambda a, c: _roles(a), False),
    "environments": (lambda a, c: list(a.environments), False),
    "has_approval": (lambda a, c: a.has_approval, False),
    "has_unknown_keys": (lambda a, c: a.has_unknown_keys, False),
    "is_nodal": (lambda a, c: a.id == a.rights_file.nodal_email, False),
    "delegated_rights": (
        lambda a, c: sorted(c.delegated_rights(a.rights_file, a.org)),
        False,
    ),
    "granted_by": (lambda a, c: a.granted_by, False),
    "declares_granted_by": (lambda a, c: a.declares_granted_by, False),
    "granted_by.is_nodal": (
        lambda a, c: (
            a.granted_by is not None and a.granted_by == a.rights_file.nodal_email
        ),
        False,
    ),
    "granted_by.exists": (
        lambda a, c: (
            a.granted_by is not None
            # The nodal officer is tested first, so that only an account id
            # is looked up.
            and (
                a.granted_by == a.rights_file.nodal_email or c.has_account(a.granted_by)
            )
        ),
        False,
    ),
    "granter.exists": (lambda a, c: _granter(a, c) is not None, False),
    "granter.roles": (lambda a, c: _roles(_granter(a, c)), False),
    "granter.org": (lambda a, c: getattr(_granter(a, c), "org", None), True),
    "path": (lambda a, c: a.node.path, False),
}

DELEGATION_ATTRIBUTES: Table = {
    "org": (lambda d, c: d.org, True),
    "mdo": (lambda d, c: d.rights_file.mdo, True),
    "rights": (lambda d, c: [right for _, right in d.rights], False),
    "path": (lambda d, c: d.node.path, False),
}


def _lift(table: Table, parent: Callable[[Any], Any]) -> Table:
    """Expose the attributes of a parent entity on a child entity."""

    def lifted(getter: Getter) -> Getter:
        return lambda entity, context: getter(parent(entity), context)

    return {name: (lifted(getter), is_org) for name, (getter, is_org) in table.items()}


GRANT_ATTRIBUTES: Table = {
    **_lift(ACCOUNT_ATTRIBUTES, lambda g: g.account),
    "role": (lambda g, c: g.role, False),
}

DELEGATED_RIGHT_ATTRIBUTES: Table = {
    **_lift(DELEGATION_ATTRIBUTES, lambda r: r.delegation),
    "right": (lambda r, c: r.right, False),
}

TABLES: dict[str, Table] = {
    "files": FILE_ATTRIBUTES,
    "accounts": ACCOUNT_ATTRIBUTES,
    "grants": GRANT_ATTRIBUTES,
    "delegations": DELEGATION_ATTRIBUTES,
    "delegated_rights": DELEGATED_RIGHT_ATTRIBUTES,
}

# Collections a file-level condition can quantify over with ``some``.
COLLECTIONS: dict[str, tuple[str, Callable[[RightsFile], list[Any]]]] = {
    "accounts": ("accounts", lambda f: f.accounts),
    "delegations": ("delegations", lambda f: f.delegations),
    "grants": ("grants", lambda f: list(grants_of(f))),
}


def attribute_getter(kind: str, name: str) -> Getter | None:
    """Compile an attribute name for an entity kind; None if it does not exist."""
    table = TABLES[kind]
    if name in table:
        return table[name][0]
    prefix, _, suffix = name.rpartition(".")
    if prefix in table and table[prefix][1] and suffix in ORG_PROPERTIES:
        base = table[prefix][0]
        prop = ORG_PROPERTIES[suffix]
        return lambda entity, context: prop(base(entity, context), context)
    return None


def attribute_names(kind: str) -> list[str]:
    """List every attribute name valid for an entity kind, for error messages."""
    names = []
    for name, (_, is_org) in TABLES[kind].items():
        names.append(name)
        if is_org:
            names.extend(f"{name}.{suffix}" for suffix in ORG_PROPERTIES)
    return names


def grants_of(rights_file: RightsFile) -> list[Grant]:
    return [
        Grant(account, index, role)
        for account in rights_file.accounts
        for index, role in account.roles
    ]


def delegated_rights_of(rights_file: RightsFile) -> list[DelegatedRight]:
    return [
        DelegatedRight(delegation, index, right)
        for delegation in rights_file.delegations
        for index, right in delegation.rights
    ]
