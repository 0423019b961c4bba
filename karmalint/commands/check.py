"""``karmalint check``: check manifests and report every finding."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from karmalint import __version__, cache
from karmalint.baseline import BaselineError, read_baseline
from karmalint.cli import EXIT_FINDINGS, EXIT_OK, crash_guard
from karmalint.commands.options import (
    FORMAT_NAMES,
    check_options,
    prepare,
    run,
    settings_for,
)
from karmalint.engine import CheckOptions, CheckResult, known_rules
from karmalint.finding import Severity
from karmalint.formats import FORMATS, Report
from karmalint.formats.text import format_text
from karmalint.gitbase import GitError, check_at_revision
from karmalint.parallel import default_jobs
from karmalint.policy import Policy
from karmalint.resources import default_folder
from karmalint.schema import SchemaSet
from karmalint.settings import Settings, describe

if TYPE_CHECKING:
    # click 8.5 made ParamType generic; older releases cannot subscript it.
    _ParamType = click.ParamType[str, Any]
else:
    _ParamType = click.ParamType


class FormatSpec(_ParamType):
    """A report format name, optionally with ``=FILE``."""

    name = "format"

    def convert(self, value: Any, param: Any, ctx: Any) -> str:
        name, equals, file = str(value).partition("=")
        if name not in FORMAT_NAMES:
            self.fail(f"{name!r} is not one of {', '.join(FORMAT_NAMES)}", param, ctx)
        if equals and not file:
            self.fail(f"{value!r} names no file after =", param, ctx)
        return str(value)


@click.command()
@check_options
@click.option(
    "--format",
    "output_format",
    multiple=True,
    type=FormatSpec(),
    metavar="NAME[=FILE]",
    help=f"Report format ({', '.join(FORMAT_NAMES)}), written to FILE if given; "
    "repeat to write several reports.",
)
@click.option(
    "--output",
    multiple=True,
    type=click.Path(path_type=Path),
    help="File for the report of the --format at the same position.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "never"]),
    default="error",
    show_default=True,
    help="Lowest severity that makes the exit status 1.",
)
@click.option(
    "--min-severity",
    type=click.Choice(["info", "warning", "error"]),
    default="info",
    show_default=True,
    help="Lowest severity included in the reports.",
)
@click.option(
    "--baseline",
    type=click.Path(path_type=Path),
    help="Report only findings that this baseline file does not list.",
)
@click.option(
    "--diff-base",
    metavar="REF",
    help="Report only findings that are new since the git revision REF.",
)
@click.option(
    "--show-config",
    is_flag=True,
    help="Print the resolved settings and where each came from, then exit.",
)
@click.option("--no-color", is_flag=True, help="Never colour the text report.")
@click.option(
    "--jobs",
    type=click.IntRange(0),
    default=0,
    help="Processes to share the files between; 0 (the default) for one per "
    "core, 1 to check in this process only.",
)
@click.option(
    "--no-cache",
    is_flag=True,
    help="Check every file again instead of reusing .karmalint_cache/.",
)
@click.pass_context
@crash_guard
def check(context: click.Context, /, **params: Any) -> None:
    """Check manifests (default: ./manifests) and report every finding.

    Exit status: 0 without errors, 1 when an error was found (or a warning,
    with --fail-on warning), 2 for a usage or policy problem, 3 for an
    internal error.
    """
    settings = settings_for(context, params)
    if params["show_config"]:
        click.echo(describe(settings), nl=False)
        sys.exit(EXIT_OK)
    _check_outputs(settings)
    # Finding paths are relative to the project root, wherever the command
    # was started, so that baselines and fingerprints match.
    with contextlib.chdir(settings.root):
        policy, schemas, options = prepare(settings)
        options.jobs = settings.jobs or default_jobs()
        if settings.baseline is not None:
            try:
                options.baseline = read_baseline(settings.baseline)
            except BaselineError as error:
                raise click.UsageError(str(error)) from None
        result = _cached_run(options, policy, schemas, use_cache=not params["no_cache"])
        if settings.diff_base is not None:
            result = _new_since(
                settings.diff_base, result, lambda: run(options, policy, schemas)
            )

    report = Report(result, known_rules(policy), __version__)
    _write_reports(report, settings, colour=_colour(params["no_color"]))
    sys.exit(EXIT_FINDINGS if _fails(result, settings.fail_on) else EXIT_OK)


def _cached_run(
    options: CheckOptions, policy: Policy, schemas: SchemaSet, use_cache: bool
) -> CheckResult:
    """Run the check, or take its result from the cache when nothing changed."""
    if not use_cache:
        return run(options, policy, schemas)
    options.summaries = True
    key = cache.cache_key(options, policy, default_folder("schemas"))
    result = cache.load(key)
    if result is None:
        result = run(options, policy, schemas)
        cache.store(key, result)
    return result


def _check_outputs(settings: Settings) -> None:
    to_stdout = [name for name, output in settings.formats if output is None]
    if len(to_stdout) > 1:
        raise click.UsageError(
            f"formats {', '.join(to_stdout)} would all go to stdout; "
            "give each but one an --output file"
        )


def _new_since(revision: str, result: CheckResult, rerun: Any) -> CheckResult:
    """Keep the findings whose fingerprint the revision's tree does not have."""
    try:
        base = check_at_revision(revision, rerun)
    except GitError as error:
        raise click.UsageError(str(error)) from None
    except click.UsageError:
        # The revision has no manifests at these paths, so every finding is new.
        return result
    known = {finding.fingerprint for finding in base.findings}
    new = [finding for finding in result.findings if finding.fingerprint not in known]
    return dataclasses.replace(result, findings=new)


def _colour(no_color: bool) -> bool:
    return not no_color and "NO_COLOR" not in os.environ and sys.stdout.isatty()


def _write_reports(report: Report, settings: Settings, colour: bool) -> None:
    """Write each report to its file or stdout; the text report goes to stdout too."""
    printed = False
    for name, output in settings.formats:
        if output is None:
            text = format_text(report.result, colour) if name == "text" else None
            click.echo(text or FORMATS[name](report), nl=False, color=colour)
            printed = True
            continue
        try:
            output.parent.mkdir(parents=True, exist_ok=True)
            output.write_text(FORMATS[name](report), encoding="utf-8")
        except OSError as error:
            raise click.UsageError(f"cannot write {output}: {error.strerror}") from None
    if not printed:
        click.echo(format_text(report.result, colour), nl=False, color=colour)


def _fails(result: CheckResult, fail_on: str) -> bool:
    if fail_on == "never":
        return False
    threshold = Severity.parse(fail_on)
    return any(
        finding.severity >= threshold and finding.suppression is None
        for finding in result.findings
    )
