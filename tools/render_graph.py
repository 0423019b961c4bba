"""Render the hierarchy of one MDO in the shipped manifests as an SVG picture.

The script runs ``karmalint graph --mdo MDO --format dot`` in the repository
and passes the DOT text to Graphviz's ``dot``, which must be on PATH
(``apt-get install graphviz``).  It also prints the Mermaid text of the same
MDO, for pasting into docs/review.md beside the picture.

Usage:
    python tools/render_graph.py [--mdo MDO] [--output FILE]

MDO defaults to dopt, FILE to docs/pictures/MDO.svg in this repository.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent


def graph_text(mdo: str, output_format: str) -> str:
    """Return the output of ``karmalint graph`` on the shipped manifests."""
    command = [sys.executable, "-m", "karmalint", "graph", "--mdo", mdo]
    completed = subprocess.run(
        [*command, "--format", output_format],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        check=True,
    )
    return completed.stdout


def render_svg(dot_text: str, output: Path) -> None:
    """Write the DOT text as SVG with Graphviz, or exit when dot is missing."""
    dot = shutil.which("dot")
    if dot is None:
        sys.exit("render_graph: Graphviz's dot is not on PATH")
    output.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [dot, "-Tsvg", "-o", str(output)], input=dot_text, text=True, check=True
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mdo", default="dopt", help="MDO to draw (default: dopt)")
    parser.add_argument("--output", type=Path, help="SVG file to write")
    args = parser.parse_args()
    output = args.output or REPOSITORY / "docs" / "pictures" / f"{args.mdo}.svg"
    render_svg(graph_text(args.mdo, "dot"), output)
    print(f"wrote {output}", file=sys.stderr)
    print(graph_text(args.mdo, "mermaid"), end="")


if __name__ == "__main__":
    main()
