"""Helpers for the hostile-input tests: fixture text and runs of ``karmalint check``.

The command runs in-process through click's test runner, in the working
directory that the test set up, and reports in JSON so that tests compare
(path, rule, line, column) of every finding.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from karmalint.cli import main

TESTS_DIR = Path(__file__).resolve().parent.parent
FIXTURES = TESTS_DIR / "fixtures" / "hostile"
REGISTRY = TESTS_DIR / "fixtures" / "rules" / "registry.yaml"

# A rights file with one known mistake, checked beside the hostile file of a
# CLI test to show that the rest of the run still happens.
WITNESS_NAME = "mdo/dor.yaml"
WITNESS_FINDING = ("mdo/dor.yaml", "publisher-from-ministry", 16, 13)

Triple = tuple[str, int, int]
Place = tuple[str, str, int, int]


def fixture(name: str) -> str:
    """Return the text of a file in tests/fixtures/hostile."""
    return (FIXTURES / name).read_text(encoding="utf-8")


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def write_tree(root: Path, files: Mapping[str, str | bytes]) -> None:
    """Write the test registry, the witness and ``files`` below ``root``."""
    shutil.copyfile(REGISTRY, root / "registry.yaml")
    (root / "mdo").mkdir(exist_ok=True)
    (root / WITNESS_NAME).write_bytes(fixture_bytes("dor-witness.yaml"))
    for name, content in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")


@dataclass(frozen=True, slots=True)
class CheckRun:
    """The outcome of one ``karmalint check --format json`` run."""

    exit_code: int
    stdout: str
    stderr: str
    seconds: float

    @property
    def report(self) -> dict[str, Any]:
        report: dict[str, Any] = json.loads(self.stdout)
        return report

    @property
    def findings(self) -> list[dict[str, Any]]:
        findings: list[dict[str, Any]] = self.report["findings"]
        return findings

    @property
    def places(self) -> list[Place]:
        """(path, rule, line, column) of every finding, sorted."""
        return sorted(
            (f["path"], f["rule"], f["line"], f["column"]) for f in self.findings
        )

    def messages(self, path: str, rule: str) -> list[str]:
        return [
            f["message"]
            for f in self.findings
            if f["path"] == path and f["rule"] == rule
        ]


def check(*args: str) -> CheckRun:
    """Run ``karmalint check --format json ARGS`` in the working directory."""
    start = time.perf_counter()
    result = CliRunner().invoke(main, ["check", "--format", "json", *args])
    seconds = time.perf_counter() - start
    return CheckRun(result.exit_code, result.stdout, result.stderr, seconds)
