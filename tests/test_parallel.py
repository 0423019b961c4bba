"""A check shared between processes finds what a serial check finds.

The corpus is the benchmark's S size, with accounts added to two files that
different processes read: a duplicate id, a granted_by and a second
MDO_LEADER that each refer to the other file, and a suppression in each.
"""

from __future__ import annotations

import gc
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

import karmalint
from karmalint.corpus import Corpus, Reader
from karmalint.engine import CheckOptions, run_check
from karmalint.parallel import share_out
from karmalint.policy import Policy
from karmalint.schema import SchemaSet
from karmalint.share import Share
from karmalint.yamlload import Limits

REPOSITORY = Path(__file__).resolve().parent.parent
GENERATOR = REPOSITORY / "benchmarks" / "generate.py"
# The checkout or installed copy that this test imports, for the CLI runs.
PACKAGE_ROOT = Path(karmalint.__file__).resolve().parent.parent
FIELDS = ("path", "line", "column", "end_line", "end_column", "rule", "message")


def _generate(out: Path) -> None:
    # One account in a hundred breaks a rule, so that every rule reports.
    command = [sys.executable, str(GENERATOR), "--size", "S", "--violations", "0.01"]
    command += ["--out", str(out)]
    subprocess.run(command, check=True, capture_output=True)


def _run(folder: Path, *options: str) -> subprocess.CompletedProcess[str]:
    """Run ``karmalint -v check --format json`` in ``folder``."""
    env = {**os.environ, "PYTHONPATH": str(PACKAGE_ROOT)}
    command = [sys.executable, "-m", "karmalint", "-v", "check", "--format", "json"]
    done = subprocess.run(
        [*command, *options], cwd=folder, env=env, capture_output=True, text=True
    )
    assert done.returncode == 1, done.stderr
    return done


def _check(folder: Path, *options: str) -> list[tuple[Any, ...]]:
    """Run the real CLI in ``folder`` and return its findings as rows."""
    return _findings(_run(folder, *options))


def _findings(done: subprocess.CompletedProcess[str]) -> list[tuple[Any, ...]]:
    report = json.loads(done.stdout)
    return [_row(finding) for finding in report["findings"]]


def _row(finding: dict[str, Any]) -> tuple[Any, ...]:
    """Return a finding's fields, fingerprint and suppression, in a fixed order."""
    fields = (finding[name] for name in FIELDS)
    return (*fields, finding["fingerprint"], finding["suppressed"])


def _accounts(path: Path) -> list[tuple[str, int]]:
    """Return the id and line of each account of a generated rights file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = lines.index("accounts:")
    return [
        (line.split(": ", 1)[1], number)
        for number, line in enumerate(lines, 1)
        if number > start and line.startswith("  - id: ")
    ]


def _line_count(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def _append(path: Path, text: str) -> int:
    """Append lines to a file and return the number of the first one."""
    first = _line_count(path) + 1
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text)
    return first


def _tie(root: Path, earlier: str, later: str) -> dict[str, Any]:
    """Add accounts to two files that refer to each other, and return their lines."""
    first, second = root / earlier, root / later
    first_ids, second_ids = _accounts(first), _accounts(second)
    first_mdo, second_mdo = first.stem, second.stem

    added = _append(
        second,
        f"  - id: {first_ids[0][0]}\n"
        f"    org: {second_mdo}\n"
        "    roles: [CONTENT_CREATOR]\n"
        f"    granted_by: {first_ids[2][0]}\n"
        f"  - id: igot-leader2.{second_mdo}@gov.in\n"
        f"    org: {first_mdo}\n"
        "    roles: [MDO_LEADER]\n"
        "  - id: ravi.k@nic.in"
        '  # karmalint: ignore[generic-id] reason="mailbox renamed by NIC"\n'
        f"    org: {second_mdo}\n"
        "    roles: [CONTENT_REVIEWER]\n"
        f"    granted_by: {second_ids[0][0]}\n",
    )
    backward = _append(
        first,
        f"  - id: igot-creator-x.{first_mdo}@gov.in\n"
        f"    org: {first_mdo}\n"
        "    roles: [CONTENT_CREATOR]\n"
        f"    granted_by: {second_ids[3][0]}"
        '  # karmalint: ignore[granted-by] reason="granted for a joint course"\n',
    )
    leader_line = next(n for i, n in first_ids if i.startswith("igot-leader.")) + 2
    return {
        "root": root,
        "earlier": earlier,
        "later": later,
        "first_id_line": first_ids[0][1],
        "leader_roles_line": leader_line,
        "added": added,
        "backward": backward,
    }


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Generate the S corpus and tie two files of different processes together.

    The added lines can move a file to the other process, so pairs are tried
    until one stays apart.
    """
    root = tmp_path_factory.mktemp("corpus")
    _generate(root)
    rights = root / "manifests" / "mdo"
    files = {f"manifests/mdo/{p.name}": p for p in sorted(rights.glob("*.yaml"))}
    registry_size = (root / "manifests" / "organisations.yaml").stat().st_size

    def parts() -> list[dict[str, Path]]:
        sizes = {shown: path.stat().st_size for shown, path in files.items()}
        return share_out(files, sizes, 2, registry_size)

    before = parts()
    for left, right in zip(before[0], before[1], strict=False):
        earlier, later = sorted([left, right])
        originals = {name: (root / name).read_bytes() for name in (earlier, later)}
        tied = _tie(root, earlier, later)
        after = parts()
        if (earlier in after[0]) != (later in after[0]):
            return tied
        for name, data in originals.items():
            (root / name).write_bytes(data)
    raise AssertionError("no two files stay in different processes")


