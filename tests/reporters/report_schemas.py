"""The report formats as their consumers define them, for the tests: GitLab's Code Quality schemas
and the JUnit XSD (schemas/junit.xsd).

GitLab Code Quality, two schemas, both GitLab's: the one its parser validates each object with
(gitlab-org/gitlab `app/validators/json_schemas/codeclimate.json`, copied below), and the report
format its documentation requires (docs.gitlab.com/ci/testing/code_quality, "Code Quality report
format": a single JSON array of objects with `description`, `check_name`, `fingerprint`, `severity`
in info/minor/major/critical/blocker, `location.path` relative to the repository, and the line as
an integer in `location.lines.begin` or `location.positions.begin.line`; no byte-order mark).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
from lxml import etree

# gitlab-org/gitlab app/validators/json_schemas/codeclimate.json: what GitLab's parser accepts
GITLAB_PARSER_ITEM: dict[str, Any] = {
    "description": "Codequality used by codeclimate parser",
    "type": "object",
    "required": ["description", "fingerprint", "severity", "location"],
    "properties": {
        "description": {"type": "string"},
        "fingerprint": {"type": "string"},
        "severity": {"type": "string"},
        "location": {
            "type": "object",
            "properties": {
                "path": {"type": "string"},
                "lines": {"type": "object", "properties": {"begin": {"type": "integer"}}},
                "positions": {
                    "type": "object",
                    "properties": {"begin": {"type": "object", "properties": {"line": {"type": "integer"}}}},
                },
            },
        },
    },
    "additionalProperties": True,
}
# docs.gitlab.com, Code Quality report format: the properties every object must have
DOCUMENTED_ITEM: dict[str, Any] = {
    "type": "object",
    "required": ["description", "check_name", "fingerprint", "severity", "location"],
    "properties": {
        "description": {"type": "string", "minLength": 1},
        "check_name": {"type": "string", "minLength": 1},
        "fingerprint": {"type": "string", "minLength": 1},
        "severity": {"enum": ["info", "minor", "major", "critical", "blocker"]},
        "location": {
            "type": "object",
            "required": ["path"],
            "properties": {"path": {"type": "string", "minLength": 1, "not": {"pattern": "^(\\./|/)"}}},
            "anyOf": [
                {
                    "required": ["lines"],
                    "properties": {
                        "lines": {
                            "type": "object",
                            "required": ["begin"],
                            "properties": {"begin": {"type": "integer", "minimum": 1}},
                        }
                    },
                },
                {
                    "required": ["positions"],
                    "properties": {
                        "positions": {
                            "type": "object",
                            "required": ["begin"],
                            "properties": {
                                "begin": {
                                    "type": "object",
                                    "required": ["line"],
                                    "properties": {"line": {"type": "integer", "minimum": 1}},
                                }
                            },
                        }
                    },
                },
            ],
        },
    },
}
REPORT = {"type": "array", "items": {"allOf": [GITLAB_PARSER_ITEM, DOCUMENTED_ITEM]}}


def validate_gitlab(text: str) -> list[dict[str, Any]]:
    assert not text.startswith("\ufeff")
    issues: list[dict[str, Any]] = json.loads(text)
    jsonschema.Draft7Validator.check_schema(REPORT)
    jsonschema.validate(issues, REPORT, cls=jsonschema.Draft7Validator)
    fingerprints = [issue["fingerprint"] for issue in issues]
    assert len(fingerprints) == len(set(fingerprints)), "GitLab shows one finding per fingerprint"
    return issues


JUNIT_XSD = etree.XMLSchema(etree.parse(str(Path(__file__).parent / "schemas" / "junit.xsd")))


def validate_junit(text: str) -> ET.Element:
    """`text` parsed and checked against the JUnit XSD, its counts against its test cases."""
    document = etree.fromstring(text.encode("utf-8"))
    JUNIT_XSD.assertValid(document)
    root = ET.fromstring(text)
    assert root.tag == "testsuites"
    for suite in root.iter("testsuite"):
        cases = suite.findall("testcase")
        assert int(suite.get("tests", "-1")) == len(cases)
        assert int(suite.get("failures", "-1")) == sum(1 for c in cases if c.find("failure") is not None)
        assert int(suite.get("errors", "-1")) == sum(1 for c in cases if c.find("error") is not None)
    assert int(root.get("tests", "-1")) == len(list(root.iter("testcase")))
    return root
