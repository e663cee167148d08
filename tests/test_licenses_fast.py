"""The licenses check's fast matcher: the common texts and headers without ScanCode, ScanCode only
for what the fast matcher cannot vouch for, a note when ScanCode is not to be had, and agreement
with the real ScanCode (installed by the test extra) on the labelled corpus."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from licenses_cases import APACHE2, GPL3_PLUS, cases, commented, license_text

from contribution_gate.checks.licenses import fast, matching, scancode
from contribution_gate.checks.licenses.detect import NEEDS_SCANCODE, scancode_detections
from contribution_gate.resources import tomllib

if TYPE_CHECKING:
    from conftest import GitRepo, Run

PROJECT = Path(__file__).resolve().parent.parent
APACHE_PROJECT = '[licenses]\nproject = "Apache-2.0"\n'
MODULE = '"""Handlers."""\n\n\ndef handler(request):\n    return request\n'


def apache_header() -> str:
    return commented(["Copyright 2024 Example Corp.", "", *APACHE2])


def edited(text: str) -> str:
    """A license text with one sentence in its middle reworded: no exact copy of any rule."""
    lines = text.splitlines()
    middle = len(lines) // 2
    lines[middle] = lines[middle] + " Each copy must carry this sentence, added by the distributor."
    return "\n".join(lines) + "\n"


def review_json(gate_cmd: Callable[..., Run], root: Path, *args: str, mode: str | None = None) -> tuple[int, dict]:  # type: ignore[type-arg]
    env = {matching.ENV: mode} if mode else {}
    run = gate_cmd("review", *args, "--format", "json", cwd=root, env=env)
    assert run.code in (0, 1), run.err
    return run.code, json.loads(run.out)


@pytest.fixture
def no_mode() -> Iterator[None]:
    """The matcher setting as a user's environment has it: unset."""
    saved = os.environ.pop(matching.ENV, None)
    yield
    if saved is not None:
        os.environ[matching.ENV] = saved


# -- through the installed command ---------------------------------------------------------------


def test_a_commit_with_the_apache_header_passes_without_loading_scancode(
    based_repo: GitRepo, gate_cmd: Callable[..., Run], no_mode: None
) -> None:
    based_repo.commit_files("policy", {".contribution-gate.toml": APACHE_PROJECT})
    based_repo.add("src/handlers.py", apache_header() + MODULE)
    run = gate_cmd("review", "--staged", cwd=based_repo.root, env={"PYTHONPROFILEIMPORTTIME": "1"})
    assert run.code == 0, run.out + run.err
    imported = {line.rsplit("|", 1)[-1].strip() for line in run.err.splitlines() if line.startswith("import time:")}
    assert "contribution_gate.checks.licenses.fast" in imported  # the header was read ...
    assert not {m for m in imported if m.split(".")[0] in ("licensedcode", "scancode")}  # ... without ScanCode


def test_a_gpl_header_in_an_apache_project_is_an_error_without_scancode(
    based_repo: GitRepo, gate_cmd: Callable[..., Run]
) -> None:
    based_repo.commit_files("policy", {".contribution-gate.toml": APACHE_PROJECT})
    based_repo.add("src/tool.py", "#!/usr/bin/env python3\n" + commented(GPL3_PLUS) + MODULE)
    code, report = review_json(gate_cmd, based_repo.root, "--staged", mode="never")
    assert code == 1
    (finding,) = report["findings"]
    assert (finding["rule"], finding["severity"], finding["path"], finding["line"]) == (
        "incompatible-license",
        "error",
        "src/tool.py",
        2,
    )
    assert "GPL-3.0-or-later" in finding["message"] and "Apache-2.0" in finding["message"]


def test_common_license_files_are_judged_without_scancode(based_repo: GitRepo, gate_cmd: Callable[..., Run]) -> None:
    based_repo.commit_files("policy", {".contribution-gate.toml": APACHE_PROJECT})
    based_repo.add("vendor/a/LICENSE", "MIT License\n\nCopyright (c) 2016 Jane Roe\n\n" + license_text("mit"))
    based_repo.add("vendor/b/COPYING", license_text("agpl-3.0"))
    based_repo.add("vendor/c/LICENSE.txt", edited(license_text("bsd-new")))  # an edited copy: approximate
    code, report = review_json(gate_cmd, based_repo.root, "--staged", mode="never")
    assert code == 1
    found = sorted((f["path"], f["rule"], f["severity"]) for f in report["findings"])
    assert found == [("vendor/b/COPYING", "incompatible-license", "error")]
    assert "AGPL-3.0-only" in report["findings"][0]["message"]


