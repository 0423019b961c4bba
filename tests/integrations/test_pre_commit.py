"""The pre-commit hook of .pre-commit-hooks.yaml, run by the real pre-commit.

A snapshot of this checkout's working tree (uncommitted work included) is
committed to a temporary git repository, which a second temporary repository
names as `repo:` in its .pre-commit-config.yaml, as a user's repository names
karmalint's. pre-commit then builds the hook's virtual environment from PyPI,
once for the module: every test shares one PRE_COMMIT_HOME.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import pytest

pytest.importorskip(
    "pre_commit",
    reason="pre-commit is not installed; `pip install pre-commit` to run these tests",
)

REPOSITORY = Path(__file__).resolve().parents[2]
FIXTURES = REPOSITORY / "tests" / "fixtures" / "integrations"
MDO_FILE = "manifests/mdo/morail.yaml"
# Where publisher-from-ministry points in morail-publisher-at-office.yaml.
VIOLATION = f"{MDO_FILE}:16:13: error: CONTENT_PUBLISHER for"
# The first run builds the hook's environment with pip, which may be slow.
TIMEOUT = 900
# The snapshot repository, its HEAD, and the environment of every command.
HookSource = tuple[Path, str, dict[str, str]]


def _git(cwd: Path, *args: str, env: Mapping[str, str]) -> str:
    done = subprocess.run(
        ["git", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return done.stdout


def _init_repo(path: Path, env: Mapping[str, str]) -> None:
    _git(path, "init", "-q", env=env)
    _git(path, "config", "user.name", "karmalint tests", env=env)
    _git(path, "config", "user.email", "tests@example.invalid", env=env)
    _git(path, "config", "commit.gpgsign", "false", env=env)


def _commit_all(path: Path, message: str, env: Mapping[str, str]) -> None:
    _git(path, "add", "-A", env=env)
    _git(path, "commit", "-q", "-m", message, env=env)


def _checkout_files() -> list[str]:
    """Tracked and untracked, not ignored, files of this checkout that exist."""
    try:
        listing = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=REPOSITORY,
            capture_output=True,
            check=True,
            timeout=120,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        listing = b""
    names = [name for name in listing.decode().split("\0") if name]
    if not names:
        # Not a git checkout: take the files that a build needs.
        keep = ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml")
        names = [name for name in keep if (REPOSITORY / name).exists()]
        for folder in ("karmalint", "policy", "schemas"):
            names += [
                str(path.relative_to(REPOSITORY))
                for path in (REPOSITORY / folder).rglob("*")
                if path.is_file() and "__pycache__" not in path.parts
            ]
    return [name for name in names if (REPOSITORY / name).is_file()]


def _snapshot(target: Path, env: Mapping[str, str]) -> str:
    """Commit a copy of the checkout's working tree in ``target`` and return HEAD."""
    for name in _checkout_files():
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPOSITORY / name, destination)
    _init_repo(target, env)
    _commit_all(target, "snapshot of the working tree", env)
    return _git(target, "rev-parse", "HEAD", env=env).strip()


class Hooked:
    """A user's repository whose .pre-commit-config.yaml uses the snapshot's hook."""

    def __init__(self, root: Path, env: Mapping[str, str]) -> None:
        self.root = root
        self.env = dict(env)

    def write(self, name: str, fixture: str) -> None:
        target = self.root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(FIXTURES / fixture, target)

    def pre_commit(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "pre_commit", *args],
            cwd=self.root,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )

    def git(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["git", *args],
            cwd=self.root,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )


@pytest.fixture(scope="module")
def hook_source(tmp_path_factory: pytest.TempPathFactory) -> HookSource:
    """Commit the snapshot once and set up a PRE_COMMIT_HOME that the tests share."""
    base = tmp_path_factory.mktemp("pre-commit")
    git_config = base / "gitconfig"
    git_config.write_text("", encoding="utf-8")
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("GIT_", "PRE_COMMIT")) and key != "PYTHONPATH"
    }
    env.update(
        PRE_COMMIT_HOME=str(base / "home"),
        PRE_COMMIT_COLOR="never",
        NO_COLOR="1",
        # Neither the user's nor the system's git settings (hooksPath, signing).
        GIT_CONFIG_GLOBAL=str(git_config),
        GIT_CONFIG_NOSYSTEM="1",
    )
    source = base / "karmalint"
    source.mkdir()
    revision = _snapshot(source, env)
    return source, revision, env


@pytest.fixture
def repo(tmp_path: Path, hook_source: HookSource) -> Hooked:
    """A committed repository with a clean manifests tree and the hook configured."""
    source, revision, env = hook_source
    root = tmp_path / "user-repo"
    root.mkdir()
    hooked = Hooked(root, env)
    hooked.write("manifests/organisations.yaml", "organisations.yaml")
    hooked.write(MDO_FILE, "morail.yaml")
    # Outside manifests/: the hook's `files` pattern must leave it alone.
    hooked.write("docs/not-a-manifest.yaml", "not-a-manifest.yaml")
    (root / ".pre-commit-config.yaml").write_text(
        "repos:\n"
        f"  - repo: {source}\n"
        f"    rev: {revision}\n"
        "    hooks:\n"
        "      - id: karmalint\n",
        encoding="utf-8",
    )
    _init_repo(root, env)
    _commit_all(root, "manifests", env)
    return hooked


def _output(done: subprocess.CompletedProcess[str]) -> str:
    return done.stdout + done.stderr


def test_clean_tree_passes(repo: Hooked) -> None:
    done = repo.pre_commit("run", "--all-files")
    assert done.returncode == 0, _output(done)
    assert "karmalint" in done.stdout
    assert "Passed" in done.stdout


def test_violation_fails_with_its_place(repo: Hooked) -> None:
    repo.write(MDO_FILE, "morail-publisher-at-office.yaml")
    done = repo.pre_commit("run", "--files", MDO_FILE)
    assert done.returncode == 1, _output(done)
    assert VIOLATION in done.stdout
    assert "[publisher-from-ministry]" in done.stdout
    # The registry was read as context although only the rights file was passed.
    assert "unknown-reference" not in done.stdout
    assert "1 error, 0 warnings in 1 of 1 file" in done.stdout


def test_installed_hook_blocks_a_bad_commit(repo: Hooked) -> None:
    installed = repo.pre_commit("install")
    assert installed.returncode == 0, _output(installed)
    before = repo.git("rev-parse", "HEAD").stdout

    repo.write(MDO_FILE, "morail-publisher-at-office.yaml")
    assert repo.git("add", MDO_FILE).returncode == 0
    blocked = repo.git("commit", "-m", "add a publisher at IRICEN")
    assert blocked.returncode == 1, _output(blocked)
    assert VIOLATION in _output(blocked)
    assert repo.git("rev-parse", "HEAD").stdout == before

    repo.write(MDO_FILE, "morail-reviewer-added.yaml")
    assert repo.git("add", MDO_FILE).returncode == 0
    allowed = repo.git("commit", "-m", "add a reviewer at the ministry")
    assert allowed.returncode == 0, _output(allowed)
    assert "karmalint" in _output(allowed)
    assert "Passed" in _output(allowed)
    assert repo.git("rev-parse", "HEAD").stdout != before
