"""Paths through the command line, in tmp_path as the working directory.

Every run also checks the witness file, mdo/dor.yaml, to show that one file
that cannot be read does not stop the others from being checked.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from hostile.support import WITNESS_FINDING, check, fixture, write_tree

SYNTAX = "yaml-syntax"
PUBLISHER = "publisher-from-ministry"


@pytest.fixture(autouse=True)
def work_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "dopt.yaml").write_text(fixture("publisher-at-office.yaml"))
    repository = tmp_path / "repository"
    repository.mkdir()
    write_tree(repository, {})
    monkeypatch.chdir(repository)
    return repository


def test_symlink_outside_not_followed(work_dir: Path) -> None:
    (work_dir / "mdo" / "dopt.yaml").symlink_to("../../outside/dopt.yaml")
    run = check(".")
    assert run.places == [("mdo/dopt.yaml", SYNTAX, 1, 1), WITNESS_FINDING]
    [message] = run.messages("mdo/dopt.yaml", SYNTAX)
    assert "symbolic link to" in message
    assert "is not followed" in message
    assert run.exit_code == 1


def test_broken_symlink_reported(work_dir: Path) -> None:
    (work_dir / "mdo" / "dopt.yaml").symlink_to("dopt-old.yaml")
    run = check(".")
    assert run.places == [("mdo/dopt.yaml", SYNTAX, 1, 1), WITNESS_FINDING]
    [message] = run.messages("mdo/dopt.yaml", SYNTAX)
    assert message.startswith("broken symbolic link to dopt-old.yaml")
    assert run.exit_code == 1


def test_space_in_path_checked(work_dir: Path) -> None:
    name = "drafts of 2024/dopt rights.yaml"
    (work_dir / "drafts of 2024").mkdir()
    (work_dir / name).write_text(fixture("publisher-at-office.yaml"))
    run = check(".")
    assert run.places == sorted([WITNESS_FINDING, (name, PUBLISHER, 16, 13)])
    assert run.exit_code == 1


def test_non_ascii_name_checked(work_dir: Path) -> None:
    name = "कार्मिक/प्रशिक्षण.yaml"
    (work_dir / "कार्मिक").mkdir()
    (work_dir / name).write_text(fixture("publisher-at-office.yaml"))
    run = check(".")
    assert run.places == [WITNESS_FINDING, (name, PUBLISHER, 16, 13)]
    assert run.exit_code == 1


def test_unreadable_file_reported(work_dir: Path) -> None:
    target = work_dir / "mdo" / "dopt.yaml"
    target.write_text(fixture("publisher-at-office.yaml"))
    target.chmod(0)
    try:
        if os.access(target, os.R_OK):
            pytest.skip("the file stays readable: the tests run as root")
        run = check(".")
    finally:
        target.chmod(0o644)
    assert run.places == [("mdo/dopt.yaml", SYNTAX, 1, 1), WITNESS_FINDING]
    [message] = run.messages("mdo/dopt.yaml", SYNTAX)
    assert message.startswith("cannot read the file")
    assert run.exit_code == 1


def test_folder_named_like_file(work_dir: Path) -> None:
    folder = work_dir / "x.yaml"
    folder.mkdir()
    (folder / "dopt.yaml").write_text(fixture("publisher-at-office.yaml"))
    run = check("x.yaml", "registry.yaml", "mdo/dor.yaml")
    assert run.places == [WITNESS_FINDING, ("x.yaml/dopt.yaml", PUBLISHER, 16, 13)]
    assert run.exit_code == 1


def test_missing_path_reported(work_dir: Path) -> None:
    # A mistyped path is a usage error: exit status 2 and a message naming
    # the path, before anything is checked.
    run = check("mdo/dopt.yaml", "registry.yaml", "mdo/dor.yaml")
    assert run.exit_code == 2
    assert "mdo/dopt.yaml: no such file or folder" in run.stderr
