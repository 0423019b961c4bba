"""Generated input through ``karmalint check``: no crash, a report, valid positions.

Hypothesis feeds three kinds of input to the real command line: random bytes,
random YAML documents and real manifests with random edits.  Every run must end
within ``TIME_LIMIT`` with exit status 0, 1 or 2, print the version 1 JSON
report, and place each finding inside the file it names.  A YAML syntax error
must give exit status 1.  The examples are derandomized and their number is
fixed, so CI runs the same inputs every time.
"""

from __future__ import annotations

import codecs
import contextlib
import datetime
import functools
import json
import re
import tempfile
import time
import traceback
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result
from hypothesis import given, settings
from hypothesis import strategies as st

from karmalint.cli import main

REPOSITORY = Path(__file__).resolve().parent.parent
MANIFESTS = REPOSITORY / "manifests"
REGISTRY_NAME = "organisations.yaml"
MDO_NAMES = sorted(path.name for path in (MANIFESTS / "mdo").glob("*.yaml"))

TIME_LIMIT = 2.0  # seconds of wall time for one run of the command
EXIT_CODES = (0, 1, 2)
REPORT_KEYS = {"version", "findings", "summary"}
EDITOR_BREAK = re.compile("\r\n|\r|\n")

ROBUST = settings(
    derandomize=True,
    database=None,
    max_examples=150,
    deadline=datetime.timedelta(seconds=TIME_LIMIT),
)

# Characters that YAML, editors or terminals treat specially: Cyrillic a,
# zero-width space, right-to-left override, line and paragraph separators,
# next line (NEL), byte order mark, NUL, DEL and the YAML indicators.
SPECIAL_CHARS = (
    "\u0430\u200b\u202e\u2028\u2029\x85\ufeff\x00\x7f\t\r\n :-?#&*!|>'\"{}[],%@`\\"
)
# Plain scalars that YAML 1.1 reads as something other than a string, and the
# codes that a manifest uses, so that generated values reach the rules.
TOKENS = (
    "no",
    "yes",
    "on",
    "off",
    "y",
    "~",
    "null",
    "010",
    "0o17",
    "0x1F",
    "1_000",
    "1:30",
    "190:20:30",
    "2021-11-24",
    "2021-11-24 10:30:00",
    "2021-02-30",
    ".nan",
    "-.inf",
    "<<",
    "=",
    "",
    "\u0430",
    "a\u2028b",
    "\u200bdopt",
    "\u202edopt",
    "karmalint/v1",
    "MDORights",
    "OrganisationRegistry",
    "dopt",
    "istm",
    "lbsnaa",
    "mha",
    "nacin",
    "MDO_ADMIN",
    "MDO_LEADER",
    "CONTENT_CREATOR",
    "CONTENT_REVIEWER",
    "CONTENT_PUBLISHER",
    "SPV_ADMIN",
    "production",
    "staging",
    "ministry",
    "training-institute",
    "igot-admin.dopt@gov.in",
    "us-trg.dopt@nic.in",
)
KEYS = (
    "<<",
    "on",
    "yes",
    "null",
    1,
    1.0,
    True,
    None,
    "\u0430",
    "id\u200b",
    "apiVersion",
    "kind",
    "mdo",
    "accounts",
    "delegations",
    "organisations",
    "id",
    "org",
    "parent",
    "roles",
)
# Hand-made YAML that a dumper never writes: anchors, aliases, merge keys,
# explicit tags, several documents and directives.
FRAGMENTS = (
    "base: &b {org: dopt, roles: [MDO_ADMIN]}\nuse:\n  <<: *b\n  id: x@gov.in\n",
    "a: &a [x, *a]\n",
    "- &x [1, 2]\n- <<: *x\n",
    "<<: [*undefined, {a: 1}]\n",
    "a: &a [1, 1, 1, 1]\nb: &b [*a, *a, *a, *a]\nc: &c [*b, *b, *b, *b]\n"
    "d: [*c, *c, *c, *c]\n",
    "x: !!python/object/apply:os.system [echo hi]\n",
    "secret: !vault |\n  $ANSIBLE_VAULT;1.1;AES256\n  6162\n",
    "item: !custom {a: 1}\n",
    "!!map {? a : b}\n",
    "? [a, b]\n: c\n",
    "? |\n  block key\n: value\n",
    "--- a\n--- b\n...\n",
    "%YAML 1.1\n---\nkind: MDORights\n",
    "%TAG ! tag:example.com,2000:\n--- !thing x\n",
    "key: 'unterminated\n",
    'key: "\\u2028 \\x85 \\U0001F600"\n',
    "mdo: dopt\nmdo: dor\n",
    "{a: 1, a: 2}\n",
    "list:\n- a\n  - b\n",
    "\tkey: tab\n",
    "a:\r\n  b: c\r\n",
    "a:\r  b: c\r",
    "a: b\u2028c: d\n",
    "a: |\n  x\n b\n",
    "a: >-\n  folded\n\n  text\n",
    "&a a: &b b\n*a : *b\n",
    "[a, b]: c\n",
    "apiVersion: karmalint/v1\nkind: MDORights\nmdo: *nothing\n",
    "apiVersion: karmalint/v1\nkind: OrganisationRegistry\norganisations:\n"
    "  - {id: x1, name: X, type: department, parent: x2}\n"
    "  - {id: x2, name: Y, type: department, parent: x1}\n",
)
# Byte strings that random bytes are built from besides single bytes: byte
# order marks, line breaks, multi-byte and invalid UTF-8, YAML indicators.
CHUNKS = (
    codecs.BOM_UTF8,
    codecs.BOM_UTF16_LE,
    codecs.BOM_UTF16_BE,
    codecs.BOM_UTF32_LE,
    b"\n",
    b"\r",
    b"\r\n",
    b"\xc2\x85",
    b"\xe2\x80\xa8",
    "\u0430".encode(),
    "\U0001f600".encode(),
    b"\xff",
    b"\xc3",
    b"\xed\xa0\x80",
    b"\x00",
    b"\x0c",
    b"\x1b",
    b"\t",
    b" ",
    b"  ",
    b"key",
    b": ",
    b"- ",
    b"? ",
    b"&a ",
    b"*a",
    b"!!str ",
    b"!x ",
    b"[",
    b"]",
    b"{",
    b"}",
    b",",
    b"'",
    b'"',
    b"|",
    b">",
    b"#",
    b"---",
    b"...",
    b"%YAML 1.1",
    b"kind: MDORights",
)


