"""Draw the organisation hierarchy of a run as Mermaid, Graphviz DOT or JSON.

A view contains one node per organisation drawn, with its role counts and the
number of findings that concern it, a solid edge from each parent to its
child, and a dashed edge from an MDO to each office it delegates rights to.
Every list is sorted, so the same manifests always give the same text.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from karmalint.engine import CheckResult
from karmalint.finding import Finding
from karmalint.graph import OrgGraph
from karmalint.model import Organisation

PARENT, DELEGATION = "parent", "delegation"
# The class and colours of organisations that findings concern.
FINDING_CLASS = "finding"
MERMAID_FINDING_STYLE = "fill:#fde2e2,stroke:#c62828,stroke-width:2px"
DOT_FINDING_STYLE = 'color="#c62828", fillcolor="#fde2e2", penwidth=2'
DOT_DELEGATION_STYLE = 'style=dashed, color="#1565c0", fontcolor="#1565c0"'
# Characters that Mermaid reads as markup inside a quoted label or edge text.
_MERMAID_ENTITIES = {
    "#": "#35;",
    '"': "#quot;",
    "<": "#lt;",
    ">": "#gt;",
    "&": "#amp;",
    "|": "#124;",
}


@dataclass(frozen=True, slots=True)
class NodeView:
    """An organisation as drawn: who it is, its role counts and its findings."""

    id: str
    name: str
    type: str
    parent: str | None
    cti: bool
    roles: tuple[tuple[str, int], ...]
    findings: int

    def label_lines(self) -> list[str]:
        kind = f"{self.type or 'no type'}{', CTI' if self.cti else ''}"
        lines = [self.id, self.name, kind]
        lines += [f"{role}: {count}" for role, count in self.roles]
        if self.findings:
            noun = "finding" if self.findings == 1 else "findings"
            lines.append(f"{self.findings} {noun}")
        return lines

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name": self.name,
            "type": self.type,
            "parent": self.parent,
            "cti": self.cti,
            "roles": dict(self.roles),
            "findings": self.findings,
        }


@dataclass(frozen=True, slots=True, order=True)
class EdgeView:
    """A parent edge, or a delegation edge labelled with the rights delegated."""

    source: str
    target: str
    kind: str
    rights: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {
            "from": self.source,
            "to": self.target,
            "kind": self.kind,
            "rights": list(self.rights),
        }


@dataclass(slots=True)
class GraphView:
    """The nodes and edges of one drawing, each list sorted."""

    nodes: list[NodeView] = field(default_factory=list)
    edges: list[EdgeView] = field(default_factory=list)


def subtree(graph: OrgGraph, roots: Iterable[str]) -> set[str]:
    """Return the roots and every organisation whose chain passes through one."""
    root_ids = set(roots)
    return {org_id for org_id in graph.orgs if root_ids & set(graph.chain(org_id))}


def build_view(result: CheckResult, roots: set[str] | None = None) -> GraphView:
    """Collect the subtrees of ``roots``, or every organisation when it is None."""
    if result.context is None:
        return GraphView()
    graph = result.context.graph
    drawn = set(graph.orgs) if roots is None else subtree(graph, roots)
    counts = _role_counts(result, drawn)
    concerned = _finding_counts(result.findings, graph, drawn)
    nodes = [
        _node(graph.orgs[org_id], counts.get(org_id, Counter()), concerned[org_id])
        for org_id in sorted(drawn)
    ]
    edges = _parent_edges(graph, drawn) + _delegation_edges(result, drawn)
    # Parent edges first, so that layouts rank the hierarchy before delegations.
    ordered = sorted(set(edges), key=lambda e: (e.kind != PARENT, e))
    return GraphView(nodes, ordered)


def _node(org: Organisation, roles: Counter[str], findings: int) -> NodeView:
    return NodeView(
        org.id,
        org.name,
        org.type,
        org.parent,
        org.cti,
        tuple(sorted(roles.items())),
        findings,
    )


def _role_counts(result: CheckResult, drawn: set[str]) -> dict[str, Counter[str]]:
    """Count the accounts holding each role at each organisation drawn."""
    assignments: set[tuple[str, str, str]] = set()
    for rights_file in result.rights_files:
        for account in rights_file.accounts:
            if account.org in drawn:
                assignments |= {
                    (account.org, role, account.id) for _, role in account.roles
                }
    counts: dict[str, Counter[str]] = {}
    for org_id, role, _ in assignments:
        counts.setdefault(org_id, Counter())[role] += 1
    return counts


def _finding_counts(
    findings: list[Finding], graph: OrgGraph, drawn: set[str]
) -> Counter[str]:
    """Count, for each organisation drawn, the findings that concern it.

    A finding concerns an organisation when it names the organisation's
    registry entry as a related place. The rules do so for the organisation of
    the account or delegation they report. A finding also concerns an
    organisation when it or a related place points into the registry entry,
    as for an entry without a parent or one declared twice.
    """
    entries = {f"registry entry of {org_id}": org_id for org_id in drawn}
    places = {org_id: _EntryPlace(graph.orgs[org_id]) for org_id in drawn}
    counts: Counter[str] = Counter()
    for finding in findings:
        named = {entries[r.message] for r in finding.related if r.message in entries}
        points = _points(finding)
        inside = {org_id for org_id, place in places.items() if place.holds_any(points)}
        counts.update(named | inside)
    return counts


def _points(finding: Finding) -> set[tuple[str, int, int]]:
    """Return the places a finding points at: its own and its related ones."""
    points = {(finding.path, finding.line, finding.column)}
    return points | {(r.path, r.span.line, r.span.column) for r in finding.related}


class _EntryPlace:
    """The region of an organisation's registry entry, to test points against."""

    def __init__(self, org: Organisation) -> None:
        span, _ = org.node.span()
        self.path = org.node.path
        self.start = (span.line, span.column)
        self.end = (span.end_line, span.end_column)

    def holds_any(self, points: set[tuple[str, int, int]]) -> bool:
        return any(
            path == self.path and self.start <= (line, column) < self.end
            for path, line, column in points
        )


