"""The organisation hierarchy as a networkx graph, and the questions rules ask it."""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from karmalint.model import Organisation

MDO_TYPES = frozenset({"ministry", "department"})


class OrgGraph:
    """A directed graph of organisations with parent -> child edges.

    Each organisation's chain of ancestors is computed once, so the questions
    below cost time proportional to the depth of the hierarchy, not its size.
    """

    def __init__(self, organisations: Iterable[Organisation]) -> None:
        self.graph: nx.DiGraph[str] = nx.DiGraph()
        self.orgs: dict[str, Organisation] = {}
        for org in organisations:
            # The first declaration wins; the duplicate-id rule reports the rest.
            if org.id not in self.orgs:
                self.orgs[org.id] = org
                self.graph.add_node(org.id, type=org.type, cti=org.cti, name=org.name)
        for org in self.orgs.values():
            if org.parent is not None and org.parent in self.orgs:
                self.graph.add_edge(org.parent, org.id)
        self._chains = {org_id: self._chain(org_id) for org_id in self.orgs}

    def _chain(self, org_id: str) -> tuple[str, ...]:
        """Return the organisation and its ancestors, nearest first, up to a cycle."""
        chain = [org_id]
        seen = {org_id}
        parent = self.orgs[org_id].parent
        while parent is not None and parent in self.orgs and parent not in seen:
            chain.append(parent)
            seen.add(parent)
            parent = self.orgs[parent].parent
        return tuple(chain)

    def __contains__(self, org_id: object) -> bool:
        return org_id in self.orgs

    def chain(self, org_id: str) -> tuple[str, ...]:
        return self._chains.get(org_id, ())

    def in_subtree(self, org_id: str, root_id: str) -> bool:
        """Tell whether ``org_id`` is ``root_id`` or one of its descendants."""
        return root_id in self.chain(org_id)

    def admin_mdo(self, org_id: str) -> str | None:
        """Return the nearest ministry or department at or above the organisation."""
        for ancestor in self.chain(org_id):
            if self.orgs[ancestor].type in MDO_TYPES:
                return ancestor
        return None

    def cycles(self) -> list[list[str]]:
        return [list(cycle) for cycle in nx.simple_cycles(self.graph)]
