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
        shown = args[2:] if args[:1] == ("-C",) else args
        raise GitError(f"git {' '.join(shown)} failed: {message}")
    return completed.stdout


def check_at_revision(revision: str, run: Callable[[], CheckResult]) -> CheckResult:
    """Run ``run`` in a copy of the working directory as it was at ``revision``.

    The tree is read with ``git archive``, so neither the working tree nor
    the repository's worktree list is touched.  Paths in the result are
    relative to the same directory as in the current tree.
    """
    top = _git("rev-parse", "--show-toplevel").decode().strip()
    prefix = _git("rev-parse", "--show-prefix").decode().strip()
    # From the top, git archive writes the whole tree even when the working
    # directory is a subdirectory, or one that git does not track.
    archive = _git("-C", top, "archive", "--format=tar", revision)
    with tempfile.TemporaryDirectory(prefix="karmalint-base-") as folder:
        try:
            with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
                tar.extractall(folder, filter="data")
        except tarfile.ReadError:
            # The archive of an empty tree holds only a pax header, which
            # tarfile cannot read; there is nothing to extract then.
            if _git("-C", top, "ls-tree", revision).strip():
                raise GitError(
                    f"git archive {revision} gave an unreadable archive"
                ) from None
        here = Path(folder, prefix)
        here.mkdir(parents=True, exist_ok=True)
        with contextlib.chdir(here):
            return run()