def _parent_edges(graph: OrgGraph, drawn: set[str]) -> list[EdgeView]:
    return [
        EdgeView(parent, child, PARENT)
        for parent, child in graph.graph.edges
        if parent in drawn and child in drawn
    ]


def _delegation_edges(result: CheckResult, drawn: set[str]) -> list[EdgeView]:
    """Merge the delegations of each MDO to each office, both of them drawn."""
    rights: dict[tuple[str, str], set[str]] = {}
    for rights_file in result.rights_files:
        for delegation in rights_file.delegations:
            source, target = rights_file.mdo, delegation.org
            if source in drawn and target in drawn:
                assert source is not None and target is not None
                found = rights.setdefault((source, target), set())
                found.update(right for _, right in delegation.rights)
    return [
        EdgeView(source, target, DELEGATION, tuple(sorted(granted)))
        for (source, target), granted in rights.items()
    ]


# Mermaid


def mermaid_ids(org_ids: Iterable[str]) -> dict[str, str]:
    """Map organisation ids to distinct Mermaid node ids of letters, digits and _.

    The prefix keeps ids clear of Mermaid keywords such as ``end``.
    """
    used_names: set[str] = set()
    result: dict[str, str] = {}
    for org_id in sorted(set(org_ids)):
        base = "org_" + re.sub(r"[^A-Za-z0-9]", "_", org_id)
        name, number = base, 1
        while name in used_names:
            number += 1
            name = f"{base}_{number}"
        used_names.add(name)
        result[org_id] = name
    return result


def mermaid_text(text: str) -> str:
    """Escape a label for a Mermaid quoted string or edge text."""
    return "".join(_MERMAID_ENTITIES.get(char, char) for char in text)


def format_mermaid(view: GraphView) -> str:
    """Return a ``flowchart TD`` that GitHub renders as it is.

    NOTE: the output is checked against the flowchart rules written in
    tests/review/test_graph.py, not with Mermaid's own parser.
    """
    ids = mermaid_ids(node.id for node in view.nodes)
    lines = ["flowchart TD"]
    for node in view.nodes:
        label = "<br>".join(mermaid_text(line) for line in node.label_lines())
        lines.append(f'    {ids[node.id]}["{label}"]')
    for edge in view.edges:
        source, target = ids[edge.source], ids[edge.target]
        if edge.kind == PARENT:
            lines.append(f"    {source} --> {target}")
        else:
            text = mermaid_text(", ".join(edge.rights) or "no rights")
            lines.append(f"    {source} -.->|{text}| {target}")
    flagged = [ids[node.id] for node in view.nodes if node.findings]
    if flagged:
        lines.append(f"    classDef {FINDING_CLASS} {MERMAID_FINDING_STYLE}")
        lines.append(f"    class {','.join(flagged)} {FINDING_CLASS}")
    return "\n".join(lines) + "\n"


def mermaid_for(result: CheckResult, mdos: set[str]) -> str:
    """Draw the subtrees of ``mdos`` as a Mermaid flowchart.

    Unknown ids add nothing, so an empty set gives only the header line.
    """
    return format_mermaid(build_view(result, mdos))


# Graphviz DOT


def dot_quote(text: str) -> str:
    """Quote a DOT id. A newline becomes DOT's centred line break ``\\n``."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("\r", "").replace("\n", "\\n") + '"'


def format_dot(view: GraphView) -> str:
    """Return a ``digraph`` with quoted ids that Graphviz and pydot read."""
    lines = [
        "digraph organisations {",
        "    rankdir=TB;",
        '    node [shape=box, style="rounded,filled", fillcolor=white, '
        'fontname="Helvetica"];',
        '    edge [fontname="Helvetica", fontsize=10];',
    ]
    for node in view.nodes:
        label = dot_quote("\n".join(node.label_lines()))
        extra = f", {DOT_FINDING_STYLE}" if node.findings else ""
        lines.append(f"    {dot_quote(node.id)} [label={label}{extra}];")
    for edge in view.edges:
        arrow = f"{dot_quote(edge.source)} -> {dot_quote(edge.target)}"
        if edge.kind == PARENT:
            lines.append(f"    {arrow};")
        else:
            rights = dot_quote(", ".join(edge.rights) or "no rights")
            lines.append(f"    {arrow} [label={rights}, {DOT_DELEGATION_STYLE}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


# JSON


def format_json(view: GraphView) -> str:
    """Return ``{"nodes": [...], "edges": [...]}``, indented, keys sorted."""
    document = {
        "nodes": [node.to_dict() for node in view.nodes],
        "edges": [edge.to_dict() for edge in view.edges],
    }
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


FORMATTERS = {"mermaid": format_mermaid, "dot": format_dot, "json": format_json}
