"""Resource limits through the command line: a clear finding, fast, and adjustable."""

from __future__ import annotations

from pathlib import Path

import pytest

from hostile.support import WITNESS_FINDING, check, fixture, write_tree

SYNTAX = "yaml-syntax"
HOSTILE = "mdo/dopt.yaml"
MAX_SECONDS = 1.0

REGISTRY_DOCUMENT = (
    "---\napiVersion: karmalint/v1\nkind: OrganisationRegistry\norganisations: []\n"
)


@pytest.fixture(autouse=True)
def work_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def test_billion_laughs_fast(tmp_path: Path) -> None:
    write_tree(tmp_path, {HOSTILE: fixture("billion-laughs.yaml")})
    run = check(".")
    assert run.seconds < MAX_SECONDS
    assert run.places == [(HOSTILE, SYNTAX, 22, 37), WITNESS_FINDING]
    [message] = run.messages(HOSTILE, SYNTAX)
    assert (
        "aliases expand this document past the limit of 100000 added nodes" in message
    )
    assert run.exit_code == 1


def test_deep_nesting_fast(tmp_path: Path) -> None:
    write_tree(tmp_path, {HOSTILE: fixture("deep-nesting.yaml")})
    run = check(".")
    assert run.seconds < MAX_SECONDS
    assert run.places == [(HOSTILE, SYNTAX, 16, 73), WITNESS_FINDING]
    [message] = run.messages(HOSTILE, SYNTAX)
    assert message.startswith("nesting is deeper than 64 levels")
    assert "--max-depth" in message
    assert run.exit_code == 1


def test_raised_depth_no_crash(tmp_path: Path) -> None:
    # A user may raise --max-depth up to its ceiling of 200. A file nested
    # deeper still gives a finding, not an internal error, and the other
    # files are still checked.
    deep = "[" * 3000 + "CONTENT_CREATOR" + "]" * 3000
    text = fixture("publisher-at-office.yaml").replace("[CONTENT_PUBLISHER]", deep)
    write_tree(tmp_path, {HOSTILE: text})
    run = check("--max-depth", "200", "--max-line-length", "10000", ".")
    assert "internal error" not in run.stderr
    assert run.exit_code == 1
    assert WITNESS_FINDING in run.places


def test_depth_over_ceiling_rejected(tmp_path: Path) -> None:
    write_tree(tmp_path, {HOSTILE: fixture("publisher-at-office.yaml")})
    run = check("--max-depth", "5000", ".")
    assert "--max-depth" in run.stderr
    assert run.exit_code == 2


def test_max_depth_option(tmp_path: Path) -> None:
    # With three levels, the roles list of the first account (the fourth
    # level) is too deep in both rights files.
    write_tree(tmp_path, {HOSTILE: fixture("publisher-at-office.yaml")})
    run = check("--max-depth", "3", ".")
    assert run.places == [
        (HOSTILE, SYNTAX, 12, 12),
        ("mdo/dor.yaml", SYNTAX, 12, 12),
    ]
    [message] = run.messages(HOSTILE, SYNTAX)
    assert message.startswith("nesting is deeper than 3 levels")
    assert run.exit_code == 1


def test_alias_nodes_option(tmp_path: Path) -> None:
    write_tree(tmp_path, {HOSTILE: fixture("alias-roles.yaml")})
    run = check("--max-alias-nodes", "1", ".")
    assert run.places == [(HOSTILE, SYNTAX, 20, 12), WITNESS_FINDING]
    [message] = run.messages(HOSTILE, SYNTAX)
    assert "raise --max-alias-nodes" in message
    assert run.exit_code == 1


def test_file_size_default(tmp_path: Path) -> None:
    limit = 10 * 1024 * 1024
    write_tree(tmp_path, {HOSTILE: b"#" * (limit + 1)})
    run = check(".")
    assert run.places == [(HOSTILE, SYNTAX, 1, 1), WITNESS_FINDING]
    [message] = run.messages(HOSTILE, SYNTAX)
    assert message.startswith(f"the file is {limit + 1} bytes")
    assert f"over the limit of {limit}" in message
    assert run.exit_code == 1


