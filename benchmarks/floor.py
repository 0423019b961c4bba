"""The floor of a karmalint run: parse every YAML file of a folder with libyaml.

It reads each ``*.yaml`` file under the folder once with PyYAML's C loader and
does nothing else, so a check that must parse the same files cannot be faster.

    python3 benchmarks/floor.py /tmp/corpus-s/manifests
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml


def load_all(folder: Path) -> int:
    """Parse every ``*.yaml`` file under ``folder`` and return the file count."""
    count = 0
    for path in sorted(folder.rglob("*.yaml")):
        with path.open("rb") as handle:
            yaml.load(handle, Loader=yaml.CSafeLoader)
        count += 1
    return count


def main(argv: list[str]) -> int:
    """Parse the folder given as the only argument."""
    if len(argv) != 1:
        print("usage: floor.py FOLDER", file=sys.stderr)
        return 2
    load_all(Path(argv[0]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
