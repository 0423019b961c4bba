"""The ``karmalint`` command line: a click group and the helpers its commands share.

Each command lives in ``karmalint/commands/``: it turns options into one
object, calls the library, and maps the outcome to an exit code.
"""

from __future__ import annotations

import functools
import gc
import importlib
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from karmalint import __version__

if TYPE_CHECKING:
    from karmalint.finding import Problem
    from karmalint.policy import Policy
    from karmalint.schema import SchemaSet

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_CRASH = 0, 1, 2, 3

log = logging.getLogger("karmalint")
F = TypeVar("F", bound=Callable[..., Any])


def crash_guard(function: F) -> F:
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


def load_policy_or_exit(policy_path: Path | None) -> tuple[Policy, SchemaSet]:
    """Load the policy and schemas, or print the policy's problems and exit 2."""
    from karmalint.policy import PolicyLoadError, load_policy
    from karmalint.resources import default_folder
    from karmalint.schema import SchemaSet

    schemas = SchemaSet(default_folder("schemas"))
    location = policy_path or default_folder("policy")
    log.info("policy: %s, schemas: %s", location, default_folder("schemas"))
    try:
        return load_policy(location, schemas), schemas
    except PolicyLoadError as error:
        _print_policy_problems(error.problems)
        click.echo(f"karmalint: invalid policy at {location}", err=True)
        sys.exit(EXIT_USAGE)


# Each command's module is imported only when the command runs, so that
# `karmalint --version` does not pay for jsonschema, networkx and the formats.
COMMANDS = {
    "check": "karmalint.commands.check:check",
    "baseline": "karmalint.commands.baseline:baseline",
    "rules": "karmalint.commands.rules:rules",
    "diff": "karmalint.commands.diff:diff",
    "explain": "karmalint.commands.explain:explain",
    "who-can": "karmalint.commands.explain:who_can_command",
    "graph": "karmalint.commands.graph:graph",
    "export": "karmalint.commands.export:export",
}


class LazyGroup(click.Group):
    """A group that imports a command's module when the command is used."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, _, attribute = target.partition(":")
        command = getattr(importlib.import_module(module_name), attribute)
        assert isinstance(command, click.Command)
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
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


def run() -> None:
    """Run the command line as a program: the console script and ``python -m``.

    A command reads every manifest, builds a few objects per YAML node and
    frees few of them before the process exits.  The cycle collector would
    walk all of them several times for almost nothing, so it is switched
    off for the process.  Tests call ``main`` and keep the collector on.
    """
    gc.disable()
    main()
