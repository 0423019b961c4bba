"""Options shared by the commands that run a check, and the run itself."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from karmalint.cli import load_policy_or_exit
from karmalint.config import FORMAT_NAMES, ConfigError, load_config
from karmalint.engine import CheckOptions, CheckResult, run_check
from karmalint.finding import Severity
from karmalint.policy import BUILTIN_RULES, Policy
from karmalint.schema import SchemaSet
from karmalint.settings import Settings, apply_severities, resolve
from karmalint.suggest import did_you_mean
from karmalint.yamlload import Limits

DEFAULTS = Limits()
# Deeper documents would exhaust the schema validator's recursion.
MAX_DEPTH_CEILING = 200

_LIMITS = (
    (
        "--max-file-size",
        DEFAULTS.max_file_size,
        1,
        "Largest manifest file read, in bytes.",
    ),
    ("--max-documents", DEFAULTS.max_documents, 1, "Most YAML documents in one file."),
    (
        "--max-alias-nodes",
        DEFAULTS.max_alias_nodes,
        0,
        "Most nodes that aliases may add to one document.",
    ),
    ("--max-line-length", DEFAULTS.max_line_length, 1, "Longest line, in characters."),
)


def check_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add the options of a check run: what to read, which rules, which limits."""
    decorators = [
        click.argument("paths", nargs=-1, type=click.Path(path_type=Path)),
        click.option(
            "--policy",
            "policy_path",
            type=click.Path(exists=True, path_type=Path),
            help="Policy file or folder; default ./policy, else the packaged one.",
        ),
        click.option(
            "--manifests",
            default="manifests",
            show_default=True,
            help="Manifests root, checked when no paths are given.",
        ),
        click.option("--select", help="Comma-separated rule ids: report only these."),
        click.option("--ignore", help="Comma-separated rule ids: do not report these."),
        click.option(
            "--max-depth",
            type=click.IntRange(1, MAX_DEPTH_CEILING),
            default=DEFAULTS.max_depth,
            show_default=True,
            help="Deepest nesting of mappings and lists.",
        ),
    ]
    for flag, default, minimum, text in _LIMITS:
        decorators.append(
            click.option(
                flag,
                type=click.IntRange(minimum),
                default=default,
                show_default=True,
                help=text,
            )
        )
    for decorator in reversed(decorators):
        command = decorator(command)
    return command


def settings_for(context: click.Context, params: dict[str, Any]) -> Settings:
    """Resolve the settings of a run, or raise a usage error for a bad configuration."""
    try:
        config = load_config(Path.cwd())
    except ConfigError as error:
        raise click.UsageError(str(error)) from None
    params.setdefault("output_format", ())
    params.setdefault("output", ())
    return resolve(context, params, config)


def _check_rule_ids(policy: Policy, settings: Settings) -> None:
    known = set(policy.rules) | set(BUILTIN_RULES)
    unknown = sorted((settings.select | settings.ignore) - known)
    if unknown:
        rule_id = unknown[0]
        raise click.UsageError(
            f"unknown rule id {rule_id}{did_you_mean(rule_id, known)}; "
            "`karmalint rules` lists the rules of the policy"
        )


def _check_paths_exist(settings: Settings) -> list[Path]:
    """Return the paths to check, raising a usage error for one that does not exist."""
    paths = settings.paths or [settings.manifests]
    for path in paths:
        if path.exists() or path.is_symlink():
            continue
        if not settings.paths:
            raise click.UsageError(
                f"no {settings.manifests} folder in the working directory; "
                "run karmalint in the repository or name the files to check"
            )
        raise click.UsageError(f"{path}: no such file or folder")
    return paths


def _relative(path: Path) -> Path:
    """Express a path relative to the working directory when it lies below it."""
    absolute = path.absolute()
    here = Path.cwd()
    return absolute.relative_to(here) if absolute.is_relative_to(here) else absolute


def _context_for(paths: list[Path], manifests: Path) -> list[Path]:
    """Return the manifests root as context when the paths are some of its files."""
    if not manifests.is_dir():
        return []
    root = manifests.resolve()
    if all(path.resolve().is_relative_to(root) for path in paths):
        return [manifests]
    return []


def prepare(settings: Settings) -> tuple[Policy, SchemaSet, CheckOptions]:
    """Load the policy and turn the settings into the engine's options."""
    policy, schemas = load_policy_or_exit(settings.policy)
    policy = apply_severities(policy, settings.severity)
    _check_rule_ids(policy, settings)
    paths = [_relative(path) for path in _check_paths_exist(settings)]
    options = CheckOptions(
        paths=paths,
        context=(
            _context_for(paths, _relative(settings.manifests)) if settings.paths else []
        ),
        select=settings.select or None,
        ignore=settings.ignore,
        limits=settings.limits,
        min_severity=Severity.parse(settings.min_severity),
    )
    return policy, schemas, options


def run(options: CheckOptions, policy: Policy, schemas: SchemaSet) -> CheckResult:
    """Run the check, or raise a usage error when the paths hold no manifest."""
    result = run_check(options, policy, schemas)
    if not result.files:
        shown = ", ".join(str(path) for path in options.paths)
        raise click.UsageError(f"no *.yaml or *.yml files found in {shown}")
    return result


__all__ = ["FORMAT_NAMES", "check_options", "prepare", "run", "settings_for"]
