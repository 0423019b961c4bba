"""Report formats: each renders one check run, with the policy's rule metadata.

A format is a function ``render(report) -> str``. ``FORMATS`` maps the names
that a command line offers to these functions. Every format shows a
suppressed finding as suppressed, except the GitHub and GitLab formats, which
leave it out because neither annotations nor Code Quality entries can mark one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from karmalint.engine import CheckResult
from karmalint.policy import Rule

# NOTE: a placeholder until the repository is published. Every report links
# to the rule pages below it.
HOMEPAGE = "https://github.com/karmalint/karmalint"


def rule_doc_uri(rule_id: str) -> str:
    """Return the address of a rule's section in docs/rules.md."""
    return f"{HOMEPAGE}/blob/main/docs/rules.md#{rule_id}"


@dataclass(frozen=True)
class Report:
    """One check run with what a report format needs to describe it."""

    # Findings sorted by path, line and column, and the files checked.
    result: CheckResult
    # The active policy's rules, for each rule's summary, basis and fix.
    rules: Mapping[str, Rule]
    # karmalint.__version__, for the tool's description.
    version: str
    # The repository root. Paths in findings are relative to it.
    root: str = "."


# The format modules import Report and HOMEPAGE from this package, so they are
# imported only once both are defined.
from karmalint.formats import (  # noqa: E402
    github,
    gitlab,
    json_report,
    junit,
    markdown,
    sarif,
    text,
)

FORMATS: dict[str, Callable[[Report], str]] = {
    "text": text.render,
    "json": json_report.render,
    "sarif": sarif.render,
    "github": github.render,
    "junit": junit.render,
    "gitlab": gitlab.render,
    "markdown": markdown.render,
}
