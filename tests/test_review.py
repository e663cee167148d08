"""The review on real repositories: which findings a change gets, where, and the verdict."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import tokens
from tokens import secret_line

from contribution_gate import checks
from contribution_gate.config import Config
from contribution_gate.git import Repository, collect, resolve_target
from contribution_gate.model import FileChange, Finding, Severity, Target
from contribution_gate.policy import Outcome
from contribution_gate.review import Review, run_review
from contribution_gate.session import load_policy

if TYPE_CHECKING:
    from conftest import GitRepo


def review_of(
    root: Path,
    *,
    staged: bool = False,
    range_spec: str | None = None,
    all_files: bool = False,
    only: tuple[str, ...] = (),
    config: Path | None = None,
) -> Review:
    """Repository -> target -> policy (from the base, as the CLI does) -> review."""
    repository = Repository(root)
    target = resolve_target(repository, staged, range_spec, all_files)
    policy = load_policy(repository, target, config)
    return run_review(target, collect(repository, target), policy, only)


def where(review: Review) -> list[tuple[str, str, int | None, int | None, str | None, str]]:
    """(rule, path, line, end line, commit, outcome) of every judged finding."""
    return [
        (j.finding.rule, j.finding.path, j.finding.line, j.finding.end_line, j.finding.commit, j.outcome.value)
        for j in review.judged
    ]


def assert_redacted(secret: str, excerpt: str) -> None:
    assert secret not in excerpt
    assert secret[:4] + "****" in excerpt
    assert not [piece for piece in tokens.secret_fragments(secret, 5) if piece in excerpt]


# -- the index --------------------------------------------------------------------------------


def test_clean_staged_change_passes(based_repo: GitRepo) -> None:
    based_repo.add("src/util.py", "def add(a, b):\n    return a + b\n")
    review = review_of(based_repo.root, staged=True)
    assert review.verdict == "pass" and review.passed
    assert review.judged == ()
    assert review.checks[0].name == "secrets"
    assert {(c.status, c.findings, c.error) for c in review.checks} == {("pass", 0, None)}
    assert review.files == 1 and review.commits == 0
    assert review.target == Target("staged", based_repo.sha(), None)


def test_secret_in_a_staged_new_file_fails(based_repo: GitRepo) -> None:
    secret = tokens.openai_key()
    based_repo.add("src/llm.py", '"""Client."""\n\n' + secret_line("OPENAI_API_KEY", secret))
    review = review_of(based_repo.root, staged=True)
    assert review.verdict == "fail"
    assert where(review) == [("openai-api-key", "src/llm.py", 3, 3, None, "fail")]
    finding = review.judged[0].finding
    assert finding.check == "secrets" and finding.severity is Severity.ERROR
    assert_redacted(secret, finding.excerpt)
    assert secret not in finding.fingerprint and secret not in finding.message
    assert [(c.name, c.status, c.findings) for c in review.checks if c.status != "pass"] == [("secrets", "fail", 1)]


def test_secret_in_a_staged_edit_has_the_new_line_number(based_repo: GitRepo) -> None:
    secret = tokens.github_token()
    based_repo.commit_files("config", {"settings.py": "".join(f"OPTION_{n} = {n}\n" for n in range(10))})
    lines = [f"OPTION_{n} = {n}\n" for n in range(10)]
    lines.insert(6, "# the token for the release bot\n")
    lines.insert(7, secret_line("RELEASE_TOKEN", secret))
    based_repo.add("settings.py", "".join(lines))
    review = review_of(based_repo.root, staged=True)
    assert where(review) == [("github-token", "settings.py", 8, 8, None, "fail")]
    assert_redacted(secret, review.judged[0].finding.excerpt)


def test_secret_already_in_the_base_is_not_the_change_s_finding(based_repo: GitRepo) -> None:
    secret = tokens.openai_key()
    body = "".join(f"value_{n} = {n}\n" for n in range(12))
    based_repo.commit_files(
        "old leak", {"legacy.py": secret_line("KEY", secret) + body, "gone.py": secret_line("K", secret)}
    )
    based_repo.add("legacy.py", secret_line("KEY", secret) + body + "extra = 1\n")  # edit another line
    based_repo.git("rm", "-q", "gone.py")  # deletion of a file that holds a secret
    review = review_of(based_repo.root, staged=True)
    assert review.verdict == "pass"
    assert review.judged == ()
    assert review.files == 2


def test_renamed_file_only_edited_lines_are_reviewed(based_repo: GitRepo) -> None:
    secret, fresh = tokens.openai_key(), tokens.github_token()
    body = [f"value_{n} = {n}\n" for n in range(20)]
    based_repo.commit_files("old leak", {"old/place.py": secret_line("KEY", secret) + "".join(body)})
    based_repo.mv("old/place.py", "new place/pl\u00e4ce.py")
    body[15] = secret_line("BOT_TOKEN", fresh)
    based_repo.add("new place/pl\u00e4ce.py", secret_line("KEY", secret) + "".join(body))
    review = review_of(based_repo.root, staged=True)
    assert where(review) == [("github-token", "new place/pl\u00e4ce.py", 17, 17, None, "fail")]


def test_binary_file_holding_a_token_has_no_findings(based_repo: GitRepo) -> None:
    based_repo.add("model.bin", b"\x00\x01GGUF\x00" + tokens.openai_key().encode() + b"\n\x00")
    review = review_of(based_repo.root, staged=True)
    assert review.verdict == "pass"
    assert review.judged == ()


def test_crlf_file_finding(based_repo: GitRepo) -> None:
    secret = tokens.openai_key()
    based_repo.write("win.env", f"LOG=info\r\nOPENAI_API_KEY={secret}\r\n", newline="")
    based_repo.stage("win.env")
    review = review_of(based_repo.root, staged=True)
    assert where(review) == [("openai-api-key", "win.env", 2, 2, None, "fail")]
    excerpt = review.judged[0].finding.excerpt
    assert "\r" not in excerpt
    assert excerpt == "OPENAI_API_KEY=" + secret[:4] + "****"


def test_latin1_file_finding(based_repo: GitRepo) -> None:
    secret = tokens.openai_key()
    based_repo.add("legacy.ini", f"# caf\u00e9\ncl\u00e9 = {secret}\n".encode("latin-1"))
    review = review_of(based_repo.root, staged=True)
    assert where(review) == [("openai-api-key", "legacy.ini", 2, 2, None, "fail")]
    assert_redacted(secret, review.judged[0].finding.excerpt)


def test_unicode_path_with_spaces_finding(based_repo: GitRepo) -> None:
    secret = tokens.openai_key()
    based_repo.add("dir with space/\u00e9.py", secret_line("KEY", secret))
    review = review_of(based_repo.root, staged=True)
    assert where(review) == [("openai-api-key", "dir with space/\u00e9.py", 1, 1, None, "fail")]


def test_first_commit_of_a_repository(repo: GitRepo) -> None:
    secret = tokens.openai_key()
    repo.add("README.md", "# new\n")
    repo.add("app/keys.py", "\n" + secret_line("KEY", secret))
    review = review_of(repo.root)
    assert review.target == Target("staged", None, None)
    assert where(review) == [("openai-api-key", "app/keys.py", 2, 2, None, "fail")]


def test_temporary_index(based_repo: GitRepo, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    secret = tokens.openai_key()
    based_repo.write("src/app.py", "def main():\n" + "    " + secret_line("key", secret))
    index = tmp_path / "index.tmp"
    based_repo.git("read-tree", "HEAD", env={"GIT_INDEX_FILE": str(index)})
    based_repo.git("add", "src/app.py", env={"GIT_INDEX_FILE": str(index)})
    assert review_of(based_repo.root, staged=True).judged == ()
    monkeypatch.setenv("GIT_INDEX_FILE", str(index))
    assert where(review_of(based_repo.root, staged=True)) == [("openai-api-key", "src/app.py", 2, 2, None, "fail")]


# -- ranges -----------------------------------------------------------------------------------


def test_secret_from_a_side_branch_is_reported_at_the_side_commit(based_repo: GitRepo) -> None:
    secret = tokens.openai_key()
    base = based_repo.sha()
    side, merge = based_repo.merge_side_branch({"side.py": "import os\n" + secret_line("KEY", secret)})
    review = review_of(based_repo.root, range_spec=f"{base}..HEAD")
    assert review.target == Target("range", base, merge)
    assert where(review) == [("openai-api-key", "side.py", 2, 2, side, "fail")]
    assert review.commits == 3 and review.files == 2
    symmetric = review_of(based_repo.root, range_spec=f"{base}...{merge}")
    assert where(symmetric) == where(review)


def test_secret_added_then_removed_is_reported_once_where_it_began(based_repo: GitRepo) -> None:
    secret = tokens.openai_key()
    base = based_repo.sha()
    introduced = based_repo.commit_files(
        "add key", {"conf.py": "a = 1\nb = 2\n" + secret_line("KEY", secret) + "c = 3\n"}
    )
    based_repo.commit_files(
        "push it down", {"conf.py": "# header\n# more\na = 1\nb = 2\n" + secret_line("KEY", secret) + "c = 3\n"}
    )
    based_repo.commit_files("remove key", {"conf.py": "# header\n# more\na = 1\nb = 2\nc = 3\n"})
    review = review_of(based_repo.root, range_spec=f"{base}..HEAD")
    assert review.verdict == "fail"
    assert where(review) == [("openai-api-key", "conf.py", 3, 3, introduced, "fail")]
    assert review.commits == 3


def test_secret_kept_and_retouched_across_commits_is_reported_once(based_repo: GitRepo) -> None:
    secret = tokens.openai_key()
    base = based_repo.sha()
    first = based_repo.commit_files("add", {"keep.py": secret_line("KEY", secret) + "x = 1\n"})
    based_repo.commit_files("edit another line", {"keep.py": secret_line("KEY", secret) + "x = 2\n"})
    based_repo.commit_files("touch the line", {"keep.py": secret_line("KEY", secret, "  # still here") + "x = 2\n"})
    review = review_of(based_repo.root, range_spec=f"{base}..HEAD")
    assert where(review) == [("openai-api-key", "keep.py", 1, 1, first, "fail")]


def test_last_commit_is_reviewed_when_nothing_is_staged(based_repo: GitRepo) -> None:
    secret = tokens.openai_key()
    parent = based_repo.sha()
    head = based_repo.commit_files("leak", {"leak.py": secret_line("KEY", secret)})
    review = review_of(based_repo.root)
    assert review.target == Target("range", parent, head)
    assert where(review) == [("openai-api-key", "leak.py", 1, 1, head, "fail")]


def test_all_files_reviews_the_whole_tree(based_repo: GitRepo) -> None:
    secret = tokens.openai_key()
    old = based_repo.commit_files("old leak", {"old.py": "\n\n" + secret_line("KEY", secret)})
    head = based_repo.commit_files("later", {"later.txt": "clean\n"})
    assert review_of(based_repo.root).judged == ()  # the last commit alone is clean
    review = review_of(based_repo.root, all_files=True)
    assert old != head
    assert review.target == Target("all-files", None, head)
    assert where(review) == [("openai-api-key", "old.py", 3, 3, head, "fail")]
    assert review.files == 4


# -- policy -----------------------------------------------------------------------------------


def test_the_base_commit_s_config_judges_a_range(based_repo: GitRepo) -> None:
    based_repo.commit_files("policy", {".contribution-gate.toml": '[secrets]\nexclude-paths = ["vendor/**"]\n'})
    base = based_repo.sha()
    secret = tokens.openai_key()
    head = based_repo.commit_files(
        "loosen the gate and leak",
        {".contribution-gate.toml": '[secrets]\nexclude-paths = ["**"]\n', "app/leak.py": secret_line("KEY", secret)},
    )
    review = review_of(based_repo.root, range_spec=f"{base}..HEAD")
    assert review.config_source == f".contribution-gate.toml (base {base[:12]})"
    assert review.verdict == "fail"
    assert where(review) == [("openai-api-key", "app/leak.py", 1, 1, head, "fail")]
    # The default target (the last commit) is judged by its parent's policy too.
    assert where(review_of(based_repo.root)) == where(review)


def test_base_without_config_is_not_loosened_by_the_contribution(based_repo: GitRepo) -> None:
    base = based_repo.sha()
    secret = tokens.openai_key()
    based_repo.commit_files(
        "add a permissive pyproject",
        {
            "pyproject.toml": '[project]\nname = "x"\n\n[tool.contribution-gate.secrets]\nexclude-paths = ["**"]\n',
            "leak.py": secret_line("KEY", secret),
        },
    )
    review = review_of(based_repo.root, range_spec=f"{base}...HEAD")
    assert review.config_source == "built-in defaults"
    assert review.verdict == "fail"


def test_pyproject_tool_table_excludes_paths_in_a_staged_review(based_repo: GitRepo) -> None:
    based_repo.commit_files(
        "pyproject",
        {
            "pyproject.toml": '[project]\nname = "demo"\n\n[tool.contribution-gate.secrets]\nexclude-paths = ["tests/fixtures/**", "*.snap"]\n'
        },
    )
    secret = tokens.openai_key()
    based_repo.add("tests/fixtures/creds.py", secret_line("KEY", secret))
    based_repo.add("ui/view.snap", secret_line("KEY", secret))
    based_repo.add("src/real.py", secret_line("KEY", secret))
    review = review_of(based_repo.root, staged=True)
    assert review.config_source == "pyproject.toml (working tree)"
    assert where(review) == [("openai-api-key", "src/real.py", 1, 1, None, "fail")]
    based_repo.git("rm", "-q", "--cached", "src/real.py")
    assert review_of(based_repo.root, staged=True).verdict == "pass"


def test_own_config_file_wins_over_pyproject(based_repo: GitRepo) -> None:
    based_repo.write("pyproject.toml", '[tool.contribution-gate.secrets]\nexclude-paths = ["**"]\n')
    based_repo.write(".contribution-gate.toml", "[secrets]\nexclude-paths = []\n")
    based_repo.add("leak.py", secret_line("KEY", tokens.openai_key()))
    review = review_of(based_repo.root, staged=True)
    assert review.config_source == ".contribution-gate.toml (working tree)"
    assert review.verdict == "fail"


def test_explicit_config_file_wins(based_repo: GitRepo, tmp_path: Path) -> None:
    explicit = tmp_path / "gate.toml"
    explicit.write_text('[secrets]\nexclude-paths = ["leak.py"]\n', encoding="utf-8")
    based_repo.add("leak.py", secret_line("KEY", tokens.openai_key()))
    review = review_of(based_repo.root, staged=True, config=explicit)
    assert review.config_source == str(explicit)
    assert review.verdict == "pass"


def test_disabled_secrets_check_runs_nothing(based_repo: GitRepo) -> None:
    based_repo.write(".contribution-gate.toml", '[checks]\nenabled = ["licenses"]\n')
    based_repo.add("leak.py", secret_line("KEY", tokens.openai_key()))
    review = review_of(based_repo.root, staged=True)
    assert [c.name for c in review.checks] == ["licenses"]
    assert review.verdict == "pass"
    assert review_of(based_repo.root, staged=True, only=("secrets",)).verdict == "fail"


@pytest.mark.parametrize(
    "marker",
    [
        "  # pragma: allowlist secret",
        "  # gitleaks:allow",
        "  # contribution-gate: allow",
        "  # contribution-gate: allow[secrets]",
        "  # contribution-gate: allow[internal-urls, secrets]",
    ],
)
def test_inline_markers_suppress_a_secret(based_repo: GitRepo, marker: str) -> None:
    secret = tokens.openai_key()
    based_repo.add("tests/test_client.py", "import client\n" + secret_line("KEY", secret, marker))
    review = review_of(based_repo.root, staged=True)
    assert review.verdict == "pass"
    assert where(review) == [("openai-api-key", "tests/test_client.py", 2, 2, None, "suppressed")]
    assert review.judged[0].finding.severity is Severity.NOTE
    assert {(c.status, c.findings) for c in review.checks} == {("pass", 0)}


def test_marker_for_another_check_does_not_suppress_a_secret(based_repo: GitRepo) -> None:
    secret = tokens.openai_key()
    based_repo.add("app.py", secret_line("KEY", secret, "  # contribution-gate: allow[internal-urls]"))
    review = review_of(based_repo.root, staged=True)
    assert review.verdict == "fail"
    assert where(review) == [("openai-api-key", "app.py", 1, 1, None, "fail")]
    assert review.judged[0].finding.severity is Severity.ERROR


def test_marker_on_another_line_does_not_suppress(based_repo: GitRepo) -> None:
    secret = tokens.openai_key()
    based_repo.add("app.py", "# pragma: allowlist secret\n" + secret_line("KEY", secret))
    assert where(review_of(based_repo.root, staged=True)) == [("openai-api-key", "app.py", 2, 2, None, "fail")]


# -- fail closed ------------------------------------------------------------------------------


class _Crashing:
    """A check that raises: the review must fail closed, not pass silently."""

    ID = "crashing"

    def __init__(self, where: str) -> None:
        self.where = where

    def options(self, table: Mapping[str, Any], setup: Any = None) -> None:
        return None

    def scan_file(self, change: FileChange, opts: Any) -> Iterator[Finding]:
        if self.where == "file":
            raise RuntimeError(f"detector exploded on {change.path}")
        return iter(())

    def scan_commits(self, commits: Any, opts: Any) -> Iterator[Finding]:
        if self.where == "commits":
            raise ValueError("cannot read commits")
        return iter(())


@pytest.mark.parametrize(
    ("crash_in", "reason"),
    [("file", "RuntimeError: detector exploded on clean.py"), ("commits", "ValueError: cannot read commits")],
)
def test_a_check_that_raises_fails_the_review(
    based_repo: GitRepo, monkeypatch: pytest.MonkeyPatch, crash_in: str, reason: str
) -> None:
    monkeypatch.setitem(checks.CHECKS, "crashing", _Crashing(crash_in))
    based_repo.add("clean.py", "x = 1\n")
    review = review_of(based_repo.root, staged=True, only=("secrets", "crashing"))
    assert review.verdict == "fail" and not review.passed
    assert [(c.name, c.status, c.error) for c in review.checks] == [
        ("secrets", "pass", None),
        ("crashing", "error", reason),
    ]
    assert [c.name for c in review.errors] == ["crashing"]


def test_a_check_whose_options_raise_fails_the_review(based_repo: GitRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    class BadOptions(_Crashing):
        def options(self, table: Mapping[str, Any], setup: Any = None) -> None:
            raise KeyError("threshold")

    monkeypatch.setitem(checks.CHECKS, "crashing", BadOptions("nowhere"))
    based_repo.add("clean.py", "x = 1\n")
    review = review_of(based_repo.root, staged=True, only=("crashing",))
    assert review.verdict == "fail"
    assert [(c.name, c.status) for c in review.checks] == [("crashing", "error")]
    assert "KeyError" in (review.checks[0].error or "")


def test_run_review_on_literal_changes_dedups_by_fingerprint() -> None:
    secret = tokens.openai_key()
    from contribution_gate.model import AddedLine

    changes = [
        FileChange("a.py", "A", commit="1" * 40, added=(AddedLine(4, f"K = '{secret}'"),)),
        FileChange("a.py", "M", commit="2" * 40, added=(AddedLine(9, f"K = '{secret}'  # again"),)),
        FileChange("b.py", "A", commit="2" * 40, added=(AddedLine(1, f"K = '{secret}'"),)),
    ]
    review = run_review(Target("range", "0" * 40, "2" * 40), changes, Config())
    assert where(review) == [
        ("openai-api-key", "a.py", 4, 4, "1" * 40, "fail"),
        ("openai-api-key", "b.py", 1, 1, "2" * 40, "fail"),
    ]
    assert review.judged[0].finding.fingerprint != review.judged[1].finding.fingerprint
    assert review.judged[0].outcome is Outcome.FAIL
