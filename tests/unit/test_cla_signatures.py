"""CLA signature files in CLA Assistant Lite's format: parsing, bad files, and format-keeping appends."""

from __future__ import annotations

import json

import pytest

from contribution_gate.checks.cla.signatures import DEFAULT_PHRASE, Signature, append, has_signed, parse
from contribution_gate.checks.cla.signing import sign
from contribution_gate.errors import ConfigError, GateError

# As CLA Assistant Lite writes it: JSON.stringify(content, null, 2), no final newline.
LITE = json.dumps(
    {
        "signedContributors": [
            {
                "name": "octocat",
                "id": 583231,
                "comment_id": 11,
                "created_at": "2024-01-02T03:04:05Z",
                "repoId": 9,
                "pullRequestNo": 1,
            },
            {
                "name": "hubot",
                "id": 2,
                "comment_id": 12,
                "created_at": "2024-01-03T03:04:05Z",
                "repoId": 9,
                "pullRequestNo": 2,
            },
        ]
    },
    indent=2,
)
NEW = {
    "name": "monalisa",
    "id": 7,
    "comment_id": 99,
    "created_at": "2025-05-05T05:05:05Z",
    "repoId": 9,
    "pullRequestNo": 3,
}


def test_parse_lite_file_and_email_extension() -> None:
    assert parse(LITE, "cla.json") == (Signature("octocat", 583231), Signature("hubot", 2))
    extended = '{"signedContributors": [{"name": "ada", "id": 5, "emails": ["Ada@Example.com"]}]}'
    assert parse(extended, "cla.json") == (Signature("ada", 5, ("ada@example.com",)),)
    assert parse("", "cla.json") == ()


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("{not json", "invalid JSON"),
        ("[]", "not a CLA signatures file"),
        ('{"signed": []}', "not a CLA signatures file"),
        ('{"signedContributors": {}}', "not a CLA signatures file"),
        ('{"signedContributors": ["octocat"]}', r"signedContributors\[0\] is not an object"),
        ('{"signedContributors": [{"id": 1}]}', r"signedContributors\[0\] has no \"name\""),
        ('{"signedContributors": [{"name": "a", "id": "1"}]}', "numeric GitHub account id"),
        ('{"signedContributors": [{"name": "a", "emails": "a@b.c"}]}', "list of email addresses"),
    ],
)
def test_bad_files_name_the_file(text: str, says: str) -> None:
    with pytest.raises(ConfigError, match=rf"^sigs/cla\.json \(base abc\): .*{says}"):
        parse(text, "sigs/cla.json (base abc)")


def test_has_signed_prefers_the_account_id() -> None:
    signers = (Signature("octocat", 583231), Signature("legacy"))
    assert has_signed(signers, "OctoCat", 583231)
    assert has_signed(signers, "renamed", 583231)  # a renamed account keeps its id
    assert not has_signed(signers, "octocat", 1)  # same login, another account
    assert has_signed(signers, "legacy", 3)  # an entry without an id matches by login
    assert not has_signed(signers, "nobody", None)


def test_append_keeps_layout_order_and_is_idempotent() -> None:
    updated = append(LITE, NEW, "cla.json")
    assert updated is not None
    assert updated == json.dumps({"signedContributors": [*json.loads(LITE)["signedContributors"], NEW]}, indent=2)
    assert updated.startswith(LITE[: LITE.rindex("}\n  ]")])  # the existing entries are byte for byte the same
    assert append(updated, NEW, "cla.json") is None
    assert append(updated, {**NEW, "name": "renamed"}, "cla.json") is None


@pytest.mark.parametrize(
    "text",
    [
        json.dumps({"signedContributors": [{"name": "a", "id": 1}]}, indent=4) + "\n",
        json.dumps({"signedContributors": [{"name": "a", "id": 1}]}, separators=(",", ":")),
        '{\n\t"signedContributors": [\n\t\t{\n\t\t\t"name": "Zo\\u00eb",\n\t\t\t"id": 1\n\t\t}\n\t]\n}\n',
    ],
)
def test_append_keeps_indentation_separators_escapes_and_final_newline(text: str) -> None:
    updated = append(text, NEW, "cla.json")
    assert updated is not None
    data = json.loads(updated)
    assert [e["name"] for e in data["signedContributors"]] == [
        json.loads(text)["signedContributors"][0]["name"],
        "monalisa",
    ]
    first_entry = text[: text.index("}")]
    assert updated.startswith(first_entry)
    assert updated.endswith("\n") == text.endswith("\n")


def test_append_to_a_new_file() -> None:
    updated = append("", NEW, "cla.json")
    assert updated is not None and updated.endswith("}\n")
    assert json.loads(updated) == {"signedContributors": [NEW]}


def comment_event(body: str, *, action: str = "created", on_pr: bool = True, user_type: str = "User") -> dict:
    issue = {"number": 3, **({"pull_request": {"url": "https://api.github.com/repos/o/r/pulls/3"}} if on_pr else {})}
    return {
        "action": action,
        "issue": issue,
        "comment": {
            "id": 99,
            "body": body,
            "created_at": "2025-05-05T05:05:05Z",
            "user": {"login": "monalisa", "id": 7, "type": user_type},
        },
        "repository": {"id": 9, "full_name": "o/r"},
    }


def test_sign_records_the_commenter_once() -> None:
    outcome = sign(comment_event(f"  {DEFAULT_PHRASE.lower()}\n"), "issue_comment", DEFAULT_PHRASE, LITE, "cla.json")
    assert outcome.signed and outcome.login == "monalisa"
    assert outcome.text is not None
    assert json.loads(outcome.text)["signedContributors"][-1] == NEW
    again = sign(comment_event(DEFAULT_PHRASE), "issue_comment", DEFAULT_PHRASE, outcome.text, "cla.json")
    assert not again.signed and "already signed" in again.message


@pytest.mark.parametrize(
    ("event", "says"),
    [
        (comment_event("LGTM"), "not the signing phrase"),
        (comment_event(DEFAULT_PHRASE + " please"), "not the signing phrase"),
        (comment_event(DEFAULT_PHRASE, action="edited"), "only new comments sign"),
        (comment_event(DEFAULT_PHRASE, on_pr=False), "not on a pull request"),
        (comment_event(DEFAULT_PHRASE, user_type="Bot"), "bots do not sign"),
    ],
)
def test_sign_ignores_other_comments(event: dict, says: str) -> None:
    outcome = sign(event, "issue_comment", DEFAULT_PHRASE, LITE, "cla.json")
    assert not outcome.signed and outcome.text is None
    assert says in outcome.message


def test_sign_needs_an_issue_comment_event() -> None:
    with pytest.raises(GateError, match="needs an issue_comment event"):
        sign({"pull_request": {}}, "pull_request", DEFAULT_PHRASE, LITE, "cla.json")