def test_an_unknown_license_text_is_a_note_without_scancode_and_scancode_identifies_it(
    based_repo: GitRepo, gate_cmd: Callable[..., Run], no_mode: None
) -> None:
    based_repo.commit_files("policy", {".contribution-gate.toml": APACHE_PROJECT})
    based_repo.add("vendor/q/LICENSE", edited(license_text("qpl-1.0")))  # not one of the common texts
    code, report = review_json(gate_cmd, based_repo.root, "--staged", mode="never")
    (note,) = report["findings"]
    assert code == 0 and (note["rule"], note["severity"], note["path"]) == (
        "license-needs-scancode",
        "note",
        "vendor/q/LICENSE",
    )
    assert "contribution-gate[scancode]" in json.dumps(note)
    code, report = review_json(gate_cmd, based_repo.root, "--staged")  # ScanCode installed: it decides
    assert [f["rule"] for f in report["findings"]] != ["license-needs-scancode"]
    assert any("QPL-1.0" in f["message"] for f in report["findings"]), report["findings"]


def test_scancode_s_answer_is_remembered_so_the_next_review_does_not_load_it(
    based_repo: GitRepo, gate_cmd: Callable[..., Run], no_mode: None, tmp_path: Path
) -> None:
    """A text only ScanCode identifies costs its index once per machine: the next review of the
    same text (here, or in another repository) reads the answer from the user's cache."""
    based_repo.commit_files("policy", {".contribution-gate.toml": APACHE_PROJECT})
    based_repo.add("vendor/q/LICENSE", edited(license_text("qpl-1.0")))
    env = {
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "CONTRIBUTION_GATE_SCANCODE_CACHE": "",
        "PYTHONPROFILEIMPORTTIME": "1",
    }
    reports = []
    for _ in range(2):
        run = gate_cmd("review", "--staged", "--format", "json", cwd=based_repo.root, env=env)
        assert run.code in (0, 1), run.err
        imported = {line.rsplit("|", 1)[-1].strip() for line in run.err.splitlines() if line.startswith("import time:")}
        reports.append((json.loads(run.out)["findings"], "licensedcode.cache" in imported))
    (first, loaded_first), (second, loaded_second) = reports
    assert loaded_first and not loaded_second  # the second review never imported ScanCode's index
    assert first == second and any("QPL-1.0" in f["message"] for f in second)
    assert (tmp_path / "cache" / "contribution-gate" / "license-detections.sqlite3").is_file()


def test_the_inventory_lists_a_text_that_needed_scancode(based_repo: GitRepo, gate_cmd: Callable[..., Run]) -> None:
    based_repo.commit_files("policy", {".contribution-gate.toml": APACHE_PROJECT})
    based_repo.add("vendor/q/LICENSE", edited(license_text("qpl-1.0")))
    based_repo.add("src/handlers.py", apache_header() + MODULE)
    run = gate_cmd("licenses", "--staged", "--format", "json", cwd=based_repo.root, env={matching.ENV: "never"})
    assert run.code == 0, run.err
    rows = {(e["path"], e["expression"], e["verdict"]) for e in json.loads(run.out)["licenses"]}
    assert ("src/handlers.py", "Apache-2.0", "pass") in rows
    assert any(path == "vendor/q/LICENSE" and verdict == "unreadable" for path, _, verdict in rows), rows


def test_a_bad_matcher_setting_fails_the_review_naming_it(based_repo: GitRepo, gate_cmd: Callable[..., Run]) -> None:
    based_repo.add("src/handlers.py", apache_header() + MODULE)
    run = gate_cmd("review", "--staged", cwd=based_repo.root, env={matching.ENV: "sometimes"})
    assert run.code == 1 and "Traceback" not in run.err
    assert f"{matching.ENV} must be one of auto, never, always" in run.out


# -- agreement with the real ScanCode -------------------------------------------------------------


