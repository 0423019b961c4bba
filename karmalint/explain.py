"""Why an account holds a right, and who holds a right for an organisation.

Each answer is a chain of steps, each with the ``path:line`` where the fact
is written: the account entry, who granted it and their approval, the
delegation that lets an office hold it, and the registry entries that place
the office under its administrative Ministry/Department.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from karmalint.attributes import Context
from karmalint.engine import CheckResult
from karmalint.finding import Finding, Severity
from karmalint.model import Account, Located, RightsFile


@dataclass(frozen=True, slots=True)
class Step:
    """One fact of a chain and where it is written."""

    path: str
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.text}"


@dataclass(slots=True)
class Explanation:
    """The chain behind one role of one account, and the findings against it."""

    account: str
    role: str
    org: str
    steps: list[Step] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def _step(node: Located, text: str, *keys: str | int) -> Step:
    span, _ = node.span(*keys)
    return Step(node.path, span.line, text)


def _registry_chain(context: Context, org_id: str) -> list[Step]:
    """Place an organisation under its administrative Ministry/Department."""
    graph = context.graph
    steps = []
    for ancestor in graph.chain(org_id):
        org = graph.orgs[ancestor]
        cti = ", a Central Training Institute" if org.cti else ""
        above = f", under {org.parent}" if org.parent else ""
        steps.append(_step(org.node, f"{org.id} is a {org.type}{cti}{above}", "id"))
        if ancestor == graph.admin_mdo(org_id):
            break
    return steps


def _approval_steps(account: Account) -> list[Step]:
    approval = account.node.entry().get("approval")
    if not isinstance(approval, dict):
        return []
    text = (
        f"{account.id} approved by {approval.get('by')}, "
        f"{approval.get('reference')} of {approval.get('date')}"
    )
    return [_step(account.node, text, "approval")]


def _grant_steps(account: Account, rights_file: RightsFile) -> list[Step]:
    """Say who granted the account its roles, and how the granter was approved."""
    granter_id = account.granted_by
    if granter_id is None:
        return []
    if granter_id == rights_file.nodal_email:
        text = f"granted by {granter_id}, the nodal officer of {rights_file.mdo}"
        return [_step(rights_file.node, text, "nodal_officer")]
    granter = rights_file.account(granter_id)
    if granter is None:
        return [
            _step(
                account.node,
                f"granted by {granter_id}, not an account of this file",
                "granted_by",
            )
        ]
    roles = ", ".join(role for _, role in granter.roles)
    steps = [
        _step(
            granter.node,
            f"granted by {granter_id}, holding {roles} at {granter.org}",
            "id",
        )
    ]
    approval = granter.node.entry().get("approval")
    if isinstance(approval, dict):
        text = (
            f"{granter_id} approved by {approval.get('by')}, "
            f"{approval.get('reference')} of {approval.get('date')}"
        )
        steps.append(_step(granter.node, text, "approval"))
    return steps


def _delegation_steps(context: Context, account: Account, role: str) -> list[Step]:
    rights_file = account.rights_file
    assert account.org is not None
    if role not in context.delegated_rights(rights_file, account.org):
        return []
    chain = context.graph.chain(account.org)
    return [
        _step(
            delegation.node,
            f"{rights_file.mdo} delegates {role} to {delegation.org}",
            "org",
        )
        for delegation in rights_file.delegations
        if delegation.org in chain and role in {r for _, r in delegation.rights}
    ]


def explain_account(
    result: CheckResult, account_id: str, role: str | None = None
) -> list[Explanation]:
    """Explain each right of an account, or only ``role``."""
    context = result.context
    assert context is not None
    account = context.accounts.get(account_id)
    if account is None or account.org is None:
        return []
    explanations = []
    for index, held in account.roles:
        if role is not None and held != role:
            continue
        keys: tuple[str | int, ...] = (
            ("roles", index) if index is not None else ("roles",)
        )
        envs = ", ".join(account.environments)
        steps = [
            _step(
                account.node,
                f"{account_id} holds {held} at {account.org} ({envs})",
                *keys,
            )
        ]
        steps += _approval_steps(account)
        steps += _grant_steps(account, account.rights_file)
        if account.org in context.graph:
            steps += _delegation_steps(context, account, held)
            steps += _registry_chain(context, account.org)
        span, _ = account.node.span(*keys)
        findings = [
            f
            for f in result.findings
            if f.path == account.node.path
            and f.line == span.line
            and f.column == span.column
            and f.severity >= Severity.WARNING
        ]
        explanations.append(Explanation(account_id, held, account.org, steps, findings))
    return explanations


@dataclass(frozen=True, slots=True)
class Holder:
    """An account that holds a role for an organisation, and on what basis."""

    account: str
    org: str
    environments: tuple[str, ...]
    basis: str
    path: str
    line: int


def who_can(
    result: CheckResult, role: str, org_id: str, environment: str | None = None
) -> list[Holder]:
    """List the accounts that hold ``role`` for ``org_id``, through the hierarchy.

    An account holds a role for an organisation when it has the role at that
    organisation or at one above it, up to its administrative
    Ministry/Department.  Publishing is answered at the Ministry/Department
    only, since publishing rights stay there (OM paras 2 and 4).
    """
    context = result.context
    assert context is not None
    graph = context.graph
    admin_mdo = graph.admin_mdo(org_id)
    chain = graph.chain(org_id)
    if admin_mdo in chain:
        chain = chain[: chain.index(admin_mdo) + 1]
    holders = []
    for account in context.accounts.values():
        if account.org not in chain or role not in {r for _, r in account.roles}:
            continue
        if environment is not None and environment not in account.environments:
            continue
        if role == "CONTENT_PUBLISHER" and account.org != admin_mdo:
            continue
        holders.append(_holder(context, account, role, org_id, admin_mdo))
    return sorted(holders, key=lambda h: (h.org != org_id, h.org, h.account))


def _holder(
    context: Context, account: Account, role: str, org_id: str, admin_mdo: str | None
) -> Holder:
    assert account.org is not None
    span, _ = account.node.span("id")
    if account.org == org_id:
        basis = f"{role} at {org_id} itself"
        if role in context.delegated_rights(account.rights_file, org_id):
            basis += f", delegated by {account.rights_file.mdo}"
    elif account.org == admin_mdo:
        basis = (
            f"{role} of {admin_mdo}, the administrative Ministry/Department of {org_id}"
        )
    else:
        basis = f"{role} at {account.org}, an office above {org_id}"
    return Holder(
        account.id,
        account.org,
        account.environments,
        basis,
        account.node.path,
        span.line,
    )
