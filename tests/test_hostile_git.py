"""Hostile repositories built with git, reviewed by the installed command: what git shows the gate.

Each test builds the evasion a contributor could try (an evil merge, a `.gitattributes` that hides
a file, UTF-16, a rename out of an excluded path, a `.git/config` that runs programs) and asserts
the review still sees what the change adds, and runs nothing of the repository's.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import model_fixtures
import pytest
import tokens

from contribution_gate.git import Repository, collect, resolve_target
from contribution_gate.model import Commit, FileChange

if TYPE_CHECKING:
    from conftest import GitRepo
    from processes import Run

GateCmd = Callable[..., "Run"]
Finding = tuple[str, int | None, str, str | None]  # path, line, rule, commit


def review(
    gate_cmd: GateCmd, repo: GitRepo, *args: str, env: dict[str, str] | None = None
) -> tuple[int, list[Finding]]:
    """Exit code and the unsuppressed findings (path, line, rule, commit) of a JSON review."""
    run = gate_cmd("review", *args, "--format", "json", cwd=repo.root, env=env)
    assert run.code in (0, 1), run
    data: dict[str, Any] = json.loads(run.out)
    assert data["errors"] == [], data["errors"]
    found = [(f["path"], f["line"], f["rule"], f["commit"]) for f in data["findings"] if not f["suppressed"]]
    return run.code, found


def leak(secret: str, *before: str) -> str:
    """A small Python file whose last line assigns `secret`."""
    return "".join(f"{line}\n" for line in before) + tokens.secret_line("TOKEN", secret)


def marker_script(tmp_path: Path, name: str) -> tuple[Path, Path]:
    """An executable that leaves a file behind when anything runs it: (script, the file it leaves)."""
    left = tmp_path / f"{name}-ran"
    script = tmp_path / f"{name}.sh"
    script.write_text(f"#!/bin/sh\ntouch '{left}'\ncat >/dev/null 2>&1\nexit 0\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script, left


# -- evil merges ----------------------------------------------------------------------------------


def test_a_file_added_only_in_a_merge_resolution_is_reviewed(based_repo: GitRepo, gate_cmd: GateCmd) -> None:
    base = based_repo.sha()
    secret = tokens.github_token()
    based_repo.checkout("-b", "side")
    based_repo.commit_files("side", {"side.py": "s = 1\n"})
    based_repo.checkout("main")
    based_repo.commit_files("main", {"main.py": "m = 1\n"})
    based_repo.git("merge", "-q", "--no-ff", "--no-commit", "side")
    based_repo.add("evil.py", leak(secret, "import os"))
    merge = based_repo.commit("Merge branch 'side'")
    assert review(gate_cmd, based_repo, "--range", f"{base}..HEAD", "--check", "secrets") == (
        1,
        [("evil.py", 2, "github-token", merge)],
    )


def test_a_line_written_while_resolving_a_conflict_is_reviewed(based_repo: GitRepo, gate_cmd: GateCmd) -> None:
    base = based_repo.sha()
    based_repo.checkout("-b", "side")
    based_repo.commit_files("side", {"src/app.py": "def main():\n    return 1\n"})
    based_repo.checkout("main")
    based_repo.commit_files("main", {"src/app.py": "def main():\n    return 2\n"})
    based_repo.git("merge", "-q", "side", check=False)  # conflicts
    secret = tokens.openai_key()
    based_repo.add("src/app.py", "def main():\n    return 2\n" + tokens.secret_line("KEY", secret))
    merge = based_repo.commit("Merge branch 'side'")
    assert review(gate_cmd, based_repo, "--range", f"{base}..HEAD", "--check", "secrets") == (
        1,
        [("src/app.py", 3, "openai-api-key", merge)],
    )


def test_a_merge_that_brings_back_a_removed_secret_is_reviewed(based_repo: GitRepo, gate_cmd: GateCmd) -> None:
    """A merge made with plumbing: its second parent is an old commit that had the secret, its tree
    the branch's plus that file. No line is new to both parents, but a merge of the two would not
    bring the file back: the remerge diff shows it."""
    secret = tokens.github_token()
    leaked = based_repo.commit_files("oops", {"config.py": leak(secret)})
    based_repo.git("rm", "-q", "config.py")
    base = based_repo.commit("remove the token")
    based_repo.add("feature.py", "f = 1\n")
    based_repo.add("config.py", leak(secret))
    tree = based_repo.git("write-tree").strip()
    merge = based_repo.git("commit-tree", tree, "-p", base, "-p", leaked, "-m", "Merge oops").strip()
    based_repo.git("update-ref", "refs/heads/main", merge)
    assert review(gate_cmd, based_repo, "--range", f"{base}..{merge}", "--check", "secrets") == (
        1,
        [("config.py", 1, "github-token", merge)],
    )


def test_a_clean_merge_adds_nothing_of_its_own(based_repo: GitRepo, gate_cmd: GateCmd) -> None:
    """The side branch's secret is reported once, at the commit that added it, never at the merge."""
    base = based_repo.sha()
    secret = tokens.github_token()
    side, merge = based_repo.merge_side_branch({"side.py": leak(secret)})
    assert review(gate_cmd, based_repo, "--range", f"{base}..{merge}", "--check", "secrets") == (
        1,
        [("side.py", 1, "github-token", side)],
    )


