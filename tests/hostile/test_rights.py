"""Attempts to gain a right that the policy withholds: each one must be caught."""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from hostile.support import REGISTRY, check, fixture

if TYPE_CHECKING:
    from conftest import Linter

SCHEMA = "schema"
SYNTAX = "yaml-syntax"
PUBLISHER = "publisher-from-ministry"
SCOPE = "manifest-scope"
DUPLICATE = "duplicate-id"
GENERIC = "generic-id"


def _lines_with(text: str, line: int, old: str, new: str) -> str:
    """Return ``text`` with the first ``old`` on ``line`` (from 1) replaced."""
    lines = text.split("\n")
    assert old in lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    return "\n".join(lines)


def _manifests(root: Path, files: Mapping[str, str]) -> None:
    """Lay out ./manifests as the repository keeps it: registry, then mdo/."""
    (root / "manifests" / "mdo").mkdir(parents=True)
    shutil.copyfile(REGISTRY, root / "manifests" / "organisations.yaml")
    for name, text in files.items():
        (root / "manifests" / name).write_text(text, encoding="utf-8")


def test_rights_file_declares_organisations(lint: Linter) -> None:
    # The schema rejects the key, and the registry's SSC, an attached office,
    # is the one the publisher rule reads.
    text = fixture("rights-declare-organisations.yaml")
    result = lint(files={"mdo/dopt.yaml": text})
    assert result.triples == [(PUBLISHER, 21, 13), (SCHEMA, 5, 1)]
    assert result.messages(SCHEMA) == ["unknown key organisations"]


def test_registry_document_in_mdo_file(lint: Linter) -> None:
    # The second document would make LBSNAA a department that is no CTI. It
    # is not read, so the staging publisher at the CTI is still caught.
    result = lint(files={"mdo/dopt.yaml": fixture("registry-in-rights.yaml")})
    assert result.triples == [("cti-staging-rights", 16, 13), (SCOPE, 21, 7)]
    [message] = result.messages(SCOPE)
    assert message.startswith("an OrganisationRegistry document in an MDO's")


def test_second_registry_cannot_restate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A second registry file that sorts before organisations.yaml restates
    # SSC as a department, so that SSC could declare its own publisher. When
    # only the changed files are named, the restatement must not take effect.
    monkeypatch.chdir(tmp_path)
    _manifests(
        tmp_path,
        {
            "extra-registry.yaml": fixture("registry-redefines-ssc.yaml"),
            "mdo/ssc.yaml": fixture("ssc-rights.yaml"),
        },
    )
    run = check("manifests/extra-registry.yaml", "manifests/mdo/ssc.yaml")
    assert run.exit_code == 1
    assert ("manifests/mdo/ssc.yaml", SCOPE, 4, 6) in run.places


def test_second_file_same_mdo(lint: Linter) -> None:
    result = lint(
        files={
            "mdo/dopt.yaml": fixture("dopt-clean.yaml"),
            "mdo/personnel.yaml": fixture("dopt-second-claim.yaml"),
        }
    )
    assert result.places == [
        ("mdo/personnel.yaml", DUPLICATE, 4, 6),
        ("mdo/personnel.yaml", SCOPE, 4, 6),
        ("mdo/personnel.yaml", PUBLISHER, 16, 13),
    ]
    [message] = result.messages(DUPLICATE)
    assert message == "rights for dopt are declared twice, first at mdo/dopt.yaml:4"


def test_second_claim_changed_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A pull request adds a second DoPT file outside mdo/ and names only it.
    # The duplicate belongs to the added file, not to mdo/dopt.yaml.
    monkeypatch.chdir(tmp_path)
    _manifests(
        tmp_path,
        {
            "mdo/dopt.yaml": fixture("dopt-clean.yaml"),
            "dopt-extra.yaml": fixture("dopt-second-claim.yaml"),
        },
    )
    run = check("manifests/dopt-extra.yaml")
    assert run.exit_code == 1
    assert run.places == [
        ("manifests/dopt-extra.yaml", DUPLICATE, 4, 6),
        ("manifests/dopt-extra.yaml", PUBLISHER, 16, 13),
    ]


def test_file_name_other_mdo(lint: Linter) -> None:
    result = lint(files={"mdo/dor.yaml": fixture("dopt-clean.yaml")})
    assert result.triples == [(SCOPE, 4, 6)]
    [message] = result.messages(SCOPE)
    assert (
        message == "mdo/dor.yaml declares the rights of dopt; name the file dopt.yaml"
    )


