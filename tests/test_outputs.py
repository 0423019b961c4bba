"""Several reports in one run, --fail-on and --min-severity."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner, Result
from conftest import Tree

from karmalint.cli import main

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "cli"


@pytest.fixture(autouse=True)
def tree(make_tree: Tree) -> Path:
    return make_tree(
        {
            "manifests/registry.yaml": FIXTURES / "registry.yaml",
            "manifests/error-and-warning.yaml": FIXTURES / "error-and-warning.yaml",
        }
    )


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, ["check", *args])


def test_files_and_terminal(tree: Path) -> None:
    result = invoke(
        "--format",
        "sarif",
        "--output",
        "out/k.sarif",
        "--format",
        "junit",
        "--output",
        "out/k.xml",
    )
    sarif = json.loads((tree / "out" / "k.sarif").read_text())
    junit = ElementTree.parse(tree / "out" / "k.xml").getroot()
    assert len(sarif["runs"][0]["results"]) == 2
    assert junit.tag == "testsuites"
    assert result.stdout.endswith("1 error, 1 warning in 1 of 2 files\n")
    assert result.exit_code == 1


def test_two_stdout_formats_rejected(tree: Path) -> None:
    result = invoke("--format", "json", "--format", "sarif")
    assert "would all go to stdout" in result.stderr
    assert result.exit_code == 2


def test_output_without_format_rejected(tree: Path) -> None:
    result = invoke("--output", "x.json")
    assert "each --output needs a --format" in result.stderr
    assert result.exit_code == 2


def test_fail_on_warning(tree: Path) -> None:
    assert invoke("--ignore", "publisher-from-ministry").exit_code == 0
    assert (
        invoke("--ignore", "publisher-from-ministry", "--fail-on", "warning").exit_code
        == 1
    )


def test_fail_on_never(tree: Path) -> None:
    assert invoke("--fail-on", "never").exit_code == 0


def test_min_severity_filters(tree: Path) -> None:
    result = invoke("--min-severity", "error", "--format", "json")
    report = json.loads(result.stdout)
    assert [f["rule"] for f in report["findings"]] == ["publisher-from-ministry"]


def test_format_names_its_file(tree: Path) -> None:
    result = invoke("--format", "github", "--format", "sarif=k.sarif")
    sarif = json.loads((tree / "k.sarif").read_text())
    assert sarif["version"] == "2.1.0"
    assert (
        "::error file=manifests/error-and-warning.yaml,line=20,col=13" in result.stdout
    )


def test_format_unknown_name(tree: Path) -> None:
    result = invoke("--format", "xml=k.xml")
    assert "'xml' is not one of text, json" in result.stderr
    assert result.exit_code == 2
