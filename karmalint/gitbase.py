"""Check the manifests as they were at a git revision, to find what a change adds."""

from __future__ import annotations

import contextlib
import io
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from pathlib import Path

from karmalint.engine import CheckResult


class GitError(Exception):
    """git failed, or the revision does not exist."""


def _git(*args: str) -> bytes:
    try:
        completed = subprocess.run(["git", *args], capture_output=True, check=False)
    except OSError as error:
        raise GitError(f"cannot run git: {error}") from None
    if completed.returncode != 0:
        message = completed.stderr.decode("utf-8", "replace").strip()
        raise GitError(f"git {' '.join(args)} failed: {message}")
    return completed.stdout


def check_at_revision(revision: str, run: Callable[[], CheckResult]) -> CheckResult:
    """Run ``run`` in a copy of the working directory as it was at ``revision``.

    The tree is read with ``git archive``, so neither the working tree nor
    the repository's worktree list is touched.  Paths in the result are
    relative to the same directory as in the current tree.
    """
    prefix = _git("rev-parse", "--show-prefix").decode().strip()
    archive = _git("archive", "--format=tar", revision)
    with tempfile.TemporaryDirectory(prefix="karmalint-base-") as folder:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(folder, filter="data")
        here = Path(folder, prefix)
        here.mkdir(parents=True, exist_ok=True)
        with contextlib.chdir(here):
            return run()
