"""``karmalint graph``: draw the organisation hierarchy and its rights."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import Any

import click

from karmalint.cli import EXIT_OK, crash_guard
from karmalint.commands.options import check_options, prepare, run, settings_for
from karmalint.engine import CheckResult
from karmalint.graphview import FORMATTERS, build_view
from karmalint.suggest import did_you_mean


@click.command()
@check_options
@click.option(
    "--mdo",
    metavar="ID",
    help="Draw only this organisation and those below it; default: all.",
)
@click.option(
    "--format",
    "graph_format",
    type=click.Choice(sorted(FORMATTERS)),
    default="mermaid",
    show_default=True,
    help="Mermaid flowchart, Graphviz DOT or JSON.",
)
@click.option(
    "--output",
    "graph_output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write; default: stdout.",
)
@click.pass_context
@crash_guard
def graph(
    context: click.Context,
    /,
    mdo: str | None,
    graph_format: str,
    graph_output: Path | None,
    **params: Any,
) -> None:
    """Draw the organisation hierarchy with role counts and delegations.

    Parent edges are solid, delegations dashed, and organisations that a
    finding concerns are highlighted.  The exit status is 0 when the picture
    is drawn, whatever the findings, and 2 for a usage problem such as an
    unknown --mdo.
    """
    params.update(fail_on="error", min_severity="info", baseline=None, diff_base=None)
    settings = settings_for(context, params)
    settings.baseline = None
    # The file is named from where the command started.
    target = graph_output.absolute() if graph_output is not None else None
    with contextlib.chdir(settings.root):
        policy, schemas, options = prepare(settings)
        result = run(options, policy, schemas)
    _check_mdo(result, mdo)
    view = build_view(result, None if mdo is None else {mdo})
    _write(FORMATTERS[graph_format](view), target, graph_output)
    sys.exit(EXIT_OK)


def _check_mdo(result: CheckResult, mdo: str | None) -> None:
    """Raise a usage error when --mdo names no organisation of the registry."""
    known = result.context.graph.orgs if result.context is not None else {}
    if mdo is not None and mdo not in known:
        raise click.UsageError(
            f"organisation {mdo} is not in the registry{did_you_mean(mdo, known)}",
            ctx=click.get_current_context(),
        )


def _write(text: str, target: Path | None, name: Path | None) -> None:
    if target is None:
        click.echo(text, nl=False)
        return
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    except OSError as error:
        raise click.UsageError(f"cannot write {name}: {error.strerror}") from None
