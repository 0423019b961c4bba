"""A compiled yes/no validator for the JSON Schema subset of karmalint's schemas.

jsonschema walks every node through generic keyword handlers, which costs
several times the YAML parse on a large manifest.  Most documents are valid,
so each schema is compiled once into nested closures that only decide "valid
or not".  jsonschema runs only on a document they reject, to explain why.
A closure returns True only when it is certain: anything it does not handle
makes it return False, which hands the document to jsonschema.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

Check = Callable[[Any], bool]

IGNORED = frozenset({"$schema", "$id", "$defs", "title", "description"})
TYPES: dict[str, Callable[[Any], bool]] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "null": lambda v: v is None,
}


class Unsupported(Exception):
    """The schema uses a keyword this compiler does not handle."""


def compile_schema(schema: Mapping[str, Any]) -> Check | None:
    """Compile a schema, or return None if it uses an unsupported keyword."""
    try:
        return _Compiler(schema).compile(schema)
    except Unsupported:
        return None


class _Compiler:
    def __init__(self, root: Mapping[str, Any]) -> None:
        self.root = root
        self.refs: dict[str, Check] = {}

    def compile(self, schema: Any) -> Check:
        if schema is True:
            return lambda value: True
        if not isinstance(schema, Mapping):
            raise Unsupported(repr(schema))
        checks: list[Check] = []
        for keyword, argument in schema.items():
            if keyword in IGNORED:
                continue
            builder = getattr(self, "_" + keyword.replace("$", ""), None)
            if builder is None:
                raise Unsupported(keyword)
            checks.append(builder(argument, schema))
        if len(checks) == 1:
            return checks[0]
        return lambda value: all(check(value) for check in checks)

    def _ref(self, target: str, schema: Any) -> Check:
        if not target.startswith("#/$defs/"):
            raise Unsupported(target)
        name = target[len("#/$defs/") :]
        if name not in self.refs:
            # Register first, so that a recursive reference finds itself.
            holder: list[Check] = []
            self.refs[name] = lambda value: holder[0](value)
            holder.append(self.compile(self.root["$defs"][name]))
        return self.refs[name]

    def _type(self, names: Any, schema: Any) -> Check:
        tests = [TYPES[n] for n in (names if isinstance(names, list) else [names])]
        return lambda value: any(test(value) for test in tests)

    def _properties(self, properties: Mapping[str, Any], schema: Any) -> Check:
        compiled = {key: self.compile(sub) for key, sub in properties.items()}

        def check(value: Any) -> bool:
            if not isinstance(value, dict):
                return True
            return all(c(value[k]) for k, c in compiled.items() if k in value)

        return check

    def _required(self, keys: list[str], schema: Any) -> Check:
        return lambda value: (
            not isinstance(value, dict) or all(k in value for k in keys)
        )

    def _additionalProperties(self, allowed: Any, schema: Any) -> Check:
        if allowed is not False or "patternProperties" in schema:
            raise Unsupported("additionalProperties")
        known = frozenset(schema.get("properties", {}))
        return lambda value: not isinstance(value, dict) or known.issuperset(value)

    def _items(self, items: Any, schema: Any) -> Check:
        check_item = self.compile(items)
        return lambda value: not isinstance(value, list) or all(map(check_item, value))

    def _enum(self, choices: list[Any], schema: Any) -> Check:
        if not all(isinstance(choice, str) for choice in choices):
            raise Unsupported("enum")
        allowed = frozenset(choices)
        return lambda value: isinstance(value, str) and value in allowed

    def _const(self, constant: Any, schema: Any) -> Check:
        if not isinstance(constant, str):
            raise Unsupported("const")
        return lambda value: isinstance(value, str) and value == constant

    def _pattern(self, pattern: str, schema: Any) -> Check:
        regex = re.compile(pattern)
        return lambda value: (
            not isinstance(value, str) or regex.search(value) is not None
        )

    def _minLength(self, length: int, schema: Any) -> Check:
        return lambda value: not isinstance(value, str) or len(value) >= length

    def _minItems(self, count: int, schema: Any) -> Check:
        return lambda value: not isinstance(value, list) or len(value) >= count

    def _minProperties(self, count: int, schema: Any) -> Check:
        return lambda value: not isinstance(value, dict) or len(value) >= count

    def _uniqueItems(self, unique: bool, schema: Any) -> Check:
        if not unique:
            return lambda value: True

        def check(value: Any) -> bool:
            if not isinstance(value, list):
                return True
            # Only lists of strings are decided here; JSON equality of other
            # values (1 and true differ) is left to jsonschema.
            if not all(isinstance(item, str) for item in value):
                return False
            return len(set(value)) == len(value)

        return check
