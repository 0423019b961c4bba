"""Convert the hand-compiled organisation list into karmalint's registry manifest.

The source is a YAML file with a top-level ``orgs`` list of flow mappings
(``id``, ``name``, ``type``, ``parent``, and ``cti`` on training institutes).
The output is a ``kind: OrganisationRegistry`` manifest in block style, one
organisation per block, grouped by type under a heading comment, with the keys
in the order id, name, type, cti, parent. Within a group the source order is kept.

Before writing, the script parses the text it produced and raises ValueError
unless the result equals the source data entry for entry.

Usage:
    python tools/convert_registry.py SOURCE [OUTPUT]

OUTPUT defaults to manifests/organisations.yaml in this repository.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import yaml

DEFAULT_OUTPUT = (
    Path(__file__).resolve().parent.parent / "manifests" / "organisations.yaml"
)

KEY_ORDER = ("id", "name", "type", "cti", "parent")

# Types in output order, each with the heading comment of its group.
GROUP_HEADINGS: dict[str, str] = {
    "ministry": "Ministries (and ministry-level independent departments)",
    "department": "Departments",
    "attached-office": "Attached offices (sample)",
    "subordinate-office": "Subordinate offices (sample)",
    "training-institute": "Training institutes",
}

INDEPENDENT_DEPARTMENTS_COMMENT = (
    "  # Independent departments under the Prime Minister (no parent ministry):\n"
)

HEADER = """\
# Government of India organisations known to karmalint: the Union ministries,
# their departments, and a sample of attached offices, subordinate offices and
# training institutes. Written by tools/convert_registry.py from a list compiled
# by hand. It contains facts only and no accounts.
#
# The list is a snapshot of the structure as of 2024, after the 2019-2021
# renamings and splits. It was built from public sources: the Government of
# India (Allocation of Business) Rules, First Schedule, for ministries and
# departments; mha.gov.in ("Departments of MHA") for the six MHA departments;
# the iGOT organisation master list (OrgMasterList.txt, MIT licence) for names
# as registered on iGOT; and the institutes' own public descriptions.
# Allocation of Business amendments change this structure, so re-check an entry
# before relying on it.
#
# NOTE: some entries are less certain than the rest. The ministry moplanning
# exists in the Rules but has no Secretary of its own. The exact spelling of a
# few names, the parents of ajnifm, nadp and nssta, and cti: true for ntiprit,
# nair, iricen, nssta and nadp are medium confidence, because no single
# official list of CTIs was found.
#
# Fields: id (lowercase slug), name, type (ministry | department |
# attached-office | subordinate-office | training-institute), cti (training
# institutes only: true for a Central Training Institute), parent (the id of
# another entry, absent only for type: ministry).
#
# DAE and DoS are independent departments under the Prime Minister with no
# parent ministry. The schema has no separate type for them, so they are listed
# as type: ministry with no parent. iGOT's master list also puts them among the
# ministries.

