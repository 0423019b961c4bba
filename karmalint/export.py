"""Role assignments as requests to the platform's role-assignment API, version 2.

The platform takes ``POST /private/user/v2/assign/role`` requests, each for
one user, with roles to add or remove in the scope of an organisation.  An
export contains one request per (account, organisation): either the full
desired state, every role an add, or the plan that turns a previous export's
state into the manifests' state.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from karmalint.engine import CheckResult
from karmalint.rights import assignments

ADD, REMOVE = "add", "remove"
ENVIRONMENTS = ("production", "staging")

# (userId, organisationId) -> role names.
State = dict[tuple[str, str], set[str]]


class ExportFileError(Exception):
    """A file given as a previous export that is not one."""


@dataclass(frozen=True, slots=True, order=True)
class Operation:
    """One role to add or remove for one user in one organisation."""

    user: str
    organisation: str
    operation: str
    role: str


@dataclass(frozen=True, slots=True)
class Plan:
    """The operations of an export, sorted as they are written."""

    operations: tuple[Operation, ...]

    @property
    def requests(self) -> int:
        return len({(op.user, op.organisation) for op in self.operations})

    def count(self, operation: str) -> int:
        return sum(1 for op in self.operations if op.operation == operation)


def desired_state(result: CheckResult, environment: str) -> State:
    """Return the roles of each account per organisation in one environment.

    Only the files a check reported on are exported, so that the check's
    findings cover every exported role.  PUBLIC is always among the roles.
    The organisation is named by its map ID when the registry gives one.
    """
    # A plan made from some files only would remove the roles of every
    # account in the others, so the export command refuses --against then.
    orgs = result.context.graph.orgs if result.context is not None else {}
    checked = set(result.files)
    state: State = {}
    for item in assignments(result, include_public=True):
        if item.environment != environment or item.path not in checked:
            continue
        org = orgs[item.org]
        key = (item.account, org.map_id or org.id)
        state.setdefault(key, set()).add(item.role)
    return state


def full_plan(state: State) -> Plan:
    """Add every role of the state."""
    return Plan(tuple(sorted(_operations(state, ADD))))


def diff_plan(previous: State, desired: State) -> Plan:
    """Add what is new since ``previous`` and remove what is gone."""
    added = _difference(desired, previous)
    removed = _difference(previous, desired)
    operations = [*_operations(added, ADD), *_operations(removed, REMOVE)]
    return Plan(tuple(sorted(operations)))


def _difference(left: State, right: State) -> State:
    return {key: roles - right.get(key, set()) for key, roles in left.items()}


def _operations(state: State, operation: str) -> Iterable[Operation]:
    for (user, organisation), roles in state.items():
        for role in roles:
            yield Operation(user, organisation, operation, role)


def render(plan: Plan) -> str:
    """Render the plan as the JSON array of API requests, the same bytes each time."""
    requests: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for op in plan.operations:
        requests.setdefault((op.user, op.organisation), []).append(
            {
                "operation": op.operation,
                "role": op.role,
                "scope": [{"organisationId": op.organisation}],
            }
        )
    body = [
        {"request": {"userId": user, "roles": roles}}
        for (user, _), roles in sorted(requests.items())
    ]
    return json.dumps(body, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def table(plan: Plan) -> str:
    """Render the plan as aligned columns: user, organisation, operation, role."""
    rows = [("USER", "ORGANISATION", "OPERATION", "ROLE")]
    rows += [
        (op.user, op.organisation, op.operation, op.role) for op in plan.operations
    ]
    widths = [max(len(row[column]) for row in rows) for column in range(4)]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in rows
    ]
    return "\n".join(line.rstrip() for line in lines) + "\n"


def read_state(path: Path) -> State:
    """Read a previous full export as the state it set on the platform.

    A plan with removes is rejected, because it records a change, not a state.
    """
    # NOTE: an export does not record its environment, so a production
    # export given against a staging run is not detected.
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ExportFileError(f"cannot read {path}: {error.strerror}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ExportFileError(f"{path}: invalid JSON: {error}") from None
    if not isinstance(data, list):
        raise ExportFileError(
            f"{path}: invalid export: expected a JSON array of requests"
        )
    state: State = {}
    for index, item in enumerate(data):
        try:
            _read_request(item, state)
        except ExportFileError as error:
            raise ExportFileError(f"{path}: request {index + 1}: {error}") from None
    return state


def _read_request(item: Any, state: State) -> None:
    request = _mapping(item, "request")
    user = _text(request, "userId")
    roles = request.get("roles")
    if not isinstance(roles, list) or not roles:
        raise ExportFileError("missing or empty roles list")
    for role in roles:
        name, operation = _text(role, "role"), _text(role, "operation")
        if operation == REMOVE:
            raise ExportFileError(
                "removes a role, so the file is a plan, not a full export"
            )
        if operation != ADD:
            raise ExportFileError(
                f"invalid operation {operation!r}: expected add or remove"
            )
        for organisation in _scope(role):
            state.setdefault((user, organisation), set()).add(name)


def _scope(role: dict[str, Any]) -> list[str]:
    scope = role.get("scope")
    if not isinstance(scope, list) or not scope:
        raise ExportFileError("missing or empty scope list")
    return [_text(entry, "organisationId") for entry in scope]


def _mapping(item: Any, key: str) -> dict[str, Any]:
    if not isinstance(item, dict) or not isinstance(item.get(key), dict):
        raise ExportFileError(f"missing {key} object")
    value: dict[str, Any] = item[key]
    return value


def _text(item: Any, key: str) -> str:
    value = item.get(key) if isinstance(item, dict) else None
    if not isinstance(value, str) or not value:
        raise ExportFileError(f"missing or empty {key}")
    return value
