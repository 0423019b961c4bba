"""Load YAML into plain Python values that remember where each node came from.

PyYAML's constructors drop positions and silently keep the last of two
duplicate keys, which would hide a grant from a reviewer.  This module builds
values straight from the parser's events instead (libyaml's C parser when it
is present), so each file is parsed once and every mapping and sequence
carries the span of each of its children.

Only the YAML core types are built.  A node with any other explicit tag, such
as ``!!python/object/apply``, is reported and read as a plain string, so no
object is ever constructed from manifest text.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

from karmalint.finding import Span

if yaml.__with_libyaml__:
    DEFAULT_LOADER: type = yaml.CSafeLoader
else:  # pragma: no cover - depends on how PyYAML was built
    DEFAULT_LOADER = yaml.SafeLoader

# libyaml's parser, whose reader errors count bytes, not characters.
C_PARSER: type | None = getattr(yaml, "CParser", None)
TAG_PREFIX = "tag:yaml.org,2002:"
STR_TAG = TAG_PREFIX + "str"
MERGE_TAG = TAG_PREFIX + "merge"
CORE_TAGS = frozenset(
    TAG_PREFIX + name for name in ("str", "int", "float", "bool", "null", "seq", "map")
)
TYPE_NAMES = {
    TAG_PREFIX + "bool": "boolean",
    TAG_PREFIX + "int": "integer",
    TAG_PREFIX + "float": "number",
    TAG_PREFIX + "null": "null",
    TAG_PREFIX + "timestamp": "date",
}

_resolver = Resolver()
_constructor = SafeConstructor()


# Never written to: writers replace it with a new dict first.
_EMPTY: dict[Any, Any] = {}


class Mapping(dict[str, Any]):
    """A YAML mapping with the span of the mapping and of each key and value."""

    __slots__ = ("aliases", "key_spans", "sources", "span", "value_spans")

    def __init__(self, span: Span) -> None:
        super().__init__()
        self.span = span
        self.key_spans: dict[str, Span] = {}
        self.value_spans: dict[str, Span] = {}
        # Children reached through an alias or merge key: key -> anchor span.
        # Most mappings have no alias or typed scalar, so these two start as
        # one shared empty mapping and get a dict of their own on first write.
        self.aliases: dict[str, Span] = _EMPTY
        # Source text of scalar values that YAML typed as something other
        # than a string, for messages such as "YAML read `no` as false".
        self.sources: dict[str, str] = _EMPTY


class Sequence(list[Any]):
    """A YAML sequence with the span of the sequence and of each item."""

    __slots__ = ("aliases", "item_spans", "sources", "span")

    def __init__(self, span: Span) -> None:
        super().__init__()
        self.span = span
        self.item_spans: list[Span] = []
        self.aliases: dict[int, Span] = _EMPTY
        self.sources: dict[int, str] = _EMPTY


@dataclass(slots=True)
class Document:
    """One YAML document of a file and its position in the file."""

    value: Any
    span: Span
    index: int


@dataclass(slots=True)
class SyntaxProblem:
    """A YAML-level problem at a span of the file."""

    span: Span
    message: str


@dataclass(slots=True)
class LoadResult:
    """The documents of a file and the YAML problems found while building them."""

    documents: list[Document] = field(default_factory=list)
    problems: list[SyntaxProblem] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds that keep a hostile file from exhausting time or memory."""

    max_file_size: int = 10 * 1024 * 1024
    max_documents: int = 100
    max_depth: int = 64
    # Nodes that aliases add to one document: a schema validator walks every
    # copy of a shared value, so this bounds validation time.
    max_alias_nodes: int = 100_000
    max_line_length: int = 1024
    max_key_length: int = 1024


def span_of(start: Any, end: Any) -> Span:
    """Convert two PyYAML marks (0-based) to a 1-based span."""
    return Span(start.line + 1, start.column + 1, end.line + 1, end.column + 1)


@dataclass(slots=True)
class _Frame:
    container: Mapping | Sequence
    anchor: str | None
    start: Any
    # For mappings: the key waiting for its value, with its span; the key's
    # typed value and span per key already seen, for duplicate detection.
    key: str | None = None
    key_span: Span | None = None
    key_is_merge: bool = False
    skip_value: bool = False
    seen: dict[Any, Span] = field(default_factory=dict)
    merges: list[tuple[Mapping, Span, Span]] = field(default_factory=list)
    nodes: int = 1


