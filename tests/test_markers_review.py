"""Inline allow markers through `contribution-gate review` on real repositories: a marker covers its
own line and the checks it names, and no marked copy of a value hides an unmarked one."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest
import tokens
from tokens import rand, secret_line

if TYPE_CHECKING:
    from conftest import GitRepo, Run

Gate = Callable[..., "Run"]
ZONE = "corp.acme-payments.io"


def review(gate: Gate, repo: GitRepo, *target: str) -> tuple[int, dict[str, Any]]:
    run = gate("review", *target, "--format", "json", "-C", repo.root)
    assert run.code in (0, 1), run.output
    return run.code, run.json()


def found(data: dict[str, Any]) -> list[tuple[str, int, str]]:
    return [(f["path"], f["line"], f["severity"]) for f in data["findings"]]


def test_a_marked_copy_does_not_hide_an_unmarked_copy_in_the_same_file(based_repo: GitRepo, gate: Gate) -> None:
    secret = tokens.openai_key()
    text = secret_line("A", secret, "  # gitleaks:allow") + secret_line("B", secret)
    based_repo.add("app.py", text)
    code, data = review(gate, based_repo, "--staged")
    assert code == 1
    # each copy is a finding of its own: the marked one is a note, the unmarked one fails
    assert sorted(found(data)) == [("app.py", 1, "note"), ("app.py", 2, "error")]
    based_repo.commit("both copies")
    code, data = review(gate, based_repo, "--all-files")
    assert code == 1 and ("app.py", 2, "error") in found(data)
    code, data = review(gate, based_repo, "--range", "HEAD~1..HEAD")
    assert code == 1 and sorted(found(data)) == [("app.py", 1, "note"), ("app.py", 2, "error")]


def test_the_unmarked_copy_comes_first_or_last_alike(based_repo: GitRepo, gate: Gate) -> None:
    secret = tokens.github_token()
    based_repo.add("app.py", secret_line("A", secret) + secret_line("B", secret, "  # pragma: allowlist secret"))
    code, data = review(gate, based_repo, "--staged")
    assert code == 1 and sorted(found(data)) == [("app.py", 1, "error"), ("app.py", 2, "note")]


def test_a_marker_removed_in_a_later_commit_leaves_the_secret_counted(based_repo: GitRepo, gate: Gate) -> None:
    secret = tokens.openai_key()
    base = based_repo.sha()
    based_repo.commit_files("marked", {"app.py": "x = 1\n" + secret_line("KEY", secret, "  # gitleaks:allow")})
    based_repo.commit_files("unmarked", {"app.py": "x = 1\n" + secret_line("KEY", secret)})
    code, data = review(gate, based_repo, "--range", f"{base}..HEAD")
    assert code == 1
    (finding,) = data["findings"]
    assert (finding["path"], finding["severity"]) == ("app.py", "error")


def test_a_marker_added_in_a_later_commit_does_not_excuse_the_unmarked_commit(based_repo: GitRepo, gate: Gate) -> None:
    secret = tokens.openai_key()
    base = based_repo.sha()
    first = based_repo.commit_files("unmarked", {"app.py": secret_line("KEY", secret)})
    based_repo.commit_files("marked", {"app.py": secret_line("KEY", secret, "  # gitleaks:allow")})
    code, data = review(gate, based_repo, "--range", f"{base}..HEAD")
    assert code == 1
    assert [(f["commit"], f["severity"]) for f in data["findings"]] == [(first, "error")]


def _key_block(marker: str = "") -> str:
    body = [rand(64, tokens._B64) for _ in range(4)]
    return "\n".join(["-----BEGIN " + "RSA PRIVATE KEY-----" + marker, *body, "-----END " + "RSA PRIVATE KEY-----"])


def test_a_marker_removed_from_a_key_block_later_in_the_range_counts(based_repo: GitRepo, gate: Gate) -> None:
    """The later commit re-adds only the BEGIN line, which alone is no finding: the file as the range
    leaves it is read again, and the key is there without its marker."""
    marked = _key_block("  # contribution-gate: allow[secrets]")
    base = based_repo.sha()
    based_repo.commit_files("marked key", {"deploy/id_rsa": marked + "\n"})
    code, data = review(gate, based_repo, "--range", f"{base}..HEAD")
    assert code == 0 and found(data) == [("deploy/id_rsa", 1, "note")]
    based_repo.commit_files(
        "unmarked", {"deploy/id_rsa": marked.replace("  # contribution-gate: allow[secrets]", "") + "\n"}
    )
    code, data = review(gate, based_repo, "--range", f"{base}..HEAD")
    assert code == 1
    (finding,) = data["findings"]
    assert finding["severity"] == "error" and "removed by a later commit" in finding["message"]
    # a later commit that leaves the marked line alone keeps the allowance
    based_repo.commit_files("restore", {"deploy/id_rsa": marked + "\n"})
    based_repo.commit_files("elsewhere", {"deploy/README.md": "keys for the test rig\n"})
    code, data = review(gate, based_repo, "--range", "HEAD~2..HEAD")
    assert code == 0, data


@pytest.mark.parametrize(
    ("marker", "named_in_message"),
    [
        ("  # contribution-gate: allow[]", True),
        ("  # contribution-gate: allow[internal-urls", True),
        ("  # contribution-gate: allow[secret]", True),
        ("  # contribution-gate: allow[secrets,]", True),
        ("  # contribution-gate: allow [internal-urls]", False),
        ("  # contribution-gate: allowed to keep", False),
        ("  # contribution-gate: allow-everything", False),
    ],
)
def test_a_malformed_or_foreign_marker_allows_nothing(
    based_repo: GitRepo, gate: Gate, marker: str, named_in_message: bool
) -> None:
    based_repo.add("app.py", secret_line("KEY", tokens.openai_key(), marker))
    code, data = review(gate, based_repo, "--staged")
    assert code == 1
    (finding,) = data["findings"]
    assert finding["severity"] == "error"
    assert ("the inline marker allows nothing" in finding["message"]) is named_in_message


def test_a_marker_covers_its_own_line_and_the_checks_it_names(based_repo: GitRepo, gate: Gate) -> None:
    based_repo.commit_files("policy", {".contribution-gate.toml": f'[internal-urls]\ndomains = ["{ZONE}"]\n'})
    url = f"https://ci.{ZONE}/job"
    marked = (
        f'URL = "{url}"  # contribution-gate: allow[internal-urls]\n'
        f'KEY = "{tokens.openai_key()}"; URL2 = "{url}/2"  # contribution-gate: allow[internal-urls]\n'
    )
    based_repo.add("app.py", marked)
    code, data = review(gate, based_repo, "--staged")
    assert code == 1
    assert sorted((f["check"], f["line"], f["severity"]) for f in data["findings"]) == [
        ("internal-urls", 1, "note"),
        ("secrets", 2, "error"),
    ]
    # the same host once more on an unmarked line: that copy is the one that counts
    based_repo.add("app.py", marked + f'OTHER = "{url}/3"\n')
    code, data = review(gate, based_repo, "--staged")
    assert sorted((f["check"], f["line"], f["severity"]) for f in data["findings"]) == [
        ("internal-urls", 3, "error"),
        ("secrets", 2, "error"),
    ]
