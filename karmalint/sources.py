"""Find manifest files and read them into text, reporting what cannot be read."""

from __future__ import annotations

import codecs
import os
from dataclasses import dataclass
from pathlib import Path

from karmalint.finding import Problem, Span

SUFFIXES = (".yaml", ".yml")

# Byte order marks, longest first so that UTF-32 LE is not taken for UTF-16 LE.
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


@dataclass(frozen=True, slots=True)
class Discovery:
    """The manifest files found under the requested paths."""

    files: list[Path]
    problems: list[Problem]


def display_path(path: Path) -> str:
    """Show a path relative to the working directory when it lies below it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def discover(paths: list[Path]) -> Discovery:
    """Collect ``*.yaml`` and ``*.yml`` files, recursing into folders, sorted."""
    found: dict[str, Path] = {}
    problems = []
    for path in paths:
        if path.is_dir():
            for root, dirs, names in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in names:
                    if name.endswith(SUFFIXES):
                        child = Path(root, name)
                        found.setdefault(display_path(child), child)
        elif path.is_file():
            found.setdefault(display_path(path), path)
        else:
            problems.append(
                Problem(
                    "yaml-syntax",
                    display_path(path),
                    Span.point(1, 1),
                    "file not found",
                )
            )
    return Discovery([found[key] for key in sorted(found)], problems)


class DecodeError(Exception):
    """The bytes of a file are not valid text in its encoding."""

    def __init__(self, span: Span, message: str) -> None:
        super().__init__(message)
        self.span = span
        self.message = message


def decode(data: bytes) -> str:
    """Decode a file's bytes by its byte order mark, or as UTF-8 without one."""
    encoding = "utf-8"
    for bom, bom_encoding in BOMS:
        if data.startswith(bom):
            data, encoding = data[len(bom) :], bom_encoding
            break
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise _bad_bytes(data, error, encoding) from None


def _bad_bytes(data: bytes, error: UnicodeDecodeError, encoding: str) -> DecodeError:
    before = data[: error.start].decode(encoding, errors="replace")
    line = before.count("\n") + 1
    column = len(before) - (before.rfind("\n") + 1) + 1
    byte = data[error.start]
    return DecodeError(
        Span.point(line, column),
        f"invalid {encoding.upper()} byte 0x{byte:02x}; save the file as UTF-8",
    )