def detections(lines: list[tuple[int, str]], name: str, whole: bool, mode: str) -> set[tuple[str, bool]] | None:
    os.environ[matching.ENV] = mode
    try:
        found = scancode_detections(lines, name, whole)
    finally:
        del os.environ[matching.ENV]
    if any(d.source == NEEDS_SCANCODE for d in found):
        return None
    strong = {d.expression for d in found if d.strong}  # the check keeps no weak copy of a strong match
    return {(d.expression, d.strong) for d in found if d.strong or d.expression not in strong}


def test_the_fast_matcher_agrees_with_scancode_or_defers_on_the_labelled_corpus() -> None:
    from contribution_gate.checks.licenses.text import is_license_file, lines_for_scancode
    from contribution_gate.checks.textkinds import kind_of
    from contribution_gate.model import AddedLine

    compared = deferred = 0
    wrong = []
    for case in cases():
        added = [AddedLine(i + 1, t) for i, t in enumerate(case.text.splitlines())]
        if is_license_file(case.path):
            lines, whole = [(a.lineno, a.text) for a in added], True
        else:
            lowered = "\n".join(a.text.lower() for a in added)
            lines, whole = lines_for_scancode(added, lowered, kind_of(case.path)), False
        if not lines:
            continue
        ours = detections(lines, case.path, whole, "never")
        if ours is None:
            deferred += 1
            continue
        compared += 1
        theirs = detections(lines, case.path, whole, "always")
        if ours != theirs:
            wrong.append((case.id, ours, theirs))
    assert scancode.loaded()  # the comparison ran the real ScanCode
    assert not wrong
    assert compared >= 40 and deferred <= compared // 10


@pytest.mark.parametrize(
    "rule",
    ["apache-2.0_7.RULE", "gpl-3.0-plus_30.RULE", "bsd-new_143.RULE", "mit_14.RULE", "lgpl-2.1-plus_4.RULE"],
)
def test_scancode_rules_as_headers_match_as_scancode_matches_them(rule: str) -> None:
    data = Path(scancode.__file__).parent  # our module; ScanCode's data comes from licensedcode
    del data
    import licensedcode

    text = (Path(licensedcode.__file__).parent / "data" / "rules" / rule).read_text(encoding="utf-8")
    body = text.split("---", 2)[2].strip("\n") if text.startswith("---") else text
    lines = [(i + 10, "# " + t) for i, t in enumerate(body.splitlines())]
    found = fast.scan_lines(lines)
    assert found is not None and any(m.rule == rule for f in found for m in f.matches)
    assert detections(lines, "src/a.py", False, "never") == detections(lines, "src/a.py", False, "always")


# -- data, install split -------------------------------------------------------------------------


def test_the_reference_data_comes_from_the_installed_scancode() -> None:
    """`benchmarks/make_license_refs.py` regenerates it; a ScanCode upgrade must come with it."""
    import gzip
    import importlib.metadata

    for name in (fast.RULES, fast.TEXTS):
        with open(PROJECT / "config" / name, "rb") as handle:
            about = json.loads(gzip.decompress(handle.read()))
        assert about["scancode"] == importlib.metadata.version("scancode-toolkit-mini")
        assert about["license"] == "CC-BY-4.0" and "nexB" in about["about"]


def test_the_plain_install_has_no_scancode_and_the_action_installs_it() -> None:
    project = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert not [d for d in project["dependencies"] if re.match(r"scancode|pluggy", d)]
    extras = project["optional-dependencies"]
    assert any(d.startswith("scancode-toolkit-mini") for d in extras["scancode"])
    assert extras["full"] == ["contribution-gate[scancode]"] and "contribution-gate[scancode]" in extras["test"]
    assert '"$GATE_ACTION_PATH[full]"' in (PROJECT / "action.yml").read_text(encoding="utf-8")
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    assert "python3 -m venv .venv && .venv/bin/pip install . && .venv/bin/contribution-gate demo" in readme


def test_the_demo_shows_the_same_without_scancode(tmp_path: Path, gate_cmd: Callable[..., Run]) -> None:
    """The README's first command installs without ScanCode: the demo must not need it."""
    shown = []
    for mode in ("never", "always"):
        run = gate_cmd("demo", "--no-color", cwd=tmp_path, env={matching.ENV: mode})
        assert run.code == 1, run.err
        shown.append(sorted(re.findall(r"(?m)^(error|warning|note) \[([\w-]+)/([\w-]+)\] (\S+)$", run.out)))
    assert shown[0] == shown[1]
    assert ("error", "licenses", "incompatible-license", "models/support-bot/README.md:2") in shown[0]


