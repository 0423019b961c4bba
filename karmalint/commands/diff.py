"""``karmalint diff BASE [HEAD]``: the rights change between two states."""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from karmalint.cli import EXIT_FINDINGS, EXIT_OK, crash_guard
from karmalint.commands.options import check_options, prepare, run, settings_for
from karmalint.engine import CheckResult
from karmalint.finding import Severity
from karmalint.formats.text import format_text
from karmalint.gitbase import GitError, check_at_revision
from karmalint.review import RightsDiff, compare, state_of


def _load(revision: str | None, runner: Callable[[], CheckResult]) -> CheckResult:
    """Check a folder, a git revision, or (with None) the working tree."""
    if revision is None:
        return runner()
    if Path(revision).is_dir():
        with contextlib.chdir(revision):
            return runner()
    try:
        return check_at_revision(revision, runner)
    except GitError as error:
        raise click.UsageError(
            f"{revision} is neither a folder nor a git revision: {error}"
        ) from None


@click.command()
@click.argument("base")
@click.argument("head", required=False)
@check_options
@click.option(
    "--format",
    "output_format",
    default="text",
    show_default=True,
    type=click.Choice(["text", "json", "markdown"]),
    help="Report format.",
)
@click.option(
    "--fail-on-findings",
    is_flag=True,
    help="Also check HEAD and exit 1 if an error remains.",
)
@click.pass_context
@crash_guard
def diff(context: click.Context, /, base: str, head: str | None, **params: Any) -> None:
    """Show the rights that HEAD (default: the working tree) grants or revokes.

    BASE and HEAD are git revisions or folders holding the manifests.
    """
    output_format = params.pop("output_format")
    fail_on_findings = params.pop("fail_on_findings")
    params.update(fail_on="error", min_severity="info", baseline=None, diff_base=None)
    settings = settings_for(context, params)
    with contextlib.chdir(settings.root):
        policy, schemas, options = prepare_for_diff(settings)

        def runner() -> CheckResult:
            return run(options, policy, schemas)

        before = _load(base, runner)
        after = _load(head, runner)
    changes = compare(state_of(before), state_of(after))

    if output_format == "json":
        click.echo(json.dumps(as_json(changes), indent=2, sort_keys=True))
    elif output_format == "markdown":
        click.echo(as_markdown(changes, after), nl=False)
    else:
        click.echo(as_text(changes), nl=False)
    if fail_on_findings:
        errors = [
            f
            for f in after.findings
            if f.severity == Severity.ERROR and f.suppression is None
        ]
        if errors:
            click.echo(format_text(after, colour=False), nl=False, err=True)
            sys.exit(EXIT_FINDINGS)
    sys.exit(EXIT_OK)


def prepare_for_diff(settings: Any) -> Any:
    """Prepare a run of the whole manifests root, whichever state it is read in."""
    settings.paths = []
    return prepare(settings)


def as_json(changes: RightsDiff) -> dict[str, Any]:
    """Return the changes as plain data."""

    def grant(a: Any) -> dict[str, Any]:
        return {
            "account": a.account,
            "role": a.role,
            "org": a.org,
            "environment": a.environment,
            "mdo": a.mdo,
            "path": a.path,
            "line": a.line,
        }

    def delegation(d: Any) -> dict[str, str]:
        return {"mdo": d.mdo, "org": d.org, "right": d.right}

    return {
        "granted": [grant(a) for a in changes.granted],
        "revoked": [grant(a) for a in changes.revoked],
        "delegations_added": [delegation(d) for d in changes.delegations_added],
        "delegations_removed": [delegation(d) for d in changes.delegations_removed],
        "accounts_added": changes.accounts_added,
        "accounts_removed": changes.accounts_removed,
        "accounts_moved": [
            {"account": a, "from": before, "to": after}
            for a, before, after in changes.accounts_moved
        ],
        "registry_changes": [
            {
                "org": (after or before).id,  # type: ignore[union-attr]
                "before": _org_text(before),
                "after": _org_text(after),
            }
            for before, after in changes.registry_changes
        ],
        "moved_rights": [
            {**grant(a), "from_mdo": before, "to_mdo": after}
            for a, before, after in changes.moved_rights
        ],
        "flags": changes.flags,
    }


def _org_text(org: Any) -> str | None:
    if org is None:
        return None
    cti = ", CTI" if org.cti else ""
    return f"{org.type}{cti} under {org.parent or '(none)'}"


def _lines(changes: RightsDiff) -> list[str]:
    lines = [f"! {flag}" for flag in changes.flags]
    for sign, items in (("+", changes.granted), ("-", changes.revoked)):
        lines += [
            f"{sign} {a.role} for {a.account} at {a.org} ({a.environment}) "
            f"[{a.path}:{a.line}]"
            for a in items
        ]
    for sign, facts in (
        ("+", changes.delegations_added),
        ("-", changes.delegations_removed),
    ):
        lines += [
            f"{sign} delegation of {d.right} by {d.mdo} to {d.org}" for d in facts
        ]
    lines += [f"+ account {a}" for a in changes.accounts_added]
    lines += [f"- account {a}" for a in changes.accounts_removed]
    lines += [
        f"~ account {a} moves from {b} to {c}" for a, b, c in changes.accounts_moved
    ]
    for before, after in changes.registry_changes:
        org = (after or before).id  # type: ignore[union-attr]
        lines.append(f"~ registry {org}: {_org_text(before)} -> {_org_text(after)}")
    return lines


def as_text(changes: RightsDiff) -> str:
    """Render one change a line: ! flags, + grants, - revocations, ~ moves."""
    if changes.is_empty():
        return "no change to rights\n"
    return "\n".join(_lines(changes)) + "\n"


def as_markdown(changes: RightsDiff, after: CheckResult) -> str:
    """Render a pull-request comment with the flagged changes first and a picture."""
    from karmalint.graphview import mermaid_for

    if changes.is_empty():
        return "### karmalint: no change to rights\n"
    parts = ["### karmalint: rights changed by this pull request", ""]
    if changes.flags:
        parts += ["**Look at these first:**", ""]
        parts += [f"- {flag}" for flag in changes.flags] + [""]
    parts += ["```diff"] + [
        line for line in _lines(changes) if not line.startswith("!")
    ]
    parts += ["```", ""]
    if changes.changed_mdos:
        parts += [
            "```mermaid",
            mermaid_for(after, changes.changed_mdos).rstrip(),
            "```",
            "",
        ]
    return "\n".join(parts)
