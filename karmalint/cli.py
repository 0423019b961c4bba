"""The ``karmalint`` command line: options in, one library call, an exit code out."""

from __future__ import annotations

import functools
import logging
import os
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

import click

from karmalint import __version__
from karmalint.engine import CheckOptions, run_check
from karmalint.finding import Problem, Severity
from karmalint.policy import BUILTIN_RULES, Policy, PolicyLoadError, load_policy
from karmalint.report import format_json, format_text
from karmalint.resources import default_folder
from karmalint.schema import SchemaSet
from karmalint.suggest import did_you_mean
from karmalint.yamlload import Limits

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_CRASH = 0, 1, 2, 3
DEFAULTS = Limits()
MAX_DEPTH_CEILING = 200
DEFAULT_MANIFESTS = Path("manifests")

log = logging.getLogger("karmalint")
F = TypeVar("F", bound=Callable[..., Any])


def _split_rules(value: str | None) -> frozenset[str]:
    if not value:
        return frozenset()
    return frozenset(part.strip() for part in value.split(",") if part.strip())


def _crash_guard(function: F) -> F:
    """Turn an unexpected exception into a one-line message and exit code 3."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as error:
            if click.get_current_context().find_root().params.get("debug"):
                raise
            click.echo(
                f"karmalint: internal error: {type(error).__name__}: {error} "
                "(run with --debug for the traceback)",
                err=True,
            )
            sys.exit(EXIT_CRASH)

    return wrapper  # type: ignore[return-value]


def _print_policy_problems(problems: list[Problem]) -> None:
    for problem in problems:
        span = problem.span
        click.echo(
            f"{problem.path}:{span.line}:{span.column}: error: {problem.message} "
            "[policy]",
            err=True,
        )


def _load(policy_path: Path | None) -> tuple[Policy, SchemaSet]:
    schemas = SchemaSet(default_folder("schemas"))
    location = policy_path or default_folder("policy")
    log.info("policy: %s, schemas: %s", location, default_folder("schemas"))
    try:
        return load_policy(location, schemas), schemas
    except PolicyLoadError as error:
        _print_policy_problems(error.problems)
        click.echo(f"karmalint: invalid policy at {location}", err=True)
        sys.exit(EXIT_USAGE)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="karmalint")
@click.option("--debug", is_flag=True, help="Show the traceback of an internal error.")
@click.option(
    "-v", "--verbose", is_flag=True, help="Log what karmalint reads, on stderr."
)
def main(debug: bool, verbose: bool) -> None:
    """Check iGOT Karmayogi rights manifests against the DoPT rights policy."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="karmalint: %(message)s",
    )


def _check_paths_exist(paths: list[Path], default: bool) -> None:
    """Raise a usage error for a path that does not exist."""
    for path in paths:
        if path.exists() or path.is_symlink():
            continue
        if default:
            raise click.UsageError(
                "no manifests folder in the working directory; "
                "run karmalint in the repository or name the files to check"
            )
        raise click.UsageError(f"{path}: no such file or folder")


def _context_for(paths: list[Path]) -> list[Path]:
    """Return ./manifests as context when the paths are some of its files."""
    if not paths or not DEFAULT_MANIFESTS.is_dir():
        return []
    root = DEFAULT_MANIFESTS.resolve()
    if all(path.resolve().is_relative_to(root) for path in paths):
        return [DEFAULT_MANIFESTS]
    return []


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--policy",
    "policy_path",
    type=click.Path(exists=True, path_type=Path),
    help="Policy file or folder; default ./policy, else the packaged policy.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Report format on stdout.",
)
@click.option("--select", help="Comma-separated rule ids: report only these.")
@click.option("--ignore", help="Comma-separated rule ids: do not report these.")
@click.option("--no-color", is_flag=True, help="Never colour the text report.")
@click.option(
    "--max-file-size",
    type=click.IntRange(1),
    default=DEFAULTS.max_file_size,
    show_default=True,
    help="Largest manifest file read, in bytes.",
)
@click.option(
    "--max-documents",
    type=click.IntRange(1),
    default=DEFAULTS.max_documents,
    show_default=True,
    help="Most YAML documents in one file.",
)
@click.option(
    "--max-depth",
    # Deeper documents would exhaust the schema validator's recursion.
    type=click.IntRange(1, MAX_DEPTH_CEILING),
    default=DEFAULTS.max_depth,
    show_default=True,
    help="Deepest nesting of mappings and lists.",
)
@click.option(
    "--max-alias-nodes",
    type=click.IntRange(0),
    default=DEFAULTS.max_alias_nodes,
    show_default=True,
    help="Most nodes that aliases may add to one document.",
)
@click.option(
    "--max-line-length",
    type=click.IntRange(1),
    default=DEFAULTS.max_line_length,
    show_default=True,
    help="Longest line, in characters.",
)
@_crash_guard
def check(
    paths: tuple[Path, ...],
    policy_path: Path | None,
    output_format: str,
    select: str | None,
    ignore: str | None,
    no_color: bool,
    **limits: int,
) -> None:
    """Check manifests (default: ./manifests) and report every finding.

    Exit status: 0 without errors, 1 when an error was found, 2 for a usage or
    policy problem, 3 for an internal error.
    """
    policy, schemas = _load(policy_path)
    selected, ignored = _split_rules(select), _split_rules(ignore)
    unknown = sorted((selected | ignored) - set(policy.rules) - set(BUILTIN_RULES))
    if unknown:
        rule_id = unknown[0]
        raise click.UsageError(
            f"unknown rule id {rule_id}{did_you_mean(rule_id, policy.rules)}; "
            "`karmalint rules` lists the rules of the policy"
        )
    targets = list(paths) or [DEFAULT_MANIFESTS]
    _check_paths_exist(targets, default=not paths)
    options = CheckOptions(
        paths=targets,
        context=_context_for(list(paths)),
        select=selected or None,
        ignore=ignored,
        limits=replace(DEFAULTS, **limits),
    )
    result = run_check(options, policy, schemas)
    if not result.files:
        shown = ", ".join(str(path) for path in targets)
        raise click.UsageError(f"no *.yaml or *.yml files found in {shown}")

    if output_format == "json":
        click.echo(format_json(result), nl=False)
    else:
        colour = not no_color and "NO_COLOR" not in os.environ and sys.stdout.isatty()
        click.echo(format_text(result, colour), nl=False, color=colour)
    failed = any(finding.severity == Severity.ERROR for finding in result.findings)
    sys.exit(EXIT_FINDINGS if failed else EXIT_OK)


@main.command()
@click.option(
    "--policy",
    "policy_path",
    type=click.Path(exists=True, path_type=Path),
    help="Policy file or folder; default ./policy, else the packaged policy.",
)
@_crash_guard
def rules(policy_path: Path | None) -> None:
    """List the rules of the active policy with severity, summary and basis."""
    policy, _ = _load(policy_path)
    for rule in sorted(policy.rules.values(), key=lambda r: r.id):
        state = "" if rule.enabled else " (disabled)"
        click.echo(
            f"{rule.id} [{rule.severity}]{state}\n    {rule.summary}\n"
            f"    basis: {rule.basis}"
        )