class _Builder:
    """Turn a stream of parser events into located values."""

    def __init__(self, result: LoadResult, limits: Limits) -> None:
        self.result = result
        self.limits = limits
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[Any, Span, int]] = {}
        self.doc_start: Any = None
        self.expanded = 0

    def handlers(self) -> dict[type, Any]:
        """Return the handler of each event type that builds values.

        The table is not kept on the builder: its bound methods would make a
        cycle that, with the cycle collector off, keeps every file's values.
        """
        return {
            yaml.ScalarEvent: self.scalar,
            yaml.MappingStartEvent: self.start_mapping,
            yaml.SequenceStartEvent: self.start_sequence,
            yaml.MappingEndEvent: self.close,
            yaml.SequenceEndEvent: self.close,
            yaml.AliasEvent: self.alias,
            yaml.DocumentStartEvent: self.start_document,
        }

    def problem(self, span: Span, message: str) -> None:
        self.result.problems.append(SyntaxProblem(span, message))

    def start_mapping(self, event: yaml.MappingStartEvent) -> None:
        self.open(event, Mapping(span_of(event.start_mark, event.end_mark)))

    def start_sequence(self, event: yaml.SequenceStartEvent) -> None:
        self.open(event, Sequence(span_of(event.start_mark, event.end_mark)))

    def start_document(self, event: yaml.DocumentStartEvent) -> None:
        if len(self.result.documents) >= self.limits.max_documents:
            raise LimitExceeded(
                span_of(event.start_mark, event.end_mark),
                "the file has more documents than the limit of "
                f"{self.limits.max_documents}; split it or raise --max-documents",
            )
        self.doc_start = event.start_mark
        self.anchors = {}
        self.expanded = 0

    def check_tag(self, tag: str | None, span: Span) -> bool:
        """Report an explicit tag outside the core schema; True if it is allowed."""
        if tag is None or tag == "!" or tag in CORE_TAGS:
            return True
        shown = "!!" + tag[len(TAG_PREFIX) :] if tag.startswith(TAG_PREFIX) else tag
        self.problem(
            span,
            f"tag {shown} is not allowed in a manifest; "
            "remove it, only plain YAML values are read",
        )
        return False

    def scalar(self, event: yaml.ScalarEvent) -> None:
        span = span_of(event.start_mark, event.end_mark)
        tag = event.tag
        if tag is None or tag == "!":
            tag = _resolver.resolve(  # type: ignore[no-untyped-call]
                ScalarNode, event.value, event.implicit
            )
        elif not self.check_tag(tag, span):
            tag = STR_TAG
        value = construct_scalar(tag, event.value)
        if value is _BAD_SCALAR:
            self.problem(
                span, f"{event.value!r} is not a valid {tag[len(TAG_PREFIX) :]}"
            )
            value = event.value
            tag = STR_TAG
        source = None if tag == STR_TAG else event.value
        self.attach(value, span, event.anchor, source=source, tag=tag)

    def open(self, event: Any, container: Mapping | Sequence) -> None:
        self.check_tag(event.tag, container.span)
        if len(self.stack) >= self.limits.max_depth:
            raise LimitExceeded(
                Span(
                    container.span.line,
                    container.span.column,
                    container.span.line,
                    container.span.column + 1,
                ),
                f"nesting is deeper than {self.limits.max_depth} levels; "
                "flatten the document or raise --max-depth",
            )
        self.stack.append(_Frame(container, event.anchor, event.start_mark))

    def close(self, event: Any) -> None:
        frame = self.stack.pop()
        container = frame.container
        container.span = span_of(frame.start, event.end_mark)
        if isinstance(container, Mapping):
            self.apply_merges(frame)
        self.attach(container, container.span, frame.anchor, nodes=frame.nodes)

    def alias(self, event: yaml.AliasEvent) -> None:
        span = span_of(event.start_mark, event.end_mark)
        anchored = self.anchors.get(event.anchor or "")
        if anchored is None:
            self.problem(
                span,
                f"alias *{event.anchor} refers to no anchor defined before it",
            )
            self.attach(None, span, None)
            return
        value, anchor_span, nodes = anchored
        self.count_alias(nodes, span)
        self.attach(value, span, None, alias_of=anchor_span, nodes=nodes)

    def count_alias(self, nodes: int, span: Span) -> None:
        self.expanded += nodes
        if self.expanded > self.limits.max_alias_nodes:
            raise LimitExceeded(
                span,
                "aliases expand this document past the limit of "
                f"{self.limits.max_alias_nodes} added nodes; "
                "write the values out or raise --max-alias-nodes",
            )

    def attach(
        self,
        value: Any,
        span: Span,
        anchor: str | None,
        *,
        source: str | None = None,
        tag: str = STR_TAG,
        alias_of: Span | None = None,
        nodes: int = 1,
    ) -> None:
        if anchor is not None:
            self.anchors[anchor] = (value, span, nodes)
        if not self.stack:
            self.finish_document(value, span)
            return
        frame = self.stack[-1]
        frame.nodes += nodes
        container = frame.container
        if isinstance(container, Sequence):
            index = len(container)
            container.append(value)
            container.item_spans.append(span)
            if alias_of is not None:
                if container.aliases is _EMPTY:
                    container.aliases = {}
                container.aliases[index] = alias_of
            if source is not None:
                if container.sources is _EMPTY:
                    container.sources = {}
                container.sources[index] = source
        elif frame.key_span is None:
            self.take_key(frame, value, span, tag, source)
        else:
            self.take_value(frame, value, span, source, alias_of)

    def take_key(
        self, frame: _Frame, value: Any, span: Span, tag: str, source: str | None
    ) -> None:
        frame.key_span = span
        frame.key_is_merge = tag == MERGE_TAG
        frame.skip_value = False
        if isinstance(value, (Mapping, Sequence)):
            self.problem(span, "a mapping key must be a plain string")
            frame.skip_value = True
            return
        if isinstance(value, str) and len(value) > self.limits.max_key_length:
            self.problem(
                span,
                f"key of {len(value)} characters, over the limit of "
                f"{self.limits.max_key_length}; a manifest key is a short name",
            )
        identity = _key_identity(value, tag)
        first = frame.seen.get(identity)
        typed = tag not in (STR_TAG, MERGE_TAG)
        if first is not None and not frame.key_is_merge:
            typing = (
                f", as YAML reads {source} as {_article(TYPE_NAMES.get(tag, tag))}"
                if typed
                else ""
            )
            self.problem(
                span,
                f"duplicate key {source or value}, first defined at line "
                f"{first.line}{typing}; YAML keeps only one of them",
            )
        elif typed:
            self.problem(
                span,
                f"key {source} is read by YAML as "
                f"{_article(TYPE_NAMES.get(tag, tag))}, not a string; "
                f'quote it: "{source}"',
            )
        frame.seen.setdefault(identity, span)
        frame.key = source if source is not None else value

    def take_value(
        self,
        frame: _Frame,
        value: Any,
        span: Span,
        source: str | None,
        alias_of: Span | None,
    ) -> None:
        key, key_span = frame.key, frame.key_span
        frame.key, frame.key_span = None, None
        if frame.skip_value or key is None or key_span is None:
            return
        if frame.key_is_merge:
            self.take_merge(frame, value, span, key_span)
            return
        container = frame.container
        assert isinstance(container, Mapping)
        container[key] = value
        container.key_spans[key] = key_span
        container.value_spans[key] = span
        if container.aliases is not _EMPTY:
            container.aliases.pop(key, None)
        if container.sources is not _EMPTY:
            container.sources.pop(key, None)
        if alias_of is not None:
            if container.aliases is _EMPTY:
                container.aliases = {}
            container.aliases[key] = alias_of
        if source is not None:
            if container.sources is _EMPTY:
                container.sources = {}
            container.sources[key] = source

    def take_merge(self, frame: _Frame, value: Any, span: Span, key_span: Span) -> None:
        if frame.merges:
            self.problem(
                key_span,
                f"second merge key << in one mapping, the first is at line "
                f"{frame.merges[0][2].line}; merge several anchors with "
                "<<: [*a, *b]",
            )
            return
        if isinstance(value, Sequence):
            sources = list(zip(value, value.item_spans, strict=False))
        else:
            sources = [(value, span)]
        for item, item_span in sources:
            if not isinstance(item, Mapping):
                self.problem(item_span, "a merge key << must refer to a mapping")
                continue
            frame.merges.append((item, item_span, key_span))

    def apply_merges(self, frame: _Frame) -> None:
        container = frame.container
        assert isinstance(container, Mapping)
        # Keys written in the mapping win over merged ones, and among merged
        # mappings the first listed wins, as YAML's merge key type defines.
        for source, span, _key_span in frame.merges:
            for key, value in source.items():
                if key in container:
                    continue
                container[key] = value
                container.key_spans[key] = span
                container.value_spans[key] = span
                if container.aliases is _EMPTY:
                    container.aliases = {}
                container.aliases[key] = source.value_spans.get(key, source.span)

    def finish_document(self, value: Any, span: Span) -> None:
        start = self.doc_start
        doc_span = Span(
            start.line + 1, start.column + 1, span.end_line, span.end_column
        )
        index = len(self.result.documents)
        self.result.documents.append(Document(value, doc_span, index))


