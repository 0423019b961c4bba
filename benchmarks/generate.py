"""Generate a national-scale karmalint corpus for benchmarks.

The corpus has the layout of the shipped repository: ``manifests/organisations.yaml``
contains a registry of about 150 Ministries/Departments with about 20 offices each, and
``manifests/mdo/<mdo>.yaml`` contains one MDORights document per Ministry/Department.
The real ids of the shipped registry come first, then synthetic ones (``dept-107``
under ``ministry-01``). Each MDO's randomness is seeded from ``--seed`` and its id,
so the same arguments always give the same bytes.

With ``--violations 0`` the corpus passes ``karmalint check`` with zero findings;
otherwise about that share of the accounts breaks one rule each.

    python3 benchmarks/generate.py --size S --out /tmp/corpus-s
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
REAL_REGISTRY = REPO / "manifests" / "organisations.yaml"
SIZES = {"S": 40, "M": 400, "L": 2000}
TOTAL_MDOS = 150
SYNTHETIC_MINISTRIES = 4
MDO_TYPES = ("ministry", "department")
CONTENT = ("CONTENT_CREATOR", "CONTENT_REVIEWER")

CITIES = [
    "Bengaluru",
    "Bhopal",
    "Chennai",
    "Dehradun",
    "Guwahati",
    "Hyderabad",
    "Jaipur",
    "Kolkata",
    "Lucknow",
    "Mumbai",
    "Nagpur",
    "Patna",
    "Pune",
    "Ranchi",
    "Shillong",
    "Shimla",
    "Srinagar",
    "Thiruvananthapuram",
    "Vadodara",
    "Varanasi",
    "Bhubaneswar",
    "Raipur",
    "Chandigarh",
    "Ahmedabad",
    "Kochi",
    "Mysuru",
]
SUBJECTS = [
    "Inland Waterways",
    "Rural Water Supply",
    "Fisheries Research",
    "Textile Exports",
    "Coastal Security",
    "Urban Transport",
    "Public Enterprises",
    "Border Management",
    "Seed Certification",
    "Disaster Relief",
    "Handloom Development",
    "Official Language",
    "Pension Reform",
    "Skill Certification",
    "Marine Resources",
    "Minor Minerals",
]
OFFICE_KINDS = (
    ("attached-office", "Directorate of {s}, {c}"),
    ("attached-office", "Office of the Chief Controller, {c}"),
    ("subordinate-office", "Regional Office, {c}"),
    ("subordinate-office", "Zonal Office, {c}"),
    ("subordinate-office", "Field Station, {c}"),
    ("training-institute", "Regional Training Centre, {c}"),
    ("training-institute", "Institute of {s}, {c}"),
    ("board", "Board of {s}"),
)
FIRST_NAMES = [
    "anita",
    "rahul",
    "priya",
    "suresh",
    "kavita",
    "arjun",
    "meena",
    "vikram",
    "deepa",
    "sanjay",
]
LAST_NAMES = [
    "sharma",
    "verma",
    "iyer",
    "reddy",
    "nair",
    "gupta",
    "singh",
    "das",
    "menon",
    "rao",
]
DESIGNATIONS = (
    "Under Secretary (Training)",
    "Deputy Secretary (Administration)",
    "Director (Training)",
    "Joint Secretary (Capacity Building)",
)
ASIDES = (
    "renewed after the annual review",
    "as per the nodal officer's note",
    "shared with the Capacity Building Unit",
    "moved from the old portal",
)
PLAIN = re.compile(r"^[A-Za-z][A-Za-z0-9 ,.()&'/-]*$")
YAML11_WORDS = {"yes", "no", "on", "off", "true", "false", "null", "y", "n", "~"}


@dataclass(slots=True)
class Org:
    """One registry entry."""

    id: str
    name: str
    type: str
    parent: str | None = None
    cti: bool = False
    map_id: str | None = None


@dataclass(slots=True)
class Account:
    """One account entry of a rights file."""

    id: str
    org: str
    roles: list[str]
    environments: list[str] | None = None
    granted_by: str | None = None
    approval: str | None = None
    comment: str | None = None


@dataclass(slots=True)
class Mdo:
    """A Ministry/Department with its offices and the rights it declares."""

    org: Org
    offices: list[Org] = field(default_factory=list)
    nodal: str = ""
    admin_offices: list[str] = field(default_factory=list)
    content_offices: list[str] = field(default_factory=list)
    accounts: list[Account] = field(default_factory=list)
    violations: dict[str, int] = field(default_factory=dict)


def scalar(text: str) -> str:
    """Return ``text`` as a YAML scalar, plain when that reads back as the string."""
    if PLAIN.match(text) and text.lower() not in YAML11_WORDS and "  " not in text:
        return text
    return json.dumps(text, ensure_ascii=False)


def approval(rng: random.Random, by: str) -> str:
    """Return an approval in flow style, with a quoted reference and date."""
    ref = (
        f"A-{rng.randint(11000, 12999)}/{rng.randint(1, 99)}/{rng.choice((2022, 2023))}"
    )
    day = (
        f"{rng.choice((2022, 2023))}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    )
    return f'{{by: {by}, reference: "{ref}-Trg", date: "{day}"}}'


def read_real_registry() -> list[Org]:
    """Read the shipped registry's organisations, in file order."""
    with REAL_REGISTRY.open(encoding="utf-8") as handle:
        data = yaml.load(handle, Loader=yaml.CSafeLoader)
    keys = ("id", "name", "type", "parent", "cti")
    return [
        Org(**{k: entry[k] for k in keys if k in entry})
        for entry in data["organisations"]
    ]


