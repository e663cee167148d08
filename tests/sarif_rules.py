"""GitHub code scanning's documented rules for an uploaded SARIF file, as a checker for the tests.

From docs.github.com, "SARIF support for code scanning" (github/docs: content/code-security/code-scanning/
integrating-with-code-scanning/sarif-support-for-code-scanning.md and data/reusables/code-scanning/
sarif-limits.md): the properties marked required, with no empty string; `artifactLocation.uri` a path
relative to the repository root; `region.startLine` present (Microsoft's GitHub ingestion rules
GH1001/GH1003: a location with a URI, startLine >= 1); at most 25,000 results and rules per run,
20 tags per rule, 10 locations shown; names up to 255 and descriptions up to 1,024 characters. A result
without a location makes the whole upload fail ("locationFromSarifResult: expected at least one location").
"""

from __future__ import annotations

import re
from typing import Any

# RFC 3986 URI reference characters (unreserved, reserved, and percent escapes)
URI_REFERENCE = re.compile(r"(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})+")

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def github_upload_problems(log: dict[str, Any]) -> list[str]:
    problems: list[str] = []

    def need(ok: object, what: str) -> None:
        if not ok:
            problems.append(what)

    def text(obj: Any, what: str, limit: int | None = None) -> None:
        value = obj.get("text") if isinstance(obj, dict) else None
        need(isinstance(value, str) and value.strip(), f"{what}.text is required")
        if limit is not None and isinstance(value, str):
            need(len(value) <= limit, f"{what}.text is over {limit} characters")

    need(isinstance(log.get("$schema"), str) and log["$schema"].startswith("https://"), "$schema")
    need(log.get("version") == "2.1.0", "version")
    runs = log.get("runs")
    need(isinstance(runs, list) and 1 <= len(runs) <= 20, "runs[]")
    for r, run in enumerate(runs or []):
        driver = run.get("tool", {}).get("driver", {})
        need(isinstance(driver.get("name"), str) and driver["name"], f"runs[{r}].tool.driver.name")
        rules, results = driver.get("rules"), run.get("results")
        need(isinstance(rules, list) and len(rules) <= 25_000, f"runs[{r}].tool.driver.rules[]")
        need(isinstance(results, list) and len(results) <= 25_000, f"runs[{r}].results[]")
        for i, rule in enumerate(rules or []):
            where = f"runs[{r}].rules[{i}]"
            need(isinstance(rule.get("id"), str) and rule["id"], f"{where}.id")
            need(len(rule.get("name", "")) <= 255, f"{where}.name is over 255 characters")
            text(rule.get("shortDescription"), f"{where}.shortDescription", 1024)
            text(rule.get("fullDescription"), f"{where}.fullDescription", 1024)
            text(rule.get("help"), f"{where}.help")
            need(len(rule.get("properties", {}).get("tags", [])) <= 20, f"{where}: more than 20 tags")
        for i, result in enumerate(results or []):
            where = f"runs[{r}].results[{i}]"
            text(result.get("message"), f"{where}.message")
            need(result.get("partialFingerprints"), f"{where}.partialFingerprints")
            index = result.get("ruleIndex")
            need(
                isinstance(index, int) and 0 <= index < len(rules or []) and rules[index]["id"] == result.get("ruleId"),
                f"{where}.ruleIndex",
            )
            locations = result.get("locations")
            need(isinstance(locations, list) and 1 <= len(locations) <= 10, f"{where}.locations[]: 1 to 10")
            for j, location in enumerate(locations or []):
                physical = location.get("physicalLocation", {})
                uri = physical.get("artifactLocation", {}).get("uri")
                at = f"{where}.locations[{j}].physicalLocation"
                need(isinstance(uri, str) and uri, f"{at}.artifactLocation.uri is required")
                if isinstance(uri, str) and uri:
                    need(URI_REFERENCE.fullmatch(uri), f"{at}: {uri!r} is not a URI reference")
                    need(not _SCHEME.match(uri) and not uri.startswith("/"), f"{at}: {uri!r} is not relative")
                    segments = uri.split("/")
                    need(".." not in segments and "." not in segments and uri[-1] != "/", f"{at}: {uri!r} is no file")
                region = physical.get("region", {})
                start = region.get("startLine")
                need(isinstance(start, int) and start >= 1, f"{at}.region.startLine >= 1 is required")
                if isinstance(start, int):
                    end = region.get("endLine", start)
                    need(isinstance(end, int) and end >= start, f"{at}.region.endLine")
    return problems