def test_an_octopus_merge_is_diffed_against_its_first_parent(based_repo: GitRepo, gate_cmd: GateCmd) -> None:
    base = based_repo.sha()
    for name in ("one", "two"):
        based_repo.checkout("-b", name, base)
        based_repo.commit_files(name, {f"{name}.txt": f"{name}\n"})
    based_repo.checkout("main")
    based_repo.git("merge", "-q", "--no-ff", "--no-commit", "one", "two")
    secret = tokens.github_token()
    based_repo.add("octopus.py", leak(secret))
    merge = based_repo.commit("Merge branches one and two")
    assert len(based_repo.git("rev-list", "--parents", "-n", "1", merge).split()) == 4
    assert review(gate_cmd, based_repo, "--range", f"{base}..HEAD", "--check", "secrets") == (
        1,
        [("octopus.py", 1, "github-token", merge)],
    )


def _merge_history(repo: GitRepo) -> str:
    """Merges upon merges, criss-crossing, each touching files both sides touched: the case where git
    before 2.48 remerges against wrong bases when it shows merges oldest first."""
    base = repo.sha()
    repo.commit_files("shared", {"shared.txt": "".join(f"line {n}\n" for n in range(40))})
    for round_ in range(4):
        repo.checkout("-b", f"topic{round_}")
        repo.commit_files(f"topic {round_}", {"shared.txt": _edit(repo, "shared.txt", 5 + round_, f"topic {round_}")})
        repo.commit_files(f"topic {round_} file", {f"t{round_}.txt": f"{round_}\n"})
        repo.checkout("main")
        repo.commit_files(f"main {round_}", {"shared.txt": _edit(repo, "shared.txt", 30 - round_, f"main {round_}")})
        repo.git("merge", "-q", "--no-ff", "--no-commit", f"topic{round_}")
        repo.add("shared.txt", _edit(repo, "shared.txt", 20, f"written in merge {round_}"))
        repo.commit(f"merge topic {round_}")
        if round_:
            repo.checkout(f"topic{round_ - 1}")
            repo.git("merge", "-q", "--no-ff", "--no-edit", "main")
            repo.checkout("main")
            repo.git("merge", "-q", "--no-ff", "--no-edit", f"topic{round_ - 1}")
    return base


def _edit(repo: GitRepo, path: str, line: int, text: str) -> str:
    lines = (repo.root / path).read_text(encoding="utf-8").splitlines(keepends=True)
    lines[line] = text + "\n"
    return "".join(lines)


def test_each_merge_is_remerged_against_its_own_merge_base(based_repo: GitRepo) -> None:
    """What the review reads for every merge equals `git show --remerge-diff` of that merge alone."""
    base = _merge_history(based_repo)
    repository = Repository(based_repo.root)
    found: dict[str, list[tuple[str, str]]] = {}
    merge: str | None = None
    for item in collect(repository, resolve_target(repository, False, f"{base}..HEAD", False)):
        if isinstance(item, Commit):
            merge = item.sha if item.is_merge else None
            if merge:
                found[merge] = []
        elif isinstance(item, FileChange) and merge is not None:
            found[merge] += [(item.path, line.text) for line in item.added] or [(item.path, "")]
    merges = based_repo.git("rev-list", "--merges", f"{base}..HEAD").split()
    assert len(merges) == 10 and set(found) == set(merges)
    for sha in merges:
        alone = based_repo.git("show", "--remerge-diff", "--format=", "-U0", "--no-color", sha).splitlines()
        paths = {line[6:] for line in alone if line.startswith("+++ b/")} | {
            line[6:] for line in alone if line.startswith("--- a/")
        }
        added = sorted(line[1:] for line in alone if line.startswith("+") and not line.startswith("+++"))
        assert {path for path, _ in found[sha]} == paths, sha
        assert sorted(text for _, text in found[sha] if text) == added, sha
    assert any(found.values())


