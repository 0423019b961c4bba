"""Run a check: read the manifests, build the graph, run the rules, rank findings."""

from __future__ import annotations

import contextlib
import datetime
import gc
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from karmalint import integrity
from karmalint.attributes import Context
from karmalint.baseline import apply_baseline
from karmalint.changed import check_changed
from karmalint.corpus import Corpus, read_corpus
from karmalint.evaluate import run_rule
from karmalint.finding import Finding, Problem, Severity
from karmalint.fingerprint import add_fingerprints
from karmalint.graph import OrgGraph
from karmalint.model import RightsFile, accounts_by_id
from karmalint.parallel import check_shared
from karmalint.policy import BUILTIN_RULES, MANDATORY_RULES, Policy, Rule
from karmalint.schema import SchemaSet
from karmalint.share import may_hold_registry
from karmalint.sources import DecodeError, decode, discover, display_path
from karmalint.suppress import Comment, apply_suppressions
from karmalint.yamlload import Limits

log = logging.getLogger(__name__)
# The basis of built-in rules that a policy leaves out.
INTEGRITY_BASIS = "integrity of the manifests"


@dataclass(slots=True)
class CheckOptions:
    """The paths to check, the rules to report and the loader limits."""

    paths: list[Path]
    # Files read for cross-file facts (the registry, other MDOs' accounts)
    # whose own findings are not reported.
    context: list[Path] = field(default_factory=list)
    select: frozenset[str] | None = None
    ignore: frozenset[str] = frozenset()
    limits: Limits = field(default_factory=Limits)
    loader: type | None = None
    # Fingerprints of accepted findings, from a baseline file.
    baseline: set[str] | None = None
    min_severity: Severity = Severity.INFO
    # The date that suppressions' until= dates are compared with.
    today: datetime.date = field(default_factory=datetime.date.today)
    # Read unchanged context files from cached summaries (see summary.py).
    summaries: bool = False
    # Processes that share the files (see parallel.py). With 1, the run stays
    # in this process.
    jobs: int = 1


@dataclass(slots=True)
class CheckResult:
    """The findings of a run, the files it checked and what a baseline held back."""

    findings: list[Finding]
    files: list[str]
    baselined: int = 0
    fixed: int = 0
    # The organisation graph, the accounts and the rights files that were
    # read, for the commands that answer questions about rights.
    context: Context | None = None
    rights_files: list[RightsFile] = field(default_factory=list)


def run_check(options: CheckOptions, policy: Policy, schemas: SchemaSet) -> CheckResult:
    """Check the manifests at ``options.paths`` against ``policy``."""
    targets = discover(options.paths)
    reported = {display_path(path) for path in targets.files}
    context_files = discover(options.context).files if options.context else []
    files = {display_path(p): p for p in context_files + targets.files}

    log.info("reading %d files, reporting on %d", len(files), len(reported))
    # Context files come first, so that of two declarations of one id the
    # second, which is reported, is in a file being checked.
    order = sorted(files, key=lambda shown: (shown in reported, shown))
    ordered = {shown: files[shown] for shown in order}
    summarised: frozenset[str] = frozenset()
    if options.summaries and options.context and not _has_registry(targets.files):
        summarised = frozenset(shown for shown in files if shown not in reported)

    evaluated = _evaluate(ordered, reported, summarised, policy, schemas, options)
    problems = targets.problems + evaluated.problems

    reported |= {p.path for p in targets.problems}
    if reported & evaluated.registry_paths:
        # A registry edit can change every MDO's rights, so every file's
        # findings are reported.
        reported |= set(files)
    kept = [p for p in problems if p.path in reported or _touches(p, reported)]
    findings = _rank(kept, policy, options)

    rules = known_rules(policy)
    comments = {p: c for p, c in evaluated.comments.items() if p in reported}
    findings, meta = apply_suppressions(findings, comments, rules, options.today)
    findings = add_fingerprints(
        sorted(findings + _rank(meta, policy, options)), _read_text
    )

    result = CheckResult(findings, sorted(reported))
    if options.baseline is not None:
        outcome = apply_baseline(findings, options.baseline, rules)
        result.findings = outcome.findings
        result.baselined, result.fixed = outcome.baselined, outcome.fixed
    result.context = evaluated.context
    result.rights_files = evaluated.rights_files
    result.findings = [f for f in result.findings if f.severity >= options.min_severity]
    return result


@dataclass(slots=True)
class _Evaluated:
    """The problems of every file read and what the rest of a run needs."""

    problems: list[Problem]
    registry_paths: set[str]
    comments: dict[str, list[Comment]]
    # Only a serial run keeps these.
    context: Context | None = None
    rights_files: list[RightsFile] = field(default_factory=list)


def _evaluate(
    files: dict[str, Path],
    reported: set[str],
    summarised: frozenset[str],
    policy: Policy,
    schemas: SchemaSet,
    options: CheckOptions,
) -> _Evaluated:
    """Read the files and run the rules, sharing the files out when that pays."""
    with _cycle_collection_paused():
        shared = None
        if summarised:
            shared = check_changed(
                files, summarised, policy, schemas, options.limits, options.loader
            )
        elif options.jobs > 1:
            shared = check_shared(
                files, policy, schemas, options.limits, options.loader, options.jobs
            )
        if shared is not None:
            return _Evaluated(shared.problems, shared.registry_paths, shared.comments)
        corpus = read_corpus(files, schemas, options.limits, options.loader)
        context, problems = _check_corpus(corpus, policy, reported, summarised)
        return _Evaluated(
            problems,
            corpus.registry_paths,
            corpus.comments,
            context,
            corpus.rights_files,
        )


