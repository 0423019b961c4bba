"""Load, validate and compile policy files (kind ``Policy``) into rules."""

from __future__ import annotations

import hashlib
import json
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from karmalint.attributes import Context, Getter, attribute_getter
from karmalint.conditions import ConditionCompiler, PolicyError, Predicate
from karmalint.finding import Problem, Severity, Span
from karmalint.schema import SchemaSet
from karmalint.yamlload import Mapping, load_yaml

# Rules implemented in code; the policy still sets their severity and
# whether they run.
BUILTIN_RULES = (
    "yaml-syntax",
    "schema",
    "duplicate-id",
    "unknown-reference",
    "hierarchy",
    "suppression",
    "unused-suppression",
)
# An unreadable or unparsable manifest must always fail the run.
MANDATORY_RULES = ("yaml-syntax",)

# The places a finding of each entity kind may point at, below the entity.
LOCATIONS: dict[str, tuple[str, ...]] = {
    "files": ("document", "mdo", "nodal_officer", "accounts", "delegations"),
    "accounts": (
        "entry",
        "id",
        "org",
        "roles",
        "environments",
        "granted_by",
        "approval",
    ),
    "grants": ("role", "entry", "id", "org", "environments", "granted_by", "approval"),
    "delegations": ("entry", "org", "rights"),
    "delegated_rights": ("right", "entry", "org"),
}


@dataclass(frozen=True, slots=True)
class Template:
    """A message template whose placeholders are attribute names."""

    parts: tuple[tuple[str, Getter | None], ...]

    def render(self, entity: Any, context: Context, extra: dict[str, str]) -> str:
        out = []
        for literal, getter in self.parts:
            out.append(literal)
            if getter is not None:
                out.append(_format_value(getter(entity, context)))
        text = "".join(out)
        for name, value in extra.items():
            text = text.replace("{" + name + "}", value)
        return text


def _format_value(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, list):
        return ", ".join(map(str, value)) if value else "(none)"
    return str(value)


@dataclass(frozen=True, slots=True)
class Check:
    """One compiled check of a rule: which entities, what must hold, where to point."""

    kind: str
    where: Predicate | None
    require: Predicate | None
    unique: Getter | None
    at: str
    message: Template


@dataclass(frozen=True, slots=True)
class Rule:
    """A rule of the active policy."""

    id: str
    severity: Severity
    summary: str
    basis: str
    enabled: bool = True
    suppressible: bool = True
    supersedes: tuple[str, ...] = ()
    fix: str = ""
    checks: tuple[Check, ...] = ()
    source: str = ""


@dataclass(slots=True)
class Policy:
    """The rules and parameters of all policy files of a folder."""

    rules: dict[str, Rule] = field(default_factory=dict)
    parameters: dict[str, Any] = field(default_factory=dict)
    paths: list[str] = field(default_factory=list)


class PolicyLoadError(Exception):
    """One or more policy files are unreadable or invalid."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the policy")
        self.problems = problems


def policy_digest(policy: Policy) -> bytes:
    """Hash the policy's files and the severities configured on top of them."""
    digest = hashlib.sha256()
    for name in sorted(policy.paths):
        digest.update(name.encode() + b"\0" + Path(name).read_bytes() + b"\0")
    rules = sorted(
        (rule.id, int(rule.severity), rule.enabled, rule.suppressible)
        for rule in policy.rules.values()
    )
    digest.update(json.dumps(rules).encode())
    return digest.digest()


def policy_files(location: Path) -> list[Path]:
    if location.is_dir():
        return sorted(p for p in location.iterdir() if p.suffix in (".yaml", ".yml"))
    return [location]


def load_policy(location: Path, schemas: SchemaSet) -> Policy:
    """Read every policy file at ``location`` (a file or a folder) and compile it.

    Raises PolicyLoadError listing each problem at its line and column.
    """
    policy = Policy()
    problems: list[Problem] = []
    documents = []
    for path in policy_files(location):
        shown = str(path)
        policy.paths.append(shown)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            problems.append(
                Problem("policy", shown, Span.point(1, 1), f"cannot read: {error}")
            )
            continue
        loaded = load_yaml(text)
        if not loaded.documents and not loaded.problems:
            problems.append(
                Problem(
                    "policy",
                    shown,
                    Span.point(1, 1),
                    "empty policy file: it declares no rules",
                )
            )
        problems += [
            Problem("policy", shown, p.span, p.message) for p in loaded.problems
        ]
        for document in loaded.documents:
            errors = schemas.validate(document, ("Policy",))
            problems += [
                Problem("policy", shown, span, message) for span, message in errors
            ]
            if not errors:
                documents.append((shown, document.value))
    if not policy.paths:
        problems.append(
            Problem("policy", str(location), Span.point(1, 1), "no policy file found")
        )
    for _, root in documents:
        policy.parameters.update(root.get("parameters", {}))
    for shown, root in documents:
        problems += _compile_rules(policy, shown, root)
    if problems:
        raise PolicyLoadError(
            sorted(problems, key=lambda p: (p.path, p.span.line, p.span.column))
        )
    return policy


