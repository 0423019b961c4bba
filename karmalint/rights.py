"""The role assignments that the manifests declare, as facts to compare and query.

A check reports whether the manifests follow the rules.  These records state
what the manifests grant: which account holds which role for which
organisation in which environment, and where that is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from karmalint.engine import CheckResult
from karmalint.model import Account

PUBLIC = "PUBLIC"


@dataclass(frozen=True, slots=True, order=True)
class Assignment:
    """One role of one account for one organisation in one environment."""

    account: str
    role: str
    org: str
    environment: str
    mdo: str
    # Where the account is declared; not part of the assignment's identity,
    # so that moving lines changes no assignment.
    path: str = field(compare=False)
    line: int = field(compare=False)


def assignments(
    result: CheckResult, *, include_public: bool = False
) -> list[Assignment]:
    """List every role assignment of the rights files read, sorted.

    Accounts whose organisation is unknown are left out: they cannot be
    assigned, and ``unknown-reference`` reports them.  With
    ``include_public`` each account also gets the platform's implicit PUBLIC
    role in each of its environments.
    """
    context = result.context
    known = context.graph.orgs if context is not None else {}
    found = []
    for rights_file in result.rights_files:
        for account in rights_file.accounts:
            if account.org not in known or rights_file.mdo is None:
                continue
            found += _account_assignments(account, rights_file.mdo, include_public)
    return sorted(set(found))


def _account_assignments(
    account: Account, mdo: str, include_public: bool
) -> list[Assignment]:
    assert account.org is not None
    span, _ = account.node.span("id")
    roles = [role for _, role in account.roles]
    if include_public and PUBLIC not in roles:
        roles.append(PUBLIC)
    return [
        Assignment(
            account.id,
            role,
            account.org,
            environment,
            mdo,
            account.node.path,
            span.line,
        )
        for role in roles
        for environment in account.environments
    ]


def accounts_by_id(result: CheckResult) -> dict[str, Account]:
    """Return the first declaration of each account id."""
    return dict(result.context.accounts) if result.context is not None else {}