# Role codes written to slip past an exact comparison: (name, roles value,
# expected triples, a phrase of the schema message).
DISGUISED_ROLES = [
    ("lower-case", "[content_publisher]", [(SCHEMA, 16, 13)], "did you mean"),
    ("spaces", '[" CONTENT_PUBLISHER "]', [(SCHEMA, 16, 13)], "surrounding spaces"),
    (
        "scalar",
        "CONTENT_PUBLISHER",
        [(PUBLISHER, 16, 12), (SCHEMA, 16, 12)],
        "expected a list, found a string",
    ),
]


@pytest.mark.parametrize(
    ("roles", "expected", "phrase"),
    [case[1:] for case in DISGUISED_ROLES],
    ids=[case[0] for case in DISGUISED_ROLES],
)
def test_disguised_role_code(
    lint: Linter, roles: str, expected: list[tuple[str, int, int]], phrase: str
) -> None:
    text = _lines_with(
        fixture("publisher-at-office.yaml"), 16, "[CONTENT_PUBLISHER]", roles
    )
    result = lint(files={"mdo/dopt.yaml": text})
    assert result.triples == expected
    [message] = result.messages(SCHEMA)
    assert phrase in message


# One character put into an identifier of lookalike-base.yaml: (name, line,
# text replaced, replacement, column of the character, how it is named).
LOOKALIKES = [
    (
        "id-cyrillic-a",
        14,
        "creator",
        "cre\u0430tor",
        17,
        "U+0430 CYRILLIC SMALL LETTER A",
    ),
    (
        "id-domain-cyrillic-i",
        14,
        "@nic",
        "@n\u0456c",
        27,
        "U+0456 CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I",
    ),
    (
        "id-zero-width-joiner",
        14,
        "igot-",
        "igot\u200d-",
        13,
        "U+200D ZERO WIDTH JOINER",
    ),
    (
        "role-zero-width",
        16,
        "_CREATOR",
        "_\u200bCREATOR",
        21,
        "U+200B ZERO WIDTH SPACE",
    ),
    ("nodal-email-bidi", 7, "trg.", "trg\u202e.", 16, "U+202E RIGHT-TO-LEFT OVERRIDE"),
    (
        "granted-by-cyrillic",
        17,
        "admin",
        "\u0430dmin",
        22,
        "U+0430 CYRILLIC SMALL LETTER A",
    ),
    ("org-zero-width", 15, "ssc", "s\u200bsc", 11, "U+200B ZERO WIDTH SPACE"),
    ("mdo-cyrillic-o", 4, "dopt", "d\u043ept", 7, "U+043E CYRILLIC SMALL LETTER O"),
    (
        "approval-by-isolate",
        13,
        "dopt",
        "\u2067dopt",
        20,
        "U+2067 RIGHT-TO-LEFT ISOLATE",
    ),
    (
        "delegation-org-dze",
        19,
        "ssc",
        "\u0455sc",
        10,
        "U+0455 CYRILLIC SMALL LETTER DZE",
    ),
]


@pytest.mark.parametrize(
    ("line", "old", "new", "column", "named"),
    [case[1:] for case in LOOKALIKES],
    ids=[case[0] for case in LOOKALIKES],
)
def test_lookalike_character_named(
    lint: Linter, line: int, old: str, new: str, column: int, named: str
) -> None:
    text = _lines_with(fixture("lookalike-base.yaml"), line, old, new)
    result = lint(files={"mdo/dopt.yaml": text})
    assert result.triples == [(SCHEMA, line, column)]
    [message] = result.messages(SCHEMA)
    assert message.startswith(f"{named} at column {column}")


def test_lookalike_registry_id(lint: Linter) -> None:
    # A registry entry whose id is dopt with a Cyrillic o, appended at line 85.
    registry = REGISTRY.read_text(encoding="utf-8") + (
        "  - id: d\u043ept\n"
        "    name: Department of Personnel and Training\n"
        "    type: department\n"
        "    parent: moppgp\n"
    )
    result = lint(
        files={
            "registry.yaml": registry,
            "mdo/dopt.yaml": fixture("lookalike-base.yaml"),
        }
    )
    assert result.places == [("registry.yaml", SCHEMA, 85, 10)]
    [message] = result.messages(SCHEMA)
    assert message.startswith("U+043E CYRILLIC SMALL LETTER O at column 10")


