"""``karmalint explain`` and ``karmalint who-can``: questions about one right."""

from __future__ import annotations

import contextlib
import sys
from typing import Any

import click

from karmalint.cli import EXIT_OK, crash_guard
from karmalint.commands.options import check_options, prepare, run, settings_for
from karmalint.engine import CheckResult
from karmalint.explain import explain_account, who_can
from karmalint.suggest import did_you_mean

ROLE_CODES = (
    "MDO_LEADER",
    "MDO_ADMIN",
    "CONTENT_CREATOR",
    "CONTENT_REVIEWER",
    "CONTENT_PUBLISHER",
)


def _check_all(context: click.Context, params: dict[str, Any]) -> CheckResult:
    params.update(fail_on="error", min_severity="info", baseline=None, diff_base=None)
    settings = settings_for(context, params)
    settings.paths = []
    with contextlib.chdir(settings.root):
        policy, schemas, options = prepare(settings)
        return run(options, policy, schemas)


@click.command()
@click.argument("account")
@click.option("--role", type=click.Choice(ROLE_CODES), help="Explain only this role.")
@check_options
@click.pass_context
@crash_guard
def explain(
    context: click.Context, /, account: str, role: str | None, **params: Any
) -> None:
    """Show, for each right ACCOUNT holds, the chain of facts that allows it."""
    result = _check_all(context, params)
    assert result.context is not None
    if account not in result.context.accounts:
        hint = did_you_mean(account, result.context.accounts)
        raise click.UsageError(f"no account {account} in the manifests{hint}")
    explanations = explain_account(result, account, role)
    if not explanations:
        click.echo(f"{account} does not hold {role}")
    for item in explanations:
        click.echo(f"{item.role} for {item.account} at {item.org}:")
        for step in item.steps:
            click.echo(f"  {step}")
        for finding in item.findings:
            click.echo(f"  not allowed: {finding.message} [{finding.rule}]")
    sys.exit(EXIT_OK)


@click.command("who-can")
@click.argument("role", type=click.Choice(ROLE_CODES))
@click.option("--org", "org_id", required=True, help="The organisation asked about.")
@click.option(
    "--env",
    "environment",
    type=click.Choice(["production", "staging"]),
    help="Only accounts in this environment.",
)
@check_options
@click.pass_context
@crash_guard
def who_can_command(
    context: click.Context,
    /,
    role: str,
    org_id: str,
    environment: str | None,
    **params: Any,
) -> None:
    """List the accounts that hold ROLE for an organisation, with the basis of each."""
    result = _check_all(context, params)
    assert result.context is not None
    orgs = result.context.graph.orgs
    if org_id not in orgs:
        raise click.UsageError(
            f"no organisation {org_id} in the registry{did_you_mean(org_id, orgs)}"
        )
    holders = who_can(result, role, org_id, environment)
    if not holders:
        click.echo(f"no account holds {role} for {org_id}")
    for holder in holders:
        envs = ", ".join(holder.environments)
        click.echo(
            f"{holder.account} ({envs}): {holder.basis} [{holder.path}:{holder.line}]"
        )
    sys.exit(EXIT_OK)
