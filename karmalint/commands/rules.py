"""``karmalint rules``: list the rules of the active policy."""

from __future__ import annotations

from pathlib import Path

import click

from karmalint.cli import crash_guard, load_policy_or_exit


@click.command()
@click.option(
    "--policy",
    "policy_path",
    type=click.Path(exists=True, path_type=Path),
    help="Policy file or folder; default ./policy, else the packaged policy.",
)
@crash_guard
def rules(policy_path: Path | None) -> None:
    """List the rules of the policy with severity, summary and basis."""
    policy, _ = load_policy_or_exit(policy_path)
    for rule in sorted(policy.rules.values(), key=lambda r: r.id):
        state = "" if rule.enabled else " (disabled)"
        click.echo(
            f"{rule.id} [{rule.severity}]{state}\n    {rule.summary}\n"
            f"    basis: {rule.basis}"
        )