# E-mail IDs that only look official, as the creator's id on line 14:
# (name, id, rule of the one finding, a phrase of its message).
LOOKALIKE_DOMAINS = [
    ("suffix", "igot-creator.ssc@nic.in.example.com", GENERIC, "not a generic ID"),
    ("in-local-part", "igot-creator.ssc.nic.in@evil.example", GENERIC, "generic"),
    ("two-at-signs", "igot-creator.ssc@nic.in@evil.example", SCHEMA, "e-mail ID"),
    ("upper-case", "IGOT-CREATOR.SSC@NIC.IN", SCHEMA, "lower case"),
    ("trailing-dot", "igot-creator.ssc@nic.in.", SCHEMA, "no trailing dot"),
    ("punycode", "igot-creator.ssc@xn--nc-ikc.in", GENERIC, "not a generic ID"),
]


@pytest.mark.parametrize(
    ("account_id", "rule", "phrase"),
    [case[1:] for case in LOOKALIKE_DOMAINS],
    ids=[case[0] for case in LOOKALIKE_DOMAINS],
)
def test_official_looking_domain(
    lint: Linter, account_id: str, rule: str, phrase: str
) -> None:
    text = _lines_with(
        fixture("lookalike-base.yaml"), 14, "igot-creator.ssc@nic.in", account_id
    )
    result = lint(files={"mdo/dopt.yaml": text})
    assert result.triples == [(rule, 14, 9)]
    [message] = result.messages(rule)
    assert phrase in message


def test_duplicate_org_hides_office(lint: Linter) -> None:
    # A reviewer reads org: dopt first, but YAML keeps the second, ssc.
    result = lint(files={"mdo/dopt.yaml": fixture("hide-org.yaml")})
    assert result.triples == [(PUBLISHER, 16, 13), (SYNTAX, 18, 5)]
    [message] = result.messages(SYNTAX)
    assert message.startswith("duplicate key org, first defined at line 15")


def test_duplicate_roles_hide_publisher(lint: Linter) -> None:
    result = lint(files={"mdo/dopt.yaml": fixture("hide-roles.yaml")})
    assert result.triples == [(PUBLISHER, 18, 13), (SYNTAX, 18, 5)]
    [message] = result.messages(SYNTAX)
    assert message.startswith("duplicate key roles, first defined at line 16")


def test_account_twice_one_file(lint: Linter) -> None:
    result = lint(files={"mdo/dopt.yaml": fixture("account-twice.yaml")})
    assert result.triples == [(DUPLICATE, 18, 9), (PUBLISHER, 20, 13)]
    [message] = result.messages(DUPLICATE)
    assert "declared twice, first at mdo/dopt.yaml:14 (org dopt)" in message


def test_account_twice_changed_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # DoPT's file, the one a pull request changes, lists the NADT creator of
    # DoR's file again. Checking DoPT's file alone reports it there.
    monkeypatch.chdir(tmp_path)
    _manifests(
        tmp_path,
        {
            "mdo/dopt.yaml": fixture("dopt-takes-account.yaml"),
            "mdo/dor.yaml": fixture("dor-creator.yaml"),
        },
    )
    run = check("manifests/mdo/dopt.yaml")
    assert run.exit_code == 1
    assert run.places == [("manifests/mdo/dopt.yaml", DUPLICATE, 14, 9)]
    [message] = run.messages("manifests/mdo/dopt.yaml", DUPLICATE)
    assert "first at manifests/mdo/dor.yaml:14 (org nadt)" in message


def test_delegation_other_ministry_office(lint: Linter) -> None:
    result = lint(files={"mdo/dopt.yaml": fixture("delegate-other-ministry.yaml")})
    # The admin at NADT is reported once, by manifest-scope: DoPT cannot
    # delegate to an office of DoR, so admin-from-ministry stays quiet.
    assert result.triples == [("delegation-limits", 19, 10), (SCOPE, 15, 10)]
    [delegation] = result.messages("delegation-limits")
    assert "nadt is not an office of dopt" in delegation


def test_delegated_admin_grants_outside(lint: Linter) -> None:
    result = lint(files={"mdo/dopt.yaml": fixture("delegated-admin-outside.yaml")})
    assert result.triples == [("granted-by", 20, 13)]
    [message] = result.messages("granted-by")
    assert "an admin of istm" in message
    assert "inside istm" in message
