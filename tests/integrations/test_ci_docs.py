"""docs/ci.md: its snippets parse, and its karmalint commands work as documented.

The commands are taken from the page itself (shell blocks, workflow `run:`
steps, GitLab `script:` lines) and run with the real CLI in a temporary git
repository, so the page fails this test when the CLI changes under it.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

from karmalint.cli import main
from karmalint.config import KEYS

REPOSITORY = Path(__file__).resolve().parents[2]
PAGE = REPOSITORY / "docs" / "ci.md"
FIXTURES = REPOSITORY / "tests" / "fixtures" / "integrations"
MDO_FILE = "manifests/mdo/morail.yaml"
BLOCK = re.compile(r"^```(\w+)\n(.*?)^```$", re.MULTILINE | re.DOTALL)
# Values that the CI systems give the variables in the documented commands.
VARIABLES = {"BASE_REF": "main"}


def _blocks(language: str) -> list[str]:
    text = PAGE.read_text(encoding="utf-8")
    return [body for lang, body in BLOCK.findall(text) if lang == language]


def _yaml_blocks() -> list[Any]:
    return [yaml.safe_load(body) for body in _blocks("yaml")]


def _runs(node: Any) -> Iterator[str]:
    """Yield every `run:` and `script:` line in a parsed workflow or pipeline."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "run" and isinstance(value, str):
                yield from value.splitlines()
            elif key == "script" and isinstance(value, list):
                yield from (line for line in value if isinstance(line, str))
            else:
                yield from _runs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _runs(item)


def _commands() -> list[list[str]]:
    """Every karmalint command that the page shows, split into words."""
    lines = [line for body in _blocks("sh") for line in body.splitlines()]
    for document in _yaml_blocks():
        lines += list(_runs(document))
    commands = []
    for line in lines:
        words = shlex.split(line, comments=True)
        if words[:1] != ["karmalint"]:
            continue
        for name, value in VARIABLES.items():
            words = [word.replace(f"${name}", value) for word in words]
        commands.append(words[1:])
    return commands


def _config_blocks() -> tuple[dict[str, Any], dict[str, Any]]:
    (toml_text,) = _blocks("toml")
    section = tomllib.loads(toml_text)["tool"]["karmalint"]
    documents = [d for d in _yaml_blocks() if isinstance(d, dict) and "fail-on" in d]
    assert len(documents) == 1
    return section, documents[0]


def test_snippets_parse() -> None:
    documents = _yaml_blocks()
    # PyYAML reads a workflow's key `on` as True, as YAML 1.1 does.
    workflows = [d for d in documents if isinstance(d, dict) and True in d]
    assert len(workflows) == 2
    for workflow in workflows:
        assert "steps" in next(iter(workflow["jobs"].values()))
    pipelines = [d for d in documents if isinstance(d, dict) and "karmalint" in d]
    reports = pipelines[0]["karmalint"]["artifacts"]["reports"]
    assert reports == {
        "codequality": "gl-code-quality-report.json",
        "junit": "karmalint-junit.xml",
    }
    (pre_commit,) = [d for d in documents if isinstance(d, dict) and "repos" in d]
    assert pre_commit["repos"][0]["hooks"] == [{"id": "karmalint"}]


def _table(header: str) -> list[list[str]]:
    """Return the cells of the rows of the Markdown table under ``header``."""
    text = PAGE.read_text(encoding="utf-8")
    rows = text.split(header + "\n", 1)[1].split("\n\n", 1)[0].splitlines()[1:]
    return [[cell.strip() for cell in row.strip("|").split(" | ")] for row in rows]


def test_action_inputs_match_the_table() -> None:
    action = yaml.safe_load((REPOSITORY / "action.yml").read_text(encoding="utf-8"))
    rows = _table("| input | default | meaning |")
    documented = {name.strip("`"): default.strip("`") for name, default, _ in rows}
    defaults = {name: spec["default"] for name, spec in action["inputs"].items()}
    assert documented == {name: value or '""' for name, value in defaults.items()}
    text = PAGE.read_text(encoding="utf-8")
    for output in re.findall(r"steps\.karmalint\.outputs\.([\w-]+)", text):
        assert output in action["outputs"]


def test_config_table_has_every_key() -> None:
    rows = _table("| key | value | command-line option |")
    assert [row[0].strip("`") for row in rows] == list(KEYS)


