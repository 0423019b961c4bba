"""Time karmalint against the YAML floor and other tools, as whole processes.

For each size it generates a corpus (benchmarks/generate.py, seed 1), then runs
every command ``--repeat`` times, round-robin, each in a fresh interpreter. Wall
time is taken with ``time.perf_counter`` around the process, the peak RSS of the
largest process with ``/usr/bin/time -f %M`` when it exists, and the peak of the
proportional set size (PSS) summed over the command's processes, read from /proc
every 20 ms. PSS splits a page shared by forked processes between them, where
adding their RSS would count it once per process. It prints a Markdown table
and with ``--json FILE`` writes every sample.

    python3 benchmarks/run.py --sizes S,M --repeat 5 --json /tmp/bench.json
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
HERE = REPO / "benchmarks"
CACHE = ".karmalint_cache"
GNU_TIME = Path("/usr/bin/time")
# How often the PSS of a command's processes is read while it runs.
SAMPLE_SECONDS = 0.02
ONE_FILE = """apiVersion: karmalint/v1
kind: OrganisationRegistry
organisations:
  - id: mof
    name: Ministry of Finance
    type: ministry
"""


@dataclass(slots=True)
class Command:
    """One measured command, with an unmeasured step run before each sample."""

    name: str
    argv: list[str]
    cwd: Path
    prepare: Callable[[], None] | None = None
    times: list[float] = field(default_factory=list)
    rss_kb: list[int] = field(default_factory=list)
    total_pss_kb: list[int] = field(default_factory=list)
    codes: list[int] = field(default_factory=list)


def measure(cmd: Command, env: dict[str, str]) -> None:
    """Run ``cmd`` once and record its wall time, peak RSS and exit status."""
    if cmd.prepare:
        cmd.prepare()
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        argv = cmd.argv
        if GNU_TIME.exists():
            argv = [str(GNU_TIME), "-f", "%M", "-o", rss.name, *argv]
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        start = time.perf_counter()
        process = subprocess.Popen(
            argv,
            cwd=cmd.cwd,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        total = 0
        while process.poll() is None:
            # /usr/bin/time itself is left out of the sum.
            pids = _descendants(process.pid)
            if not GNU_TIME.exists():
                pids.append(process.pid)
            total = max(total, sum(_pss_kb(pid) for pid in pids))
            time.sleep(SAMPLE_SECONDS)
        cmd.times.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        text = rss.read().strip().splitlines()
    cmd.codes.append(process.returncode)
    # ru_maxrss of children is the largest so far, so a delta is only a hint.
    largest = int(text[-1]) if text and text[-1].isdigit() else max(after, before)
    cmd.rss_kb.append(largest)
    # A process shorter than one sample interval may not be seen at all.
    cmd.total_pss_kb.append(total)


def _descendants(pid: int) -> list[int]:
    """Return the ids of every process below ``pid``, from /proc."""
    found: list[int] = []
    pending = [pid]
    while pending:
        parent = pending.pop()
        try:
            tasks = os.listdir(f"/proc/{parent}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                text = Path(f"/proc/{parent}/task/{task}/children").read_text()
            except OSError:
                continue
            children = [int(child) for child in text.split()]
            found += children
            pending += children
    return found


def _pss_kb(pid: int) -> int:
    """Return the proportional set size of a process in KiB, 0 once it has ended."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def run_quiet(argv: list[str], cwd: Path, env: dict[str, str]) -> str:
    """Run an unmeasured command and return its stdout."""
    done = subprocess.run(
        argv, cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    return done.stdout


def has_no_cache(karmalint: list[str], env: dict[str, str]) -> bool:
    """Tell whether ``karmalint check`` accepts ``--no-cache``."""
    return "--no-cache" in run_quiet([*karmalint, "check", "--help"], REPO, env)


def generate(size: str, root: Path, violations: float) -> Path:
    """Generate the corpus of ``size`` under ``root`` unless it is there already."""
    out = root / f"corpus-{size}"
    stamp = out / "generated.json"
    wanted = json.dumps({"size": size, "seed": 1, "violations": violations})
    if stamp.exists() and stamp.read_text() == wanted:
        return out
    shutil.rmtree(out, ignore_errors=True)
    gen = [sys.executable, str(HERE / "generate.py"), "--size", size, "--out", str(out)]
    subprocess.run([*gen, "--violations", str(violations)], check=True)
    stamp.write_text(wanted)
    return out


def drop_cache(folder: Path) -> Callable[[], None]:
    """Return a step that deletes karmalint's cache folder in ``folder``."""
    return lambda: shutil.rmtree(folder / CACHE, ignore_errors=True)


def edit_one(path: Path) -> Callable[[], None]:
    """Return a step that changes ``path`` by a comment line with a counter."""
    original = path.read_bytes()
    counter = iter(range(1, 1_000_000))

    def edit() -> None:
        path.write_bytes(original + f"# benchmark edit {next(counter)}\n".encode())

    return edit


def karmalint_commands(
    corpus: Path, kl: list[str], no_cache: bool, env: dict[str, str]
) -> list[Command]:
    """Return the cold, warm and pre-commit-shaped karmalint commands."""
    check = [*kl, "check"]
    cold = Command(
        "karmalint check (cold)",
        [*check, "--no-cache"] if no_cache else check,
        corpus,
        None if no_cache else drop_cache(corpus),
    )

    def fill() -> None:
        run_quiet(check, corpus, env)

    target = sorted((corpus / "manifests" / "mdo").glob("*.yaml"))[0]
    edit = edit_one(target)
    rel = str(target.relative_to(corpus))
    return [
        cold,
        Command("karmalint check (warm)", check, corpus, fill),
        Command(f"karmalint check {rel} (pre-commit)", [*check, rel], corpus, edit),
    ]


def tool_commands(corpus: Path, notes: list[str]) -> list[Command]:
    """Return yamllint and check-jsonschema on the same files, when installed."""
    out: list[Command] = []
    mdo = sorted(
        str(p.relative_to(corpus)) for p in (corpus / "manifests/mdo").glob("*.yaml")
    )
    if shutil.which("yamllint"):
        out.append(
            Command(
                "yamllint -d relaxed",
                ["yamllint", "-d", "relaxed", "manifests"],
                corpus,
            )
        )
    else:
        notes.append("yamllint is not installed: skipped")
    if shutil.which("check-jsonschema"):
        schema = str(REPO / "schemas" / "mdo-rights.schema.json")
        out.append(
            Command(
                "check-jsonschema (mdo files)",
                ["check-jsonschema", "--schemafile", schema, *mdo],
                corpus,
            )
        )
    else:
        notes.append("check-jsonschema is not installed: skipped")
    return out


def startup_commands(root: Path, kl: list[str]) -> list[Command]:
    """Return the interpreter, import, --version and one-file check commands."""
    tree = root / "one-file"
    (tree / "manifests").mkdir(parents=True, exist_ok=True)
    (tree / "manifests" / "organisations.yaml").write_text(ONE_FILE)
    py = sys.executable
    return [
        Command("python -c pass", [py, "-c", "pass"], tree),
        Command(
            "python -c 'import yaml, jsonschema, networkx, click'",
            [py, "-c", "import yaml, jsonschema, networkx, click"],
            tree,
        ),
        Command("karmalint --version", [*kl, "--version"], tree),
        Command(
            "karmalint check (one-file tree)", [*kl, "check"], tree, drop_cache(tree)
        ),
    ]


def round_robin(commands: list[Command], repeat: int, env: dict[str, str]) -> None:
    """Run each command ``repeat`` times, one of each per repetition."""
    for rep in range(repeat):
        for cmd in commands:
            measure(cmd, env)
        print(f"  repetition {rep + 1}/{repeat} done", file=sys.stderr)


def summary(cmd: Command, floor: float | None) -> dict[str, object]:
    """Return the median, spread, peak RSS and ratio to the floor of ``cmd``."""
    median = statistics.median(cmd.times)
    return {
        "command": cmd.name,
        "argv": cmd.argv,
        "median_s": median,
        "min_s": min(cmd.times),
        "max_s": max(cmd.times),
        "peak_rss_mb": max(cmd.rss_kb) / 1024,
        "peak_total_pss_mb": max(cmd.total_pss_kb) / 1024,
        "ratio_to_floor": median / floor if floor else None,
        "exit_codes": sorted(set(cmd.codes)),
        "samples_s": cmd.times,
    }


def table(rows: list[dict[str, object]]) -> str:
    """Return the rows as a Markdown table."""
    lines = [
        "| size | command | median s | min-max s | x floor | peak RSS MB, "
        "largest process | peak PSS MB, all processes | x floor |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        ratio = f"{r['ratio_to_floor']:.2f}" if r["ratio_to_floor"] else "-"
        memory = r.get("memory_to_floor")
        total = r["peak_total_pss_mb"]
        memory_ratio = f"{memory:.1f}" if memory else "-"
        lines.append(
            f"| {r['size']} | {r['command']} | {r['median_s']:.3f} | "
            f"{r['min_s']:.3f}-{r['max_s']:.3f} | {ratio} | "
            f"{r['peak_rss_mb']:.0f} | {f'{total:.0f}' if total else '-'} | "
            f"{memory_ratio} |"
        )
    return "\n".join(lines)


def machine() -> dict[str, object]:
    """Return the CPU model, cores, RAM and Python of this machine."""
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    import yaml

    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gib": round(ram, 1),
        "python": platform.python_version(),
        "pyyaml": yaml.__version__,
        "libyaml": bool(yaml.__with_libyaml__),
    }


def bench_size(
    size: str,
    args: argparse.Namespace,
    kl: list[str],
    no_cache: bool,
    env: dict[str, str],
    notes: list[str],
) -> list[dict[str, object]]:
    """Generate and measure one size, and return its summary rows."""
    corpus = generate(size, args.workdir, args.violations)
    floor = Command(
        "floor (CSafeLoader only)",
        [sys.executable, str(HERE / "floor.py"), "manifests"],
        corpus,
    )
    commands = [floor, *karmalint_commands(corpus, kl, no_cache, env)]
    if not args.no_tools:
        commands += tool_commands(corpus, notes)
    print(f"size {size}: {len(commands)} commands", file=sys.stderr)
    round_robin(commands, args.repeat, env)
    base = statistics.median(floor.times)
    rows = [{"size": size, **summary(c, base)} for c in commands]
    floor_memory = max(floor.total_pss_kb)
    for row, cmd in zip(rows, commands, strict=True):
        if floor_memory:
            row["memory_to_floor"] = max(cmd.total_pss_kb) / floor_memory
    return rows


def failed_commands(rows: list[dict[str, object]]) -> list[str]:
    """Name the commands that failed.

    karmalint exits with 1 when it reports findings and with 2 or 3 when the
    run itself failed.
    """
    failed = []
    for row in rows:
        codes = row["exit_codes"]
        assert isinstance(codes, list)
        if set(codes) - {0, 1}:
            failed.append(str(row["command"]))
    return failed


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="S,M", help="comma-separated: S, M, L")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", type=Path, help="write every sample to this file")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/karmalint-bench"))
    parser.add_argument(
        "--karmalint",
        default=f"{shlex.quote(sys.executable)} -m karmalint",
        help="how to run karmalint (default: python -m karmalint)",
    )
    parser.add_argument("--violations", type=float, default=0.002)
    parser.add_argument("--no-tools", action="store_true", help="skip yamllint etc.")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table."""
    args = parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, PYTHONPATH=str(REPO), NO_COLOR="1")
    # With PYTHONDONTWRITEBYTECODE set, every run of a checkout compiles the
    # modules changed since their .pyc was written, which an installed copy
    # never does.  So the package is compiled once here, unmeasured.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    compile_package = [
        sys.executable,
        "-m",
        "compileall",
        "-q",
        str(REPO / "karmalint"),
    ]
    subprocess.run(compile_package, env=env, capture_output=True, check=False)
    kl = shlex.split(args.karmalint)
    no_cache = has_no_cache(kl, env)
    notes = (
        [] if no_cache else ["no --no-cache option: cold runs delete .karmalint_cache/"]
    )
    if not GNU_TIME.exists():
        notes.append("no /usr/bin/time: peak RSS is the largest child so far")
    startup = startup_commands(args.workdir, kl)
    print("startup", file=sys.stderr)
    round_robin(startup, args.repeat, env)
    rows = [{"size": "-", **summary(c, None)} for c in startup]
    for size in args.sizes.split(","):
        rows += bench_size(size.strip().upper(), args, kl, no_cache, env, notes)
    print(table(rows))
    for note in dict.fromkeys(notes):
        print(f"\nNote: {note}")
    failed = failed_commands(rows)
    for name in failed:
        print(f"error: {name} exited with a status other than 0 or 1", file=sys.stderr)
    if args.json:
        report = {
            "machine": machine(),
            "date": time.strftime("%Y-%m-%d"),
            "karmalint": args.karmalint,
            "repeat": args.repeat,
            "notes": list(dict.fromkeys(notes)),
            "results": rows,
        }
        args.json.write_text(json.dumps(report, indent=2) + "\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
