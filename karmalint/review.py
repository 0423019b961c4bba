"""The differences in rights between two states of the manifests."""

from __future__ import annotations

from dataclasses import dataclass, field

from karmalint.engine import CheckResult
from karmalint.graph import OrgGraph
from karmalint.rights import Assignment, assignments

# Roles whose grant a reviewer must look at first (OM paras 2, 4 and 5).
POWERFUL_ROLES = frozenset({"CONTENT_PUBLISHER", "MDO_ADMIN"})


@dataclass(frozen=True, slots=True, order=True)
class DelegationFact:
    """One right one MDO delegates to one office."""

    mdo: str
    org: str
    right: str


@dataclass(frozen=True, slots=True, order=True)
class OrgFact:
    """The registry's facts about one organisation."""

    id: str
    parent: str | None
    type: str
    cti: bool
    admin_mdo: str | None


@dataclass(slots=True)
class State:
    """The rights one state of the manifests declares."""

    assignments: set[Assignment]
    delegations: set[DelegationFact]
    organisations: dict[str, OrgFact]
    accounts: dict[str, str]  # account id -> org


@dataclass(slots=True)
class RightsDiff:
    """Everything that differs between two states, with the changes to flag."""

    granted: list[Assignment] = field(default_factory=list)
    revoked: list[Assignment] = field(default_factory=list)
    delegations_added: list[DelegationFact] = field(default_factory=list)
    delegations_removed: list[DelegationFact] = field(default_factory=list)
    accounts_added: list[str] = field(default_factory=list)
    accounts_removed: list[str] = field(default_factory=list)
    accounts_moved: list[tuple[str, str, str]] = field(default_factory=list)
    registry_changes: list[tuple[OrgFact | None, OrgFact | None]] = field(
        default_factory=list
    )
    # Assignments whose organisation a registry change puts under another
    # Ministry or Department: (assignment, before, after).
    moved_rights: list[tuple[Assignment, str | None, str | None]] = field(
        default_factory=list
    )
    flags: list[str] = field(default_factory=list)

    @property
    def changed_mdos(self) -> set[str]:
        mdos = {a.mdo for a in self.granted + self.revoked}
        mdos |= {d.mdo for d in self.delegations_added + self.delegations_removed}
        mdos |= {a.mdo for a, _, _ in self.moved_rights}
        return mdos

    def is_empty(self) -> bool:
        return not (
            self.granted
            or self.revoked
            or self.delegations_added
            or self.delegations_removed
            or self.accounts_added
            or self.accounts_removed
            or self.accounts_moved
            or self.registry_changes
        )


def state_of(result: CheckResult) -> State:
    """Collect the facts of one check run."""
    assert result.context is not None
    graph = result.context.graph
    delegations = {
        DelegationFact(rights_file.mdo, delegation.org, right)
        for rights_file in result.rights_files
        if rights_file.mdo is not None
        for delegation in rights_file.delegations
        if delegation.org is not None
        for _, right in delegation.rights
    }
    accounts = {
        account.id: account.org or ""
        for rights_file in result.rights_files
        for account in rights_file.accounts
    }
    return State(set(assignments(result)), delegations, _organisations(graph), accounts)


def _organisations(graph: OrgGraph) -> dict[str, OrgFact]:
    return {
        org.id: OrgFact(org.id, org.parent, org.type, org.cti, graph.admin_mdo(org.id))
        for org in graph.orgs.values()
    }


def compare(base: State, head: State) -> RightsDiff:
    """Return what changed from ``base`` to ``head``."""
    diff = RightsDiff(
        granted=sorted(head.assignments - base.assignments),
        revoked=sorted(base.assignments - head.assignments),
        delegations_added=sorted(head.delegations - base.delegations),
        delegations_removed=sorted(base.delegations - head.delegations),
        accounts_added=sorted(set(head.accounts) - set(base.accounts)),
        accounts_removed=sorted(set(base.accounts) - set(head.accounts)),
    )
    diff.accounts_moved = sorted(
        (account, base.accounts[account], head.accounts[account])
        for account in set(base.accounts) & set(head.accounts)
        if base.accounts[account] != head.accounts[account]
    )
    for org_id in sorted(set(base.organisations) | set(head.organisations)):
        before, after = base.organisations.get(org_id), head.organisations.get(org_id)
        if before != after:
            diff.registry_changes.append((before, after))
    diff.moved_rights = _moved_rights(base, head)
    diff.flags = _flags(diff, head)
    return diff


def _moved_rights(
    base: State, head: State
) -> list[tuple[Assignment, str | None, str | None]]:
    """Find the rights a registry change hands to another Ministry or Department."""
    moved = []
    for assignment in sorted(head.assignments & base.assignments):
        before = base.organisations.get(assignment.org)
        after = head.organisations.get(assignment.org)
        if before and after and before.admin_mdo != after.admin_mdo:
            moved.append((assignment, before.admin_mdo, after.admin_mdo))
    return moved


def _flags(diff: RightsDiff, head: State) -> list[str]:
    """Name the changes that matter most, in the order a reviewer should read them."""
    flags = []
    for grant in diff.granted:
        org = head.organisations.get(grant.org)
        if grant.role in POWERFUL_ROLES:
            flags.append(
                f"new {grant.role} for {grant.account} at {grant.org} "
                f"({grant.environment}) in {grant.path}:{grant.line}"
            )
        if org is not None and org.cti and grant.role in POWERFUL_ROLES:
            flags.append(
                f"{grant.role} reaches {grant.org}, a Central Training Institute"
            )
    for delegation in diff.delegations_added:
        flags.append(
            f"new delegation of {delegation.right} by {delegation.mdo} "
            f"to {delegation.org}"
        )
    for assignment, before, after in diff.moved_rights:
        flags.append(
            f"registry change: {assignment.role} of {assignment.account} at "
            f"{assignment.org} ({assignment.environment}) moves from {before} "
            f"to {after}"
        )
    return list(dict.fromkeys(flags))
