"""The git layer against real repositories: what each target yields, with true line numbers."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import tokens

from contribution_gate.errors import GitError
from contribution_gate.git import Repository, collect, resolve_target
from contribution_gate.model import AddedLine, Commit, FileChange, Target

if TYPE_CHECKING:
    from conftest import GitRepo

Git = Callable[..., str]


def items(root: Path, *, staged: bool = False, range_spec: str | None = None, all_files: bool = False):
    repository = Repository(root)
    target = resolve_target(repository, staged, range_spec, all_files)
    found = list(collect(repository, target))
    commits = [i for i in found if isinstance(i, Commit)]
    files = [i for i in found if isinstance(i, FileChange)]
    return target, commits, files


def staged_files(root: Path) -> dict[str, FileChange]:
    _, commits, files = items(root, staged=True)
    assert commits == []
    assert len({f.path for f in files}) == len(files)
    return {f.path: f for f in files}


def numbered(*pairs: tuple[int, str]) -> tuple[AddedLine, ...]:
    return tuple(AddedLine(n, t) for n, t in pairs)


# -- the index ------------------------------------------------------------------------------------


def test_staged_new_file(based_repo: GitRepo) -> None:
    based_repo.add("src/new.py", "import os\n\nVALUE = 1\n")
    files = staged_files(based_repo.root)
    assert list(files) == ["src/new.py"]
    change = files["src/new.py"]
    assert change.status == "A"
    assert change.commit is None
    assert change.old_path is None
    assert change.blob == based_repo.git("rev-parse", ":src/new.py").strip()
    assert change.added == numbered((1, "import os"), (2, ""), (3, "VALUE = 1"))
    assert not change.is_binary


def test_staged_edit_numbers_lines_as_the_new_version_has_them(based_repo: GitRepo) -> None:
    based_repo.commit_files("five lines", {"src/five.py": "one\ntwo\nthree\nfour\nfive\n"})
    based_repo.add("src/five.py", "one\ntwo\ninserted\nthree\nfour\nFIVE\nsix\n")
    change = staged_files(based_repo.root)["src/five.py"]
    assert change.status == "M"
    assert change.added == numbered((3, "inserted"), (6, "FIVE"), (7, "six"))


def test_staged_deletion_of_a_line_adds_nothing(based_repo: GitRepo) -> None:
    based_repo.add("src/app.py", "def main():\n")
    change = staged_files(based_repo.root)["src/app.py"]
    assert change.status == "M"
    assert change.added == ()


def test_staged_rename_counts_only_edited_lines(based_repo: GitRepo) -> None:
    body = [f"line_{n} = {n}" for n in range(1, 21)]
    based_repo.commit_files("twenty lines", {"pkg/old_name.py": "\n".join(body) + "\n"})
    based_repo.mv("pkg/old_name.py", "pkg/new_name.py")
    body[9] = "line_10 = 'edited'"
    based_repo.add("pkg/new_name.py", "\n".join(body) + "\n")
    files = staged_files(based_repo.root)
    assert list(files) == ["pkg/new_name.py"]
    change = files["pkg/new_name.py"]
    assert change.status == "R"
    assert change.old_path == "pkg/old_name.py"
    assert change.added == numbered((10, "line_10 = 'edited'"))
    assert change.blob == based_repo.git("rev-parse", ":pkg/new_name.py").strip()


def test_staged_deletion_of_a_file(based_repo: GitRepo) -> None:
    based_repo.git("rm", "-q", "src/app.py")
    change = staged_files(based_repo.root)["src/app.py"]
    assert change.status == "D"
    assert change.blob is None
    assert change.added == ()


def test_staged_binary_file(based_repo: GitRepo) -> None:
    payload = b"\x89PNG\r\n\x1a\n\x00\x00" + tokens.openai_key().encode() + b"\x00\xff"
    based_repo.add("assets/logo.png", payload)
    change = staged_files(based_repo.root)["assets/logo.png"]
    assert change.status == "A"
    assert change.is_binary
    assert change.added == ()
    assert change.blob == based_repo.git("rev-parse", ":assets/logo.png").strip()


def test_staged_crlf_lines_have_no_carriage_return(based_repo: GitRepo) -> None:
    based_repo.write("win/readme.txt", "first\r\nsecond\r\n", newline="")
    based_repo.stage("win/readme.txt")
    assert (based_repo.root / "win/readme.txt").read_bytes() == b"first\r\nsecond\r\n"
    change = staged_files(based_repo.root)["win/readme.txt"]
    assert change.added == numbered((1, "first"), (2, "second"))
    assert all("\r" not in line.text for line in change.added)


def test_staged_latin1_file_is_text_with_replacement_characters(based_repo: GitRepo) -> None:
    based_repo.add("legacy/notes.txt", "caf\u00e9 cr\u00e8me\nplain ascii\n".encode("latin-1"))
    change = staged_files(based_repo.root)["legacy/notes.txt"]
    assert not change.is_binary
    assert change.added == numbered((1, "caf\ufffd cr\ufffdme"), (2, "plain ascii"))


def test_staged_paths_with_spaces_and_non_ascii_letters(based_repo: GitRepo) -> None:
    based_repo.add("dir with space/\u00e9.py", "x = 1\n")
    based_repo.add("\u00fcber/na\u00efve file.txt", "y\n")
    files = staged_files(based_repo.root)
    assert sorted(files) == ["dir with space/\u00e9.py", "\u00fcber/na\u00efve file.txt"]
    assert files["dir with space/\u00e9.py"].added == numbered((1, "x = 1"))
    assert files["\u00fcber/na\u00efve file.txt"].status == "A"


def test_staged_rename_between_paths_with_spaces_and_non_ascii(based_repo: GitRepo) -> None:
    body = "".join(f"value_{n} = {n}\n" for n in range(12))
    based_repo.commit_files("unicode", {"dir with space/\u00e9.py": body})
    based_repo.mv("dir with space/\u00e9.py", "other dir/\u00fc \u00f1.py")
    based_repo.add("other dir/\u00fc \u00f1.py", body + "tail = 1\n")
    change = staged_files(based_repo.root)["other dir/\u00fc \u00f1.py"]
    assert change.status == "R"
    assert change.old_path == "dir with space/\u00e9.py"
    assert change.added == numbered((13, "tail = 1"))


def test_path_with_a_quote_and_a_tab_is_unquoted(based_repo: GitRepo) -> None:
    name = 'odd "name"\twith tab.txt'
    based_repo.add(name, "z\n")
    assert list(staged_files(based_repo.root)) == [name]


def test_first_commit_without_head(repo: GitRepo) -> None:
    repo.add("README.md", "# first\n")
    repo.add("src/a.py", "a = 1\nb = 2\n")
    repository = Repository(repo.root)
    assert repository.head() is None
    target = resolve_target(repository, False, None, False)
    assert target == Target("staged", None, None)
    files = staged_files(repo.root)
    assert sorted(files) == ["README.md", "src/a.py"]
    assert files["src/a.py"].status == "A"
    assert files["src/a.py"].added == numbered((1, "a = 1"), (2, "b = 2"))


def test_temporary_index_from_git_index_file(
    based_repo: GitRepo, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """`git commit -a` and `git commit <path>` run hooks against a temporary index."""
    based_repo.write("src/app.py", "def main():\n    return 1\n")
    index = tmp_path / "temporary-index"
    env = {"GIT_INDEX_FILE": str(index)}
    based_repo.git("read-tree", "HEAD", env=env)
    based_repo.git("add", "src/app.py", env=env)
    assert staged_files(based_repo.root) == {}  # the real index holds nothing new
    monkeypatch.setenv("GIT_INDEX_FILE", str(index))
    files = staged_files(based_repo.root)
    assert list(files) == ["src/app.py"]
    assert files["src/app.py"].added == numbered((2, "    return 1"))
    assert files["src/app.py"].blob == based_repo.git("rev-parse", ":src/app.py", env=env).strip()


# -- ranges ---------------------------------------------------------------------------------------


def test_range_lists_commits_oldest_first_with_their_files(based_repo: GitRepo) -> None:
    base = based_repo.sha()
    first = based_repo.commit_files("Add one\n\nSigned-off-by: A <a@example.com>", {"one.txt": "1\n"})
    second = based_repo.commit_files("Add two", {"two.txt": "2\n", "one.txt": "1\nmore\n"})
    target, commits, files = items(based_repo.root, range_spec=f"{base}..HEAD")
    assert target == Target("range", base, second)
    assert [c.sha for c in commits] == [first, second]
    assert commits[0].parents == (base,)
    assert commits[0].author_name == "Test Contributor"
    assert commits[0].author_email == "contributor@example.com"
    assert commits[0].message.startswith("Add one\n\nSigned-off-by: A <a@example.com>")
    assert [(f.commit, f.path, f.status, f.added) for f in files] == [
        (first, "one.txt", "A", numbered((1, "1"))),
        (second, "one.txt", "M", numbered((2, "more"))),
        (second, "two.txt", "A", numbered((1, "2"))),
    ]


def test_range_with_a_merge_commit(based_repo: GitRepo) -> None:
    base = based_repo.sha()
    side, merge = based_repo.merge_side_branch({"side.py": "token = 1\n"})
    main_commit = based_repo.sha(f"{merge}^1")
    target, commits, files = items(based_repo.root, range_spec=f"{base}..HEAD")
    assert target == Target("range", base, merge)
    assert {c.sha for c in commits} == {side, main_commit, merge}
    assert commits[-1].sha == merge and commits[-1].is_merge
    assert commits[-1].parents == (main_commit, side)
    assert sorted((f.commit, f.path) for f in files) == sorted([(side, "side.py"), (main_commit, "main.py")])
    assert not [f for f in files if f.commit == merge]


def test_symmetric_range_starts_at_the_merge_base(based_repo: GitRepo) -> None:
    fork = based_repo.sha()
    based_repo.checkout("-b", "feature")
    feature = based_repo.commit_files("feature", {"feature.py": "f = 1\n"})
    based_repo.checkout("main")
    main_tip = based_repo.commit_files("main moves on", {"main.py": "m = 1\n"})

    target, commits, files = items(based_repo.root, range_spec="main...feature")
    assert target == Target("range", fork, feature)
    assert [c.sha for c in commits] == [feature]
    assert [(f.commit, f.path) for f in files] == [(feature, "feature.py")]

    with pytest.raises(GitError, match=r"main \(\w+\) is not an ancestor of feature .* --range main\.\.\.feature"):
        items(based_repo.root, range_spec="main..feature")  # diverged: the error says to use the merge base
    assert main_tip != fork


def test_range_without_head_means_head(based_repo: GitRepo) -> None:
    base = based_repo.sha()
    head = based_repo.commit_files("more", {"x.txt": "x\n"})
    target, _, _ = items(based_repo.root, range_spec=f"{base}..")
    assert target == Target("range", base, head)


def test_range_renames_and_unicode_paths_in_log(based_repo: GitRepo) -> None:
    body = "".join(f"row {n}\n" for n in range(15))
    base = based_repo.commit_files("data", {"data/old.txt": body})
    based_repo.mv("data/old.txt", "data files/n\u00e9w.txt")
    based_repo.add("data files/n\u00e9w.txt", body.replace("row 7\n", "row seven\n"))
    head = based_repo.commit("rename")
    _, _, files = items(based_repo.root, range_spec=f"{base}..HEAD")
    assert [(f.commit, f.path, f.status, f.old_path, f.added) for f in files] == [
        (head, "data files/n\u00e9w.txt", "R", "data/old.txt", numbered((8, "row seven"))),
    ]


# -- no target ------------------------------------------------------------------------------------


def test_default_is_staged_when_something_is_staged(based_repo: GitRepo) -> None:
    based_repo.add("new.txt", "n\n")
    target, _, files = items(based_repo.root)
    assert target == Target("staged", based_repo.sha(), None)
    assert [f.path for f in files] == ["new.txt"]


def test_default_is_the_last_commit_when_nothing_is_staged(based_repo: GitRepo) -> None:
    parent = based_repo.sha()
    head = based_repo.commit_files("last", {"last.txt": "l\n"})
    based_repo.write("untracked.txt", "u\n")  # neither staged nor tracked
    target, commits, files = items(based_repo.root)
    assert target == Target("range", parent, head)
    assert [c.sha for c in commits] == [head]
    assert [(f.commit, f.path) for f in files] == [(head, "last.txt")]


def test_default_is_the_root_commit_in_a_one_commit_repository(repo: GitRepo) -> None:
    root = repo.commit_files("root", {"a.txt": "a\n", "b/c.txt": "c\n"})
    target, commits, files = items(repo.root)
    assert target == Target("range", None, root)
    assert [(c.sha, c.parents) for c in commits] == [(root, ())]
    assert sorted((f.commit, f.path, f.status) for f in files) == [(root, "a.txt", "A"), (root, "b/c.txt", "A")]


# -- all files ------------------------------------------------------------------------------------


def test_all_files_lists_every_tracked_file_at_head(based_repo: GitRepo) -> None:
    based_repo.commit_files("more", {"docs/guide.md": "# guide\ntext\n", "logo.bin": b"\x00\x01\x02"})
    based_repo.git("rm", "-q", "README.md")
    head = based_repo.commit("drop readme")
    based_repo.write("untracked.py", "u = 1\n")
    based_repo.add("staged-only.py", "s = 1\n")
    target, commits, files = items(based_repo.root, all_files=True)
    assert target == Target("all-files", None, head)
    assert commits == []
    tracked = based_repo.git("ls-tree", "-r", "--name-only", "HEAD").split()
    assert sorted(f.path for f in files) == sorted(tracked) == ["docs/guide.md", "logo.bin", "src/app.py"]
    by_path = {f.path: f for f in files}
    assert all(f.commit == head and f.status == "A" for f in files)
    assert by_path["docs/guide.md"].added == numbered((1, "# guide"), (2, "text"))
    assert by_path["logo.bin"].is_binary and by_path["logo.bin"].added == ()


def test_all_files_needs_a_commit(repo: GitRepo) -> None:
    with pytest.raises(GitError, match="--all-files needs a commit"):
        resolve_target(Repository(repo.root), False, None, True)


# -- errors ---------------------------------------------------------------------------------------


def test_not_a_git_repository(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    with pytest.raises(GitError, match="is not inside a git repository"):
        Repository(plain)


def test_missing_directory_is_not_blamed_on_git(tmp_path: Path) -> None:
    with pytest.raises(GitError) as error:
        Repository(tmp_path / "does-not-exist")
    assert "not installed" not in str(error.value)
    assert "does-not-exist" in str(error.value)


@pytest.mark.parametrize("spec", ["no-such-branch..HEAD", "HEAD..no-such-branch", "no-such-branch...HEAD"])
def test_unknown_ref(based_repo: GitRepo, spec: str) -> None:
    with pytest.raises(GitError, match="unknown revision 'no-such-branch'"):
        resolve_target(Repository(based_repo.root), False, spec, False)


@pytest.mark.parametrize("spec", ["HEAD", "..HEAD"])
def test_malformed_range(based_repo: GitRepo, spec: str) -> None:
    with pytest.raises(GitError, match="is not BASE..HEAD"):
        resolve_target(Repository(based_repo.root), False, spec, False)


def test_symmetric_range_without_common_ancestor(based_repo: GitRepo) -> None:
    based_repo.checkout("--orphan", "island")
    based_repo.git("rm", "-rq", "--cached", ".")
    based_repo.commit_files("island", {"island.txt": "i\n"})
    with pytest.raises(GitError, match="no common ancestor"):
        resolve_target(Repository(based_repo.root), False, "main...island", False)


def test_shallow_clone_says_how_to_fetch_the_base(based_repo: GitRepo, git: Git, tmp_path: Path) -> None:
    based_repo.commit_files("second", {"two.txt": "2\n"})
    base = based_repo.sha("HEAD~1")
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{based_repo.root}", str(clone))
    repository = Repository(clone)
    assert repository.is_shallow()
    for spec in ("HEAD~1..HEAD", f"{base}..HEAD"):
        with pytest.raises(GitError) as error:
            resolve_target(repository, False, spec, False)
        assert "shallow clone" in str(error.value)
        assert "git fetch" in str(error.value) and "fetch-depth: 0" in str(error.value)


def test_show_reads_a_file_at_a_commit(based_repo: GitRepo) -> None:
    repository = Repository(based_repo.root)
    head = based_repo.sha()
    assert repository.show(head, "README.md") == b"# project\n"
    assert repository.show(head, "missing.toml") is None


def test_user_config_cannot_change_what_is_parsed(based_repo: GitRepo) -> None:
    for key, value in (
        ("color.ui", "always"),
        ("color.diff", "always"),
        ("diff.noprefix", "true"),
        ("diff.mnemonicPrefix", "true"),
        ("diff.external", "false"),
        ("core.quotePath", "true"),
        ("diff.renames", "false"),
        ("diff.relative", "true"),
        ("diff.interHunkContext", "10"),
        ("diff.suppressBlankEmpty", "true"),
        ("diff.context", "5"),
    ):
        based_repo.git("config", "--local", key, value)
    base = based_repo.sha()
    head = based_repo.commit_files("unicode", {"caf\u00e9/\u00e9.py": "v = 1\n\nw = 1\nx = 1\ny = 1\n"})
    _, _, files = items(based_repo.root, range_spec=f"{base}..HEAD")
    assert [(f.commit, f.path, f.added[0]) for f in files] == [(head, "caf\u00e9/\u00e9.py", AddedLine(1, "v = 1"))]
    based_repo.add("caf\u00e9/\u00e9.py", "v = 2\n\nw = 1\nx = 1\ny = 2\n")
    assert staged_files(based_repo.root)["caf\u00e9/\u00e9.py"].added == numbered((1, "v = 2"), (5, "y = 2"))
    second = based_repo.commit("two hunks")
    _, _, files = items(based_repo.root, range_spec=f"{head}..HEAD")
    assert [(f.commit, f.added) for f in files] == [(second, numbered((1, "v = 2"), (5, "y = 2")))]


def test_context_lines_count_toward_line_numbers(based_repo: GitRepo) -> None:
    """The parser numbers lines right on any unified diff, context included (`git diff -U3`)."""
    from contribution_gate.diff import parse_diff

    old = "".join(f"line {n}\n" for n in range(1, 21))
    based_repo.commit_files("twenty", {"t.txt": old})
    based_repo.add("t.txt", old.replace("line 3\n", "line 3\nnew after 3\n").replace("line 9\n", "changed 9\n"))
    raw = subprocess.run(
        ["git", "diff", "--cached", "--no-color", "-U3", "--src-prefix=a/", "--dst-prefix=b/"],
        cwd=based_repo.root,
        capture_output=True,
        check=True,
    ).stdout
    [change] = parse_diff(raw.splitlines(keepends=True))
    assert change.added == numbered((4, "new after 3"), (10, "changed 9"))


def test_file_without_a_final_newline(based_repo: GitRepo) -> None:
    based_repo.commit_files("no newline", {"n.txt": "first\nsecond"})
    based_repo.add("n.txt", "first\nsecond\nthird")
    assert staged_files(based_repo.root)["n.txt"].added == numbered((2, "second"), (3, "third"))


@pytest.mark.parametrize("how", ["-a", "path"])
def test_git_commit_hook_with_temporary_index(based_repo: GitRepo, gate_command: list[str], how: str) -> None:
    """A real pre-commit hook during `git commit -a` / `git commit <path>` sees the temporary index.

    With `git commit <path>` the index git commits holds only that path: a secret staged in the
    real index for another file is not part of this commit, so it is not reported.
    """
    import json

    secret = tokens.openai_key()
    based_repo.write("src/app.py", "def main():\n" + "    " + tokens.secret_line("key", secret))
    if how == "path":
        based_repo.add("elsewhere.py", tokens.secret_line("OTHER", tokens.openai_key()))
    report = based_repo.git("rev-parse", "--absolute-git-dir").strip() + "/gate-report.json"
    command = " ".join(f"'{part}'" for part in gate_command)
    hooks = based_repo.root / "hooks"
    hooks.mkdir()
    (hooks / "pre-commit").write_text(
        f"#!/bin/sh\nexec {command} review --staged --format json --output '{report}'\n", encoding="utf-8"
    )
    (hooks / "pre-commit").chmod(0o755)
    based_repo.git("config", "--local", "core.hooksPath", str(hooks))
    args = ["-a"] if how == "-a" else ["--", "src/app.py"]
    proc = subprocess.run(
        ["git", "commit", "-q", "-m", "leak", *args], cwd=based_repo.root, capture_output=True, text=True
    )
    assert proc.returncode != 0, proc.stderr
    assert "FAIL: 1 error" in proc.stdout + proc.stderr
    assert secret not in proc.stdout + proc.stderr
    data = json.loads(Path(report).read_text(encoding="utf-8"))
    assert data["verdict"] == "fail"
    assert [(f["path"], f["line"], f["rule"]) for f in data["findings"]] == [("src/app.py", 2, "openai-api-key")]
    staged = based_repo.git("diff", "--cached", "--name-only").split()
    assert staged == ([] if how == "-a" else ["elsewhere.py"])  # the commit was refused


def _shallow_clone(git: Git, source: GitRepo, destination: Path, depth: int = 1, *extra: str) -> Repository:
    git(destination.parent, "clone", "-q", f"--depth={depth}", *extra, f"file://{source.root}", str(destination))
    return Repository(destination)


def test_shallow_clone_last_commit_is_not_taken_for_a_root(based_repo: GitRepo, git: Git, tmp_path: Path) -> None:
    """Its parent is cut off: reviewing it as a root commit would report the whole tree as added."""
    based_repo.commit_files("second", {"two.txt": "2\n"})
    repository = _shallow_clone(git, based_repo, tmp_path / "shallow")
    target = resolve_target(repository, False, None, False)
    assert target == Target("range", None, based_repo.sha())
    with pytest.raises(GitError) as error:
        list(collect(repository, target))
    assert (
        "shallow clone" in str(error.value) and "git fetch" in str(error.value) and "fetch-depth: 0" in str(error.value)
    )


def test_shallow_clone_range_that_reaches_the_edge(based_repo: GitRepo, git: Git, tmp_path: Path) -> None:
    based_repo.checkout("-b", "feature")
    based_repo.commit_files("feature", {"f.txt": "f\n"})
    based_repo.checkout("main")
    based_repo.commit_files("main", {"m.txt": "m\n"})
    repository = _shallow_clone(git, based_repo, tmp_path / "shallow", 1, "--no-single-branch")
    with pytest.raises(GitError, match="shallow clone.*fetch-depth: 0"):
        resolve_target(repository, False, "origin/main...origin/feature", False)
    with pytest.raises(GitError, match="shallow clone.*fetch-depth: 0"):  # whether main is an ancestor is unknown
        resolve_target(repository, False, "origin/main..origin/feature", False)


def test_shallow_clone_deep_enough_reviews_normally(based_repo: GitRepo, git: Git, tmp_path: Path) -> None:
    head = based_repo.commit_files("second", {"two.txt": "2\n"})
    repository = _shallow_clone(git, based_repo, tmp_path / "shallow", 2)
    assert repository.is_shallow()
    target = resolve_target(repository, False, None, False)
    assert target == Target("range", based_repo.sha("HEAD~1"), head)
    found = list(collect(repository, target))
    assert [(f.commit, f.path) for f in found if isinstance(f, FileChange)] == [(head, "two.txt")]


def test_shallow_clone_of_a_one_commit_repository_has_a_true_root(repo: GitRepo, git: Git, tmp_path: Path) -> None:
    root = repo.commit_files("root", {"a.txt": "a\n"})
    repository = _shallow_clone(git, repo, tmp_path / "shallow")
    assert repository.is_shallow()
    target = resolve_target(repository, False, None, False)
    assert target == Target("range", None, root)
    found = list(collect(repository, target))
    assert [(f.commit, f.path) for f in found if isinstance(f, FileChange)] == [(root, "a.txt")]


def test_review_from_a_subdirectory_uses_the_top_level(based_repo: GitRepo) -> None:
    based_repo.add("src/deeper/x.py", "x = 1\n")
    repository = Repository(based_repo.root / "src" / "deeper")
    assert repository.root == based_repo.root
    assert [f.path for f in repository.staged()] == ["src/deeper/x.py"]


def test_a_commit_message_that_looks_like_a_diff(based_repo: GitRepo) -> None:
    """A message line `diff --git a/x b/x` must not be read as a file section."""
    based_repo.add("notes.txt", "hello\n")
    sha = based_repo.commit("Explain\n\ndiff --git a/fake.py b/fake.py\n+not a file\n")
    items = list(Repository(based_repo.root).commits(based_repo.sha("HEAD~1"), sha))
    commits = [i for i in items if isinstance(i, Commit)]
    files = [i for i in items if isinstance(i, FileChange)]
    assert [c.sha for c in commits] == [sha]
    assert "diff --git a/fake.py b/fake.py" in commits[0].message
    assert [(f.path, [a.text for a in f.added]) for f in files] == [("notes.txt", ["hello"])]