def _has_registry(paths: list[Path]) -> bool:
    """Tell whether a checked file may hold a registry, whose change affects every file.

    Then every file's findings are reported, so none may be summarised.
    """
    return any(may_hold_registry(path) for path in paths)


def _check_corpus(
    corpus: Corpus, policy: Policy, reported: set[str], summarised: frozenset[str]
) -> tuple[Context, list[Problem]]:
    """Run every rule on a corpus read in this process."""
    graph = OrgGraph(corpus.organisations)
    context = Context(graph, accounts_by_id(corpus.rights_files), policy.parameters)
    # With summarised context files, only the checked files' own findings
    # can be reported, so rules need not look at the others one by one.
    scope = set(reported) if summarised else None
    return context, corpus.problems + _cross_file_problems(
        corpus, policy, context, scope
    )


@contextlib.contextmanager
def _cycle_collection_paused() -> Iterator[None]:
    """Pause Python's cycle collector while a run builds its values.

    A run allocates a few objects per YAML node and frees none until it
    ends, so each collection would walk every value built so far.  On the
    benchmark's M corpus that cost a third of the run's time.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def known_rules(policy: Policy) -> dict[str, Rule]:
    """Return the policy's rules with defaults for the built-in rules it leaves out."""
    defaults = {rule_id: _default_rule(rule_id) for rule_id in BUILTIN_RULES}
    return {**defaults, **policy.rules}


def _read_text(shown: str) -> str:
    """Read a file again for the text of its findings' nodes; empty if unreadable."""
    try:
        return decode(Path(shown).read_bytes())
    except (OSError, DecodeError):
        return ""


def _touches(problem: Problem, paths: set[str]) -> bool:
    return any(related.path in paths for related in problem.related)


def _cross_file_problems(
    corpus: Corpus, policy: Policy, context: Context, scope: set[str] | None
) -> list[Problem]:
    graph = context.graph

    problems = integrity.duplicate_ids(corpus.organisations, corpus.rights_files)
    problems += integrity.hierarchy(graph, corpus.organisations)
    if corpus.rights_files and not corpus.registry_paths:
        # Without a registry every organisation would be unknown, so a single
        # finding names the missing registry instead of one per reference.
        first = corpus.rights_files[0].node
        problems.append(
            Problem(
                "unknown-reference",
                first.path,
                first.span()[0],
                "no OrganisationRegistry document among the checked "
                "files, so no organisation can be resolved; check the "
                "registry file together with the rights files",
            )
        )
        return problems
    problems += integrity.unknown_references(
        graph, corpus.organisations, corpus.rights_files, context.has_account
    )

    for rule in policy.rules.values():
        if rule.enabled and rule.checks:
            problems += run_rule(rule, corpus.rights_files, context, scope)
    return problems


def _rank(
    problems: list[Problem], policy: Policy, options: CheckOptions
) -> list[Finding]:
    """Attach severity and basis, drop disabled and superseded findings, sort."""
    findings: set[Finding] = set()
    # (superseded rule, path, line) -> columns where a superseding finding starts
    superseding: dict[tuple[str, str, int], list[int]] = {}
    for problem in problems:
        rule = policy.rules.get(problem.rule) or _default_rule(problem.rule)
        if not rule.enabled or not _selected(rule.id, options):
            continue
        span = problem.span
        for other in rule.supersedes:
            superseding.setdefault((other, problem.path, span.line), []).append(
                span.column
            )
        findings.add(
            Finding(
                problem.path,
                span.line,
                span.column,
                span.end_line,
                span.end_column,
                rule.id,
                rule.severity,
                problem.message,
                rule.basis,
                problem.related,
                problem.subject,
            )
        )
    kept = [f for f in findings if not _is_superseded(f, superseding)]
    return sorted(kept)


def _is_superseded(
    finding: Finding, superseding: dict[tuple[str, str, int], list[int]]
) -> bool:
    """Tell whether another finding points into this one's node on the same line.

    A schema finding may point at one character of a value, such as a
    lookalike letter, while a rule points at the whole value.
    """
    columns = superseding.get((finding.rule, finding.path, finding.line), [])
    end = finding.end_column if finding.end_line == finding.line else finding.column + 1
    return any(
        finding.column <= column < max(end, finding.column + 1) for column in columns
    )


def _default_rule(rule_id: str) -> Rule:
    severity = Severity.WARNING if rule_id == "unused-suppression" else Severity.ERROR
    suppressible = rule_id not in MANDATORY_RULES and "suppression" not in rule_id
    return Rule(rule_id, severity, rule_id, INTEGRITY_BASIS, suppressible=suppressible)


def _selected(rule_id: str, options: CheckOptions) -> bool:
    if rule_id in MANDATORY_RULES:
        return True
    if rule_id in options.ignore:
        return False
    return options.select is None or rule_id in options.select
