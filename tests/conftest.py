"""Shared fixtures: write manifests into a temporary folder and run the real engine."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

from karmalint.engine import CheckOptions, run_check
from karmalint.finding import Finding
from karmalint.policy import Policy, load_policy
from karmalint.schema import SchemaSet

TESTS_DIR = Path(__file__).resolve().parent
REPOSITORY = TESTS_DIR.parent
RULE_FIXTURES = TESTS_DIR / "fixtures" / "rules"
REGISTRY = RULE_FIXTURES / "registry.yaml"

# A finding reduced to what the per-rule tests compare: (rule, line, column).
Triple = tuple[str, int, int]


@dataclass(frozen=True, slots=True)
class LintResult:
    """The findings of one check run over a temporary folder."""

    findings: list[Finding]

    @property
    def triples(self) -> list[Triple]:
        return sorted((f.rule, f.line, f.column) for f in self.findings)

    @property
    def places(self) -> list[tuple[str, str, int, int]]:
        """(path, rule, line, column) of every finding, for multi-file cases."""
        return sorted((f.path, f.rule, f.line, f.column) for f in self.findings)

    def messages(self, rule: str) -> list[str]:
        return [f.message for f in sorted(self.findings) if f.rule == rule]


class Linter:
    """Write manifests into ``root`` beside the test registry and check them.

    Paths in findings are relative to ``root``, which is the working
    directory while a test runs.
    """

    def __init__(self, root: Path, policy: Policy, schemas: SchemaSet) -> None:
        self.root = root
        self.policy = policy
        self.schemas = schemas

    def __call__(
        self,
        *fixtures: str,
        files: Mapping[str, str | bytes] | None = None,
        registry: bool = True,
    ) -> LintResult:
        """Copy ``fixtures``, write ``files`` and check the folder.

        ``fixtures`` are files or folders named relative to tests/fixtures/rules.
        ``files`` maps a relative file name to its YAML text, or to raw bytes.
        """
        if registry:
            shutil.copyfile(REGISTRY, self.root / REGISTRY.name)
        for name in fixtures:
            self._copy(RULE_FIXTURES / name)
        for name, content in (files or {}).items():
            target = self.root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content, encoding="utf-8")
        options = CheckOptions(paths=[self.root])
        return LintResult(run_check(options, self.policy, self.schemas).findings)

    def _copy(self, source: Path) -> None:
        target = self.root / source.name
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            shutil.copyfile(source, target)


@pytest.fixture(scope="session")
def schemas() -> SchemaSet:
    return SchemaSet(REPOSITORY / "schemas")


@pytest.fixture(scope="session")
def policy(schemas: SchemaSet) -> Policy:
    return load_policy(REPOSITORY / "policy", schemas)


@pytest.fixture
def lint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, policy: Policy, schemas: SchemaSet
) -> Linter:
    monkeypatch.chdir(tmp_path)
    return Linter(tmp_path, policy, schemas)


def git(repo: Path, *args: str) -> None:
    """Run git in ``repo``, failing the test when git fails."""
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


GitRepo = Callable[[Mapping[str, Path]], Path]


@pytest.fixture
def git_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> GitRepo:
    """Return a function that commits files to a new repository and enters it.

    It takes a mapping of repository path to fixture file and makes the
    commit on branch main.
    """
    if shutil.which("git") is None:
        pytest.skip("git is not installed")

    def make(files: Mapping[str, Path]) -> Path:
        root = tmp_path / "repo"
        for name, source in files.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, root / name)
        git(root, "init", "-q", "-b", "main")
        git(root, "config", "user.email", "test@example.invalid")
        git(root, "config", "user.name", "test")
        git(root, "add", ".")
        git(root, "commit", "-q", "-m", "base")
        monkeypatch.chdir(root)
        return root

    return make


@pytest.fixture(autouse=True)
def private_cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the cache secret of each test out of the real home folder."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home-cache"))


Tree = Callable[[Mapping[str, Path]], Path]


@pytest.fixture
def make_tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Tree:
    """Return a function that copies fixture files into tmp_path and enters it.

    It takes a mapping of path below tmp_path to fixture file.
    """

    def make(files: Mapping[str, Path]) -> Path:
        for name, source in files.items():
            (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, tmp_path / name)
        monkeypatch.chdir(tmp_path)
        return tmp_path

    return make
