"""The hooks of .pre-commit-hooks.yaml run by the real pre-commit framework in real git repositories.

pre-commit installs the hook from a git snapshot of this project's working tree (`repo:` its path,
`rev:` its commit), so these tests use the code as it is now. The hook environment is built once per
test session (a shared PRE_COMMIT_HOME); building it installs the project with pip from the package
index. `pre-commit try-repo` always builds its own throw-away environment, so those two tests pay for
an install each.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from integration_helpers import Repo, Run, Snapshot, base_env, github_token, leaked, once

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

PRE_COMMIT = [sys.executable, "-m", "pre_commit"]
HOOK_TYPES = ("--hook-type", "pre-commit", "--hook-type", "commit-msg", "--hook-type", "pre-push")


def config_yaml(snapshot: Snapshot) -> str:
    return (
        "repos:\n"
        f"  - repo: {snapshot.path}\n"
        f"    rev: {snapshot.sha}\n"
        "    hooks:\n"
        "      - id: contribution-gate\n"
        "      - id: contribution-gate-commit-msg\n"
    )


@pytest.fixture(scope="session")
def pre_commit_home(shared_dir: Path, snapshot: Snapshot) -> Path:
    """A PRE_COMMIT_HOME with the hooks' environment already built (once for the whole session)."""
    pytest.importorskip("pre_commit")

    def build(home: Path) -> None:
        env = base_env(shared_dir / "home", {"PRE_COMMIT_HOME": str(home)})
        repo = Repo.init(shared_dir / "install-hooks", env)
        repo.add(".pre-commit-config.yaml", config_yaml(snapshot))
        repo.commit_unchecked("hooks")
        proc = repo.run(*PRE_COMMIT, "install-hooks")
        assert proc.code == 0, f"pre-commit could not build the hook environment:\n{proc.output}"

    return once(shared_dir, "pre-commit-home", build)


@pytest.fixture
def hooked(make_repo: Callable[..., Repo], snapshot: Snapshot, pre_commit_home: Path) -> Repo:
    """A repository with one clean commit and the hooks installed by `pre-commit install`."""
    repo = make_repo("repo", env={"PRE_COMMIT_HOME": str(pre_commit_home)})
    repo.add("README.md", "# project\n")
    repo.add("src/app.py", "def main():\n    return 0\n")
    repo.add(".pre-commit-config.yaml", config_yaml(snapshot))
    repo.commit_unchecked("Initial commit")
    proc = repo.run(*PRE_COMMIT, "install", *HOOK_TYPES)
    assert proc.code == 0, proc.output
    for hook in ("pre-commit", "commit-msg", "pre-push"):
        assert (repo.root / ".git" / "hooks" / hook).is_file()
    return repo


def commit(repo: Repo, *args: str, env: dict[str, str] | None = None) -> Run:
    """A real `git commit`: the installed hooks run."""
    return repo.git("commit", *args, env=env, check=False)


def assert_blocked_without_leak(proc: Run, secret: str) -> None:
    assert proc.code != 0, proc.output
    assert "github-token" in proc.output, proc.output
    assert secret not in proc.output
    assert leaked(secret, proc.output) == []


# -- pre-commit try-repo --------------------------------------------------------------------------


def test_try_repo_fails_on_staged_secret(make_repo: Callable[..., Repo], snapshot: Snapshot) -> None:
    repo = make_repo()
    repo.add("README.md", "# project\n")
    repo.commit_unchecked("Initial commit")
    secret = github_token()
    repo.add("app/settings.py", f'TOKEN = "{secret}"\n')

    proc = repo.run(
        *PRE_COMMIT, "try-repo", str(snapshot.path), "contribution-gate", "--ref", snapshot.sha, "--verbose"
    )

    assert_blocked_without_leak(proc, secret)
    assert "app/settings.py" in proc.output
    assert "Failed" in proc.output