class LimitExceeded(Exception):
    """A document went past one of the configured limits."""

    def __init__(self, span: Span, message: str) -> None:
        super().__init__(message)
        self.span = span
        self.message = message


_BAD_SCALAR = object()


def construct_scalar(tag: str, text: str) -> Any:
    """Build the core-schema value of a resolved scalar."""
    if tag == STR_TAG:
        return text
    if tag == TAG_PREFIX + "null":
        return None
    node = ScalarNode(tag, text)
    builder = _constructor.yaml_constructors.get(tag)
    if builder is None:
        return text
    try:
        return builder(_constructor, node)
    except (ValueError, IndexError, KeyError, yaml.YAMLError):
        # PyYAML's constructors index into the text, so an empty value with an
        # explicit tag (!!int, !!bool) fails with IndexError or KeyError.
        return _BAD_SCALAR


def _key_identity(value: Any, tag: str) -> Any:
    """Return what two keys must share to collide once YAML has typed them.

    1 and 1.0 collide, and so do true and yes, but Python's True == 1 must
    not make a boolean key collide with a number.
    """
    if tag == MERGE_TAG:
        return ("merge",)
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, (int, float)):
        return ("number", value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return ("date", value)
    return ("str", value)


def _article(noun: str) -> str:
    return f"an {noun}" if noun[:1] in "aeiou" else f"a {noun}"


def load_yaml(
    text: str, limits: Limits | None = None, loader: type | None = None
) -> LoadResult:
    """Build the documents of ``text``, reporting YAML problems instead of raising."""
    limits = limits or Limits()
    result = LoadResult()
    text = _replace_unusual_breaks(text, result.problems)
    result.problems += _long_lines(text, limits.max_line_length)
    builder = _Builder(result, limits)
    parser = (loader or DEFAULT_LOADER)(text)
    try:
        # A loop over get_event, rather than yaml.parse's generator, which
        # costs a call and a check per event.
        get_event, handlers = parser.get_event, builder.handlers()
        while True:
            event = get_event()
            handler = handlers.get(type(event))
            if handler is not None:
                handler(event)
            elif type(event) is yaml.StreamEndEvent:
                break
    except yaml.MarkedYAMLError as error:
        result.problems.append(_syntax_problem(error, text))
    except yaml.reader.ReaderError as error:
        position = error.position
        if C_PARSER is not None and issubclass(loader or DEFAULT_LOADER, C_PARSER):
            # libyaml reads the text as UTF-8 and counts bytes.
            position = len(text.encode("utf-8")[:position].decode("utf-8", "ignore"))
        line, column = line_and_column(text, position)
        result.problems.append(
            SyntaxProblem(
                Span.point(line, column),
                f"invalid character {_describe_char(error.character)}: "
                "YAML does not allow this character, remove it",
            )
        )
    except yaml.YAMLError as error:
        result.problems.append(
            SyntaxProblem(Span.point(1, 1), f"invalid YAML: {error}")
        )
    except LimitExceeded as error:
        result.problems.append(SyntaxProblem(error.span, error.message))
    finally:
        parser.dispose()
    return result


# Hints for the parser errors that hand-written manifests hit most, matched
# on the wording of both PyYAML's parser and libyaml's.
SYNTAX_HINTS = (
    ("flow sequence", "a [ list is not closed: add the ] or a comma between items"),
    ("flow mapping", "a { mapping is not closed: add the } or a comma between entries"),
    (
        "mapping values are not allowed",
        "a colon and space start a new key here; quote the value if it contains ': '",
    ),
    ("expected key", "this line's indentation does not match the lines above it"),
    ("<block end>", "this line's indentation does not match the lines above it"),
    (
        "expected ':'",
        "a key has no colon, or a line is broken in the middle of a value",
    ),
    (
        "'-' indicator",
        "a list item (- ...) is indented differently from the items above it",
    ),
)


def _syntax_problem(error: yaml.MarkedYAMLError, text: str) -> SyntaxProblem:
    """Describe a parser error for a clerk, at the most useful position."""
    mark = error.problem_mark or error.context_mark
    parser_text = error.problem or str(error)
    if error.context:
        parser_text = f"{parser_text} {error.context}"
    hint = next((h for key, h in SYNTAX_HINTS if key in parser_text), None)
    context = error.context_mark
    if context is not None and "simple key" in parser_text:
        # YAML limits a plain one-line key to 1024 characters.  Past that the
        # parser only reports that it found no colon.
        line = text.splitlines()[context.line] if text else ""
        key_length = len(line[context.column :].split(":", 1)[0])
        if key_length > 1024:
            span = Span.point(context.line + 1, context.column + 1)
            return SyntaxProblem(
                span,
                f"key of {key_length} characters, over the "
                "limit of 1024; a manifest key is a short name",
            )
    if mark is not None and text[mark.index : mark.index + 1] == "\t":
        hint = "a tab is used for indentation; indent with spaces"
    # An unclosed bracket is found only where the next token does not fit,
    # often lines later, so the opening bracket is the place to show.
    at_end = mark is not None and mark.index >= len(text.rstrip())
    unclosed = error.context is not None and "flow" in error.context
    if error.context_mark is not None and (at_end or unclosed):
        mark = error.context_mark
    span = Span.point(mark.line + 1, mark.column + 1) if mark else Span.point(1, 1)
    span = _inside(text, span)
    if hint is None:
        return SyntaxProblem(span, f"invalid YAML: {parser_text}")
    return SyntaxProblem(
        span, f"invalid YAML: {hint} (the parser found: {parser_text})"
    )


def _inside(text: str, span: Span) -> Span:
    """Move a position past the end of the text back onto its last line.

    libyaml reports the end of a stream that lacks a final line break on the
    line after the last one, which no editor shows.
    """
    lines = text.splitlines() or [""]
    if span.line <= len(lines) and span.column <= len(lines[span.line - 1]) + 1:
        return span
    if span.line > len(lines):
        return Span.point(len(lines), len(lines[-1]) + 1)
    return Span.point(span.line, len(lines[span.line - 1]) + 1)


UNUSUAL_BREAKS = re.compile("[\x85\u2028\u2029]")
EDITOR_BREAK = re.compile("\r\n|\r|\n")


def _replace_unusual_breaks(text: str, problems: list[SyntaxProblem]) -> str:
    """Report NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR, and blank them out.

    YAML 1.1 reads them as line breaks but editors and diffs do not, so
    every later line number would differ from the editor's.  Each is
    reported where an editor shows it and replaced by a space, so the rest
    of the file keeps the editor's line numbers.
    """
    if UNUSUAL_BREAKS.search(text) is None:
        return text
    line, line_start, scanned = 1, 0, 0
    for match in UNUSUAL_BREAKS.finditer(text):
        for brk in EDITOR_BREAK.finditer(text, scanned, match.start()):
            line, line_start = line + 1, brk.end()
        scanned = match.start()
        column = match.start() - line_start + 1
        problems.append(
            SyntaxProblem(
                Span.point(line, column),
                f"{_describe_char(match.group())} at column {column}: YAML reads it "
                "as a line break but editors do not; remove it",
            )
        )
    return UNUSUAL_BREAKS.sub(" ", text)


def _long_lines(text: str, limit: int) -> list[SyntaxProblem]:
    """Report each line longer than ``limit`` characters at its first excess column."""
    # Splitting at LF runs in C; the exact scan below runs only when a piece
    # is long, which is also the case for a file with CR-only line ends.
    if max(map(len, text.split("\n")), default=0) <= limit:
        return []
    problems = []
    for match in re.finditer(rf"[^\r\n\x85\u2028\u2029]{{{limit + 1},}}", text):
        line, column = line_and_column(text, match.start() + limit)
        length = match.end() - match.start()
        problems.append(
            SyntaxProblem(
                Span.point(line, column),
                f"line of {length} characters, over the limit of {limit}; "
                "break it into several lines",
            )
        )
    return problems


# The line breaks of YAML 1.1, which both PyYAML readers count.
LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def line_and_column(text: str, offset: int) -> tuple[int, int]:
    """Convert a character offset into ``text`` to a 1-based line and column."""
    offset = max(0, min(offset, len(text)))
    line, line_start = 1, 0
    for match in LINE_BREAK.finditer(text, 0, offset):
        line, line_start = line + 1, match.end()
    return line, offset - line_start + 1


def _describe_char(character: Any) -> str:
    import unicodedata

    if isinstance(character, int):
        character = chr(character)
    name = unicodedata.name(character, "control character")
    return f"U+{ord(character):04X} {name}"