@pytest.fixture(scope="module")
def serial(corpus: dict[str, Any]) -> list[tuple[Any, ...]]:
    return _check(corpus["root"], "--jobs", "1", "--no-cache")


def test_shared_run_matches_serial(
    corpus: dict[str, Any], serial: list[tuple[Any, ...]]
) -> None:
    rules = {finding[5] for finding in serial}
    assert len(rules) >= 10, rules
    assert _check(corpus["root"], "--jobs", "2", "--no-cache") == serial
    assert _check(corpus["root"], "--jobs", "3", "--no-cache") == serial


def test_cached_result_matches(
    corpus: dict[str, Any], serial: list[tuple[Any, ...]]
) -> None:
    cached = corpus["root"] / ".karmalint_cache"
    assert _check(corpus["root"], "--jobs", "2") == serial
    assert any(cached.rglob("*"))
    assert _check(corpus["root"], "--jobs", "2") == serial


def test_pure_loader_matches(
    corpus: dict[str, Any],
    serial: list[tuple[Any, ...]],
    policy: Policy,
    schemas: SchemaSet,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(corpus["root"])
    for jobs in (1, 2):
        options = CheckOptions(
            paths=[Path("manifests")], loader=yaml.SafeLoader, jobs=jobs
        )
        findings = run_check(options, policy, schemas).findings
        found = [_row(finding.to_dict()) for finding in findings]
        assert found == serial


def test_cross_file_findings_shared(corpus: dict[str, Any]) -> None:
    earlier, later, added = corpus["earlier"], corpus["later"], corpus["added"]
    found = _check(corpus["root"], "--jobs", "2", "--no-cache")
    at = {(f[0], f[1], f[2], f[5]): f[6] for f in found}
    assert [f for f in found if f[5] in ("suppression", "unused-suppression")] == []

    duplicate = at[(later, added, 9, "duplicate-id")]
    assert f"first at {earlier}:{corpus['first_id_line']}" in duplicate
    granter = at[(later, added + 3, 17, "granted-by")]
    assert "neither the nodal officer nor an MDO_ADMIN account" in granter
    leader = at[(later, added + 6, 13, "single-leader")]
    assert leader.endswith(f"the first is at {earlier}:{corpus['leader_roles_line']}")
    backward = at[(earlier, corpus["backward"] + 3, 17, "granted-by")]
    assert "neither the nodal officer nor an MDO_ADMIN account" in backward
    # A suppression in each process's file applies.
    reasons = {(f[0], f[1], f[5]): f[8] for f in found}
    granted = reasons[(earlier, corpus["backward"] + 3, "granted-by")]
    assert granted["reason"] == "granted for a joint course"
    generic = reasons[(later, added + 7, "generic-id")]
    assert generic["reason"] == "mailbox renamed by NIC"
    # Both granted_by ids exist, in the other process's file.
    unknown = [f for f in found if f[5] == "unknown-reference" and "granted_by" in f[6]]
    assert [f for f in unknown if f[0] in (earlier, later)] == []


def test_utf16_registry_runs_serially(
    corpus: dict[str, Any], serial: list[tuple[Any, ...]], tmp_path: Path
) -> None:
    """A UTF-16 registry hides the kind's name, so the run falls back to serial."""
    root = tmp_path / "utf16"
    shutil.copytree(corpus["root"], root)
    registry = root / "manifests" / "organisations.yaml"
    registry.write_bytes(registry.read_text(encoding="utf-8").encode("utf-16"))
    found = _check(root, "--jobs", "2", "--no-cache")
    assert found == _check(root, "--jobs", "1", "--no-cache")
    # The registry was read: every finding of the UTF-8 corpus is there.
    assert {f[:7] for f in serial} <= {f[:7] for f in found}


def test_changed_file_run_matches(corpus: dict[str, Any], tmp_path: Path) -> None:
    """A run on one file reads the others from summaries and reports the same."""
    root = tmp_path / "changed"
    shutil.copytree(corpus["root"], root)
    for shown in (corpus["later"], corpus["earlier"]):
        _check(root, shown)
        with (root / shown).open("a", encoding="utf-8") as handle:
            handle.write("# a comment, so the result cache misses\n")
        summaries = list((root / ".karmalint_cache" / "summaries").glob("*.json"))
        assert len(summaries) >= 150

        done = _run(root, shown)
        assert "parsed 1 of 151 files, the others from summaries" in done.stderr
        from_summaries = _findings(done)
        assert from_summaries == _check(root, "--no-cache", shown)
        assert from_summaries == _check(root, "--no-cache", "--jobs", "1", shown)
        assert {f[0] for f in from_summaries} <= {corpus["earlier"], corpus["later"]}
        assert {"duplicate-id", "granted-by"} <= {f[5] for f in from_summaries}


def test_worker_failure_is_reported(
    corpus: dict[str, Any],
    policy: Policy,
    schemas: SchemaSet,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An exception in a worker ends the run with its message, not a hang."""
    main_process = os.getpid()
    read_and_check = Share.read_and_check

    def broken(share: Share, files: dict[str, Path]) -> Any:
        if os.getpid() != main_process:
            raise ValueError("broken on purpose")
        return read_and_check(share, files)

    monkeypatch.setattr(Share, "read_and_check", broken)
    monkeypatch.chdir(corpus["root"])
    options = CheckOptions(paths=[Path("manifests")], jobs=2)
    with pytest.raises(RuntimeError) as raised:
        run_check(options, policy, schemas)
    message = str(raised.value)
    assert message == "a checking process failed: ValueError: broken on purpose"
    assert "Traceback" in raised.value.__notes__[0]


def test_checked_files_form_no_cycles(
    corpus: dict[str, Any], policy: Policy, schemas: SchemaSet
) -> None:
    """Each checked file's values are freed at once, with the cycle collector off.

    A process holds one file's values at a time only if nothing of a file
    is left in a reference cycle.
    """
    root = corpus["root"]
    share = Share(Reader(Corpus(), schemas, Limits(), None), policy)
    share.read("manifests/organisations.yaml", root / "manifests/organisations.yaml")
    share.build_graph()
    rights = sorted((root / "manifests" / "mdo").glob("*.yaml"))[:20]
    files = {f"manifests/mdo/{path.name}": path for path in rights}
    gc.collect()
    gc.disable()
    try:
        share.read_and_check(files)
        unreachable = gc.collect()
    finally:
        gc.enable()
    assert len(share.facts.rights) == 20
    assert unreachable == 0