def _traceback(result: Result) -> str:
    if result.exc_info is None:
        return ""
    return "".join(traceback.format_exception(*result.exc_info))


@functools.lru_cache(maxsize=16)
def _editor_lines(data: bytes) -> tuple[list[str], bool]:
    """Split a file into lines at CR, LF and CRLF, and return whether it decoded.

    Text is decoded by its byte order mark, else as UTF-8.  Bytes that do not
    decode are split as Latin-1, which keeps the count of line breaks.
    """
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        encoding = "utf-32"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = "utf-8-sig"
    try:
        return EDITOR_BREAK.split(data.decode(encoding)), True
    except UnicodeDecodeError:
        return EDITOR_BREAK.split(data.decode("latin-1")), False


def assert_inside(finding: Mapping[str, Any], data: bytes) -> None:
    """Assert that a finding's position lies inside the file's text.

    Lines end at CR, LF or CRLF, as in an editor, and not at NEL, U+2028 or
    U+2029, where ``str.splitlines`` would also split.  Splitting this way
    leaves an empty last line after a final line break, so column 1 of the
    line after the last one is allowed there.  For a file that is not valid in
    its encoding, only the line is bounded.
    """
    line, column = finding["line"], finding["column"]
    where = (
        f"{finding['path']}:{line}:{column}-{finding['end_line']}:"
        f"{finding['end_column']} [{finding['rule']}] {finding['message']}"
    )
    assert line >= 1, where
    assert column >= 1, where
    assert finding["end_line"] >= line, where
    lines, decoded = _editor_lines(data)
    assert line <= len(lines), where
    if decoded:
        assert column <= len(lines[line - 1]) + 1, where