"""

# A plain scalar starting with one of these is misread or rejected by YAML.
SPECIAL_FIRST_CHARS = frozenset("-?:,[]{}#&*!|>'\"%@`")


def load_organisations(source: Path) -> list[dict[str, Any]]:
    """Read the source file, check its entries and return its ``orgs`` list."""
    with source.open(encoding="utf-8") as stream:
        data = yaml.safe_load(stream)
    if not isinstance(data, dict) or not isinstance(data.get("orgs"), list):
        raise ValueError(f"{source}: expected a mapping with an 'orgs' list")
    organisations: list[dict[str, Any]] = data["orgs"]
    check_organisations(organisations, source)
    return organisations


def check_organisations(organisations: list[dict[str, Any]], source: Path) -> None:
    """Raise ValueError on a duplicate id or on the first invalid entry."""
    ids = [org.get("id") for org in organisations]
    duplicates = sorted({str(org_id) for org_id in ids if ids.count(org_id) > 1})
    if duplicates:
        raise ValueError(
            f"{source}: duplicate ids {', '.join(duplicates)}: make each id unique"
        )
    known_ids = set(ids)
    for org in organisations:
        problem = find_entry_problem(org, known_ids)
        if problem:
            raise ValueError(f"{source}: entry {org.get('id')!r}: {problem}")


def find_entry_problem(org: dict[str, Any], known_ids: set[Any]) -> str | None:
    """Return what is wrong with one source entry, or None if it is valid."""
    unknown_keys = set(org) - set(KEY_ORDER)
    if unknown_keys:
        return (
            f"unknown keys {sorted(unknown_keys)}, expected only {', '.join(KEY_ORDER)}"
        )
    missing_keys = [
        key for key in ("id", "name", "type") if not isinstance(org.get(key), str)
    ]
    if missing_keys:
        return f"missing or non-string {', '.join(missing_keys)}"
    if org["type"] not in GROUP_HEADINGS:
        return (
            f"invalid type {org['type']!r}, expected one of {', '.join(GROUP_HEADINGS)}"
        )
    parent = org.get("parent")
    if (parent is None) != (org["type"] == "ministry"):
        return (
            "a parent is required for every type except ministry, "
            "and ministries have none"
        )
    if parent is not None and parent not in known_ids:
        return f"parent {parent!r} not found among the ids"
    if "cti" in org and (
        org["type"] != "training-institute" or not isinstance(org["cti"], bool)
    ):
        return "cti must be true or false, and only on a training-institute"
    return None


def format_scalar(value: Any) -> str:
    """Format value as a YAML scalar, double-quoted only where plain would not do."""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if needs_quotes(text):
        # A JSON string is a valid YAML double-quoted scalar.
        return json.dumps(text, ensure_ascii=False)
    return text


def needs_quotes(text: str) -> bool:
    """Return True if text must be quoted to be read back as the same string."""
    if not text or text != text.strip():
        return True
    if ":" in text or "#" in text or text[0] in SPECIAL_FIRST_CHARS:
        return True
    # Catches plain scalars that YAML 1.1 resolves to other types:
    # yes, no, null, ~, 1.5, 2024-01-31.
    return yaml.safe_load(f"key: {text}") != {"key": text}


def format_organisation(org: dict[str, Any]) -> str:
    """Format one organisation as a block-style sequence item."""
    keys = [key for key in KEY_ORDER if key in org]
    lines = [
        f"{'  - ' if index == 0 else '    '}{key}: {format_scalar(org[key])}"
        for index, key in enumerate(keys)
    ]
    return "\n".join(lines) + "\n"


def format_group(type_name: str, members: list[dict[str, Any]]) -> str:
    """Format the heading comment and the blocks of one type."""
    parts = [f"  # {GROUP_HEADINGS[type_name]}\n"]
    independent_comment_written = False
    for org in members:
        # Ministry-type entries named "Department ..." (DAE and DoS in the 2024
        # list) get a note.
        independent = type_name == "ministry" and str(org["name"]).startswith(
            "Department"
        )
        if independent and not independent_comment_written:
            parts.append(INDEPENDENT_DEPARTMENTS_COMMENT)
            independent_comment_written = True
        parts.append(format_organisation(org))
    return "".join(parts)


def render_registry(organisations: list[dict[str, Any]]) -> str:
    """Format the whole registry manifest: header, fixed keys and grouped entries."""
    groups = []
    for type_name in GROUP_HEADINGS:
        members = [org for org in organisations if org["type"] == type_name]
        if members:
            groups.append(format_group(type_name, members))
    body = "\n".join(groups)
    return (
        HEADER
        + "apiVersion: karmalint/v1\n"
        + "kind: OrganisationRegistry\n"
        + "organisations:\n"
        + body
    )


def verify_round_trip(text: str, organisations: list[dict[str, Any]]) -> None:
    """Raise ValueError unless text parses back to the source entries, in any order."""
    try:
        parsed = yaml.safe_load(text)["organisations"]
    except yaml.YAMLError as error:
        raise ValueError(f"generated registry is not valid YAML: {error}") from error
    expected = {org["id"]: org for org in organisations}
    actual = {org["id"]: org for org in parsed}
    differing = sorted(
        org_id
        for org_id in expected.keys() | actual.keys()
        if expected.get(org_id) != actual.get(org_id)
    )
    if len(parsed) != len(organisations) or differing:
        shown = ", ".join(differing) or "none, but the count differs"
        raise ValueError(
            f"generated registry does not parse back to the source data "
            f"(differing ids: {shown}). "
            f"This is a bug in format_scalar or format_organisation."
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "source", type=Path, help="hand-compiled YAML file with an 'orgs' list"
    )
    parser.add_argument(
        "output",
        type=Path,
        nargs="?",
        default=DEFAULT_OUTPUT,
        help="registry manifest to write (default: %(default)s)",
    )
    args = parser.parse_args()

    organisations = load_organisations(args.source)
    text = render_registry(organisations)
    verify_round_trip(text, organisations)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {len(organisations)} organisations to {args.output}")


if __name__ == "__main__":
    main()
