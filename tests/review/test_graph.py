"""karmalint graph: the hierarchy of an MDO as Mermaid, DOT and JSON."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from karmalint.cli import main
from karmalint.engine import CheckOptions, CheckResult, run_check
from karmalint.graphview import dot_quote, mermaid_for, mermaid_ids
from karmalint.policy import Policy
from karmalint.schema import SchemaSet

TESTS = Path(__file__).resolve().parent.parent
FIXTURES = TESTS / "fixtures" / "review" / "graph"
REPOSITORY = TESTS.parent

MOF_SUBTREE = {
    "mof",
    "dor",
    "doe",
    "cbic",
    "nacin",
    "nacin-zonal-bengaluru",
    "cga",
    "ingaf",
}
DOR_SUBTREE = {"dor", "cbic", "nacin", "nacin-zonal-bengaluru"}


@pytest.fixture(autouse=True)
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(FIXTURES, tmp_path / "manifests")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, ["graph", *args])


def graph_json(*args: str) -> dict[str, Any]:
    result = invoke(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def nodes_by_id(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {node["id"]: node for node in document["nodes"]}


# Mermaid flowchart rules, as GitHub's renderer reads them.
MERMAID_ID = r"[A-Za-z][A-Za-z0-9_]*"
MERMAID_STATEMENTS = {
    "node": re.compile(rf'^    ({MERMAID_ID})\["([^"]*)"\]$'),
    "edge": re.compile(rf"^    ({MERMAID_ID}) --> ({MERMAID_ID})$"),
    "dashed": re.compile(rf"^    ({MERMAID_ID}) -\.->\|([^|\"]+)\| ({MERMAID_ID})$"),
    "classDef": re.compile(rf"^    classDef ({MERMAID_ID}) [\w#:,.-]+$"),
    "class": re.compile(
        rf"^    class ({MERMAID_ID}(?:,{MERMAID_ID})*) ({MERMAID_ID})$"
    ),
}
MERMAID_KEYWORDS = {"end", "graph", "subgraph", "flowchart", "class", "classDef"}
# A # in a label must start an entity code such as #quot; or #35;.
BARE_HASH = re.compile(r"#(?![A-Za-z]+;|[0-9]+;)")


def mermaid_problems(text: str) -> list[str]:
    """Return every way the text breaks the flowchart rules above."""
    lines = text.splitlines()
    problems = [] if lines[:1] == ["flowchart TD"] else ["header is not flowchart TD"]
    defined: set[str] = set()
    used: set[str] = set()
    classes: set[str] = set()
    for number, line in enumerate(lines[1:], start=2):
        kind, match = next(
            ((k, m) for k, p in MERMAID_STATEMENTS.items() if (m := p.match(line))),
            ("", None),
        )
        if match is None:
            problems.append(f"line {number} is no statement: {line!r}")
            continue
        groups = match.groups()
        if kind == "node":
            problems += _node_problems(number, groups[0], groups[1], defined)
        elif kind in ("edge", "dashed"):
            used |= {groups[0], groups[-1]}
            problems += [f"line {number}: bare #" for _ in BARE_HASH.findall(line)]
        elif kind == "classDef":
            classes.add(groups[0])
        else:
            used |= set(groups[0].split(","))
            if groups[1] not in classes:
                problems.append(f"line {number}: class {groups[1]} is not defined yet")
    problems += [f"undefined node {n}" for n in sorted(used - defined)]
    return problems


def _node_problems(
    number: int, node_id: str, label: str, defined: set[str]
) -> list[str]:
    problems = []
    if node_id in defined:
        problems.append(f"line {number}: node {node_id} defined twice")
    if node_id in MERMAID_KEYWORDS:
        problems.append(f"line {number}: node id {node_id} is a keyword")
    if BARE_HASH.search(label):
        problems.append(f"line {number}: bare # in label")
    if re.search(r"<(?!br>)|(?<!<br)>", label):
        problems.append(f"line {number}: markup in label")
    defined.add(node_id)
    return problems


# A small reader of the DOT that format_dot writes: quoted ids, one statement
# a line, attribute lists of key=value pairs.
DOT_STRING = r'"(?:[^"\\]|\\.)*"'
DOT_VALUE = rf"(?:{DOT_STRING}|[A-Za-z0-9_.#]+)"
DOT_ATTRS = rf"\[(?:\w+={DOT_VALUE}(?:, \w+={DOT_VALUE})*)\]"
DOT_NODE = re.compile(rf"^    ({DOT_STRING}) ({DOT_ATTRS});$")
DOT_EDGE = re.compile(rf"^    ({DOT_STRING}) -> ({DOT_STRING})(?: ({DOT_ATTRS}))?;$")
DOT_DEFAULTS = re.compile(
    rf"^    (?:(?:node|edge|graph) {DOT_ATTRS}|\w+={DOT_VALUE});$"
)
DOT_PAIR = re.compile(rf"(\w+)=({DOT_VALUE})")


def dot_unquote(text: str) -> str:
    assert text.startswith('"')
    assert text.endswith('"')
    return re.sub(r"\\(.)", lambda m: "\n" if m[1] == "n" else m[1], text[1:-1])


def dot_attrs(text: str | None) -> dict[str, str]:
    if text is None:
        return {}
    pairs = DOT_PAIR.findall(text)
    return {k: dot_unquote(v) if v.startswith('"') else v for k, v in pairs}


def read_dot(text: str) -> tuple[dict[str, dict[str, str]], list[tuple[Any, ...]]]:
    """Return the nodes with their attributes and the edges, or fail the test."""
    lines = text.splitlines()
    assert re.match(r"^digraph \w+ \{$", lines[0]), lines[0]
    assert lines[-1] == "}"
    nodes: dict[str, dict[str, str]] = {}
    edges: list[tuple[Any, ...]] = []
    for line in lines[1:-1]:
        if node := DOT_NODE.match(line):
            nodes[dot_unquote(node[1])] = dot_attrs(node[2])
        elif edge := DOT_EDGE.match(line):
            ends = dot_unquote(edge[1]), dot_unquote(edge[2])
            edges.append((*ends, dot_attrs(edge[3])))
        else:
            assert DOT_DEFAULTS.match(line), f"not a DOT statement: {line!r}"
    assert {end for edge in edges for end in edge[:2]} <= set(nodes)
    return nodes, edges


# The node set, the counts, the edges and the highlight


def test_ministry_subtree_includes_its_departments() -> None:
    assert set(nodes_by_id(graph_json("--mdo", "mof"))) == MOF_SUBTREE


def test_department_subtree() -> None:
    assert set(nodes_by_id(graph_json("--mdo", "dor"))) == DOR_SUBTREE


def test_all_organisations_without_mdo() -> None:
    assert set(nodes_by_id(graph_json())) == MOF_SUBTREE | {"mha", "svpnpa"}


def test_role_counts() -> None:
    nodes = nodes_by_id(graph_json("--mdo", "mof"))
    assert nodes["nacin"]["roles"] == {"CONTENT_CREATOR": 2, "CONTENT_REVIEWER": 1}
    assert nodes["dor"]["roles"] == {"CONTENT_PUBLISHER": 1, "MDO_ADMIN": 1}
    assert nodes["cga"]["roles"] == {"CONTENT_CREATOR": 1, "CONTENT_REVIEWER": 1}
    assert nodes["ingaf"]["roles"] == {}
    assert nodes["nacin"]["cti"] is True
    assert nodes["cbic"]["cti"] is False


def test_edges() -> None:
    edges = graph_json("--mdo", "dor")["edges"]
    assert [(e["from"], e["to"], e["kind"], e["rights"]) for e in edges] == [
        ("cbic", "nacin", "parent", []),
        ("dor", "cbic", "parent", []),
        ("nacin", "nacin-zonal-bengaluru", "parent", []),
        ("dor", "nacin", "delegation", ["CONTENT_CREATOR", "CONTENT_REVIEWER"]),
    ]


def test_org_with_a_finding_is_highlighted() -> None:
    nodes = nodes_by_id(graph_json())
    assert {i: n["findings"] for i, n in nodes.items() if n["findings"]} == {"cbic": 1}
    mermaid = invoke("--mdo", "dor").stdout
    assert "    class org_cbic finding" in mermaid.splitlines()
    dot_nodes, _ = read_dot(invoke("--mdo", "dor", "--format", "dot").stdout)
    assert dot_nodes["cbic"]["color"] == "#c62828"
    assert "color" not in dot_nodes["nacin"]


def test_finding_inside_a_registry_entry_is_highlighted(tree: Path) -> None:
    registry = tree / "manifests" / "organisations.yaml"
    text = registry.read_text(encoding="utf-8")
    registry.write_text(text.replace("    parent: cga\n", ""), encoding="utf-8")
    nodes = nodes_by_id(graph_json())
    assert nodes["ingaf"]["findings"] == 1
    assert nodes["cga"]["findings"] == 0


# Mermaid


def test_mermaid_output() -> None:
    result = invoke("--mdo", "dor")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "flowchart TD",
        '    org_cbic["cbic<br>Central Board of Indirect Taxes #amp; Customs<br>'
        'board<br>CONTENT_PUBLISHER: 1<br>1 finding"]',
        '    org_dor["dor<br>Department of Revenue<br>department<br>'
        'CONTENT_PUBLISHER: 1<br>MDO_ADMIN: 1"]',
        '    org_nacin["nacin<br>National Academy of Customs, Indirect Taxes and '
        "Narcotics<br>training-institute, CTI<br>CONTENT_CREATOR: 2<br>"
        'CONTENT_REVIEWER: 1"]',
        '    org_nacin_zonal_bengaluru["nacin-zonal-bengaluru<br>NACIN #quot;Zonal'
        '#quot; Campus #35;3 #lt;Bengaluru#gt;<br>training-institute"]',
        "    org_cbic --> org_nacin",
        "    org_dor --> org_cbic",
        "    org_nacin --> org_nacin_zonal_bengaluru",
        "    org_dor -.->|CONTENT_CREATOR, CONTENT_REVIEWER| org_nacin",
        "    classDef finding fill:#fde2e2,stroke:#c62828,stroke-width:2px",
        "    class org_cbic finding",
    ]


@pytest.mark.parametrize("mdo", [None, "mof", "dor", "mha", "ingaf"])
def test_mermaid_follows_the_syntax_rules(mdo: str | None) -> None:
    result = invoke(*(["--mdo", mdo] if mdo else []))
    assert mermaid_problems(result.stdout) == []


def test_mermaid_rules_catch_mistakes() -> None:
    text = (
        'flowchart TD\n    a["say "hi""]\n    b["#1"]\n    a --> c\n'
        "    class a missing\n    a->b\n"
    )
    assert mermaid_problems(text) == [
        'line 2 is no statement: \'    a["say "hi""]\'',
        "line 3: bare # in label",
        "line 5: class missing is not defined yet",
        "line 6 is no statement: '    a->b'",
        "undefined node a",
        "undefined node c",
    ]
    assert mermaid_problems("graph LR\n") == ["header is not flowchart TD"]


def test_mermaid_ids_are_distinct_and_clear_of_keywords() -> None:
    ids = mermaid_ids(["a-b", "a_b", "a.b", "end"])
    assert len(set(ids.values())) == 4
    assert ids["end"] == "org_end"
    assert all(re.fullmatch(MERMAID_ID, value) for value in ids.values())


def check_fixtures(policy: Policy, schemas: SchemaSet) -> CheckResult:
    return run_check(CheckOptions(paths=[Path("manifests")]), policy, schemas)


def test_mermaid_for(policy: Policy, schemas: SchemaSet) -> None:
    result = check_fixtures(policy, schemas)
    text = mermaid_for(result, {"doe"})
    assert mermaid_problems(text) == []
    assert re.findall(r"^    (\w+)\[", text, re.MULTILINE) == [
        "org_cga",
        "org_doe",
        "org_ingaf",
    ]
    both = mermaid_for(result, {"doe", "mha"})
    assert "org_svpnpa[" in both
    assert "org_dor[" not in both
    assert mermaid_for(result, set()) == "flowchart TD\n"
    assert mermaid_for(result, {"no-such-mdo"}) == "flowchart TD\n"


# DOT


def test_dot_structure() -> None:
    nodes, edges = read_dot(invoke("--mdo", "dor", "--format", "dot").stdout)
    assert set(nodes) == DOR_SUBTREE
    assert nodes["nacin-zonal-bengaluru"]["label"].split("\n") == [
        "nacin-zonal-bengaluru",
        'NACIN "Zonal" Campus #3 <Bengaluru>',
        "training-institute",
    ]
    dashed = [(a, b, attrs["label"]) for a, b, attrs in edges if attrs]
    assert dashed == [("dor", "nacin", "CONTENT_CREATOR, CONTENT_REVIEWER")]
    assert all(attrs.get("style") == "dashed" for _, _, attrs in edges if attrs)
    assert len(edges) == 4


def test_dot_quote() -> None:
    assert dot_quote('a"b\\c\nd') == '"a\\"b\\\\c\\nd"'


# pydot's parser calls pyparsing names that newer pyparsing deprecates.
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_dot_parses_with_pydot(tree: Path) -> None:
    pytest.importorskip("pydot", reason="pydot is not installed")
    from networkx.drawing.nx_pydot import read_dot as networkx_read_dot

    output = tree / "dor.dot"
    assert invoke("--mdo", "dor", "--format", "dot", "--output", "dor.dot").stdout == ""
    graph = networkx_read_dot(output)
    assert set(graph.nodes) == DOR_SUBTREE
    styles = sorted(
        (a, b, data.get("style", "solid")) for a, b, data in graph.edges(data=True)
    )
    assert styles == [
        ("cbic", "nacin", "solid"),
        ("dor", "cbic", "solid"),
        ("dor", "nacin", "dashed"),
        ("nacin", "nacin-zonal-bengaluru", "solid"),
    ]


def test_dot_renders_to_svg(tree: Path) -> None:
    dot = shutil.which("dot")
    if dot is None:
        pytest.skip("Graphviz's dot is not on PATH")
    text = invoke("--mdo", "mof", "--format", "dot").stdout
    rendered = subprocess.run(
        [dot, "-Tsvg"], input=text, capture_output=True, text=True, check=True
    )
    root = ElementTree.fromstring(rendered.stdout)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    groups = root.iter("{http://www.w3.org/2000/svg}g")
    titles = {
        g.findtext("{http://www.w3.org/2000/svg}title")
        for g in groups
        if g.get("class") == "node"
    }
    assert titles == MOF_SUBTREE


# The command


def test_output_is_deterministic() -> None:
    for name in ("mermaid", "dot", "json"):
        first = invoke("--format", name).stdout
        assert first == invoke("--format", name).stdout


def test_output_file(tree: Path) -> None:
    result = invoke("--mdo", "dor", "--output", "out/dor.mmd")
    assert result.exit_code == 0
    assert result.stdout == ""
    text = (tree / "out" / "dor.mmd").read_text(encoding="utf-8")
    assert text.startswith("flowchart TD\n")


def test_unknown_mdo_exits_2_with_a_suggestion() -> None:
    result = invoke("--mdo", "nacn")
    assert result.exit_code == 2
    assert "organisation nacn is not in the registry; did you mean nacin?" in (
        result.stderr
    )
    assert result.stdout == ""


def test_unknown_format_exits_2() -> None:
    assert invoke("--format", "png").exit_code == 2


def test_shipped_manifests(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPOSITORY)
    result = invoke("--mdo", "dopt")
    assert result.exit_code == 0, result.output
    assert mermaid_problems(result.stdout) == []
    assert "    org_dopt --> org_istm" in result.stdout.splitlines()
    nodes = nodes_by_id(graph_json("--mdo", "dopt"))
    assert all(node["findings"] == 0 for node in nodes.values())
    read_dot(invoke("--format", "dot").stdout)
    assert mermaid_problems(invoke().stdout) == []


def test_docs_show_the_current_output(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPOSITORY)
    docs = (REPOSITORY / "docs" / "review.md").read_text(encoding="utf-8")
    section = docs.split("## karmalint graph\n", 1)[1].split("\n## ", 1)[0]
    documented = section.split("```mermaid\n", 1)[1].split("```\n", 1)[0]
    assert documented == invoke("--mdo", "dopt").stdout
    picture = ElementTree.parse(REPOSITORY / "docs" / "pictures" / "dopt.svg")
    assert picture.getroot().tag == "{http://www.w3.org/2000/svg}svg"
