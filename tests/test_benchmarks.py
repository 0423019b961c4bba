"""The benchmark generator: a seed fixes the bytes, a clean corpus has no findings."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest
from click.testing import CliRunner

from karmalint.cli import main

GENERATOR = Path(__file__).resolve().parent.parent / "benchmarks" / "generate.py"


def load_generator() -> ModuleType:
    """Import benchmarks/generate.py, which is a script and not a package."""
    spec = importlib.util.spec_from_file_location("bench_generate", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # Dataclasses look their module up in sys.modules while it is executed.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def make(out: Path, *extra: str) -> dict[str, bytes]:
    """Generate a tiny corpus into ``out`` and return each file's bytes by path."""
    args = ["--out", str(out), "--mdos", "5", "--accounts", "3", *extra]
    assert load_generator().main(args) == 0
    return {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*.yaml")}


def findings(folder: Path, monkeypatch: pytest.MonkeyPatch) -> list[dict[str, object]]:
    """Run ``karmalint check`` in ``folder`` and return the JSON findings."""
    monkeypatch.chdir(folder)
    result = CliRunner().invoke(main, ["check", "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    found: list[dict[str, object]] = json.loads(result.output)["findings"]
    return found


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    first = make(tmp_path / "a", "--seed", "7")
    assert len(first) == 6
    assert make(tmp_path / "b", "--seed", "7") == first
    assert make(tmp_path / "c", "--seed", "8") != first


def test_no_violations_no_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make(tmp_path, "--violations", "0", "--accounts", "30")
    assert findings(tmp_path, monkeypatch) == []


def test_violations_are_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make(tmp_path, "--violations", "1", "--accounts", "30")
    rules = {f["rule"] for f in findings(tmp_path, monkeypatch)}
    assert {"generic-id", "reserved-roles", "unknown-reference"} <= rules
