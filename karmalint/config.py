"""Configuration files: ``[tool.karmalint]`` in pyproject.toml and ``.karmalint.yaml``.

Each is looked up from the working directory upward, and the nearest one of
each kind is read.  ``.karmalint.yaml`` overrides pyproject.toml, and options
on the command line override both.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from karmalint.suggest import did_you_mean

SEVERITIES = ("error", "warning", "info")
FAIL_ON = ("error", "warning", "never")
FORMAT_NAMES = ("text", "json", "sarif", "github", "junit", "gitlab", "markdown")


class ConfigError(Exception):
    """A configuration file that is unreadable or has an invalid key or value."""


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _severities(value: Any) -> bool:
    return isinstance(value, dict) and all(
        isinstance(k, str) and v in SEVERITIES for k, v in value.items()
    )


def _formats(value: Any) -> bool:
    return isinstance(value, list) and all(
        isinstance(item, dict)
        and set(item) <= {"format", "output"}
        and item.get("format") in FORMAT_NAMES
        and isinstance(item.get("output", ""), str)
        for item in value
    )


# Each key with a test of its value and the form the value must take.
KEYS: dict[str, tuple[Any, str]] = {
    "manifests": (lambda v: isinstance(v, str), "a path"),
    "policy": (lambda v: isinstance(v, str), "a path"),
    "select": (_strings, "a list of rule ids"),
    "ignore": (_strings, "a list of rule ids"),
    "severity": (_severities, "a mapping of rule id to error, warning or info"),
    "fail-on": (lambda v: v in FAIL_ON, "one of error, warning, never"),
    "min-severity": (lambda v: v in SEVERITIES, "one of error, warning, info"),
    "baseline": (lambda v: isinstance(v, str), "a path"),
    "jobs": (
        lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 0,
        "a whole number of processes, 0 for one per core",
    ),
    "formats": (
        _formats,
        f"a list of {{format, output}} with a format from {', '.join(FORMAT_NAMES)}",
    ),
}
PATH_KEYS = ("manifests", "policy", "baseline")


@dataclass(slots=True)
class Config:
    """Resolved settings and the file each came from."""

    values: dict[str, Any] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    # The folder of the nearest configuration file: the project's root, which
    # finding paths are relative to.
    root: Path | None = None


def _nearest(start: Path, name: str) -> Path | None:
    for folder in (start, *start.parents):
        candidate = folder / name
        if candidate.is_file():
            return candidate
    return None


def _read_pyproject(path: Path) -> dict[str, Any] | None:
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{path}: cannot read the configuration: {error}") from None
    section = document.get("tool", {}).get("karmalint")
    return section if isinstance(section, dict) else None


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise ConfigError(f"{path}: cannot read the configuration: {error}") from None
    if document is None:
        return {}
    if not isinstance(document, dict):
        raise ConfigError(f"{path}: the configuration must be a mapping of options")
    return document


def _merge(config: Config, path: Path, section: dict[str, Any]) -> None:
    for key, value in section.items():
        if key not in KEYS:
            hint = did_you_mean(str(key), KEYS)
            raise ConfigError(f"{path}: unknown configuration key {key}{hint}")
        test, form = KEYS[key]
        if not test(value):
            raise ConfigError(f"{path}: {key} must be {form}, found {value!r}")
        if key in PATH_KEYS:
            value = str(path.parent / value)
        config.values[key] = value
        config.sources[key] = str(path)


def load_config(start: Path) -> Config:
    """Read the nearest pyproject.toml section and .karmalint.yaml above ``start``."""
    config = Config()
    pyproject = _nearest(start, "pyproject.toml")
    if pyproject is not None:
        section = _read_pyproject(pyproject)
        if section is not None:
            _merge(config, pyproject, section)
            config.root = pyproject.parent
    own = _nearest(start, ".karmalint.yaml")
    if own is not None:
        _merge(config, own, _read_yaml(own))
        if config.root is None or own.parent.is_relative_to(config.root):
            config.root = own.parent
    return config
