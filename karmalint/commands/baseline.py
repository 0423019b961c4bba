"""``karmalint baseline``: record today's findings so that only new ones fail."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import Any

import click

from karmalint.baseline import write_baseline
from karmalint.cli import EXIT_OK, crash_guard
from karmalint.commands.options import check_options, prepare, run, settings_for
from karmalint.formats.common import plural


@click.command()
@check_options
@click.option(
    "--output",
    "baseline_output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Baseline file to write, such as .karmalint-baseline.json.",
)
@click.pass_context
@crash_guard
def baseline(context: click.Context, /, baseline_output: Path, **params: Any) -> None:
    """Write the current findings to a baseline file for `check --baseline`.

    Findings of rules that cannot be suppressed are written too, but a check
    never takes them from a baseline: they must be fixed.
    """
    params.update(fail_on="error", min_severity="info", baseline=None, diff_base=None)
    settings = settings_for(context, params)
    settings.baseline = None
    # The file is named from where the command started; the run works in the
    # project root, so that finding paths match those of `check`.
    target = baseline_output.absolute()
    with contextlib.chdir(settings.root):
        policy, schemas, options = prepare(settings)
        result = run(options, policy, schemas)
    try:
        written = write_baseline(result.findings, target)
    except OSError as error:
        raise click.UsageError(
            f"cannot write {baseline_output}: {error.strerror}"
        ) from None
    click.echo(f"wrote {plural(written, 'finding')} to {baseline_output}")
    sys.exit(EXIT_OK)
