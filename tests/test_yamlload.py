"""The located YAML loader: positions, duplicates, merge keys, tags and limits."""

from __future__ import annotations

import datetime
import gc
from pathlib import Path

import pytest
import yaml

from karmalint.locate import locate
from karmalint.yamlload import Limits, Mapping, Sequence, load_yaml

LOADERS = [yaml.SafeLoader] + ([yaml.CSafeLoader] if yaml.__with_libyaml__ else [])


@pytest.fixture(params=LOADERS, ids=lambda loader: loader.__name__)
def loader(request: pytest.FixtureRequest) -> type:
    return request.param  # type: ignore[no-any-return]


def problems(
    text: str, loader: type, limits: Limits | None = None
) -> list[tuple[int, int, str]]:
    result = load_yaml(text, limits, loader)
    return [(p.span.line, p.span.column, p.message) for p in result.problems]


def test_block_positions(loader: type) -> None:
    doc = load_yaml("a:\n  b: [x, y]\n", loader=loader).documents[0].value
    span, note = locate(doc, ["a", "b", 1])
    assert span is not None
    assert (span.line, span.column, span.end_column) == (2, 10, 11)
    assert note == ""


def test_flow_mapping_positions(loader: type) -> None:
    doc = load_yaml("- {id: x, org: yy}\n", loader=loader).documents[0].value
    key, _ = locate(doc, [0, "org"], key=True)
    value, _ = locate(doc, [0, "org"])
    assert key is not None and value is not None
    assert (key.line, key.column) == (1, 11)
    assert (value.line, value.column) == (1, 16)


def test_second_document_positions(loader: type) -> None:
    docs = load_yaml("a: 1\n---\nb: 2\n", loader=loader).documents
    span, _ = locate(docs[1].value, ["b"])
    assert span is not None
    assert len(docs) == 2
    assert (span.line, span.column) == (3, 4)


def test_alias_points_at_use(loader: type) -> None:
    text = "base: &roles [CONTENT_PUBLISHER]\nuse:\n  roles: *roles\n"
    doc = load_yaml(text, loader=loader).documents[0].value
    span, note = locate(doc, ["use", "roles", 0])
    assert span is not None
    assert (span.line, span.column) == (3, 10)
    assert note == " (the value comes through an alias from line 1)"
    assert doc["use"]["roles"] == ["CONTENT_PUBLISHER"]


def test_merge_key_values(loader: type) -> None:
    text = "d: &d {org: dopt, roles: [A]}\nm:\n  <<: *d\n  org: istm\n"
    doc = load_yaml(text, loader=loader)
    value = doc.documents[0].value["m"]
    span, note = locate(doc.documents[0].value, ["m", "roles"])
    assert doc.problems == []
    assert value == {"org": "istm", "roles": ["A"]}
    assert span is not None
    assert (span.line, span.column) == (3, 7)
    assert note == " (the value comes through an alias from line 1)"


def test_two_merge_keys(loader: type) -> None:
    text = "a: &a {x: 1}\nb: &b {y: 2}\nm:\n  <<: *a\n  <<: *b\n"
    assert problems(text, loader) == [
        (
            5,
            3,
            "second merge key << in one mapping, the first is at line 4; "
            "merge several anchors with <<: [*a, *b]",
        ),
    ]


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("a: 1\nb: 2\na: 3\n", 3, 1),
        ("x:\n  - {a: 1, a: 2}\n", 2, 12),
        ("1: a\n1.0: b\n", 2, 1),
    ],
)
def test_duplicate_keys(loader: type, text: str, line: int, column: int) -> None:
    found = [
        (ln, col) for ln, col, m in problems(text, loader) if m.startswith("duplicate")
    ]
    assert found == [(line, column)]


def test_duplicate_names_first_line(loader: type) -> None:
    assert problems("roles: [A]\nroles: [B]\n", loader) == [
        (
            2,
            1,
            "duplicate key roles, first defined at line 1; YAML keeps only one of them",
        ),
    ]


def test_boolean_key_reported(loader: type) -> None:
    assert problems("on: 1\n", loader) == [
        (1, 1, 'key on is read by YAML as a boolean, not a string; quote it: "on"'),
    ]


def test_typed_scalar_source_kept(loader: type) -> None:
    doc = load_yaml("date: 2021-11-24\nflag: no\n", loader=loader).documents[0].value
    assert isinstance(doc, Mapping)
    assert doc["date"] == datetime.date(2021, 11, 24)
    assert doc.sources == {"date": "2021-11-24", "flag": "no"}


def test_python_tag_never_constructed(loader: type, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    text = f"x: !!python/object/apply:os.system ['touch {marker}']\n"
    found = problems(text, loader)
    assert [(line, column) for line, column, _ in found] == [(1, 4)]
    assert found[0][2].startswith("tag !!python/object/apply:os.system is not allowed")
    assert not marker.exists()


def test_custom_tag_reported(loader: type) -> None:
    found = problems("secret: !vault abc\n", loader)
    assert [(line, column) for line, column, _ in found] == [(1, 9)]


def test_syntax_error_position(loader: type) -> None:
    found = problems("a: [1, 2\nb: 3\n", loader)
    assert len(found) == 1
    assert found[0][2].startswith("invalid YAML:")


def test_alias_bomb_bounded(loader: type) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 9):
        previous = f"*a{level - 1}"
        lines.append(f"a{level}: &a{level} [{', '.join([previous] * 10)}]")
    found = problems("\n".join(lines) + "\n", loader)
    assert len(found) == 1
    assert "aliases expand this document past the limit of" in found[0][2]


def test_nesting_depth_bounded(loader: type) -> None:
    found = problems("[" * 100 + "]" * 100 + "\n", loader, Limits(max_depth=50))
    assert [(line, column) for line, column, _ in found] == [(1, 51)]
    assert found[0][2] == (
        "nesting is deeper than 50 levels; flatten the document or raise --max-depth"
    )


def test_sequence_item_spans(loader: type) -> None:
    doc = load_yaml("- a\n- b\n", loader=loader).documents[0].value
    assert isinstance(doc, Sequence)
    assert [(s.line, s.column) for s in doc.item_spans] == [(1, 3), (2, 3)]


def test_loaded_values_form_no_cycles() -> None:
    """A file's values are freed when dropped, with the cycle collector off."""
    text = "a: &x {b: [1, 2]}\nc: *x\nd: [{e: f}]\n"
    gc.collect()
    gc.disable()
    try:
        load_yaml(text)
        unreachable = gc.collect()
    finally:
        gc.enable()
    assert unreachable == 0
