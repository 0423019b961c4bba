"""The shipped manifests pass, and the failing example reports each seeded mistake."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from karmalint.cli import main
from karmalint.engine import CheckOptions, run_check
from karmalint.policy import load_policy
from karmalint.schema import SchemaSet

REPO = Path(__file__).resolve().parent.parent

# (path, line, column, rule) of every finding in examples/failing-pr, read off
# the example files: one seeded mistake per rule of the default policy.
FAILING_PR = [
    ("mdo/dopt.yaml", 30, 13, "single-leader"),
    ("mdo/dopt.yaml", 36, 3, "unused-suppression"),
    ("mdo/dopt.yaml", 58, 9, "generic-id"),
    ("mdo/dopt.yaml", 70, 30, "separation-of-duties"),
    ("mdo/dopt.yaml", 86, 31, "admin-from-ministry"),
    ("mdo/dor.yaml", 64, 13, "publisher-from-ministry"),
    ("mdo/dor.yaml", 64, 33, "suppression"),
    ("mdo/dor.yaml", 79, 31, "cti-staging-rights"),
    ("mdo/mha.yaml", 9, 3, "nodal-and-admin"),
    ("mdo/mha.yaml", 13, 60, "delegation-limits"),
    ("mdo/mha.yaml", 19, 24, "reserved-roles"),
    ("mdo/mha.yaml", 34, 5, "yaml-syntax"),
    ("mdo/mha.yaml", 62, 65, "schema"),
    ("mdo/mha.yaml", 75, 17, "granted-by"),
    ("mdo/mha.yaml", 79, 10, "unknown-reference"),
    ("mdo/mha.yaml", 82, 9, "duplicate-id"),
    ("mdo/mha.yaml", 87, 10, "manifest-scope"),
    ("organisations.yaml", 558, 9, "hierarchy"),
    ("organisations.yaml", 562, 9, "duplicate-id"),
]


@pytest.fixture
def in_repo(monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(REPO)
    return REPO


def run_json(*args: str) -> tuple[int, dict[str, object]]:
    result = CliRunner().invoke(main, ["check", "--format", "json", *args])
    return result.exit_code, json.loads(result.stdout)


def test_shipped_manifests_pass(in_repo: Path) -> None:
    code, report = run_json()
    assert report["findings"] == []
    assert code == 0


def test_shipped_manifests_count_files(in_repo: Path) -> None:
    _, report = run_json()
    files = sorted((in_repo / "manifests").rglob("*.yaml"))
    assert report["summary"] == {
        "files": len(files),
        "errors": 0,
        "warnings": 0,
        "infos": 0,
        "suppressed": 0,
        "baselined": 0,
        "fixed": 0,
    }


def test_failing_example_positions(in_repo: Path) -> None:
    code, report = run_json("examples/failing-pr")
    found = [
        (
            f["path"].removeprefix("examples/failing-pr/"),
            f["line"],
            f["column"],
            f["rule"],
        )
        for f in report["findings"]  # type: ignore[attr-defined]
    ]
    assert found == FAILING_PR
    assert code == 1


def test_failing_example_covers_every_rule(in_repo: Path) -> None:
    policy = yaml.safe_load((in_repo / "policy" / "default.yaml").read_text())
    rules = {rule["id"] for rule in policy["rules"]}
    assert {rule for *_, rule in FAILING_PR} == rules


@pytest.mark.parametrize("tree", ["manifests", "examples/failing-pr"])
def test_loaders_give_same_findings(in_repo: Path, tree: str) -> None:
    if not yaml.__with_libyaml__:
        pytest.skip("PyYAML was built without libyaml")
    schemas = SchemaSet(in_repo / "schemas")
    policy = load_policy(in_repo / "policy", schemas)
    results = []
    for loader in (yaml.SafeLoader, yaml.CSafeLoader):
        options = CheckOptions(paths=[in_repo / tree], loader=loader)
        results.append(run_check(options, policy, schemas).findings)
    assert results[0] == results[1]


@pytest.mark.parametrize("path", sorted((REPO / "schemas").glob("*.schema.json")))
def test_shipped_schema_is_valid(path: Path) -> None:
    """The schemas are checked here, as a run builds a validator only on failures."""
    import jsonschema

    schema = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.validators.validator_for(schema).check_schema(schema)
    assert SchemaSet(REPO / "schemas").validator(schema["properties"]["kind"]["const"])
