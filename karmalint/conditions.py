"""Compile the condition vocabulary of policy files into Python closures.

A condition is a mapping with one of these forms:

- ``{all: [...]}``, ``{any: [...]}``, ``{not: condition}``
- ``{attr: NAME, OPERATOR: OPERAND}`` with an operator from ``OPERATORS``
- ``{some: COLLECTION, where: condition}`` on files: true if any of the
  file's accounts, grants or delegations meets the condition

An operand is a literal, ``{attr: NAME}`` for another attribute of the same
entity, or ``{param: NAME}`` for a policy parameter.  Policy text is never
evaluated as code.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from karmalint.attributes import COLLECTIONS, Context, attribute_getter, attribute_names
from karmalint.finding import Span
from karmalint.suggest import did_you_mean
from karmalint.yamlload import Mapping, Sequence

Predicate = Callable[[Any, Context], bool]
Operand = Callable[[Any, Context], Any]


class PolicyError(Exception):
    """A policy file that cannot be compiled, with the span of the cause."""

    def __init__(self, span: Span | None, message: str) -> None:
        super().__init__(message)
        self.span = span
        self.message = message


def _is_under_domain(value: Any, domains: Any) -> bool:
    if not isinstance(value, str):
        return False
    return any(value == d or value.endswith("." + d) for d in _as_list(domains))


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _matches(value: Any, pattern: re.Pattern[str]) -> bool:
    return isinstance(value, str) and pattern.fullmatch(value) is not None


def _in_subtree(value: Any, root: Any, context: Context) -> bool:
    if not isinstance(value, str) or not isinstance(root, str):
        return False
    return context.graph.in_subtree(value, root)


OPERATORS: dict[str, Callable[[Any, Any, Context], bool]] = {
    "eq": lambda v, o, c: v == o,
    "ne": lambda v, o, c: v != o,
    "in": lambda v, o, c: v in _as_list(o),
    "not_in": lambda v, o, c: v not in _as_list(o),
    "contains": lambda v, o, c: isinstance(v, list) and o in v,
    "subset_of": lambda v, o, c: isinstance(v, list) and set(v) <= set(_as_list(o)),
    "intersects": lambda v, o, c: (
        isinstance(v, list) and not set(v).isdisjoint(_as_list(o))
    ),
    "matches": lambda v, o, c: _matches(v, o),
    "under_domain": lambda v, o, c: _is_under_domain(v, o),
    "in_subtree_of": lambda v, o, c: _in_subtree(v, o, c),
}


class ConditionCompiler:
    """Compile conditions for one entity kind against one set of parameters."""

    def __init__(self, kind: str, parameters: dict[str, Any]) -> None:
        self.kind = kind
        self.parameters = parameters

    def compile(self, node: Any, span: Span | None) -> Predicate:
        if not isinstance(node, Mapping) or not node:
            raise PolicyError(span, "a condition must be a non-empty mapping")
        keys = set(node)
        if keys == {"all"} or keys == {"any"}:
            return self._combine(node, keys.pop())
        if keys == {"not"}:
            inner = self.compile(node["not"], node.value_spans["not"])
            return lambda entity, context: not inner(entity, context)
        if keys == {"some", "where"}:
            return self._some(node)
        if "attr" in keys and len(keys) == 2:
            return self._comparison(node)
        raise PolicyError(
            node.span,
            f"unknown condition with keys {', '.join(sorted(keys))}; "
            "expected all, any, not, some with where, or attr with one operator",
        )

    def _combine(self, node: Mapping, op: str) -> Predicate:
        items = node[op]
        if not isinstance(items, Sequence) or not items:
            raise PolicyError(
                node.value_spans[op], f"{op} needs a non-empty list of conditions"
            )
        pairs = zip(items, items.item_spans, strict=True)
        parts = [self.compile(item, span) for item, span in pairs]
        if op == "all":
            return lambda entity, context: all(p(entity, context) for p in parts)
        return lambda entity, context: any(p(entity, context) for p in parts)

    def _some(self, node: Mapping) -> Predicate:
        collection = node["some"]
        if self.kind != "files" or collection not in COLLECTIONS:
            raise PolicyError(
                node.value_spans["some"],
                f"some: {collection} is not available here; on files use one of "
                f"{', '.join(COLLECTIONS)}",
            )
        child_kind, members = COLLECTIONS[collection]
        inner = ConditionCompiler(child_kind, self.parameters).compile(
            node["where"], node.value_spans["where"]
        )
        return lambda entity, context: any(inner(m, context) for m in members(entity))

    def _comparison(self, node: Mapping) -> Predicate:
        getter = self.attribute(node["attr"], node.value_spans["attr"])
        op = next(key for key in node if key != "attr")
        if op not in OPERATORS:
            raise PolicyError(
                node.key_spans[op],
                f"unknown operator {op}: expected one of {', '.join(OPERATORS)}"
                f"{did_you_mean(op, OPERATORS)}",
            )
        operand = self.operand(node[op], node.value_spans[op], op)
        compare = OPERATORS[op]
        return lambda entity, context: compare(
            getter(entity, context), operand(entity, context), context
        )

    def attribute(self, name: Any, span: Span) -> Callable[[Any, Context], Any]:
        getter = attribute_getter(self.kind, name) if isinstance(name, str) else None
        if getter is None:
            choices = attribute_names(self.kind)
            raise PolicyError(
                span,
                f"unknown attribute {name!r} for {self.kind}"
                f"{did_you_mean(str(name), choices)}",
            )
        return getter

    def operand(self, value: Any, span: Span, op: str) -> Operand:
        if isinstance(value, Mapping) and set(value) == {"attr"}:
            if op == "matches":
                raise PolicyError(
                    span, "matches needs a regular expression, not an attribute"
                )
            return self.attribute(value["attr"], value.value_spans["attr"])
        if isinstance(value, Mapping) and set(value) == {"param"}:
            name = value["param"]
            if name not in self.parameters:
                hint = did_you_mean(str(name), self.parameters)
                raise PolicyError(
                    value.value_spans["param"], f"unknown parameter {name!r}{hint}"
                )
            value = self.parameters[name]
        if op == "matches":
            value = self._regex(value, span)
        constant = value
        return lambda entity, context: constant

    @staticmethod
    def _regex(value: Any, span: Span) -> re.Pattern[str]:
        if not isinstance(value, str):
            raise PolicyError(span, "matches needs a regular expression string")
        try:
            return re.compile(value)
        except re.error as error:
            raise PolicyError(span, f"invalid regular expression: {error}") from None
