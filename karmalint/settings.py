"""Resolve settings from command options, configuration files and defaults."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import click
from click.core import ParameterSource

from karmalint.config import PATH_KEYS, Config
from karmalint.finding import Severity
from karmalint.policy import MANDATORY_RULES, Policy
from karmalint.yamlload import Limits

DEFAULT_MANIFESTS = Path("manifests")
LIMIT_OPTIONS = (
    "max_file_size",
    "max_documents",
    "max_depth",
    "max_alias_nodes",
    "max_line_length",
)


@dataclass(slots=True)
class Settings:
    """Everything a check run needs to know, and where each value came from."""

    paths: list[Path]
    manifests: Path = DEFAULT_MANIFESTS
    policy: Path | None = None
    select: frozenset[str] = frozenset()
    ignore: frozenset[str] = frozenset()
    severity: dict[str, str] = field(default_factory=dict)
    fail_on: str = "error"
    min_severity: str = "info"
    baseline: Path | None = None
    diff_base: str | None = None
    # Processes that share the files of a check, or 0 for one per core.
    jobs: int = 0
    formats: list[tuple[str, Path | None]] = field(default_factory=list)
    limits: Limits = field(default_factory=Limits)
    sources: dict[str, str] = field(default_factory=dict)
    # The folder the run works in; paths above are absolute or relative to it.
    root: Path = field(default_factory=Path.cwd)


def _split_rules(value: str | None) -> frozenset[str]:
    if not value:
        return frozenset()
    return frozenset(part.strip() for part in value.split(",") if part.strip())


def _from_command_line(context: click.Context, name: str) -> bool:
    source = context.get_parameter_source(name)
    return source in (ParameterSource.COMMANDLINE, ParameterSource.ENVIRONMENT)


def resolve(
    context: click.Context, params: Mapping[str, Any], config: Config
) -> Settings:
    """Combine options, configuration and defaults; options win over the files."""
    # Paths named on the command line are made absolute, because the run
    # works in the configuration file's folder.
    settings = Settings(paths=[path.absolute() for path in params["paths"]])
    settings.root = config.root or Path.cwd()
    sources = settings.sources

    def pick(option: str, key: str, default: Any) -> Any:
        if _from_command_line(context, option):
            sources[key] = "command line"
            value = params[option]
            return str(Path(value).absolute()) if key in PATH_KEYS else value
        if key in config.values:
            sources[key] = config.sources[key]
            return config.values[key]
        sources[key] = "default"
        return default

    manifests = pick("manifests", "manifests", str(DEFAULT_MANIFESTS))
    settings.manifests = Path(manifests)
    policy = pick("policy_path", "policy", None)
    settings.policy = Path(policy) if policy else None
    select = pick("select", "select", None)
    settings.select = (
        _split_rules(select) if isinstance(select, str) else frozenset(select or ())
    )
    ignore = pick("ignore", "ignore", None)
    settings.ignore = (
        _split_rules(ignore) if isinstance(ignore, str) else frozenset(ignore or ())
    )
    settings.fail_on = pick("fail_on", "fail-on", "error")
    settings.min_severity = pick("min_severity", "min-severity", "info")
    baseline = pick("baseline", "baseline", None)
    settings.baseline = Path(baseline) if baseline else None
    settings.diff_base = params.get("diff_base")
    if "jobs" in params:
        settings.jobs = pick("jobs", "jobs", 0)
    settings.severity = dict(config.values.get("severity", {}))
    if settings.severity:
        sources["severity"] = config.sources["severity"]
    settings.formats = _formats(context, params, config, sources)
    limits = {name: params[name] for name in LIMIT_OPTIONS}
    settings.limits = replace(Limits(), **limits)
    return settings


def _formats(
    context: click.Context,
    params: Mapping[str, Any],
    config: Config,
    sources: dict[str, str],
) -> list[tuple[str, Path | None]]:
    """Pair formats with their files.

    ``--format sarif=FILE`` names its file itself.  The --output options are
    paired, in order, with the --format options that name none.
    """
    entries = list(params["output_format"])
    outputs = [Path(out).absolute() for out in params["output"]]
    if entries or outputs:
        sources["formats"] = "command line"
        pairs: list[tuple[str, Path | None]] = []
        for entry in entries:
            name, equals, file = entry.partition("=")
            pairs.append((name, Path(file).absolute() if equals else None))
        open_slots = [i for i, (_, file) in enumerate(pairs) if file is None]
        if len(outputs) > len(open_slots):
            raise click.UsageError("each --output needs a --format before it")
        for index, output in zip(open_slots, outputs, strict=False):
            pairs[index] = (pairs[index][0], output)
        return pairs
    if "formats" in config.values:
        sources["formats"] = config.sources["formats"]
        return [
            (item["format"], Path(item["output"]) if item.get("output") else None)
            for item in config.values["formats"]
        ]
    sources["formats"] = "default"
    return [("text", None)]


def apply_severities(policy: Policy, severities: Mapping[str, str]) -> Policy:
    """Return the policy with the configured severity of each named rule."""
    rules = dict(policy.rules)
    for rule_id, severity in severities.items():
        if rule_id not in rules:
            raise click.UsageError(f"severity is set for unknown rule {rule_id}")
        if rule_id in MANDATORY_RULES and severity != "error":
            raise click.UsageError(f"{rule_id} must stay at severity error")
        rules[rule_id] = replace(rules[rule_id], severity=Severity.parse(severity))
    return replace(policy, rules=rules)


def describe(settings: Settings) -> str:
    """Render the resolved settings with the source of each, for --show-config."""
    values = {
        "manifests": str(settings.manifests),
        "policy": str(settings.policy) if settings.policy else "(default)",
        "select": ", ".join(sorted(settings.select)) or "(all rules)",
        "ignore": ", ".join(sorted(settings.ignore)) or "(none)",
        "severity": ", ".join(f"{k}={v}" for k, v in sorted(settings.severity.items()))
        or "(policy)",
        "fail-on": settings.fail_on,
        "min-severity": settings.min_severity,
        "baseline": str(settings.baseline) if settings.baseline else "(none)",
        "jobs": str(settings.jobs) if settings.jobs else "0 (one per core)",
        "formats": ", ".join(
            f"{name}>{out}" if out else name for name, out in settings.formats
        ),
    }
    lines = [
        f"{key} = {value}  # {settings.sources.get(key, 'default')}"
        for key, value in values.items()
    ]
    return "\n".join(lines) + "\n"
