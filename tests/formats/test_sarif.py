"""SARIF: the log validates against the SARIF 2.1.0 schema and carries every field."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from jsonschema import Draft4Validator

from karmalint import __version__
from karmalint.finding import Severity
from karmalint.formats import HOMEPAGE, Report, sarif

from .conftest import DOPT, DRAFT, FORMAT_FIXTURES, SUPPRESSION, findings_of
from .uris import format_checker, is_uri, is_uri_reference

SCHEMA = json.loads(
    (FORMAT_FIXTURES / "sarif-schema-2.1.0.json").read_text(encoding="utf-8")
)


def render(report: Report) -> dict[str, Any]:
    log: dict[str, Any] = json.loads(sarif.render(report))
    return log


def validation_errors(log: dict[str, Any]) -> list[str]:
    validator = Draft4Validator(SCHEMA, format_checker=format_checker())
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator.iter_errors(log)
    ]


def result_at(log: dict[str, Any], path: str, line: int) -> dict[str, Any]:
    for result in log["runs"][0]["results"]:
        location = result["locations"][0]["physicalLocation"]
        uri = unquote(location["artifactLocation"]["uri"])
        if uri == path and location["region"]["startLine"] == line:
            return dict(result)
    raise AssertionError(f"no result at {path}:{line}")


def test_schema_itself_is_draft4() -> None:
    Draft4Validator.check_schema(SCHEMA)


def test_log_validates(report: Report) -> None:
    assert validation_errors(render(report)) == []


def test_uri_checker_rejects_unencoded() -> None:
    assert not is_uri_reference("team a/dopt.yaml")
    assert not is_uri_reference("dor-é.yaml")
    assert not is_uri_reference("100%.yaml")
    assert not is_uri("team%20a/dopt.yaml")
    assert is_uri_reference("team%20a/dopt.yaml")


def test_invalid_log_fails_validation(report: Report) -> None:
    log = render(report)
    log["runs"][0]["results"][0]["level"] = "fatal"
    log["runs"][0]["tool"]["driver"]["rules"][0]["helpUri"] = "not a uri"
    assert len(validation_errors(log)) == 2


def test_driver(report: Report) -> None:
    driver = render(report)["runs"][0]["tool"]["driver"]
    assert driver["name"] == "karmalint"
    assert driver["version"] == __version__
    assert driver["informationUri"] == HOMEPAGE
    ids = [rule["id"] for rule in driver["rules"]]
    assert ids == sorted(report.rules)


def test_rule_descriptor(report: Report) -> None:
    driver = render(report)["runs"][0]["tool"]["driver"]
    [rule] = [r for r in driver["rules"] if r["id"] == "publisher-from-ministry"]
    policy_rule = report.rules["publisher-from-ministry"]
    assert rule["name"] == "PublisherFromMinistry"
    assert rule["shortDescription"]["text"] == policy_rule.summary
    assert policy_rule.basis in rule["fullDescription"]["text"]
    assert policy_rule.fix in rule["help"]["text"]
    assert rule["helpUri"] == (
        f"{HOMEPAGE}/blob/main/docs/rules.md#publisher-from-ministry"
    )
    assert rule["defaultConfiguration"] == {"level": "error", "enabled": True}
    assert rule["properties"] == {"suppressible": False}


def test_rule_index_points_at_rule(report: Report) -> None:
    run = render(report)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_result_fields(report: Report) -> None:
    result = result_at(render(report), DOPT, 17)
    [finding] = findings_of(report, "publisher-from-ministry")
    assert result["ruleId"] == "publisher-from-ministry"
    assert result["level"] == "error"
    assert result["message"] == {"text": finding.message}
    assert result["partialFingerprints"] == {"karmalint/v1": finding.fingerprint}
    assert "suppressions" not in result


def test_location_is_percent_encoded(report: Report) -> None:
    result = result_at(render(report), DRAFT, 8)
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {
        "uri": "drafts%2C%20old/dor-%C3%A9.yaml",
        "uriBaseId": "%SRCROOT%",
    }
    assert location["region"] == {
        "startLine": 8,
        "startColumn": 12,
        "endLine": 8,
        "endColumn": 13,
    }


def test_related_locations(report: Report) -> None:
    result = result_at(render(report), DOPT, 23)
    [related] = result["relatedLocations"]
    assert related["id"] == 1
    assert related["message"] == {"text": "first declaration"}
    location = related["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "team%20a/dopt%20rights.yaml"
    assert location["region"]["startLine"] == 19


def test_suppressed_result(report: Report) -> None:
    result = result_at(render(report), DOPT, 21)
    [suppression] = result["suppressions"]
    assert suppression["kind"] == "inSource"
    assert suppression["justification"] == SUPPRESSION.reason
    assert suppression["properties"] == {"until": "2025-03-31"}
    region = suppression["location"]["physicalLocation"]["region"]
    assert region == {"startLine": 20}


def test_info_is_note(report: Report) -> None:
    findings = [replace(f, severity=Severity.INFO) for f in report.result.findings]
    info = replace(report, result=replace(report.result, findings=findings))
    levels = {result["level"] for result in render(info)["runs"][0]["results"]}
    assert levels == {"note"}


def test_original_uri_base_ids(report: Report, tmp_path: Path) -> None:
    run = render(report)["runs"][0]
    assert "uri" not in run["originalUriBaseIds"]["%SRCROOT%"]
    rooted = render(replace(report, root=str(tmp_path / "my repo")))
    base = rooted["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]
    assert base["uri"].startswith("file:///")
    assert base["uri"].endswith("/my%20repo/")
    assert validation_errors(rooted) == []


def test_columns_are_code_points(report: Report) -> None:
    assert render(report)["runs"][0]["columnKind"] == "unicodeCodePoints"


@pytest.mark.parametrize("path", ["/abs/x y.yaml", "../outside/z.yaml"])
def test_paths_outside_root(report: Report, path: str) -> None:
    findings = [replace(f, path=path) for f in report.result.findings]
    moved = replace(report, result=replace(report.result, findings=findings))
    log = render(moved)
    assert validation_errors(log) == []
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    uri = location["artifactLocation"]["uri"]
    assert unquote(uri).endswith(path)


def test_unknown_rule_gets_descriptor(report: Report) -> None:
    rules = {k: v for k, v in report.rules.items() if k != "duplicate-id"}
    log = render(replace(report, rules=rules))
    ids = [rule["id"] for rule in log["runs"][0]["tool"]["driver"]["rules"]]
    assert "duplicate-id" in ids
    assert validation_errors(log) == []