def test_a_merge_driver_of_the_repository_never_runs(based_repo: GitRepo, gate_cmd: GateCmd, tmp_path: Path) -> None:
    base = based_repo.sha()
    driver, ran = marker_script(tmp_path, "merge-driver")
    conflicting = {"src/app.py": "def main():\n    return {}\n", "data/rows.txt": "row {}\n"}
    based_repo.checkout("-b", "side")
    based_repo.commit_files("side", {path: text.format(1) for path, text in conflicting.items()})
    based_repo.checkout("main")
    based_repo.commit_files("main", {path: text.format(2) for path, text in conflicting.items()})
    based_repo.git("merge", "-q", "-s", "ours", "--no-edit", "side")
    attributes = "*.py merge=evil\n*.txt merge=we=ird.name\n"
    (based_repo.root / ".git" / "info" / "attributes").write_text(attributes, encoding="utf-8")
    for name in ("evil", "we=ird.name"):
        based_repo.git("config", f"merge.{name}.driver", f"{driver} %O %A %B")
    based_repo.git("config", "merge.default", "evil")
    code, _ = review(gate_cmd, based_repo, "--range", f"{base}..HEAD", "--check", "secrets")
    assert code == 0
    assert not ran.exists()


def test_without_remerge_a_merge_is_diffed_against_its_first_parent(
    based_repo: GitRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """git before 2.36 has no --remerge-diff: every merge is then diffed against its first parent."""
    from contribution_gate import merges

    monkeypatch.setattr(merges, "git_version", lambda repo: (2, 35))
    base = based_repo.sha()
    side, merge = based_repo.merge_side_branch({"side.py": "s = 1\n"})
    repository = Repository(based_repo.root)
    found = [
        (i.commit, i.path)
        for i in collect(repository, resolve_target(repository, False, f"{base}..HEAD", False))
        if isinstance(i, FileChange)
    ]
    assert (merge, "side.py") in found and (side, "side.py") in found


# -- attributes cannot hide a file ------------------------------------------------------------------

_HIDING = {
    "-diff": ("*.py -diff\n", {}),
    "binary": ("*.py binary\n", {}),
    "driver marked binary": ("*.py diff=hidden\n", {"diff.hidden.binary": "true"}),
    "textconv": ("*.py diff=conv\n", {"diff.conv.textconv": "{script}", "diff.conv.cachetextconv": "false"}),
    "external diff": ("*.py diff=ext\n", {"diff.ext.command": "{script}"}),
}


@pytest.mark.parametrize("where", [".gitattributes", ".git/info/attributes"])
@pytest.mark.parametrize("how", list(_HIDING))
def test_attributes_cannot_hide_added_lines(
    based_repo: GitRepo, gate_cmd: GateCmd, tmp_path: Path, how: str, where: str
) -> None:
    attributes, config = _HIDING[how]
    script, ran = marker_script(tmp_path, "driver")
    for key, value in config.items():
        based_repo.git("config", key, value.format(script=script))
    based_repo.git("config", "diff.external", str(script))
    base = based_repo.sha()
    secret = tokens.github_token()
    if where == ".gitattributes":
        based_repo.add(".gitattributes", attributes)
    else:
        (based_repo.root / ".git" / "info" / "attributes").write_text(attributes, encoding="utf-8")
    based_repo.add("src/settings.py", leak(secret, "DEBUG = False"))
    head = based_repo.commit("settings")
    assert review(gate_cmd, based_repo, "--range", f"{base}..HEAD", "--check", "secrets") == (
        1,
        [("src/settings.py", 2, "github-token", head)],
    )
    code, found = review(gate_cmd, based_repo, "--all-files", "--check", "secrets")
    assert (code, [f[:3] for f in found]) == (1, [("src/settings.py", 2, "github-token")])
    assert not ran.exists()


def test_an_edit_to_a_file_git_calls_binary_is_diffed_as_text(based_repo: GitRepo, gate_cmd: GateCmd) -> None:
    based_repo.commit_files("hide", {".gitattributes": "*.py -diff\n", "src/settings.py": "A = 1\nB = 2\nC = 3\n"})
    base = based_repo.sha()
    secret = tokens.github_token()
    based_repo.add("src/settings.py", "A = 1\nB = 20\nC = 3\n" + tokens.secret_line("TOKEN", secret))
    assert [(c.path, c.is_binary, c.added.numbers()) for c in _staged(based_repo)] == [
        ("src/settings.py", False, [2, 4])
    ]
    code, found = review(gate_cmd, based_repo, "--staged", "--check", "secrets")
    assert (code, found) == (1, [("src/settings.py", 4, "github-token", None)])
    head = based_repo.commit("edit")
    assert review(gate_cmd, based_repo, "--range", f"{base}..HEAD", "--check", "secrets") == (
        1,
        [("src/settings.py", 4, "github-token", head)],
    )


def test_a_binary_the_attributes_call_text_is_still_read_as_a_binary(based_repo: GitRepo, gate_cmd: GateCmd) -> None:
    based_repo.add(".gitattributes", "*.bin diff\n")
    based_repo.add("model/weights.bin", model_fixtures.payload("os", "system"))
    [weights] = [c for c in _staged(based_repo) if c.path == "model/weights.bin"]
    assert weights.is_binary and weights.added == () and weights.blob
    code, found = review(gate_cmd, based_repo, "--staged", "--check", "models")
    assert code == 1
    assert ("model/weights.bin", None, "pickle-unsafe-global", None) in found


def _staged(repo: GitRepo, unreviewed: Callable[[str], bool] | None = None) -> list[FileChange]:
    repository = Repository(repo.root)
    target = resolve_target(repository, True, None, False)
    return [i for i in collect(repository, target, unreviewed) if isinstance(i, FileChange)]


# -- text by content ------------------------------------------------------------------------------


def _encoded(text: str, how: str) -> bytes:
    if how == "utf-16 past git's first 8,000 bytes":
        return "\ufeff".encode("utf-16-le") + ("\u4e2d" * 5000 + "\n" + text).encode("utf-16-le")
    if how.startswith("nul "):
        at = {"nul first": 0, "nul in a line": text.index("=") + 1, "nul last": len(text)}[how]
        raw = text.encode()
        return raw[:at] + b"\x00" + raw[at:]
    return text.encode(how)


@pytest.mark.parametrize(
    "how",
    [
        "utf-16",
        "utf-16-le",
        "utf-16-be",
        "utf-32",
        "utf-32-le",
        "utf-32-be",
        "utf-8-sig",
        "nul first",
        "nul in a line",
        "nul last",
        "utf-16 past git's first 8,000 bytes",
    ],
)
def test_text_is_judged_by_content(based_repo: GitRepo, gate_cmd: GateCmd, how: str) -> None:
    secret = tokens.github_token()
    text = "# service settings\r\nregion = eu\r\n" + f'token = "{secret}"\r\n'
    data = _encoded(text, how)
    based_repo.add("config/service.ini", data)
    [change] = _staged(based_repo)
    assert not change.is_binary
    line = 4 if how.startswith("utf-16 past") else 3
    assert change.added[line - 1].text.endswith(f'"{secret}"')
    code, found = review(gate_cmd, based_repo, "--staged", "--check", "secrets")
    assert (code, found) == (1, [("config/service.ini", line, "github-token", None)])


def test_an_edit_to_utf16_text_is_numbered_as_the_file_has_it(based_repo: GitRepo, gate_cmd: GateCmd) -> None:
    lines = [f"setting_{n} = {n}\n" for n in range(10)]
    based_repo.commit_files("utf-16", {"conf/app.cfg": "".join(lines).encode("utf-16")})
    secret = tokens.github_token()
    lines[6] = tokens.secret_line("token", secret)
    based_repo.add("conf/app.cfg", "".join(lines).encode("utf-16"))
    [change] = _staged(based_repo)
    assert change.added.numbers() == [7]
    assert review(gate_cmd, based_repo, "--staged", "--check", "secrets") == (
        1,
        [("conf/app.cfg", 7, "github-token", None)],
    )


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(bytes(range(256)) * 64, id="every-byte"),
        pytest.param(os.urandom(50_000), id="random"),
        pytest.param(b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + os.urandom(200), id="png"),
        pytest.param(model_fixtures.payload("os", "system"), id="pickle"),
        pytest.param(model_fixtures.tarred({"notes.txt": b"text\n" * 200}), id="tar-of-text"),
        pytest.param(model_fixtures.npy("<i1", (40,), b"A" * 40), id="npy-of-letters"),
        pytest.param(model_fixtures.safetensors({"w": ("F32", [1], 0, 4)}, b"\x00\x00\x80?"), id="safetensors"),
        pytest.param(model_fixtures.zipped({"a.txt": b"text\n" * 100}), id="zip"),
        pytest.param(b"\x00\x01\x02", id="three-bytes"),
    ],
)
def test_real_binaries_stay_binary(based_repo: GitRepo, data: bytes) -> None:
    based_repo.add("blob.dat", data)
    based_repo.add(".gitattributes", "*.dat diff\n")  # git is told it is text: the content decides
    [change] = [c for c in _staged(based_repo) if c.path == "blob.dat"]
    assert change.is_binary and change.added == ()


