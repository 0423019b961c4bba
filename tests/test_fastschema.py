"""The compiled validator agrees with jsonschema on every fixture document."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from karmalint.fastschema import compile_schema
from karmalint.sources import DecodeError, decode
from karmalint.yamlload import load_yaml

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = {
    path.stem.removesuffix(".schema"): json.loads(path.read_text())
    for path in (ROOT / "schemas").glob("*.schema.json")
}
KINDS = {schema["properties"]["kind"]["const"]: schema for schema in SCHEMAS.values()}


def documents() -> list[tuple[str, object]]:
    found: list[tuple[str, object]] = []
    for folder in ("manifests", "examples", "tests/fixtures", "policy"):
        for path in sorted((ROOT / folder).rglob("*.yaml")):
            try:
                text = decode(path.read_bytes())
            except DecodeError:
                continue
            for document in load_yaml(text).documents:
                value = document.value
                if isinstance(value, dict) and value.get("kind") in KINDS:
                    found.append((str(path.relative_to(ROOT)), value))
    return found


@pytest.mark.parametrize(("path", "document"), documents())
def test_fast_matches_jsonschema(path: str, document: dict[str, object]) -> None:
    schema = KINDS[document["kind"]]
    fast = compile_schema(schema)
    assert fast is not None
    valid = not list(jsonschema.Draft202012Validator(schema).iter_errors(document))
    # On these documents the fast check is exact; in general it may only err
    # by sending a valid document on to jsonschema.
    if fast(document):
        assert valid
    else:
        assert not valid


def test_unsupported_keyword_falls_back() -> None:
    assert compile_schema({"type": "object", "oneOf": [{"type": "object"}]}) is None