def check_files(files: Mapping[str, bytes]) -> None:
    """Write ``files`` into an empty folder, check it, and assert the properties."""
    with tempfile.TemporaryDirectory() as folder, contextlib.chdir(folder):
        for name, data in files.items():
            target = Path(name)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        start = time.perf_counter()
        result = CliRunner().invoke(main, ["check", "--format", "json", folder])
        seconds = time.perf_counter() - start

    assert seconds < TIME_LIMIT
    crashed = result.exception is not None
    assert not crashed or isinstance(result.exception, SystemExit), _traceback(result)
    assert "Traceback" not in result.stderr, result.stderr
    assert "internal error" not in result.stderr, result.stderr
    assert result.exit_code in EXIT_CODES, result.stderr

    report = json.loads(result.stdout)
    assert isinstance(report, dict)
    assert report.keys() == REPORT_KEYS
    assert report["version"] == 1
    assert isinstance(report["findings"], list)
    assert isinstance(report["summary"], dict)
    for finding in report["findings"]:
        assert finding["path"] in files, finding
        assert_inside(finding, files[finding["path"]])

    syntax = [f for f in report["findings"] if f["rule"] == "yaml-syntax"]
    assert not syntax or result.exit_code == 1, syntax


def with_registry(name: str, data: bytes) -> dict[str, bytes]:
    registry = (MANIFESTS / REGISTRY_NAME).read_bytes()
    return {REGISTRY_NAME: registry, name: data}


# Shrunk inputs of failures that Hypothesis found, run on every commit because
# the derandomized examples below need not reach them again.
REGRESSIONS = [
    pytest.param(b"[", id="flow-sequence-open-at-end"),
    pytest.param(b"!!int", id="empty-int-tag"),
    pytest.param(b"a: !!float", id="empty-float-tag"),
    pytest.param(b"!!bool", id="empty-bool-tag"),
    pytest.param("\u0430\x0c".encode(), id="control-char-after-cyrillic"),
    pytest.param(b"kind: []\n", id="kind-sequence"),
    pytest.param(b"kind: {}\n", id="kind-mapping"),
    pytest.param(
        "apiVersion: karmalint/v1\nkind: MDORights\nmdo: dopt\ndelegations:\n"
        "  - org: istm\n    rights: [C\n     \u202eX]\n".encode(),
        id="bidi-control-in-folded-scalar",
    ),
]


@pytest.mark.parametrize("data", REGRESSIONS)
def test_regression(data: bytes) -> None:
    check_files(with_registry("mdo/generated.yaml", data))


file_names = st.sampled_from(["mdo/generated.yaml", "generated.yaml", "mdo/x.yml"])

# Random bytes: uniform ones, and ones built from chunks that hit the decoder,
# the YAML reader and the line counting.
chunked_bytes = st.lists(
    st.sampled_from(CHUNKS) | st.binary(min_size=1, max_size=4), max_size=60
).map(b"".join)
random_bytes = st.binary(max_size=2048) | chunked_bytes


@ROBUST
@given(name=file_names, data=random_bytes)
def test_random_bytes(name: str, data: bytes) -> None:
    check_files(with_registry(name, data))


# Random YAML values.  Texts mix arbitrary Unicode, special characters alone
# and the tokens above.
texts = (
    st.text(max_size=20)
    | st.text(alphabet=SPECIAL_CHARS, max_size=12)
    | st.sampled_from(TOKENS)
)
scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats()
    | st.dates()
    | st.datetimes()
    | texts
)
keys = st.sampled_from(KEYS) | texts | st.integers(min_value=-5, max_value=5)
values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(keys, children, max_size=4)
    ),
    max_leaves=20,
)
codes = st.sampled_from(TOKENS) | values


