"""Find the span of a node from its path of keys and indexes in a document."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from karmalint.finding import Span
from karmalint.yamlload import Mapping, Sequence


def locate(
    root: Any, path: Iterable[str | int], *, key: bool = False
) -> tuple[Span | None, str]:
    """Return the span of the node at ``path`` and a note on how it was reached.

    With ``key`` set, the span is that of the last mapping key, not its value.
    The path is a list of keys and indexes, never a string to split, so a key
    containing ``/`` or ``.`` cannot send the position elsewhere.

    Values reached through an alias or merge key are shared with their
    anchor, so their own spans lie inside the anchor.  The span returned is
    then the alias use, where the user can see it, and the note names the
    line the shared value starts on.  Where the path ends early the span is
    that of the last node found.
    """
    node = root
    span: Span | None = getattr(root, "span", None)
    alias_use: Span | None = None
    anchor: Span | None = None
    steps = list(path)
    for position, step in enumerate(steps):
        last = position == len(steps) - 1
        child_span, child_anchor = _child(node, step, key and last)
        if child_span is None:
            break
        if alias_use is None:
            span = child_span
            if child_anchor is not None:
                alias_use, anchor = child_span, child_anchor
        node = node[step]
    if alias_use is not None and anchor is not None:
        return alias_use, f" (the value comes through an alias from line {anchor.line})"
    return span, ""


def _child(
    node: Any, step: str | int, want_key: bool
) -> tuple[Span | None, Span | None]:
    if isinstance(node, Mapping) and isinstance(step, str) and step in node:
        spans = node.key_spans if want_key else node.value_spans
        return spans.get(step), node.aliases.get(step)
    if isinstance(node, Sequence) and isinstance(step, int) and 0 <= step < len(node):
        return node.item_spans[step], node.aliases.get(step)
    return None, None