def test_max_file_size_option(tmp_path: Path) -> None:
    # The registry and the witness are under 2500 bytes, and the padded file
    # is over it.
    padding = "# padding\n" * 300
    text = fixture("publisher-at-office.yaml") + padding
    write_tree(tmp_path, {HOSTILE: text})
    run = check("--max-file-size", "2500", ".")
    assert run.places == [(HOSTILE, SYNTAX, 1, 1), WITNESS_FINDING]
    [message] = run.messages(HOSTILE, SYNTAX)
    assert "over the limit of 2500" in message
    assert run.exit_code == 1


def test_document_count_default(tmp_path: Path) -> None:
    # Each document takes 4 lines, so the 101st starts at line 401.
    write_tree(tmp_path, {"registries.yaml": REGISTRY_DOCUMENT * 101})
    run = check(".")
    assert run.places == [WITNESS_FINDING, ("registries.yaml", SYNTAX, 401, 1)]
    [message] = run.messages("registries.yaml", SYNTAX)
    assert "documents" in message
    assert "the limit of 100" in message
    assert "--max-documents" in message
    assert run.exit_code == 1


def test_max_documents_option(tmp_path: Path) -> None:
    write_tree(tmp_path, {"registries.yaml": REGISTRY_DOCUMENT * 3})
    lowered = check("--max-documents", "2", ".")
    assert lowered.places == [WITNESS_FINDING, ("registries.yaml", SYNTAX, 9, 1)]
    raised = check("--max-documents", "3", ".")
    assert raised.places == [WITNESS_FINDING]


def test_long_line_default(tmp_path: Path) -> None:
    # "  designation: " is 15 characters, so the line has 1115.
    text = fixture("publisher-at-office.yaml").replace(
        "Under Secretary (Training)", "x" * 1100
    )
    write_tree(tmp_path, {HOSTILE: text})
    run = check(".")
    assert run.places == [
        (HOSTILE, "publisher-from-ministry", 16, 13),
        (HOSTILE, SYNTAX, 6, 1025),
        WITNESS_FINDING,
    ]
    [message] = run.messages(HOSTILE, SYNTAX)
    assert message.startswith("line of 1115 characters, over the limit of 1024")
    raised = check("--max-line-length", "2000", ".")
    assert (HOSTILE, SYNTAX, 6, 1025) not in raised.places


def test_long_key_one_line(tmp_path: Path) -> None:
    # A plain key of 1100 characters on line 7: the key and the line are
    # both over their limit of 1024. YAML parsers reject plain keys over
    # 1024 characters, so the rest of this file cannot be read.
    text = fixture("publisher-at-office.yaml").replace(
        "  email:", "  " + "k" * 1100 + ": x\n  email:"
    )
    write_tree(tmp_path, {HOSTILE: text})
    run = check(".")
    assert run.places == [
        (HOSTILE, SYNTAX, 7, 3),
        (HOSTILE, SYNTAX, 7, 1025),
        WITNESS_FINDING,
    ]
    key, line = run.messages(HOSTILE, SYNTAX)
    assert key.startswith("key of 1100 characters, over the limit of 1024")
    assert line.startswith("line of 1105 characters")
    assert run.exit_code == 1


def test_long_key_two_lines(tmp_path: Path) -> None:
    # An explicit key written over two lines of 600 characters: YAML folds
    # it into one key of 1201 characters, and no line is too long.
    key = "? " + "k" * 600 + "\n    " + "k" * 600 + "\n  : x\n"
    text = fixture("publisher-at-office.yaml").replace(
        "  email:", "  " + key + "  email:"
    )
    write_tree(tmp_path, {HOSTILE: text})
    run = check(".")
    assert run.places == [
        (HOSTILE, "publisher-from-ministry", 19, 13),
        (HOSTILE, SYNTAX, 7, 5),
        WITNESS_FINDING,
    ]
    [message] = run.messages(HOSTILE, SYNTAX)
    assert message.startswith("key of 1201 characters, over the limit of 1024")
    assert run.exit_code == 1