def _entries(fields: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({}, optional=dict.fromkeys(fields, codes))


# Documents of the two manifest kinds whose fields contain random values, so
# that the model and the rules see them, not only the schema.
manifests = st.fixed_dictionaries(
    {
        "apiVersion": st.just("karmalint/v1") | codes,
        "kind": st.sampled_from(["MDORights", "OrganisationRegistry"]),
    },
    optional={
        "mdo": codes,
        "nodal_officer": _entries(["designation", "email", "approval"]) | codes,
        "delegations": st.lists(_entries(["org", "rights"]), max_size=3) | codes,
        "accounts": st.lists(
            _entries(["id", "org", "roles", "environments", "granted_by", "approval"]),
            max_size=4,
        ),
        "organisations": st.lists(
            _entries(["id", "name", "type", "parent", "cti", "map_id"]), max_size=4
        ),
    },
)


@st.composite
def yaml_documents(draw: st.DrawFn) -> bytes:
    """Draw a stream of dumped documents and fragments, in a random encoding."""
    parts = []
    for value in draw(st.lists(manifests | values, min_size=1, max_size=3)):
        parts.append(
            yaml.safe_dump(
                value,
                default_flow_style=draw(st.sampled_from([False, True, None])),
                allow_unicode=draw(st.booleans()),
                sort_keys=False,
                explicit_start=draw(st.booleans()),
            )
        )
    parts += draw(st.lists(st.sampled_from(FRAGMENTS), max_size=2))
    parts = draw(st.permutations(parts))
    text = draw(st.sampled_from(["---\n", "\n"])).join(parts)
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    text = text.replace("\n", newline)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]))
    return text.encode(encoding, errors="surrogatepass")


@ROBUST
@given(name=file_names, data=yaml_documents())
def test_yaml_documents(name: str, data: bytes) -> None:
    check_files(with_registry(name, data))


# Edits of a real manifest.  Each is drawn against the text as the previous
# edits left it, so that positions stay inside it.
INDENTS = ("", " ", "   ", "\t", "  \t", "\u3000")
VALUE_TOKENS = (*TOKENS, "[", "{", "*x", "&x", "!!int", "|")


@st.composite
def _edit(draw: st.DrawFn, text: str) -> str:
    lines = text.split("\n")
    index = draw(st.integers(min_value=0, max_value=len(lines) - 1))
    kind = draw(
        st.sampled_from(
            ["delete", "duplicate", "swap", "insert", "indent", "truncate", "value"]
        )
    )
    if kind == "delete":
        del lines[index]
    elif kind == "duplicate":
        lines.insert(index, lines[index])
    elif kind == "swap":
        other = draw(st.integers(min_value=0, max_value=len(lines) - 1))
        lines[index], lines[other] = lines[other], lines[index]
    elif kind == "indent":
        indent = draw(st.sampled_from(INDENTS))
        lines[index] = indent + lines[index].lstrip(" ")
    elif kind == "value":
        key, colon, _ = lines[index].partition(": ")
        token = draw(st.sampled_from(VALUE_TOKENS))
        lines[index] = f"{key}{colon or ': '}{token}"
    else:
        position = draw(st.integers(min_value=0, max_value=len(text)))
        if kind == "truncate":
            return text[:position]
        inserted = draw(st.text(alphabet=SPECIAL_CHARS, min_size=1, max_size=4))
        return text[:position] + inserted + text[position:]
    return "\n".join(lines)


@st.composite
def edited_manifests(draw: st.DrawFn) -> tuple[str, str]:
    """Draw the name of a real MDO manifest and its text after a few edits."""
    name = draw(st.sampled_from(MDO_NAMES))
    text = (MANIFESTS / "mdo" / name).read_text(encoding="utf-8")
    for _ in range(draw(st.integers(min_value=1, max_value=5))):
        text = draw(_edit(text))
    return name, text


def real_tree() -> dict[str, bytes]:
    files = {REGISTRY_NAME: (MANIFESTS / REGISTRY_NAME).read_bytes()}
    for name in MDO_NAMES:
        files[f"mdo/{name}"] = (MANIFESTS / "mdo" / name).read_bytes()
    return files


def test_unedited_tree() -> None:
    check_files(real_tree())


@ROBUST
@given(manifest=edited_manifests())
def test_edited_manifests(manifest: tuple[str, str]) -> None:
    name, text = manifest
    files = real_tree()
    files[f"mdo/{name}"] = text.encode("utf-8", errors="surrogatepass")
    check_files(files)