# -- renames and copies out of paths the review does not read ---------------------------------------

_POLICY = '[secrets]\nexclude-paths = ["fixtures/**"]\nallow-paths = ["docs/examples/**"]\n'


@pytest.mark.parametrize("source", ["fixtures/keys.py", "docs/examples/keys.py"])
def test_a_secret_renamed_out_of_an_unreviewed_path_is_reviewed(
    based_repo: GitRepo, gate_cmd: GateCmd, source: str
) -> None:
    based_repo.commit_files("policy", {".contribution-gate.toml": _POLICY})
    base = based_repo.sha()
    secret = tokens.github_token()
    based_repo.commit_files("fixture", {source: leak(secret, "import os", "")})
    based_repo.mv(source, "src/keys.py")
    assert review(gate_cmd, based_repo, "--staged", "--check", "secrets") == (
        1,
        [("src/keys.py", 3, "github-token", None)],
    )
    moved = based_repo.commit("use the fixture")
    code, found = review(gate_cmd, based_repo, "--range", f"{base}..HEAD", "--check", "secrets")
    assert code == 1
    assert ("src/keys.py", 3, "github-token", moved) in found


def test_a_rename_with_edits_out_of_an_excluded_path_reviews_the_whole_file(
    based_repo: GitRepo, gate_cmd: GateCmd
) -> None:
    body = [f"value_{n} = {n}\n" for n in range(20)]
    secret = tokens.github_token()
    body[3] = tokens.secret_line("TOKEN", secret)
    based_repo.commit_files("fixtures", {".contribution-gate.toml": _POLICY, "fixtures/data.py": "".join(body)})
    base = based_repo.sha()
    based_repo.mv("fixtures/data.py", "src/data.py")
    body[15] = "value_15 = 'edited'\n"
    based_repo.add("src/data.py", "".join(body))
    [change] = _staged(based_repo)
    assert (change.status, change.old_path, change.added.numbers()) == ("R", "fixtures/data.py", [16])
    [change] = _staged(based_repo, unreviewed=lambda path: path.startswith("fixtures/"))
    assert change.added.numbers() == list(range(1, 21)) and change.added[3].text.endswith(f'"{secret}"')
    head = based_repo.commit("move")
    assert review(gate_cmd, based_repo, "--range", f"{base}..HEAD", "--check", "secrets") == (
        1,
        [("src/data.py", 4, "github-token", head)],
    )


