"""Policy files: rules written only in YAML, and errors that point at their line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from karmalint.engine import CheckOptions, run_check
from karmalint.policy import PolicyLoadError, load_policy
from karmalint.schema import SchemaSet

TESTS = Path(__file__).resolve().parent
FIXTURES = TESTS / "fixtures" / "policy"
SCHEMAS = SchemaSet(TESTS.parent / "schemas")


def test_new_rule_needs_only_yaml(tmp_path: Path) -> None:
    policy_dir = tmp_path / "policy"
    policy_dir.mkdir()
    shutil.copy(TESTS.parent / "policy" / "default.yaml", policy_dir)
    shutil.copy(FIXTURES / "reviewer-staging.yaml", policy_dir)
    manifests = tmp_path / "manifests"
    manifests.mkdir()
    shutil.copy(TESTS / "fixtures" / "cli" / "registry.yaml", manifests)
    shutil.copy(FIXTURES / "reviewer-staging-manifest.yaml", manifests / "dopt.yaml")

    policy = load_policy(policy_dir, SCHEMAS)
    options = CheckOptions(
        paths=[manifests], select=frozenset({"reviewer-not-in-staging"})
    )
    findings = run_check(options, policy, SCHEMAS).findings

    assert [(f.rule, f.line, f.column) for f in findings] == [
        ("reviewer-not-in-staging", 7, 30)
    ]
    assert findings[0].message == (
        "CONTENT_REVIEWER for igot-reviewer1.dopt@gov.in at dopt must not be in staging"
    )


def policy_errors(name: str) -> list[tuple[int, int, str]]:
    with pytest.raises(PolicyLoadError) as raised:
        load_policy(FIXTURES / name, SCHEMAS)
    return [(p.span.line, p.span.column, p.message) for p in raised.value.problems]


def test_policy_errors_point_at_cause() -> None:
    errors = policy_errors("broken-rules.yaml")
    assert [(line, column) for line, column, _ in errors] == [
        (11, 25),
        (19, 31),
        (27, 38),
        (36, 18),
        (43, 56),
        (45, 5),
    ]


def test_policy_error_messages() -> None:
    messages = [message for *_, message in policy_errors("broken-rules.yaml")]
    assert messages[0].startswith(
        "unknown attribute 'rol' for grants; did you mean role?"
    )
    assert messages[1].startswith("unknown operator equals")
    assert messages[2].startswith("invalid regular expression")
    assert messages[3] == "unknown placeholder {organisation} for accounts"
    assert messages[4] == "unknown parameter 'tokens'"
    assert messages[5].startswith("yaml-syntax must stay enabled at severity error")


def test_default_policy_compiles() -> None:
    policy = load_policy(TESTS.parent / "policy", SCHEMAS)
    assert len(policy.rules) == 18
    assert policy.rules["publisher-from-ministry"].suppressible is False