# -- hostile input ---------------------------------------------------------------------------------


def _seconds(lines: list[tuple[int, str]]) -> float:
    started = time.perf_counter()
    fast.scan_lines(lines)
    return time.perf_counter() - started


@pytest.mark.parametrize(
    "phrase",
    [
        "This program is free software; you can redistribute it and/or modify",
        "Licensed under the Apache License, Version 2.0 (the License) licensed under",
        "Redistribution and use in source and binary forms, with or without",
    ],
)
def test_the_matcher_is_linear_in_repeated_license_phrases(phrase: str) -> None:
    fast.refs()
    small = [(i + 1, f"# {phrase} {i % 7}") for i in range(300)]
    large = [(i + 1, f"# {phrase} {i % 7}") for i in range(3000)]
    _seconds(small)
    ratio = _seconds(large) / max(_seconds(small), 1e-3)
    assert ratio < 30, ratio  # quadratic would be 100
    assert sys.getrecursionlimit()  # (no recursion in the matcher)


def test_scancode_reads_each_file_as_itself_when_names_repeat(
    based_repo: GitRepo, gate_cmd: Callable[..., Run]
) -> None:
    """ScanCode caches a text by its path: two files of one name must not share a matched text
    (the second file's quoted label was judged with the first file's words, so it declared one)."""
    based_repo.commit_files("policy", {".contribution-gate.toml": APACHE_PROJECT})
    for i in range(4):  # in path order, whatever threads the review shares them among
        based_repo.add(f"m{i}/a/tool.py", "# Licensed under the MIT License.\n" + MODULE)
        based_repo.add(
            f"m{i}/b/tool.py",
            '# license policy: we never take "GPL version 2 or (at your option) later versions" code\n',
        )
    for mode in ("always", "never"):
        code, report = review_json(gate_cmd, based_repo.root, "--staged", mode=mode)
        assert code == 0 and not [f for f in report["findings"] if "/b/" in f["path"]], (mode, report["findings"])


def test_an_edited_license_text_is_that_license_unless_the_edit_speaks_of_licensing() -> None:
    lines = license_text("gpl-3.0").splitlines()
    middle = len(lines) // 2

    def read(added: str) -> list[tuple[str, float]] | None:
        text = [*lines[:middle], added, *lines[middle:]]
        found = fast.scan_lines([(i + 1, t) for i, t in enumerate(text)], whole_file=True)
        return None if found is None else [(m.rule, m.score) for f in found for m in f.matches]

    (only,) = read("This paragraph was added by the packager to thank everybody involved.") or [()]
    assert only[0] == "gpl-3.0.LICENSE" and 99 < only[1] < 100  # not GPL-3.0 with its "or later" notice
    assert read("You may not use or distribute this program for any commercial purpose whatsoever.") is None


_APPROXIMATE = """
import json, sys
from licenses_cases import license_text
from contribution_gate.checks.licenses import fast
lines = license_text("bsd-new").splitlines()
text = [*lines[:5], "Edited by the packager, who thanks everybody involved.", *lines[5:]]
found = fast.scan_lines([(i + 1, t) for i, t in enumerate(text)], whole_file=True)
print(json.dumps(None if found is None else [(m.rule, m.score) for f in found for m in f.matches]))
"""


def test_the_full_texts_index_is_kept_between_runs_and_reads_the_same(tmp_path: Path) -> None:
    """The approximate matcher's index of the full texts is built once and kept in the user's
    cache: a later process (another string hash salt) reads it back and matches the same."""
    tests = str(Path(__file__).parent)
    answers = []
    for salt in ("1", "2", "3"):
        env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path), "PYTHONHASHSEED": salt, "PYTHONPATH": tests}
        proc = subprocess.run([sys.executable, "-c", _APPROXIMATE], env=env, capture_output=True, text=True, check=True)
        answers.append(json.loads(proc.stdout))
        (kept,) = (tmp_path / "contribution-gate" / "data").glob(f"{fast.TEXTS}.shingles.*.marshal")
        if salt == "2":
            kept.write_bytes(b"\x00damaged")  # a damaged copy is built again, never trusted
    assert answers[0] and answers[0][0][0].startswith("bsd-new") and answers[0] == answers[1] == answers[2]