def test_a_pickle_renamed_out_of_a_path_the_models_check_skips_is_read(based_repo: GitRepo, gate_cmd: GateCmd) -> None:
    """A pure rename has no `index` line, so git names no object: the object is looked up by path."""
    policy = '[models]\nexclude-paths = ["tests/data/**"]\n'
    based_repo.commit_files("policy", {".contribution-gate.toml": policy})
    base = based_repo.sha()
    based_repo.commit_files("fixture", {"tests/data/evil.pkl": model_fixtures.payload("os", "system")})
    based_repo.mv("tests/data/evil.pkl", "models/weights.bin")
    moved = based_repo.commit("ship the fixture as the model")
    code, found = review(gate_cmd, based_repo, "--range", f"{base}..HEAD", "--check", "models")
    assert code == 1
    assert ("models/weights.bin", None, "pickle-unsafe-global", moved) in found


def test_moving_a_file_the_base_already_had_is_not_a_finding(based_repo: GitRepo, gate_cmd: GateCmd) -> None:
    """A secret that sat in a reviewed path of the base is the base's, not this change's: a pure
    rename adds nothing (the baseline, or a finding on the base, is where it is dealt with)."""
    secret = tokens.github_token()
    based_repo.commit_files("old", {"src/legacy.py": leak(secret)})
    base = based_repo.sha()
    based_repo.mv("src/legacy.py", "src/compat/legacy.py")
    based_repo.commit("move")
    assert review(gate_cmd, based_repo, "--range", f"{base}..HEAD", "--check", "secrets") == (0, [])


