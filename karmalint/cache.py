"""A cache of whole check results, so a run on unchanged manifests is quick.

The key covers everything a result depends on: karmalint's version, the
policy and schema files, the options, the date (suppressions expire), and
the path and content of every file read.  Entries are JSON, never code, and
each carries an HMAC made with a secret kept outside the repository, so an
entry committed to a repository to claim "no findings" is ignored.  An entry
that cannot be read back or verified is ignored and the check runs in full.
Writes go to a temporary file that is renamed into place, so concurrent runs
never see half an entry.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import astuple
from pathlib import Path
from typing import Any

from karmalint import __version__, signed
from karmalint.engine import CheckOptions, CheckResult
from karmalint.finding import Finding, Related, Severity, Span, Suppression
from karmalint.policy import Policy, policy_digest
from karmalint.sources import discover, display_path

FORMAT = 1

log = logging.getLogger(__name__)


def cache_key(options: CheckOptions, policy: Policy, schema_folder: Path) -> str:
    """Hash everything the result of a run depends on."""
    digest = hashlib.sha256()
    digest.update(f"{FORMAT}\0{__version__}\0".encode())
    # Configured severities change the policy after its files are read, so
    # the digest covers them too.
    digest.update(policy_digest(policy))
    for name in sorted(map(str, schema_folder.glob("*.json"))):
        digest.update(name.encode() + b"\0" + Path(name).read_bytes() + b"\0")

    settings = (
        sorted(map(str, options.paths)),
        sorted(map(str, options.context)),
        sorted(options.select or ()),
        sorted(options.ignore),
        astuple(options.limits),
        int(options.min_severity),
        options.today.isoformat(),
        sorted(options.baseline or ()),
        options.loader.__name__ if options.loader else "",
    )
    digest.update(json.dumps(settings).encode())

    found = discover(options.paths + options.context)
    for file in found.files:
        digest.update(display_path(file).encode() + b"\0")
        try:
            digest.update(hashlib.sha256(file.read_bytes()).digest())
        except OSError as error:
            digest.update(f"unreadable: {error}".encode())
    for problem in found.problems:
        digest.update(f"{problem.path}\0{problem.message}\0".encode())
    return digest.hexdigest()


def load(key: str) -> CheckResult | None:
    """Return the cached result for ``key``, or None when there is none."""
    document = signed.read_signed(Path(f"{key}.json"))
    if document is None:
        return None
    try:
        findings = [_finding(item) for item in document["findings"]]
        files = [str(name) for name in document["files"]]
        return CheckResult(findings, files, document["baselined"], document["fixed"])
    except (ValueError, KeyError, TypeError) as error:
        log.info("ignoring a cache entry of another shape: %s", error)
        return None


def store(key: str, result: CheckResult) -> None:
    """Write the result for ``key``."""
    document = {
        "findings": [_record(finding) for finding in result.findings],
        "files": result.files,
        "baselined": result.baselined,
        "fixed": result.fixed,
    }
    signed.write_signed(Path(f"{key}.json"), document)


def _record(finding: Finding) -> dict[str, Any]:
    record: dict[str, Any] = finding.to_dict()
    record["subject"] = finding.subject
    record["related"] = [
        {"path": r.path, "span": list(r.span), "message": r.message}
        for r in finding.related
    ]
    if finding.suppression is not None:
        record["suppressed"]["line"] = finding.suppression.line
    return record


def _finding(record: dict[str, Any]) -> Finding:
    suppressed = record["suppressed"]
    suppression = None
    if suppressed is not None:
        suppression = Suppression(
            suppressed["reason"], suppressed["until"], suppressed["line"]
        )
    related = tuple(
        Related(r["path"], Span(*r["span"]), r["message"]) for r in record["related"]
    )
    return Finding(
        record["path"],
        record["line"],
        record["column"],
        record["end_line"],
        record["end_column"],
        record["rule"],
        Severity.parse(record["severity"]),
        record["message"],
        record["basis"],
        related,
        record["subject"],
        record["fingerprint"],
        suppression,
    )
