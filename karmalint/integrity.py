"""Built-in integrity checks: duplicate-id, unknown-reference and hierarchy."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from karmalint.finding import Problem, Related
from karmalint.graph import OrgGraph
from karmalint.model import Located, Organisation, RightsFile
from karmalint.suggest import did_you_mean


def _where(node: Located, *keys: str | int) -> str:
    span, _ = node.span(*keys)
    return f"{node.path}:{span.line}"


def _problem(
    rule: str, node: Located, keys: tuple[str | int, ...], message: str
) -> Problem:
    span, note = node.span(*keys)
    return Problem(rule, node.path, span, message + note)


def _duplicate(
    node: Located, first: Located, key: str, what: str, advice: str
) -> Problem:
    """Report a second declaration at ``node``, naming the first one.

    ``what`` is the subject and verb of the message, such as "account x is".

    The first declaration's file is related, so the finding is reported when
    either file is checked.
    """
    span, note = node.span(key)
    first_span, _ = first.span(key)
    message = f"{what} declared twice, first at {_where(first, key)}{advice}"
    related = (Related(first.path, first_span, "first declaration"),)
    subject = str(node.entry().get(key, ""))
    return Problem("duplicate-id", node.path, span, message + note, related, subject)


class DeclaredAccount(Protocol):
    """The fields of an account that ``duplicate_ids`` reads."""

    @property
    def id(self) -> str: ...
    @property
    def org(self) -> str | None: ...
    @property
    def node(self) -> Located: ...


class DeclaringFile(Protocol):
    """The fields of a rights document that ``duplicate_ids`` reads."""

    @property
    def mdo(self) -> str | None: ...
    @property
    def node(self) -> Located: ...
    @property
    def accounts(self) -> Sequence[DeclaredAccount]: ...


def duplicate_ids(
    organisations: list[Organisation], rights_files: Sequence[DeclaringFile]
) -> list[Problem]:
    """Report every second declaration of an organisation, account or MDO."""
    problems = []
    first_org: dict[str, Organisation] = {}
    for org in organisations:
        if org.id in first_org:
            first = first_org[org.id].node
            problems.append(
                _duplicate(org.node, first, "id", f"organisation {org.id} is", "")
            )
        else:
            first_org[org.id] = org

    first_mdo: dict[str, DeclaringFile] = {}
    first_account: dict[str, DeclaredAccount] = {}
    for rights_file in rights_files:
        mdo = rights_file.mdo
        if mdo is not None and mdo in first_mdo:
            first = first_mdo[mdo].node
            what = f"rights for {mdo} are"
            problems.append(_duplicate(rights_file.node, first, "mdo", what, ""))
        elif mdo is not None:
            first_mdo[mdo] = rights_file
        for account in rights_file.accounts:
            known = first_account.setdefault(account.id, account)
            if known is account:
                continue
            # An account belongs to one organisation and is listed once, so a
            # second entry would be a second, unreviewed set of rights.
            advice = f" (org {known.org}); list each account once, with all its roles"
            what = f"account {account.id} is"
            problems.append(_duplicate(account.node, known.node, "id", what, advice))
    return problems


def unknown_references(
    graph: OrgGraph,
    organisations: list[Organisation],
    rights_files: list[RightsFile],
    has_account: Callable[[str], bool],
) -> list[Problem]:
    """Report every reference to an organisation or account that does not exist."""
    problems = []
    known = graph.orgs
    for org in organisations:
        if org.parent is not None and org.parent not in known:
            problems.append(_unknown_org(org.node, ("parent",), org.parent, known))
    for rights_file in rights_files:
        problems += _unknown_in_file(rights_file, known, has_account)
    return problems


def _unknown_org(
    node: Located, keys: tuple[str | int, ...], org_id: str, known: Any
) -> Problem:
    return _problem(
        "unknown-reference",
        node,
        keys,
        f"organisation {org_id} is not in the registry{did_you_mean(org_id, known)}",
    )


def _unknown_in_file(
    rights_file: RightsFile,
    known: dict[str, Organisation],
    has_account: Callable[[str], bool],
) -> list[Problem]:
    problems = []
    node = rights_file.node
    if rights_file.mdo is not None and rights_file.mdo not in known:
        problems.append(_unknown_org(node, ("mdo",), rights_file.mdo, known))
    for keys, org_id in _approval_orgs(node):
        if org_id not in known:
            problems.append(_unknown_org(node, keys, org_id, known))
    for delegation in rights_file.delegations:
        if delegation.org is not None and delegation.org not in known:
            problems.append(
                _unknown_org(delegation.node, ("org",), delegation.org, known)
            )
    for account in rights_file.accounts:
        if account.org is not None and account.org not in known:
            problems.append(_unknown_org(account.node, ("org",), account.org, known))
        granter = account.granted_by
        if (
            granter is not None
            and granter != rights_file.nodal_email
            and not has_account(granter)
        ):
            names = [a.id for a in rights_file.accounts]
            if rights_file.nodal_email is not None:
                names.append(rights_file.nodal_email)
            problems.append(
                _problem(
                    "unknown-reference",
                    account.node,
                    ("granted_by",),
                    f"granted_by names {granter}, which is neither the "
                    "nodal officer nor an account"
                    f"{did_you_mean(granter, names)}",
                )
            )
    return problems


def _approval_orgs(node: Located) -> list[tuple[tuple[str | int, ...], str]]:
    """Find the ``approval.by`` organisation ids of the nodal officer and accounts."""
    root = node.entry()
    found: list[tuple[tuple[str | int, ...], str]] = []
    nodal = root.get("nodal_officer")
    if isinstance(nodal, dict) and isinstance(nodal.get("approval"), dict):
        by = nodal["approval"].get("by")
        if isinstance(by, str):
            found.append((("nodal_officer", "approval", "by"), by))
    accounts = root.get("accounts")
    for index, entry in enumerate(accounts if isinstance(accounts, list) else []):
        approval = entry.get("approval") if isinstance(entry, dict) else None
        if isinstance(approval, dict) and isinstance(approval.get("by"), str):
            found.append((("accounts", index, "approval", "by"), approval["by"]))
    return found


def hierarchy(graph: OrgGraph, organisations: list[Organisation]) -> list[Problem]:
    """Check that the registry is a forest with a ministry at every root.

    These checks together give every office an administrative Ministry or
    Department: its chain of parents ends at a ministry, so no separate
    finding is needed for that.
    """
    problems = []
    for org in organisations:
        if graph.orgs.get(org.id) is not org:
            continue
        if org.type == "ministry" and org.parent is not None:
            message = (
                f"ministry {org.id} has a parent ({org.parent}); "
                "a ministry is at the top of the hierarchy"
            )
            problems.append(_problem("hierarchy", org.node, ("parent",), message))
        elif org.type != "ministry" and org.parent is None:
            message = (
                f"{org.type or 'organisation'} {org.id} has no parent; "
                "every organisation but a ministry needs one"
            )
            problems.append(_problem("hierarchy", org.node, ("id",), message))
    for cycle in graph.cycles():
        chain = _parent_chain(graph, min(cycle))
        first = graph.orgs[chain[0]]
        message = f"the parents form a cycle: {' -> '.join(chain)} -> {chain[0]}"
        problems.append(_problem("hierarchy", first.node, ("parent",), message))
    return problems


def _parent_chain(graph: OrgGraph, start: str) -> list[str]:
    """List the organisations met by following parents from ``start`` back to it."""
    chain = [start]
    parent = graph.orgs[start].parent
    while parent is not None and parent != start and parent not in chain:
        chain.append(parent)
        parent = graph.orgs[parent].parent
    return chain