def test_try_repo_passes_clean_change(make_repo: Callable[..., Repo], snapshot: Snapshot) -> None:
    repo = make_repo()
    repo.add("README.md", "# project\n")
    repo.commit_unchecked("Initial commit")
    repo.add("app/settings.py", 'TOKEN = os.environ["TOKEN"]\nTIMEOUT = 30\n')

    proc = repo.run(
        *PRE_COMMIT, "try-repo", str(snapshot.path), "contribution-gate", "--ref", snapshot.sha, "--verbose"
    )

    assert proc.code == 0, proc.output
    assert "Passed" in proc.output


def test_try_repo_license_only_hook(make_repo: Callable[..., Repo], snapshot: Snapshot) -> None:
    """`contribution-gate-licenses` runs the licenses check alone: a GPL file fails an Apache-2.0
    project, and a staged secret is left to the aggregated hook."""
    repo = make_repo()
    repo.add(".contribution-gate.toml", '[licenses]\nproject = "Apache-2.0"\n')
    repo.commit_unchecked("Initial commit")
    tag = "SPDX-" + "License-Identifier: " + "GPL-3.0-only"
    repo.add("vendor/copied.py", f"# {tag}\ndef copied():\n    return 1\n")
    repo.add("app/settings.py", f'TOKEN = "{github_token()}"\n')

    proc = repo.run(
        *PRE_COMMIT, "try-repo", str(snapshot.path), "contribution-gate-licenses", "--ref", snapshot.sha, "--verbose"
    )

    assert proc.code != 0, proc.output
    assert "licenses/" in proc.output and "vendor/copied.py" in proc.output
    assert "github-token" not in proc.output


# -- pre-commit install: the pre-commit and commit-msg stages -------------------------------------


def test_staged_secret_blocks_the_commit(hooked: Repo) -> None:
    before = hooked.count()
    secret = github_token()
    hooked.add("app/settings.py", f'TOKEN = "{secret}"\n')

    proc = commit(hooked, "-m", "Add settings")

    assert_blocked_without_leak(proc, secret)
    assert hooked.count() == before
    assert "app/settings.py" in hooked.git("diff", "--cached", "--name-only").out  # still staged, not committed


def test_clean_change_commits(hooked: Repo) -> None:
    before = hooked.count()
    hooked.add("app/settings.py", "TIMEOUT = 30\n")

    proc = commit(hooked, "-m", "Add settings")

    assert proc.code == 0, proc.output
    assert hooked.count() == before + 1
    assert "contribution-gate" in proc.output  # the hook did run (pre-commit prints its name)


def test_unsigned_message_passes_without_dco_policy(hooked: Repo) -> None:
    before = hooked.count()
    hooked.add("notes.txt", "hello\n")

    proc = commit(hooked, "-m", "Add notes")

    assert proc.code == 0, proc.output
    assert hooked.count() == before + 1
    assert "Signed-off-by" not in hooked.git("log", "-1", "--format=%B").out


def test_dco_policy_needs_a_signed_off_commit(hooked: Repo) -> None:
    hooked.add(".contribution-gate.toml", '[cla]\nmode = "dco"\n')
    proc = commit(hooked, "-s", "-m", "Require a DCO sign-off")
    assert proc.code == 0, proc.output
    before = hooked.count()

    hooked.add("notes.txt", "hello\n")
    unsigned = commit(hooked, "-m", "Add notes")
    assert unsigned.code != 0, unsigned.output
    assert "sign-off" in unsigned.output
    assert hooked.count() == before

    signed = commit(hooked, "-s", "-m", "Add notes")
    assert signed.code == 0, signed.output
    assert hooked.count() == before + 1
    assert "Signed-off-by: Test Contributor <contributor@example.com>" in hooked.git("log", "-1", "--format=%B").out


def test_skip_lets_the_commit_through(hooked: Repo) -> None:
    before = hooked.count()
    hooked.add("app/settings.py", f'TOKEN = "{github_token()}"\n')

    proc = commit(hooked, "-m", "Add settings", env={"SKIP": "contribution-gate"})

    assert proc.code == 0, proc.output
    assert "Skipped" in proc.output
    assert hooked.count() == before + 1


# -- pre-commit install: the pre-push stage -------------------------------------------------------