# -- no program of the repository runs ------------------------------------------------------------


def test_the_repositorys_fsmonitor_never_runs(based_repo: GitRepo, gate_cmd: GateCmd, tmp_path: Path) -> None:
    script, ran = marker_script(tmp_path, "fsmonitor")
    based_repo.git("config", "core.fsmonitor", str(script))
    secret = tokens.github_token()
    based_repo.add("leak.py", leak(secret))
    ran.unlink(missing_ok=True)  # `git add` above ran it: the test's own git honours the config
    assert review(gate_cmd, based_repo, "--staged", "--check", "secrets") == (
        1,
        [("leak.py", 1, "github-token", None)],
    )
    assert not ran.exists()


def test_no_program_a_hostile_config_names_runs(based_repo: GitRepo, gate_cmd: GateCmd, tmp_path: Path) -> None:
    """Every setting of .git/config that makes git run a program, at once, over every target."""
    script, ran = marker_script(tmp_path, "anything")
    base = based_repo.sha()
    secret = tokens.github_token()
    based_repo.add(".gitattributes", "*.py diff=conv filter=clean\n")
    based_repo.add("app.py", leak(secret, "import os"))
    signed = _signed_commit(based_repo, "signed change")
    hooks = based_repo.root / ".git" / "evil-hooks"
    hooks.mkdir()
    for hook in ("post-index-change", "reference-transaction", "pre-auto-gc", "post-checkout"):
        (hooks / hook).symlink_to(script)
    for key, value in {
        "core.fsmonitor": script,
        "core.hooksPath": hooks,
        "core.pager": script,
        "pager.log": script,
        "pager.diff": script,
        "diff.external": script,
        "diff.conv.textconv": script,
        "diff.conv.command": script,
        "filter.clean.clean": script,
        "filter.clean.smudge": script,
        "filter.clean.process": script,
        "log.showSignature": "true",
        "gpg.program": script,
        "gpg.format": "openpgp",
        "core.bigFileThreshold": "1",
        "i18n.logOutputEncoding": "UTF-16",
        "core.sshCommand": script,
        "credential.helper": f"!{script}",
    }.items():
        based_repo.git("config", key, str(value))
    assert review(gate_cmd, based_repo, "--range", f"{base}..HEAD", "--check", "secrets") == (
        1,
        [("app.py", 2, "github-token", signed)],
    )
    code, found = review(gate_cmd, based_repo, "--all-files", "--check", "secrets")
    assert (code, [f[:3] for f in found]) == (1, [("app.py", 2, "github-token")])
    based_repo.write("other.py", leak(tokens.github_token()))
    (based_repo.root / ".git" / "index").touch()
    code, _ = review(gate_cmd, based_repo, "--check", "secrets")  # no target: the last commit
    assert code == 1
    assert not ran.exists()


