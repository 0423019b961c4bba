"""A check run over the format fixtures, and the Report that each format renders.

The fixtures are copied to paths with a space, a comma and a non-ASCII letter,
so that every format has to encode or escape them.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from karmalint import __version__
from karmalint.engine import CheckOptions, CheckResult, run_check
from karmalint.finding import Finding, Suppression
from karmalint.formats import Report
from karmalint.policy import Policy
from karmalint.schema import SchemaSet

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
FORMAT_FIXTURES = FIXTURES / "formats"
# Where each fixture is copied in the checked folder.
LAYOUT = {
    "registry.yaml": FIXTURES / "rules" / "registry.yaml",
    "team a/dopt rights.yaml": FORMAT_FIXTURES / "dopt.yaml",
    "drafts, old/dor-é.yaml": FORMAT_FIXTURES / "unclosed.yaml",
    "clean.yaml": FORMAT_FIXTURES / "clean.yaml",
}
DOPT = "team a/dopt rights.yaml"
DRAFT = "drafts, old/dor-é.yaml"
SUPPRESSION = Suppression(
    reason="one content officer until the post is filled | F.No. 12/3",
    until="2025-03-31",
    line=20,
)


@pytest.fixture
def checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, policy: Policy, schemas: SchemaSet
) -> CheckResult:
    """Check the fixtures from inside their folder, so paths are relative to it."""
    for name, source in LAYOUT.items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    monkeypatch.chdir(tmp_path)
    return run_check(CheckOptions(paths=[Path(".")]), policy, schemas)


@pytest.fixture
def report(checked: CheckResult, policy: Policy) -> Report:
    """The run with its separation-of-duties warning suppressed."""
    findings = [_suppress(finding) for finding in checked.findings]
    return make_report(replace(checked, findings=findings), policy)


def make_report(result: CheckResult, policy: Policy) -> Report:
    return Report(result=result, rules=policy.rules, version=__version__)


def _suppress(finding: Finding) -> Finding:
    # NOTE: the suppression is set here by hand. Once the engine applies
    # suppression comments, a comment in dopt.yaml can take its place.
    if finding.rule != "separation-of-duties":
        return finding
    return replace(finding, suppression=SUPPRESSION)


def findings_of(report: Report, rule: str) -> list[Finding]:
    return [finding for finding in report.result.findings if finding.rule == rule]