@pytest.fixture
def pushed(hooked: Repo, make_repo: Callable[..., Repo]) -> tuple[Repo, Repo]:
    """`hooked` with a bare `origin` that already has its clean main (pushed through the hook)."""
    origin = make_repo("origin.git", bare=True)
    hooked.git("remote", "add", "origin", str(origin.root))
    proc = hooked.git("push", "-q", "origin", "main", check=False)
    assert proc.code == 0, proc.output  # a first push, root commit included: pre-commit's all-files case
    assert origin.ref("refs/heads/main") == hooked.sha()
    return hooked, origin


def add_then_remove_secret(repo: Repo) -> str:
    secret = github_token()
    repo.add("app/settings.py", f'TOKEN = "{secret}"\n')
    repo.commit_unchecked("Add settings")
    repo.add("app/settings.py", 'TOKEN = os.environ["TOKEN"]\n')
    repo.commit_unchecked("Read the token from the environment")
    repo.add("docs/usage.md", "Set TOKEN.\n")
    repo.commit_unchecked("Document the token")
    return secret


def test_push_of_a_range_that_added_a_secret_is_blocked(pushed: tuple[Repo, Repo]) -> None:
    repo, origin = pushed
    remote_before = origin.ref("refs/heads/main")
    secret = add_then_remove_secret(repo)
    assert secret not in (repo.root / "app" / "settings.py").read_text()  # gone from the tip, not the history

    proc = repo.git("push", "origin", "HEAD:main", check=False)

    assert_blocked_without_leak(proc, secret)
    assert origin.ref("refs/heads/main") == remote_before


def test_push_of_a_clean_range_passes(pushed: tuple[Repo, Repo]) -> None:
    repo, origin = pushed
    repo.add("app/settings.py", "TIMEOUT = 30\n")
    repo.commit_unchecked("Add settings")
    repo.add("docs/usage.md", "Set TIMEOUT.\n")
    repo.commit_unchecked("Document settings")

    proc = repo.git("push", "origin", "HEAD:main", check=False)

    assert proc.code == 0, proc.output
    assert origin.ref("refs/heads/main") == repo.sha()


def test_push_of_a_new_branch_that_added_a_secret_is_blocked(pushed: tuple[Repo, Repo]) -> None:
    repo, origin = pushed
    repo.git("checkout", "-q", "-b", "feature")
    secret = add_then_remove_secret(repo)

    proc = repo.git("push", "origin", "feature", check=False)  # the remote has no such ref: all-zero sha

    assert_blocked_without_leak(proc, secret)
    assert origin.ref("refs/heads/feature") is None


def test_push_of_a_clean_new_branch_passes(pushed: tuple[Repo, Repo]) -> None:
    repo, origin = pushed
    repo.git("checkout", "-q", "-b", "feature")
    repo.add("app/settings.py", "TIMEOUT = 30\n")
    repo.commit_unchecked("Add settings")

    proc = repo.git("push", "origin", "feature", check=False)

    assert proc.code == 0, proc.output
    assert origin.ref("refs/heads/feature") == repo.sha()


def test_first_push_with_a_secret_in_history_is_blocked(hooked: Repo, make_repo: Callable[..., Repo]) -> None:
    """An empty remote: the push includes the root commit (no from-ref at all)."""
    origin = make_repo("origin.git", bare=True)
    hooked.git("remote", "add", "origin", str(origin.root))
    secret = add_then_remove_secret(hooked)

    proc = hooked.git("push", "origin", "main", check=False)

    assert_blocked_without_leak(proc, secret)
    assert origin.ref("refs/heads/main") is None


def test_hook_script_with_all_zero_remote_sha(pushed: tuple[Repo, Repo]) -> None:
    """The installed pre-push script as git calls it for a new branch: the remote sha is all zeros."""
    repo, origin = pushed
    repo.git("checkout", "-q", "-b", "topic")
    secret = add_then_remove_secret(repo)
    local = repo.sha()
    line = f"refs/heads/topic {local} refs/heads/topic {'0' * 40}\n"

    proc = run_hook(repo, "pre-push", ["origin", str(origin.root)], line)

    assert_blocked_without_leak(proc, secret)


