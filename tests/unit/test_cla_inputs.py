"""What the session loads for the cla check: .github/dco.yml, signatures, the event's people."""

from __future__ import annotations

import pytest

from contribution_gate.checks.cla.inputs import load, parse_dco_file
from contribution_gate.checks.cla.settings import DcoFile
from contribution_gate.errors import ConfigError
from contribution_gate.github.api import Account, CommitAccounts
from contribution_gate.github.events import target_of

BASE, HEAD = "a" * 40, "b" * 40


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", DcoFile()),
        ("# just enabling the app\n", DcoFile()),
        ("require:\n  members: false\n", DcoFile(require_members=False)),
        ("allowRemediationCommits:\n  individual: true\n", DcoFile(individual=True)),
        (
            "allowRemediationCommits:\n  individual: true\n  thirdParty: true\n",
            DcoFile(individual=True, third_party=True),
        ),
        ("allowRemediationCommits:\n  thirdParty: true\n", DcoFile()),  # third party needs individual
    ],
)
def test_dco_file_settings(text: str, expected: DcoFile) -> None:
    assert parse_dco_file(text.encode(), ".github/dco.yml (base abc)") == expected


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("require: [members\n", "invalid YAML"),
        ("- a list\n", "expected a mapping"),
        ("require: yes please\n", "must be mappings"),
        ("require:\n  members: 'no'\n", "require.members must be true or false"),
    ],
)
def test_bad_dco_files_name_the_file(text: str, says: str) -> None:
    with pytest.raises(ConfigError, match=rf"^\.github/dco\.yml \(base abc\): .*{says}"):
        parse_dco_file(text.encode(), ".github/dco.yml (base abc)")


def pull_request(association: str = "MEMBER", owner_type: str = "Organization") -> dict:
    return {
        "number": 12,
        "pull_request": {
            "number": 12,
            "author_association": association,
            "base": {"sha": BASE, "ref": "main"},
            "head": {"sha": HEAD},
            "user": {"login": "Mona", "id": 7},
        },
        "repository": {"id": 99, "full_name": "octo-org/project", "owner": {"login": "octo-org", "type": owner_type}},
    }


def test_off_mode_reads_nothing() -> None:
    asked: list[str] = []
    inputs = load({"mode": "off"}, lambda p: asked.append(p), "base", lambda p: asked.append(p), "base", None, {})
    assert asked == [] and inputs.dco_file is None


def test_dco_file_members_and_event_people() -> None:
    read = {".github/dco.yml": b"require:\n  members: false\n"}.get
    event = target_of(pull_request(), "pull_request")
    inputs = load({}, read, "base", read, "base", event, {})
    assert inputs.dco_file == DcoFile(require_members=False)
    assert inputs.members == frozenset({"mona"})
    assert inputs.pr_author == Account("Mona", 7)
    assert inputs.lookup is None  # no GITHUB_TOKEN
    outsider = load({}, read, "base", read, "base", target_of(pull_request("CONTRIBUTOR", "User"), "pull_request"), {})
    assert outsider.members == frozenset({"octo-org"})  # a user-owned repository: its owner


def test_signatures_are_read_only_in_cla_mode_and_named_when_bad() -> None:
    signed = {"signatures/cla.json": b'{"signedContributors": [{"name": "mona", "id": 7}]}'}.get
    inputs = load(
        {"mode": "cla", "signatures": "signatures/cla.json"},
        lambda p: None,
        "base abc",
        signed,
        "origin/main def",
        None,
        {},
    )
    assert [s.name for s in inputs.signatures] == ["mona"]
    assert inputs.signatures_source == "signatures/cla.json (origin/main def)"
    broken = {"signatures/version1/cla.json": b"{oops"}.get
    with pytest.raises(ConfigError, match=r"^signatures/version1/cla\.json \(base abc\): invalid JSON"):
        load({"mode": "cla"}, lambda p: None, "base abc", broken, "base abc", None, {})
    assert load({"mode": "dco"}, lambda p: None, "b", broken, "b", None, {}).signatures == ()


def test_token_enables_the_lookup_for_events_only() -> None:
    env = {"GITHUB_TOKEN": "t", "GITHUB_API_URL": "http://127.0.0.1:1"}
    event = target_of(pull_request(), "pull_request")
    lookup = load({"mode": "cla"}, lambda p: None, "b", lambda p: None, "b", event, env).lookup
    assert isinstance(lookup, CommitAccounts)
    assert (
        lookup.pull_request == 12
        and lookup.api.repository == "octo-org/project"
        and lookup.api.url == "http://127.0.0.1:1"
    )
    assert load({"mode": "cla"}, lambda p: None, "b", lambda p: None, "b", None, env).lookup is None
