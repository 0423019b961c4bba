"""Validate documents against the JSON Schemas and point each error at its cause.

jsonschema reports ``required`` and ``additionalProperties`` errors on the
parent mapping and describes values in Python terms.  The translation here
points at the offending key, names the missing one, suggests the nearest
valid key or code, and shows how to quote a value that YAML typed wrongly.
"""

from __future__ import annotations

import datetime
import json
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from karmalint.fastschema import Check, compile_schema
from karmalint.finding import Span
from karmalint.locate import locate
from karmalint.suggest import did_you_mean, nearest
from karmalint.yamlload import Document, Mapping

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError
    from jsonschema.protocols import Validator

API_VERSION = "karmalint/v1"


def type_name(value: Any) -> str:
    """Name a loaded value's type in YAML terms."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return "date"
    if value is None:
        return "null"
    if isinstance(value, dict):
        return "mapping"
    if isinstance(value, list):
        return "list"
    return "string"


class SchemaSet:
    """The schemas of a folder by document kind, with their compiled checks.

    jsonschema is imported and its validator built only when a document
    fails the compiled check: the import alone takes about 40 ms, a seventh
    of a check of one file (measured with ``python -X importtime``).
    """

    def __init__(self, folder: Path) -> None:
        self.schemas: dict[str, dict[str, Any]] = {}
        self.fast: dict[str, Check | None] = {}
        self._validators: dict[str, Validator] = {}
        for path in sorted(folder.glob("*.schema.json")):
            schema = json.loads(path.read_text(encoding="utf-8"))
            kind = schema.get("properties", {}).get("kind", {}).get("const")
            if isinstance(kind, str):
                self.schemas[kind] = schema
                self.fast[kind] = compile_schema(schema)

    def validator(self, kind: str) -> Validator:
        """Return the jsonschema validator of a kind, building it on first use."""
        validator = self._validators.get(kind)
        if validator is None:
            import jsonschema

            schema = self.schemas[kind]
            cls = jsonschema.validators.validator_for(schema)
            cls.check_schema(schema)
            validator = self._validators[kind] = cls(schema)
        return validator

    def validate(
        self, document: Document, kinds: tuple[str, ...]
    ) -> list[tuple[Span, str]]:
        """Return (span, message) for each schema error of a document.

        ``kinds`` are the document kinds allowed in this place.
        """
        root = document.value
        if not isinstance(root, Mapping):
            what = "empty document" if root is None else f"a {type_name(root)}"
            message = (
                f"{what}: a manifest document must be a mapping "
                "with apiVersion and kind"
            )
            return [(document.span, message)]
        header = self._check_header(root, kinds)
        if header:
            return header
        fast = self.fast.get(root["kind"])
        if fast is not None and fast(root):
            return []
        validator = self.validator(root["kind"])
        try:
            errors = list(validator.iter_errors(root))
        except RecursionError:
            # jsonschema recurses once per level; --max-depth normally stops
            # a document long before Python's recursion limit.
            message = "the document is nested too deeply to validate; flatten it"
            return [(document.span, message)]
        return [
            describe(error, root) for error in errors if not _misspelt(error, errors)
        ]

    def _check_header(
        self, root: Mapping, kinds: tuple[str, ...]
    ) -> list[tuple[Span, str]]:
        problems = []
        version = root.get("apiVersion")
        if version != API_VERSION:
            span, _ = locate(root, ["apiVersion"])
            found = _shown(version, root, "apiVersion")
            problems.append(
                (span or root.span, f"apiVersion must be {API_VERSION}, found {found}")
            )
        kind = root.get("kind")
        if not isinstance(kind, str) or kind not in kinds or kind not in self.schemas:
            span, _ = locate(root, ["kind"])
            shown = _shown(kind, root, "kind")
            message = (
                f"unknown kind {shown}: expected one of {', '.join(kinds)}"
                f"{did_you_mean(str(kind), kinds)}"
            )
            problems.append((span or root.span, message))
        return problems


def _shown(value: Any, parent: Any, key: str | int) -> str:
    if value is None and isinstance(parent, Mapping) and key not in parent:
        return "nothing"
    source = getattr(parent, "sources", {}).get(key)
    return source if source is not None else str(value)


def _misspelt(error: ValidationError, errors: list[ValidationError]) -> bool:
    """Tell whether a missing key is present under a misspelt name.

    ``role:`` for ``roles:`` fails both ``required`` and
    ``additionalProperties``.  The unknown key's finding already suggests the
    right name, so the missing key is not reported as well.
    """
    if error.validator != "required":
        return False
    instance: Any = error.instance
    required: Any = error.validator_value
    missing = [key for key in required if key not in instance]
    other: Any
    for other in errors:
        if other.validator != "additionalProperties" or other.instance is not instance:
            continue
        allowed = list(other.schema.get("properties", {}))
        extras = [key for key in instance if key not in allowed]
        suggested = {nearest(str(key), allowed) for key in extras}
        if set(missing) <= suggested:
            return True
    return False


def _leaf(error: ValidationError) -> ValidationError:
    """Pick the most relevant sub-error of anyOf and oneOf failures."""
    while error.validator in ("anyOf", "oneOf") and error.context:
        from jsonschema.exceptions import best_match

        error = best_match(error.context)
    return error


def describe(error: ValidationError, root: Mapping) -> tuple[Span, str]:
    """Translate one jsonschema error into a span and a message."""
    error = _leaf(error)
    path = list(error.absolute_path)
    span, note = locate(root, path)
    validator = error.validator
    instance: Any = error.instance
    if validator in ("pattern", "enum") and _non_ascii(instance) is not None:
        choices = error.validator_value if validator == "enum" else []
        hint = did_you_mean(instance, choices)  # type: ignore[arg-type]
        return _non_ascii_identifier(instance, span or root.span, hint + note)
    if validator == "additionalProperties":
        return _unknown_key(error, root, path)
    if validator == "required":
        return span or root.span, _missing(error) + note
    if validator == "type":
        return span or root.span, _wrong_type(error, root, path) + note
    if validator == "enum":
        return span or root.span, _not_allowed(error, root, path) + note
    if validator == "uniqueItems":
        return _repeated_item(error, root, path)
    if validator == "minItems":
        return span or root.span, "the list is empty; list at least one item" + note
    what = error.schema.get("title") if isinstance(error.schema, dict) else None
    if validator == "pattern" and what:
        rule = error.schema.get("description")  # type: ignore[union-attr]
        detail = f" ({rule})" if rule else ""
        return (
            span or root.span,
            f"{error.instance} is not a valid {what}{detail}" + note,
        )
    return span or root.span, error.message + note


def _non_ascii(value: Any) -> int | None:
    """Return the index of the first non-ASCII character of a string, if any."""
    if not isinstance(value, str):
        return None
    return next((i for i, char in enumerate(value) if ord(char) > 127), None)


def _non_ascii_identifier(value: str, span: Span, note: str) -> tuple[Span, str]:
    """Point at the first non-ASCII character of an identifier and name it.

    Lookalike letters (Cyrillic a for Latin a) and invisible characters
    (zero-width spaces, bidirectional controls) make two identifiers that
    read the same compare different, so identifiers must be ASCII.
    """
    index = _non_ascii(value)
    assert index is not None
    # A quoted scalar's span includes its opening quote.  In a scalar folded
    # over several lines the character's column is not known, so the finding
    # points at the start of the value.
    width = span.end_column - span.column
    single_line = span.line == span.end_line
    quoted = single_line and width == len(value) + 2
    column = span.column
    if single_line:
        column += index + (1 if quoted else 0)
    char = value[index]
    name = unicodedata.name(char, "unnamed character")
    where = f" at column {column}" if single_line else ""
    message = (
        f"U+{ord(char):04X} {name}{where}: identifiers are ASCII, "
        "so retype the value with plain letters and digits"
    )
    return Span.point(span.line, column), message + note


def _parent_and_key(root: Mapping, path: list[Any]) -> tuple[Any, Any]:
    parent: Any = root
    for step in path[:-1]:
        parent = parent[step]
    return parent, path[-1] if path else None


def _unknown_key(
    error: ValidationError, root: Mapping, path: list[Any]
) -> tuple[Span, str]:
    schema: Any = error.schema
    allowed = list(schema.get("properties", {}))
    instance: Any = error.instance
    extras = [key for key in instance if key not in allowed]
    key = extras[0] if extras else ""
    span, note = locate(root, [*path, key], key=True)
    where = f" in {path[-1]}" if path and isinstance(path[-1], str) else ""
    message = f"unknown key {key}{where}{did_you_mean(str(key), allowed)}"
    if len(extras) > 1:
        message += f" (also unknown: {', '.join(map(str, extras[1:]))})"
    return span or root.span, message + note


def _missing(error: ValidationError) -> str:
    required: Any = error.validator_value
    instance: Any = error.instance
    missing = [key for key in required if key not in instance]
    return f"missing required key {', '.join(missing)}"


def _wrong_type(error: ValidationError, root: Mapping, path: list[Any]) -> str:
    expected: Any = error.validator_value
    expected_names: list[str] = expected if isinstance(expected, list) else [expected]
    value = error.instance
    parent, key = _parent_and_key(root, path)
    source = getattr(parent, "sources", {}).get(key)
    if value is None and source in ("", "~", "null", "Null", "NULL"):
        wanted = " or ".join(_YAML_TYPE_NAMES.get(n, n) for n in expected_names)
        return f"the value is empty; write {_article(wanted)}"
    if "string" in expected_names and source is not None:
        return (
            f"YAML read {source} as {_article(type_name(value))}, not a string; "
            f'quote it: "{source}"'
        )
    wanted = " or ".join(_YAML_TYPE_NAMES.get(n, n) for n in expected_names)
    return f"expected {_article(wanted)}, found {_article(type_name(value))}"


def _article(noun: str) -> str:
    return f"an {noun}" if noun[:1] in "aeiou" else f"a {noun}"


_YAML_TYPE_NAMES = {"object": "mapping", "array": "list"}


def _not_allowed(error: ValidationError, root: Mapping, path: list[Any]) -> str:
    value = error.instance
    allowed: Any = error.validator_value
    schema: Any = error.schema
    choices = [c for c in allowed if isinstance(c, str)]
    what = schema.get("title", "value")
    parent, key = _parent_and_key(root, path)
    shown = _shown(value, parent, key) if path else str(value)
    if not isinstance(value, str):
        return f"{shown} is not a valid {what}: expected one of {', '.join(choices)}"
    if value.strip() != value:
        return f"{value!r} is not a valid {what}: remove the surrounding spaces"
    hint = did_you_mean(value, choices) or f"; expected one of {', '.join(choices)}"
    return f"{value} is not a valid {what}{hint}"


def _repeated_item(
    error: ValidationError, root: Mapping, path: list[Any]
) -> tuple[Span, str]:
    items: Any = error.instance
    seen: dict[Any, int] = {}
    for index, item in enumerate(items):
        marker = json.dumps(item, sort_keys=True, default=str)
        if marker in seen:
            span, note = locate(root, [*path, index])
            first, _ = locate(root, [*path, seen[marker]])
            line = first.line if first else "?"
            return (
                span or root.span,
                f"{item} is listed twice, first at line {line}" + note,
            )
        seen[marker] = index
    span, note = locate(root, path)
    return span or root.span, error.message + note