def run_hook(repo: Repo, name: str, args: list[str], stdin: str) -> Run:
    script = repo.root / ".git" / "hooks" / name
    done = subprocess.run(
        [str(script), *args], cwd=repo.root, env=repo.env, input=stdin, capture_output=True, text=True, timeout=300
    )
    return Run(done.returncode, done.stdout, done.stderr)


# -- file names: pre-commit run --all-files / --files ---------------------------------------------


def run_hooks(repo: Repo, *args: str) -> Run:
    return repo.run(*PRE_COMMIT, "run", "contribution-gate", *args)


def gate_lines(proc: Run) -> list[str]:
    return [line for line in proc.output.splitlines() if line.startswith("contribution-gate:")]


def test_run_all_files_reviews_the_whole_tree(hooked: Repo) -> None:
    """Nothing staged, a token committed long ago: `--all-files` is the adoption audit, so it finds it."""
    secret = github_token()
    hooked.add("app/settings.py", f'TOKEN = "{secret}"\n')
    hooked.commit_unchecked("Add settings")
    assert hooked.git("diff", "--cached", "--name-only").out == ""

    proc = run_hooks(hooked, "--all-files")

    assert_blocked_without_leak(proc, secret)
    assert "app/settings.py" in proc.output

    hooked.add("app/settings.py", 'TOKEN = os.environ["TOKEN"]\n')  # fixed in the work tree
    hooked.commit_unchecked("Read the token from the environment")
    clean = run_hooks(hooked, "--all-files")
    assert clean.code == 0, clean.output
    assert [line for line in gate_lines(clean) if "PASS" in line] == gate_lines(clean) != []


def test_run_files_reviews_the_named_file_as_the_work_tree_has_it(hooked: Repo) -> None:
    secret = github_token()
    hooked.write("scratch/notes.py", f'TOKEN = "{secret}"\n')  # not even tracked

    proc = run_hooks(hooked, "--files", "scratch/notes.py")

    assert_blocked_without_leak(proc, secret)
    assert run_hooks(hooked, "--files", "README.md").code == 0


def test_a_file_name_that_looks_like_an_option_is_refused(hooked: Repo) -> None:
    hooked.add("--check=cla", "x\n")  # would narrow the review to the cla check if taken for an option
    hooked.add("app/settings.py", f'TOKEN = "{github_token()}"\n')
    hooked.commit_unchecked("Hostile names")

    proc = run_hooks(hooked, "--all-files")

    assert proc.code != 0, proc.output
    assert "'--check=cla' is a file" in proc.output


# -- the hook's output: one line when clean, warnings shown ---------------------------------------


def test_a_clean_commit_prints_one_line_and_warnings_are_shown(hooked: Repo) -> None:
    hooked.add("app/settings.py", "TIMEOUT = 30\n")
    clean = commit(hooked, "-m", "Add settings")
    assert clean.code == 0, clean.output
    assert len(gate_lines(clean)) == 1 and "PASS" in gate_lines(clean)[0], clean.output

    hooked.add(".contribution-gate.toml", '[secrets]\nexclude_paths = ["tests/**"]\n')  # a typo'd key
    token = github_token()
    invalid = token[:-1] + ("A" if token[-1] != "A" else "B")  # fails the token's own checksum: a warning
    hooked.add("app/other.py", f'TOKEN = "{invalid}"\n')
    warned = commit(hooked, "-m", "Add a policy")

    assert warned.code == 0, warned.output
    assert "unknown key 'exclude_paths'" in warned.output
    assert "warning [secrets/github-token]" in warned.output
    assert leaked(invalid, warned.output) == []


# -- adoption: the advice that makes a commit pass makes its push pass ----------------------------


