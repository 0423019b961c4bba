"""``karmalint export``: the gate before a sync, writing the role-assignment requests.

It runs the checks first and writes nothing while an unsuppressed error
remains.  Otherwise it writes the requests of the platform's role-assignment
API for one environment: the full state, or a plan against a previous export.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import Any

import click

from karmalint.cli import EXIT_FINDINGS, EXIT_OK, crash_guard
from karmalint.commands.options import check_options, prepare, run, settings_for
from karmalint.engine import CheckResult
from karmalint.export import (
    ADD,
    ENVIRONMENTS,
    REMOVE,
    ExportFileError,
    Plan,
    State,
    desired_state,
    diff_plan,
    full_plan,
    read_state,
    render,
    table,
)
from karmalint.finding import Severity
from karmalint.formats.common import plural
from karmalint.formats.text import format_text


@click.command()
@check_options
@click.option(
    "--env",
    "environment",
    type=click.Choice(ENVIRONMENTS),
    default="production",
    show_default=True,
    help="Environment whose role assignments are exported.",
)
@click.option(
    "--against",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A previous full export: write only the adds and removes since then.",
)
@click.option(
    "--output",
    "export_output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="JSON file to write the requests to.",
)
@click.option(
    "--dry-run", is_flag=True, help="Print the plan as a table and write nothing."
)
@click.pass_context
@crash_guard
def export(
    context: click.Context,
    /,
    environment: str,
    against: Path | None,
    export_output: Path | None,
    dry_run: bool,
    **params: Any,
) -> None:
    """Check the manifests, then write their role assignments as API requests.

    The file contains the requests of POST /private/user/v2/assign/role, one
    per account and organisation. Nothing is written while an unsuppressed
    error remains (exit status 1). Without --against, every role is an add.
    With it, only the changes since that export are written.
    """
    if export_output is None and not dry_run:
        raise click.UsageError(
            "missing --output FILE: give one, or --dry-run to print the plan"
        )
    if against is not None and params.get("paths"):
        # A plan from some files against an export of all of them would
        # remove every role of the accounts in the other files.
        raise click.UsageError(
            "--against compares whole exports: run it without paths, on the "
            "whole manifests root"
        )
    previous = _read_previous(against)
    result = _checked(context, params)
    _exit_on_errors(result)
    desired = desired_state(result, environment)
    plan = full_plan(desired) if previous is None else diff_plan(previous, desired)
    if dry_run:
        click.echo(table(plan), nl=False)
    else:
        assert export_output is not None
        _write(export_output, render(plan))
    click.echo(_summary(plan, export_output, dry_run), err=True)
    sys.exit(EXIT_OK)


def _read_previous(against: Path | None) -> State | None:
    if against is None:
        return None
    try:
        return read_state(against)
    except ExportFileError as error:
        raise click.UsageError(
            f"--against: {error}. Give a file that `karmalint export` wrote "
            "without --against"
        ) from None


def _checked(context: click.Context, params: dict[str, Any]) -> CheckResult:
    """Run the check without a baseline or a severity floor, so every error counts."""
    params.update(fail_on="error", min_severity="info", baseline=None, diff_base=None)
    settings = settings_for(context, params)
    settings.baseline = None
    settings.min_severity = "info"
    with contextlib.chdir(settings.root):
        policy, schemas, options = prepare(settings)
        return run(options, policy, schemas)


def _exit_on_errors(result: CheckResult) -> None:
    errors = [
        finding
        for finding in result.findings
        if finding.severity >= Severity.ERROR and finding.suppression is None
    ]
    if not errors:
        return
    click.echo(format_text(result, colour=False), nl=False)
    click.echo(
        f"karmalint: nothing written: fix {plural(len(errors), 'error')} "
        "and export again",
        err=True,
    )
    sys.exit(EXIT_FINDINGS)


def _write(target: Path, text: str) -> None:
    """Replace ``target`` in one step, so that a reader never sees half a file."""
    temporary = target.with_name(f".{target.name}.partial")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(text, encoding="utf-8", newline="\n")
        os.replace(temporary, target)
    except OSError as error:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
        raise click.UsageError(f"cannot write {target}: {error.strerror}") from None


def _summary(plan: Plan, target: Path | None, dry_run: bool) -> str:
    counts = (
        f"{plural(plan.requests, 'request')} ({plural(plan.count(ADD), 'add')}, "
        f"{plural(plan.count(REMOVE), 'remove')})"
    )
    if dry_run:
        return f"dry run: would write {counts}" + (f" to {target}" if target else "")
    return f"wrote {counts} to {target}"