def _compile_rules(policy: Policy, path: str, root: Mapping) -> list[Problem]:
    problems = []
    rules = root.get("rules", [])
    for entry, span in zip(rules, rules.item_spans, strict=False):
        try:
            rule = compile_rule(entry, policy.parameters, path)
        except PolicyError as error:
            problems.append(Problem("policy", path, error.span or span, error.message))
            continue
        if rule.id in policy.rules:
            problems.append(
                Problem(
                    "policy",
                    path,
                    entry.value_spans["id"],
                    f"rule {rule.id} is defined twice, first in "
                    f"{policy.rules[rule.id].source}",
                )
            )
            continue
        policy.rules[rule.id] = rule
    return problems


def compile_rule(entry: Mapping, parameters: dict[str, Any], path: str) -> Rule:
    """Compile one rule entry of a policy file."""
    rule_id = entry["id"]
    builtin = entry.get("builtin", False)
    checks = entry.get("checks", [])
    if builtin and rule_id not in BUILTIN_RULES:
        raise PolicyError(
            entry.value_spans["id"],
            f"{rule_id} is not a built-in rule; built-in rules are "
            f"{', '.join(BUILTIN_RULES)}",
        )
    if builtin and checks:
        raise PolicyError(entry.key_spans["checks"], "a built-in rule takes no checks")
    if not builtin and not checks:
        raise PolicyError(entry.span, f"rule {rule_id} needs checks, or builtin: true")
    enabled = entry.get("enabled", True)
    severity = Severity.parse(entry["severity"])
    if rule_id in MANDATORY_RULES and (not enabled or severity != Severity.ERROR):
        raise PolicyError(
            entry.span,
            f"{rule_id} must stay enabled at severity error: "
            "a file that cannot be read must fail the check",
        )
    return Rule(
        id=rule_id,
        severity=severity,
        summary=entry["summary"],
        basis=entry["basis"],
        enabled=enabled,
        suppressible=entry.get("suppressible", True),
        supersedes=tuple(entry.get("supersedes", [])),
        fix=entry.get("fix", ""),
        checks=tuple(compile_check(check, parameters) for check in checks),
        source=path,
    )


def compile_check(entry: Mapping, parameters: dict[str, Any]) -> Check:
    """Compile one check: its selection, filter, requirement and message."""
    kind = entry["select"]
    compiler = ConditionCompiler(kind, parameters)
    at = entry.get("at", LOCATIONS[kind][0])
    if at not in LOCATIONS[kind]:
        raise PolicyError(
            entry.value_spans["at"],
            f"at: {at} is not a location of {kind}; use one of "
            f"{', '.join(LOCATIONS[kind])}",
        )
    where = _optional(compiler, entry, "where")
    require = _optional(compiler, entry, "require")
    unique = None
    if "unique" in entry:
        unique = compiler.attribute(entry["unique"], entry.value_spans["unique"])
    if (require is None) == (unique is None):
        raise PolicyError(entry.span, "a check needs exactly one of require or unique")
    extra = ("first",) if unique is not None else ()
    message = compile_template(
        kind, entry["message"], entry.value_spans["message"], extra
    )
    return Check(kind, where, require, unique, at, message)


def _optional(
    compiler: ConditionCompiler, entry: Mapping, key: str
) -> Predicate | None:
    if key not in entry:
        return None
    return compiler.compile(entry[key], entry.value_spans[key])


def compile_template(
    kind: str, text: str, span: Span, extra: tuple[str, ...] = ()
) -> Template:
    """Compile a message template, rejecting unknown placeholders."""
    parts: list[tuple[str, Getter | None]] = []
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as error:
        raise PolicyError(span, f"invalid message template: {error}") from None
    for literal, name, spec, conversion in parsed:
        if spec or conversion:
            raise PolicyError(
                span,
                f"placeholder {{{name}}} has a format or conversion; "
                f"write {{{name}}} alone",
            )
        if name is None:
            parts.append((literal, None))
        elif name in extra:
            parts.append((literal + "{" + name + "}", None))
        else:
            getter = attribute_getter(kind, name)
            if getter is None:
                raise PolicyError(span, f"unknown placeholder {{{name}}} for {kind}")
            parts.append((literal, getter))
    return Template(tuple(parts))
