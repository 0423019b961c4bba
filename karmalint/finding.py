"""The finding type shared by the loader, the rules, the engine and the reporters."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import NamedTuple


class Severity(enum.IntEnum):
    """Severity of a finding; a higher value is more serious."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, text: str) -> Severity:
        return cls[text.upper()]

    def __str__(self) -> str:
        return self.name.lower()


class Span(NamedTuple):
    """A region of a file: lines and columns count from 1, the end is exclusive.

    A named tuple, not a dataclass, because the loader makes one per YAML node
    and a tuple is several times cheaper to create.
    """

    line: int
    column: int
    end_line: int
    end_column: int

    @classmethod
    def point(cls, line: int, column: int) -> Span:
        return cls(line, column, line, column + 1)


@dataclass(frozen=True, slots=True, order=True)
class Related:
    """A second place a finding involves, such as the first of two declarations."""

    path: str
    span: Span
    message: str


@dataclass(frozen=True, slots=True)
class Suppression:
    """An inline comment that suppresses a finding, with its justification."""

    reason: str
    until: str | None = None
    line: int = 0


@dataclass(frozen=True, slots=True)
class Problem:
    """A check's result before the engine adds the rule's severity.

    ``path`` is the file as the user named it or as it was found under the
    manifests root, relative where possible.  ``subject`` is the id of the
    account, organisation or MDO involved.  With the rule, the path and the
    node's text it identifies the finding across edits that move lines.
    """

    rule: str
    path: str
    span: Span
    message: str
    related: tuple[Related, ...] = ()
    subject: str = ""


@dataclass(frozen=True, slots=True, order=True)
class Finding:
    """A problem with its rule's severity and legal basis, ready to report."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    rule: str
    severity: Severity
    message: str
    basis: str
    related: tuple[Related, ...] = field(default=(), compare=False)
    subject: str = field(default="", compare=False)
    # Stable across edits that only move lines; see engine.fingerprint.
    fingerprint: str = field(default="", compare=False)
    suppression: Suppression | None = field(default=None, compare=False)

    def to_dict(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "severity": str(self.severity),
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "message": self.message,
            "basis": self.basis,
            "fingerprint": self.fingerprint,
            "related": [
                {
                    "path": r.path,
                    "line": r.span.line,
                    "column": r.span.column,
                    "message": r.message,
                }
                for r in self.related
            ],
            "suppressed": None
            if self.suppression is None
            else {"reason": self.suppression.reason, "until": self.suppression.until},
        }