def test_config_examples_have_every_key() -> None:
    section, document = _config_blocks()
    assert set(section) == set(KEYS)
    assert document == section


def _invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def _git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "commit.gpgsign=false", *args],
        cwd=root,
        check=True,
        capture_output=True,
        timeout=60,
    )


@pytest.fixture
def repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository whose origin/main is clean and whose tree adds a violation."""
    root = tmp_path / "rights"
    (root / "manifests" / "mdo").mkdir(parents=True)
    shutil.copyfile(
        FIXTURES / "organisations.yaml", root / "manifests" / "organisations.yaml"
    )
    shutil.copyfile(FIXTURES / "morail.yaml", root / MDO_FILE)
    _git(root, "init", "-q")
    _git(root, "config", "user.name", "karmalint tests")
    _git(root, "config", "user.email", "tests@example.invalid")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "clean manifests")
    _git(root, "update-ref", "refs/remotes/origin/main", "HEAD")
    shutil.copyfile(FIXTURES / "morail-publisher-at-office.yaml", root / MDO_FILE)
    monkeypatch.chdir(root)
    monkeypatch.setenv("NO_COLOR", "1")
    return root


def _outputs(arguments: list[str]) -> list[str]:
    return [arguments[i + 1] for i, word in enumerate(arguments) if word == "--output"]


def test_documented_commands_run(repository: Path) -> None:
    commands = _commands()
    assert commands, "docs/ci.md shows no karmalint command"
    for arguments in commands:
        if "--show-config" in arguments:
            continue
        result = _invoke(*arguments)
        assert result.exit_code in (0, 1), (arguments, result.output)
        for output in _outputs(arguments):
            assert (repository / output).is_file(), (arguments, output)
        if "github" in arguments:
            assert result.stdout.startswith(f"::error file={MDO_FILE},line=16,")
    subcommands = {arguments[0] for arguments in commands}
    assert {"check", "baseline"} <= subcommands


def _use(root: Path, fixture: str) -> None:
    shutil.copyfile(FIXTURES / fixture, root / MDO_FILE)


def test_baseline_commands_hold_back_old_findings(repository: Path) -> None:
    commands = [c for c in _commands() if "baseline" in " ".join(c)]
    write, check = commands
    _use(repository, "morail-personal-id.yaml")
    assert _invoke(*write).exit_code == 0
    assert _invoke("check").exit_code == 1
    result = _invoke(*check)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("0 errors, 0 warnings in 0 of 2 files")


def test_baseline_keeps_unsuppressible_findings(repository: Path) -> None:
    write, check = [c for c in _commands() if "baseline" in " ".join(c)]
    assert _invoke(*write).exit_code == 0
    result = _invoke(*check)
    assert result.exit_code == 1
    assert "[publisher-from-ministry]" in result.stdout


@pytest.mark.parametrize("kind", ["pyproject.toml", ".karmalint.yaml"])
def test_show_config_example(repository: Path, kind: str) -> None:
    _, document = _config_blocks()
    if kind == "pyproject.toml":
        (toml_text,) = _blocks("toml")
        (repository / kind).write_text(toml_text, encoding="utf-8")
    else:
        (repository / kind).write_text(yaml.safe_dump(document), encoding="utf-8")
    shutil.copytree(REPOSITORY / "policy", repository / "policy")
    (console,) = _blocks("console")
    prompt, *expected = console.splitlines()
    arguments = shlex.split(prompt.removeprefix("$ "))[1:]
    result = _invoke(*arguments)
    assert result.exit_code == 0, result.output
    printed = result.stdout.replace(str(repository), "/src/rights")
    assert printed.splitlines() == [
        line.replace(".karmalint.yaml", kind) for line in expected
    ]


def test_config_example_checks(repository: Path) -> None:
    _, document = _config_blocks()
    (repository / ".karmalint.yaml").write_text(
        yaml.safe_dump(document), encoding="utf-8"
    )
    shutil.copytree(REPOSITORY / "policy", repository / "policy")
    _use(repository, "morail-personal-id.yaml")
    assert _invoke("baseline", "--output", ".karmalint-baseline.json").exit_code == 0
    result = _invoke("check")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("0 errors, 0 warnings in 0 of 2 files")
    outputs = [item["output"] for item in document["formats"] if "output" in item]
    assert outputs
    for output in outputs:
        assert (repository / output).is_file(), output
