"""Read manifest files into the registry and rights files of one check run."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from karmalint.finding import Problem, Span
from karmalint.locate import locate
from karmalint.model import (
    Organisation,
    RightsFile,
    read_organisations,
    read_rights_file,
)
from karmalint.schema import SchemaSet
from karmalint.sources import DecodeError, decode
from karmalint.suppress import Comment, parse_comments
from karmalint.yamlload import Document, Limits, Mapping, load_yaml

REGISTRY_KIND = "OrganisationRegistry"
RIGHTS_KIND = "MDORights"
MANIFEST_KINDS = (REGISTRY_KIND, RIGHTS_KIND)
# The folder that contains one rights file per MDO, named after the MDO.
RIGHTS_FOLDER = "mdo"
# The central registry's name; its declarations win over other registry files.
REGISTRY_NAMES = ("organisations.yaml", "organisations.yml")


@dataclass(slots=True)
class Corpus:
    """Everything read from the files of a run, before any rule runs."""

    problems: list[Problem] = field(default_factory=list)
    organisations: list[Organisation] = field(default_factory=list)
    rights_files: list[RightsFile] = field(default_factory=list)
    registry_paths: set[str] = field(default_factory=set)
    # Registry organisations by file, ordered once all files are read.
    registries: dict[str, list[Organisation]] = field(default_factory=dict)
    comments: dict[str, list[Comment]] = field(default_factory=dict)


def read_corpus(
    files: dict[str, Path],
    schemas: SchemaSet,
    limits: Limits,
    loader: type | None,
) -> Corpus:
    """Read ``files`` (display path -> path) in the given order."""
    reader = Reader(Corpus(), schemas, limits, loader)
    for shown, path in files.items():
        reader.read_file(reader.corpus, shown, path)
    read_registries(reader.corpus)
    return reader.corpus


@dataclass(slots=True)
class Reader:
    """The corpus being filled and the settings every file is read with."""

    corpus: Corpus
    schemas: SchemaSet
    limits: Limits
    loader: type | None

    def read_file(self, corpus: Corpus, shown: str, path: Path) -> None:
        """Parse and validate one file into ``corpus``."""
        text = _read_text(corpus, shown, path, self.limits)
        if text is None:
            return
        if not text.strip():
            corpus.problems.append(_empty(shown))
            return
        if "karmalint:" in text:
            corpus.comments[shown] = parse_comments(text)
        loaded = load_yaml(text, self.limits, self.loader)
        corpus.problems += [
            Problem("yaml-syntax", shown, p.span, p.message) for p in loaded.problems
        ]
        if not loaded.documents and not loaded.problems:
            corpus.problems.append(_empty(shown))

        kinds = {_kind(document) for document in loaded.documents}
        in_rights_folder = RIGHTS_FOLDER in PurePosixPath(shown).parts[:-1]
        registry_allowed = RIGHTS_KIND not in kinds and not in_rights_folder
        for document in loaded.documents:
            errors = self.schemas.validate(document, MANIFEST_KINDS)
            corpus.problems += [
                Problem("schema", shown, span, message) for span, message in errors
            ]
            kind = _kind(document)
            if kind == REGISTRY_KIND and not registry_allowed:
                corpus.problems.append(_misplaced_registry(shown, document))
            elif kind == REGISTRY_KIND:
                organisations = read_organisations(shown, document)
                corpus.registries.setdefault(shown, []).extend(organisations)
            elif kind == RIGHTS_KIND:
                corpus.rights_files.append(read_rights_file(shown, document))


def _read_text(corpus: Corpus, shown: str, path: Path, limits: Limits) -> str | None:
    """Read and decode a file, or record why it cannot be checked."""
    try:
        size = path.stat().st_size
        if size > limits.max_file_size:
            message = (
                f"the file is {size} bytes, over the limit of {limits.max_file_size}; "
                "split it or raise --max-file-size"
            )
            corpus.problems.append(_file_problem(shown, message))
            return None
        data = path.read_bytes()
    except OSError as error:
        reason = error.strerror or str(error)
        corpus.problems.append(_file_problem(shown, f"cannot read the file: {reason}"))
        return None
    try:
        return decode(data)
    except DecodeError as error:
        corpus.problems.append(Problem("yaml-syntax", shown, error.span, error.message))
        return None


def _file_problem(shown: str, message: str) -> Problem:
    return Problem("yaml-syntax", shown, Span.point(1, 1), message)


def _empty(shown: str) -> Problem:
    message = "empty document: the file contains no manifest"
    return Problem("schema", shown, Span.point(1, 1), message)


def _kind(document: Document) -> str | None:
    root = document.value
    kind = root.get("kind") if isinstance(root, Mapping) else None
    return kind if isinstance(kind, str) else None


def _misplaced_registry(shown: str, document: Document) -> Problem:
    """Reject a registry inside an MDO's files, where it could restate an office.

    Only the central registry declares organisations, so its organisations
    are not read: an MDO cannot move an office or make it a CTI.
    """
    span, _ = locate(document.value, ["kind"])
    message = (
        "an OrganisationRegistry document in an MDO's rights files is not read: "
        "organisations are declared only in the central registry file"
    )
    return Problem("manifest-scope", shown, span or document.span, message)


def read_registries(corpus: Corpus) -> list[Organisation]:
    """Read the registry files, the central one first.

    The registry may be split over several files, but a second declaration
    of an organisation could restate an office (its parent, its type,
    whether it is a CTI).  The file named organisations.yaml is read first,
    so its declaration wins and ``duplicate-id`` reports the other one.
    Return the organisations of all registry files in that order.
    """
    paths = sorted(
        corpus.registries,
        key=lambda path: (PurePosixPath(path).name not in REGISTRY_NAMES, path),
    )
    for path in paths:
        corpus.registry_paths.add(path)
        corpus.organisations += corpus.registries[path]
    return corpus.organisations