def test_the_first_push_after_adopting_passes(pushed: tuple[Repo, Repo]) -> None:
    """The hook's advice (an allow list in the policy) is committed with the change: the pre-push
    review judges with the pushed policy, so the push passes too, and says CI will not (yet)."""
    repo, origin = pushed
    repo.add("app/api.py", 'API = "http://10.20.1.5:8080/v1"\n')  # contribution-gate: allow[internal-urls]
    blocked = commit(repo, "-m", "Call the internal API")
    assert blocked.code != 0 and "private-address" in blocked.output, blocked.output

    repo.write(".contribution-gate.toml", '[internal-urls]\nallow = ["10.20.0.0/16"]\n')
    unstaged = commit(repo, "-m", "Call the internal API")  # the allow list is not staged yet
    assert unstaged.code != 0
    assert "git add .contribution-gate.toml" in unstaged.output

    repo.git("add", ".contribution-gate.toml")
    committed = commit(repo, "-m", "Call the internal API")
    assert committed.code == 0, committed.output

    pushed_ok = repo.git("push", "origin", "main", check=False)
    assert pushed_ok.code == 0, pushed_ok.output
    assert origin.ref("refs/heads/main") == repo.sha()
    assert "this push changes the policy" in pushed_ok.output  # CI judges with the base's policy


# -- the README's snippet, as a new user copies it ------------------------------------------------


def readme_snippet() -> str:
    """The first YAML block of the README's adoption section, as a user copies it."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Adopting it", 1)[1]
    block = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    return textwrap.dedent(block)


def test_the_readmes_snippet_names_this_release(snapshot: Snapshot) -> None:
    import yaml

    from contribution_gate import __version__

    config = yaml.safe_load(readme_snippet())
    (entry,) = config["repos"]
    assert entry["rev"] == f"v{__version__}"
    manifest = yaml.safe_load((snapshot.path / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert {hook["id"] for hook in entry["hooks"]} <= {hook["id"] for hook in manifest}


def test_readme_snippet_through_try_repo(make_repo: Callable[..., Repo], snapshot: Snapshot) -> None:
    """The README's `rev:` names an annotated tag of the release: tagged in a copy of this checkout,
    `pre-commit try-repo` installs it and its hooks review a staged secret and the whole tree."""
    import yaml

    entry = yaml.safe_load(readme_snippet())["repos"][0]
    repo = make_repo()
    release = Repo(repo.root.parent / "release", repo.env)
    repo.git("clone", "-q", str(snapshot.path), str(release.root))
    release.git("tag", "-a", entry["rev"], "-m", f"contribution-gate {entry['rev']}")
    assert release.git("cat-file", "-t", entry["rev"]).out.strip() == "tag"

    repo.add("README.md", "# project\n")
    repo.commit_unchecked("Initial commit")
    secret = github_token()
    repo.add("app/settings.py", f'TOKEN = "{secret}"\n')
    proc = repo.run(*PRE_COMMIT, "try-repo", str(release.root), "--ref", entry["rev"], "--all-files")

    assert_blocked_without_leak(proc, secret)
    for hook in entry["hooks"]:
        if hook["id"] != "contribution-gate-commit-msg":  # a commit-msg hook: not run at this stage
            assert f"- hook id: {hook['id']}" in proc.output, proc.output


def test_a_push_pre_commit_splits_into_batches_is_reviewed_once(pushed: tuple[Repo, Repo]) -> None:
    """pre-commit hands a hook about 128 KiB of file names per run: a push of more files runs the
    hook several times, and the pushed commits are reviewed (and reported) once."""
    repo, origin = pushed
    directory = "generated/" + "d" * 90
    for n in range(1600):  # about 160 KB of names
        repo.write(f"{directory}/module_{n:05d}.py", f"VALUE = {n}\n")
    repo.git("add", "generated")
    repo.commit_unchecked("Generate modules")

    proc = repo.git("push", "origin", "main", check=False)

    assert proc.code == 0, proc.output[-3000:]
    lines = gate_lines(proc)
    assert len(lines) >= 2, lines  # pre-commit did split the names
    reviewed = [line for line in lines if "earlier run" not in line]
    assert len(reviewed) == 1 and "1600 files" in reviewed[0], lines
    assert origin.ref("refs/heads/main") == repo.sha()
