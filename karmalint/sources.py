"""Find manifest files and read them into text, reporting what cannot be read."""

from __future__ import annotations

import codecs
import os
import re
from dataclasses import dataclass
from pathlib import Path

from karmalint.finding import Problem, Span

SUFFIXES = (".yaml", ".yml")
BOM_AT_LINE_START = re.compile("^\ufeff", re.MULTILINE)
EDITOR_BREAK = re.compile("\r\n|\r|\n")

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
    """Show a path relative to the working directory when it lies below it.

    Symbolic links are not resolved, so a link is shown under its own name.
    """
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(Path(os.path.abspath(Path.cwd()))).as_posix()
    except ValueError:
        return path.as_posix()


def _problem(path: Path, message: str) -> Problem:
    return Problem("yaml-syntax", display_path(path), Span.point(1, 1), message)


def _link_problem(path: Path, root: Path) -> Problem | None:
    """Report a symbolic link that is broken or leads outside ``root``."""
    target = Path(os.path.realpath(path))
    if not target.exists():
        return _problem(
            path,
            f"broken symbolic link to {os.readlink(path)}: "
            "the target does not exist; fix or remove the link",
        )
    if not target.is_relative_to(root):
        return _problem(
            path,
            f"symbolic link to {target}, outside the working directory, "
            "is not followed; copy the file into the repository instead",
        )
    return None


def discover(paths: list[Path], root: Path | None = None) -> Discovery:
    """Collect ``*.yaml`` and ``*.yml`` files, recursing into folders, sorted.

    Symbolic links are followed only where they stay inside ``root`` (by
    default the working directory), and links to folders are not descended,
    so a link cannot pull in files from elsewhere or loop.
    """
    root = Path(os.path.realpath(root or Path.cwd()))
    found: dict[str, Path] = {}
    problems = []

    def add(path: Path) -> None:
        problem = _link_problem(path, root) if path.is_symlink() else None
        if problem is not None:
            problems.append(problem)
        elif path.is_dir():
            if not path.is_symlink():
                walk(path)
        elif not path.is_file():
            # Reading a named pipe or a device could block forever.
            problems.append(_problem(path, "not a regular file, so it is not read"))
        else:
            # A link and its target inside the tree are read once, by the
            # target's own name when both are found.
            real = os.path.realpath(path)
            if real not in found or found[real].is_symlink():
                found[real] = path

    def walk(folder: Path) -> None:
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError as error:
            problems.append(
                _problem(folder, f"cannot read the folder: {error.strerror}")
            )
            return
        for entry in entries:
            child = Path(entry.path)
            if entry.name.startswith("."):
                continue
            if entry.is_dir() or entry.name.endswith(SUFFIXES):
                add(child)

    for path in paths:
        if path.is_symlink() or path.exists():
            add(path)
        else:
            problems.append(_problem(path, "file not found"))
    files = sorted(found.values(), key=display_path)
    return Discovery(files, problems)


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
    if encoding == "utf-8" and _looks_like_utf16(data):
        raise DecodeError(
            Span.point(1, 1),
            "the file contains NUL bytes, so it is probably UTF-16 or UTF-32 "
            "without a byte order mark; save it as UTF-8",
        )
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        raise _bad_bytes(data, error, encoding) from None
    # libyaml skips a byte order mark at the start of each document, but
    # PyYAML's own reader only at the start of the stream, so both loaders
    # see the same text once marks at the start of a line are removed.
    return BOM_AT_LINE_START.sub("", text) if "\ufeff" in text else text


def _looks_like_utf16(data: bytes) -> bool:
    """Tell UTF-16 or UTF-32 text without a byte order mark from a stray NUL.

    Such files have a NUL in every second or fourth byte of ASCII text.  A
    single NUL is left to the YAML reader, which reports its position.
    """
    return len(data) >= 4 and data.count(0) * 4 >= len(data)


def _bad_bytes(data: bytes, error: UnicodeDecodeError, encoding: str) -> DecodeError:
    before = data[: error.start].decode(encoding, errors="replace")
    breaks = list(EDITOR_BREAK.finditer(before))
    line = len(breaks) + 1
    column = len(before) - (breaks[-1].end() if breaks else 0) + 1
    byte = data[error.start]
    return DecodeError(
        Span.point(line, column),
        f"invalid {encoding.upper()} byte 0x{byte:02x}; save the file as UTF-8",
    )