def admin_mdo(org: Org, by_id: dict[str, Org]) -> str | None:
    """Return the nearest ministry or department at or above ``org``'s parent."""
    current = by_id.get(org.parent or "")
    while current is not None and current.type not in MDO_TYPES:
        current = by_id.get(current.parent or "")
    return current.id if current is not None else None


def synthetic_mdos(start: int) -> list[Org]:
    """Return synthetic ministries, each followed by its departments."""
    count = TOTAL_MDOS - start + 1
    per = -(-(count - SYNTHETIC_MINISTRIES) // SYNTHETIC_MINISTRIES)
    orgs: list[Org] = []
    number = start
    for m in range(1, SYNTHETIC_MINISTRIES + 1):
        ministry = Org(
            f"ministry-{m:02d}", f"Ministry of Synthetic Affairs {m}", "ministry"
        )
        ministry.map_id = f"M_{900 + m}"
        orgs.append(ministry)
        number += 1
        for d in range(1, per + 1):
            if number > TOTAL_MDOS:
                break
            subject = SUBJECTS[(number + d) % len(SUBJECTS)]
            dept = Org(f"dept-{number:03d}", f"Department of {subject}", "department")
            dept.parent, dept.map_id = ministry.id, f"{ministry.map_id}_D_{d}"
            orgs.append(dept)
            number += 1
    return orgs


def make_offices(mdo: Org, rng: random.Random) -> list[Org]:
    """Return about 20 offices of ``mdo``, some of them under a board."""
    offices: list[Org] = []
    for n in range(1, rng.randint(16, 24) + 1):
        kind, pattern = OFFICE_KINDS[rng.randrange(len(OFFICE_KINDS))]
        name = pattern.format(s=rng.choice(SUBJECTS), c=rng.choice(CITIES))
        office = Org(f"{mdo.id}-o{n:02d}", name, kind, parent=mdo.id)
        office.cti = kind == "training-institute" and rng.random() < 0.3
        boards = [o for o in offices if o.type == "board"]
        if boards and kind != "board" and rng.random() < 0.5:
            office.parent = rng.choice(boards).id
        if mdo.map_id:
            letter = {"board": "O", "training-institute": "T"}.get(kind, "X")
            office.map_id = f"{mdo.map_id}_{letter}_{n}"
        offices.append(office)
    return offices


def email(role: str, n: int, org: str, domain: str = "gov.in") -> str:
    """Return a generic, role-based e-mail ID."""
    return f"igot-{role}{n}.{org}@{domain}" if n else f"igot-{role}.{org}@{domain}"


def plan_delegations(mdo: Mdo, rng: random.Random) -> None:
    """Delegate admin to some offices and creation and review to others."""
    for office in mdo.offices:
        if office.parent != mdo.org.id:
            continue
        draw = rng.random()
        if draw < 0.15 and office.type in (
            "training-institute",
            "attached-office",
            "board",
        ):
            mdo.admin_offices.append(office.id)
        elif draw < 0.35:
            mdo.content_offices.append(office.id)


def subtree_admin(office: Org, mdo: Mdo, by_id: dict[str, Org]) -> str | None:
    """Return the delegated office at or above ``office``, if any."""
    current: Org | None = office
    while current is not None and current.id != mdo.org.id:
        if current.id in mdo.admin_offices:
            return current.id
        current = by_id.get(current.parent or "")
    return None


def environments(rng: random.Random) -> list[str] | None:
    """Return an environments list as people leave it: often absent."""
    draw = rng.random()
    if draw < 0.3:
        return None
    return ["production"] if draw < 0.7 else ["production", "staging"]


def core_accounts(mdo: Mdo, rng: random.Random) -> list[Account]:
    """Return the admin, leader and publisher of the MDO and its offices' admins."""
    m = mdo.org.id
    admin = email("admin", 0, m)
    out = [
        Account(
            admin,
            m,
            ["MDO_ADMIN"],
            ["production", "staging"],
            approval=approval(rng, "dopt"),
        ),
        Account(email("leader", 0, m), m, ["MDO_LEADER"], granted_by=mdo.nodal),
        Account(
            email("publisher", 0, m),
            m,
            ["CONTENT_REVIEWER", "CONTENT_PUBLISHER"],
            ["production", "staging"],
            granted_by=admin,
        ),
    ]
    for office in mdo.admin_offices:
        out.append(
            Account(
                email("admin", 0, office),
                office,
                ["MDO_ADMIN"],
                approval=approval(rng, m),
                comment="admin delegated by the MDO",
            )
        )
    return out


def content_account(
    mdo: Mdo, rng: random.Random, n: int, by_id: dict[str, Org]
) -> Account:
    """Return the ``n``-th ordinary account: mostly creators and reviewers."""
    m = mdo.org.id
    at_mdo = rng.random() < 0.25 or not mdo.offices
    org = mdo.org if at_mdo else rng.choice(mdo.offices)
    draw = rng.random()
    if at_mdo and draw < 0.03:
        return Account(
            email("admin", n, m), m, ["MDO_ADMIN"], approval=approval(rng, "dopt")
        )
    if at_mdo and draw < 0.06:
        return Account(
            email("publisher", n, m),
            m,
            ["CONTENT_PUBLISHER"],
            environments(rng),
            granted_by=email("admin", 0, m),
        )
    role = CONTENT[0] if draw < 0.62 else CONTENT[1]
    word = "creator" if role == CONTENT[0] else "reviewer"
    delegated = subtree_admin(org, mdo, by_id)
    if delegated and rng.random() < 0.7:
        granter = email("admin", 0, delegated)
    else:
        granter = rng.choice((email("admin", 0, m), mdo.nodal))
    domain = "nic.in" if rng.random() < 0.2 else "gov.in"
    comment = rng.choice(ASIDES) if rng.random() < 0.1 else None
    return Account(
        email(word, n, org.id, domain),
        org.id,
        [role],
        environments(rng),
        granted_by=granter,
        comment=comment,
    )


def office_of(
    mdo: Mdo, rng: random.Random, wanted: Callable[[Org], bool]
) -> Org | None:
    """Return a random office of ``mdo`` that ``wanted`` accepts."""
    fits = [o for o in mdo.offices if wanted(o)]
    return rng.choice(fits) if fits else None


def break_account(
    acc: Account, mdo: Mdo, rng: random.Random, kind: str, by_id: dict[str, Org]
) -> bool:
    """Make ``acc`` break the rule named by ``kind``, or return False."""
    m = mdo.org.id
    undelegated = office_of(mdo, rng, lambda o: subtree_admin(o, mdo, by_id) is None)
    if kind == "publisher-from-ministry" and undelegated:
        acc.org, acc.roles = undelegated.id, ["CONTENT_PUBLISHER"]
        acc.granted_by = email("admin", 0, m)
    elif kind == "generic-id":
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        acc.id = f"{first}.{last}{rng.randint(10, 99)}.{acc.org}@gmail.com"
    elif kind == "cti-staging-rights":
        cti = office_of(
            mdo, rng, lambda o: o.cti and subtree_admin(o, mdo, by_id) is None
        )
        if cti is None:
            return False
        acc.org, acc.roles, acc.granted_by = cti.id, ["MDO_ADMIN"], None
        acc.environments, acc.approval = ["production", "staging"], approval(rng, m)
    elif kind == "admin-from-ministry" and undelegated and not undelegated.cti:
        acc.org, acc.roles, acc.granted_by = undelegated.id, ["MDO_ADMIN"], None
        acc.approval = approval(rng, m)
    elif kind == "granted-by" and acc.granted_by:
        acc.granted_by = None
    elif kind == "separation-of-duties":
        acc.roles, acc.granted_by = list(CONTENT), acc.granted_by or mdo.nodal
    elif kind == "reserved-roles":
        acc.roles = ["SPV_ADMIN"]
    elif kind == "unknown-reference":
        acc.org = acc.org + "-old"
    else:
        return False
    acc.comment = None
    return True


VIOLATIONS = (
    "publisher-from-ministry",
    "generic-id",
    "cti-staging-rights",
    "admin-from-ministry",
    "granted-by",
    "separation-of-duties",
    "reserved-roles",
    "unknown-reference",
)


def build_accounts(
    mdo: Mdo, rng: random.Random, count: int, share: float, by_id: dict[str, Org]
) -> None:
    """Fill ``mdo.accounts`` with ``count`` accounts, ``share`` of them broken."""
    accounts = core_accounts(mdo, rng)[: max(count, 1)]
    n = 1
    while len(accounts) < count:
        accounts.append(content_account(mdo, rng, n, by_id))
        n += 1
    for acc in accounts[1:]:
        if share and rng.random() < share:
            kind = rng.choice(VIOLATIONS)
            if break_account(acc, mdo, rng, kind, by_id):
                mdo.violations[kind] = mdo.violations.get(kind, 0) + 1
    order = {mdo.org.id: 0} | {o.id: i + 1 for i, o in enumerate(mdo.offices)}
    accounts.sort(key=lambda a: order.get(a.org.removesuffix("-old"), 0))
    mdo.accounts = accounts


def build_mdo(
    org: Org, offices: list[Org], args: argparse.Namespace, by_id: dict[str, Org]
) -> Mdo:
    """Return one MDO with its delegations and accounts, seeded by its id."""
    rng = random.Random(f"{args.seed}:{org.id}")
    mdo = Mdo(org, offices)
    mdo.nodal = f"{rng.choice(('us-trg', 'ds-admin', 'dir-trg'))}.{org.id}@nic.in"
    plan_delegations(mdo, rng)
    build_accounts(mdo, rng, args.accounts, args.violations, by_id)
    return mdo


def registry_lines(orgs: list[Org]) -> Iterator[str]:
    """Yield the registry file, a comment before each group of offices."""
    yield "# Benchmark registry written by benchmarks/generate.py. Not real data."
    yield "apiVersion: karmalint/v1"
    yield "kind: OrganisationRegistry"
    yield "organisations:"
    for org in orgs:
        if org.type in MDO_TYPES:
            yield f"  # {org.name}"
        yield f"  - id: {org.id}"
        yield f"    name: {scalar(org.name)}"
        yield f"    type: {org.type}"
        if org.parent:
            yield f"    parent: {org.parent}"
        if org.cti:
            yield "    cti: true"
        if org.map_id:
            yield f'    map_id: "{org.map_id}"'


def account_lines(acc: Account) -> Iterator[str]:
    """Yield one account entry in block style with flow-style lists."""
    tail = f"  # {acc.comment}" if acc.comment else ""
    yield f"  - id: {acc.id}{tail}"
    yield f"    org: {acc.org}"
    yield f"    roles: [{', '.join(acc.roles)}]"
    if acc.environments:
        yield f"    environments: [{', '.join(acc.environments)}]"
    if acc.granted_by:
        yield f"    granted_by: {acc.granted_by}"
    if acc.approval:
        yield f"    approval: {acc.approval}"


def rights_lines(mdo: Mdo, rng: random.Random) -> Iterator[str]:
    """Yield the MDORights file of ``mdo``."""
    m, names = mdo.org.id, {o.id: o.name for o in [mdo.org, *mdo.offices]}
    yield f"# iGOT Karmayogi rights of the {mdo.org.name}."
    yield "# Benchmark data written by benchmarks/generate.py; the IDs are not real."
    yield "apiVersion: karmalint/v1"
    yield "kind: MDORights"
    yield f"mdo: {m}"
    yield "nodal_officer:"
    yield f"  designation: {scalar(rng.choice(DESIGNATIONS))}"
    yield f"  email: {mdo.nodal}"
    yield f"  approval: {approval(rng, 'dopt')}"
    if mdo.admin_offices or mdo.content_offices:
        yield "delegations:"
        for office in mdo.admin_offices:
            yield f"  - org: {office}  # {names[office]}"
            yield "    rights: [MDO_ADMIN, CONTENT_CREATOR, CONTENT_REVIEWER]"
        for office in mdo.content_offices:
            yield f"  - org: {office}"
            yield "    rights: [CONTENT_CREATOR, CONTENT_REVIEWER]"
    yield "accounts:"
    group = None
    for acc in mdo.accounts:
        if acc.org.removesuffix("-old") != group:
            group = acc.org.removesuffix("-old")
            if group != m:
                yield ""
            yield f"  # {names.get(group, group)}"
        yield from account_lines(acc)


def build_registry(
    args: argparse.Namespace,
) -> tuple[list[Org], list[tuple[Org, list[Org]]]]:
    """Return all registry entries and the chosen MDOs with their offices."""
    real = read_real_registry()
    mdos = [o for o in real if o.type in MDO_TYPES]
    synthetic = synthetic_mdos(len(mdos) + 1)
    mdos += [o for o in synthetic if o.type in MDO_TYPES]
    chosen = mdos[: args.mdos] if args.mdos else mdos
    by_id = {o.id: o for o in real + synthetic}
    picked: list[tuple[Org, list[Org]]] = []
    orgs = list(real)
    chosen_ids = {o.id for o in chosen}
    for org in synthetic:
        if org.id in chosen_ids or any(c.parent == org.id for c in chosen):
            orgs.append(org)
    for org in chosen:
        rng = random.Random(f"{args.seed}:offices:{org.id}")
        existing = [
            o for o in real if admin_mdo(o, by_id) == org.id and o.type not in MDO_TYPES
        ]
        offices = make_offices(org, rng)
        orgs += offices
        picked.append((org, existing + offices))
    return orgs, picked


def write(path: Path, lines: Iterator[str]) -> int:
    """Write ``lines`` to ``path`` with LF endings and return its size."""
    data = ("\n".join(lines) + "\n").encode("utf-8")
    path.write_bytes(data)
    return len(data)


def generate(args: argparse.Namespace) -> dict[str, int]:
    """Write the corpus under ``args.out`` and return what it counted."""
    orgs, picked = build_registry(args)
    by_id = {o.id: o for o in orgs}
    root = Path(args.out) / "manifests"
    (root / "mdo").mkdir(parents=True, exist_ok=True)
    for old in (root / "mdo").glob("*.yaml"):
        old.unlink()
    size = write(root / "organisations.yaml", registry_lines(orgs))
    counts = {"mdos": 0, "organisations": len(orgs), "accounts": 0, "violations": 0}
    for org, offices in picked:
        mdo = build_mdo(org, offices, args, by_id)
        rng = random.Random(f"{args.seed}:text:{org.id}")
        size += write(root / "mdo" / f"{org.id}.yaml", rights_lines(mdo, rng))
        counts["mdos"] += 1
        counts["accounts"] += len(mdo.accounts)
        counts["violations"] += sum(mdo.violations.values())
    counts["bytes"] = size
    return counts


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Parse the command line, where ``--accounts`` overrides the size's default."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="folder to write manifests/ into")
    parser.add_argument("--size", choices=sorted(SIZES), default="S")
    parser.add_argument("--accounts", type=int, help="accounts per MDO")
    parser.add_argument("--mdos", type=int, default=0, help="only the first N MDOs")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--violations",
        type=float,
        default=0.002,
        help="share of accounts that break a rule",
    )
    args = parser.parse_args(argv)
    if args.accounts is None:
        args.accounts = SIZES[args.size]
    return args


def main(argv: list[str] | None = None) -> int:
    """Generate the corpus and print a one-line summary."""
    counts = generate(parse_args(argv))
    summary = ", ".join(f"{v} {k}" for k, v in counts.items())
    print(f"wrote {summary}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