def _signed_commit(repo: GitRepo, message: str) -> str:
    """A commit whose object carries a (bogus) gpgsig header, as a signed commit does."""
    tree = repo.git("write-tree").strip()
    parent = repo.sha()
    who = "Test Contributor <contributor@example.com> 1700000000 +0000"
    signature = "-----BEGIN PGP SIGNATURE-----\n \n iQEzBAABCAAdFiEE\n -----END PGP SIGNATURE-----"
    body = f"tree {tree}\nparent {parent}\nauthor {who}\ncommitter {who}\ngpgsig {signature}\n\n{message}\n"
    sha = (
        subprocess.run(
            ["git", "hash-object", "-t", "commit", "-w", "--stdin"],
            cwd=repo.root,
            input=body.encode(),
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .strip()
    )
    repo.git("update-ref", "HEAD", sha)
    return sha


def test_a_partial_clone_never_fetches_through_a_program(
    based_repo: GitRepo, gate_cmd: GateCmd, git: Callable[..., str], tmp_path: Path
) -> None:
    """A lazy fetch of a missing object through `ext::` would run a shell command: it is refused,
    and the review stops with a one-line git error instead."""
    base = based_repo.sha()
    based_repo.commit_files("more", {"more.py": "m = 1\n"})
    based_repo.git("config", "uploadpack.allowFilter", "true")
    clone = tmp_path / "partial"
    git(tmp_path, "clone", "-q", "--no-checkout", "--filter=blob:none", f"file://{based_repo.root}", str(clone))
    script, ran = marker_script(tmp_path, "transport")
    git(clone, "config", "remote.origin.url", f"ext::{script} %S")
    git(clone, "config", "protocol.ext.allow", "always")
    run = gate_cmd("review", "--range", f"{base}..origin/main", "--check", "secrets", cwd=clone)
    assert run.code == 2, run
    assert len(run.err.strip().splitlines()) == 1 and "Traceback" not in run.err
    assert not ran.exists()


def test_replace_refs_cannot_swap_what_is_reviewed(based_repo: GitRepo, gate_cmd: GateCmd) -> None:
    base = based_repo.sha()
    secret = tokens.github_token()
    leaking = based_repo.commit_files("leak", {"app.py": leak(secret)})
    based_repo.git("reset", "-q", "--hard", base)
    clean = based_repo.commit_files("clean", {"app.py": "x = 1\n"})
    based_repo.git("reset", "-q", "--hard", leaking)
    based_repo.git("replace", leaking, clean)
    assert review(gate_cmd, based_repo, "--range", f"{base}..HEAD", "--check", "secrets") == (
        1,
        [("app.py", 1, "github-token", leaking)],
    )


# -- the policy a pull request names --------------------------------------------------------------


def test_config_in_ci_is_read_from_the_base_commit(based_repo: GitRepo, gate_cmd: GateCmd) -> None:
    strict = '[checks]\nenabled = ["secrets"]\n'
    before_policy = based_repo.sha()
    based_repo.commit_files("policy", {"ci/gate.toml": strict})
    base = based_repo.sha()
    secret = tokens.github_token()
    relaxed = strict + '\n[secrets]\nexclude-paths = ["**"]\n'
    head = based_repo.commit_files("relax", {"ci/gate.toml": relaxed, "app.py": leak(secret)})
    args = ("--range", f"{base}..HEAD", "--config", "ci/gate.toml")
    for ci in ({"CI": "true", "GITHUB_ACTIONS": ""}, {"CI": "", "GITHUB_ACTIONS": "true"}):
        run = gate_cmd("review", *args, "--format", "json", cwd=based_repo.root, env=ci)
        data = json.loads(run.out)
        assert (run.code, data["config"]) == (1, f"ci/gate.toml (base {base[:12]})")
        assert [(f["path"], f["rule"], f["commit"]) for f in data["findings"]] == [("app.py", "github-token", head)]
    local = {"CI": "", "GITHUB_ACTIONS": ""}  # a developer's own choice of file is read as it is
    assert review(gate_cmd, based_repo, *args, env=local) == (0, [])
    run = gate_cmd(
        "review", "--range", f"{before_policy}..HEAD", "--config", "ci/gate.toml", cwd=based_repo.root, env=ci
    )
    assert run.code == 2 and "base" in run.err and len(run.err.strip().splitlines()) == 1


def test_a_repository_that_lacks_an_object_is_a_usage_error_with_the_fix(
    based_repo: GitRepo, gate_cmd: GateCmd
) -> None:
    """An incomplete object store (a partial clone offline, a copy cut short: two snapshot mirrors
    measured in benchmarks/real_repos.py lack their largest files) stops the review with one line
    that says what is missing and what to do, exit 2, never a traceback or a silent pass."""
    based_repo.commit_files("data", {"data/table.csv": "a,b\n1,2\n"})
    blob = based_repo.git("rev-parse", "HEAD:data/table.csv").strip()
    (based_repo.root / ".git" / "objects" / blob[:2] / blob[2:]).unlink()
    run = gate_cmd("review", "--all-files", "-C", based_repo.root)
    assert run.code == 2, run.output
    (line,) = run.err.strip().splitlines()
    assert line.startswith("contribution-gate: error: git ") and blob in line, line
    assert "lacks objects" in line and "clone without --filter" in line, line
    assert "Traceback" not in run.output
