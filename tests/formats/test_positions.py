"""Every format gives the same lines and columns for the same findings."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from typing import Any
from urllib.parse import unquote

import pytest

from karmalint.formats import FORMATS, Report

from .conftest import DOPT, DRAFT, findings_of
from .test_github import parse as parse_command

# The place of one finding as a format gives it: path, line, and whichever of
# column, end_line and end_column the format carries.
Place = dict[str, Any]
ALL_FIELDS = {"path", "line", "column", "end_line", "end_column"}
LISTING = re.compile(r"(?P<path>.+):(?P<line>\d+):(?P<column>\d+): ")
MARKDOWN_LINK = re.compile(r"\]\((?P<path>[^)#]+)#L(?P<line>\d+)(?:-L(?P<end>\d+))?\)")


@pytest.fixture
def spread(report: Report) -> Report:
    """The report with one more, unsuppressed finding that spans three lines."""
    [finding] = findings_of(report, "duplicate-id")
    extra = replace(finding, line=40, column=3, end_line=42, end_column=7)
    findings = sorted([*report.result.findings, extra])
    return replace(report, result=replace(report.result, findings=findings))


def truth(report: Report) -> list[Place]:
    return [
        {
            "path": f.path,
            "line": f.line,
            "column": f.column,
            "end_line": f.end_line,
            "end_column": f.end_column,
        }
        for f in report.result.findings
        if f.suppression is None
    ]


def json_places(text: str) -> list[Place]:
    return [
        {name: finding[name] for name in ALL_FIELDS}
        for finding in json.loads(text)["findings"]
        if finding["suppressed"] is None
    ]


def sarif_places(text: str) -> list[Place]:
    places = []
    for result in json.loads(text)["runs"][0]["results"]:
        if "suppressions" in result:
            continue
        location = result["locations"][0]["physicalLocation"]
        region = location["region"]
        place = {
            "path": unquote(location["artifactLocation"]["uri"]),
            "line": region["startLine"],
            "column": region["startColumn"],
            "end_line": region["endLine"],
            "end_column": region["endColumn"],
        }
        places.append(place)
    return places


def github_places(text: str) -> list[Place]:
    names = {"file": "path", "line": "line", "col": "column"}
    names |= {"endLine": "end_line", "endColumn": "end_column"}
    places = []
    for line in text.splitlines():
        _, properties, _ = parse_command(line)
        place = {names[key]: value for key, value in properties.items() if key in names}
        places.append({k: v if k == "path" else int(v) for k, v in place.items()})
    return places


def junit_places(text: str) -> list[Place]:
    places = []
    for failure in ET.fromstring(text).iter("failure"):
        for line in (failure.text or "").splitlines():
            match = LISTING.match(line)
            assert match is not None, line
            place = {"path": match["path"], "line": int(match["line"])}
            places.append(place | {"column": int(match["column"])})
    return places


def gitlab_places(text: str) -> list[Place]:
    places = []
    for entry in json.loads(text):
        location = entry["location"]
        lines = location["lines"]
        place = {"path": location["path"], "line": lines["begin"]}
        places.append(place | {"end_line": lines["end"]})
    return places


def markdown_places(text: str) -> list[Place]:
    findings_table = text.split("### Findings by rule", 1)[0]
    places = []
    for match in MARKDOWN_LINK.finditer(findings_table):
        line = int(match["line"])
        end_line = line if match["end"] is None else int(match["end"])
        place = {"path": unquote(match["path"]), "line": line}
        places.append(place | {"end_line": end_line})
    return places


PARSERS = {
    "json": json_places,
    "sarif": sarif_places,
    "github": github_places,
    "junit": junit_places,
    "gitlab": gitlab_places,
    "markdown": markdown_places,
}


def sort_key(place: Place) -> tuple[str, int, int]:
    return (place["path"], place["line"], place.get("column", 0))


@pytest.mark.parametrize("name", sorted(PARSERS))
def test_positions_agree(spread: Report, name: str) -> None:
    places = sorted(PARSERS[name](FORMATS[name](spread)), key=sort_key)
    expected = sorted(truth(spread), key=sort_key)
    assert len(places) == len(expected)
    for place, true in zip(places, expected, strict=True):
        assert place == {key: true[key] for key in place}


def test_sample_covers_awkward_paths(spread: Report) -> None:
    paths = {place["path"] for place in truth(spread)}
    assert paths == {DOPT, DRAFT}
    assert len(truth(spread)) == 4


@pytest.mark.parametrize(
    ("name", "fields"),
    [
        ("json", ALL_FIELDS),
        ("sarif", ALL_FIELDS),
        ("github", ALL_FIELDS),
        ("junit", {"path", "line", "column"}),
        ("gitlab", {"path", "line", "end_line"}),
        ("markdown", {"path", "line", "end_line"}),
    ],
)
def test_single_line_fields(spread: Report, name: str, fields: set[str]) -> None:
    places = PARSERS[name](FORMATS[name](spread))
    one_line = [place for place in places if place["line"] != 40]
    assert len(one_line) == 3
    assert all(set(place) == fields for place in one_line)
