"""`contribution-gate pre-receive` as a server hook: real `git push` to real bare repositories.

git runs the hook inside its quarantine (the pushed objects in a temporary directory that git
deletes when the hook rejects the push), so these tests also show that the gate reads the pushed
objects, that what it writes (the remerge of a merge) is allowed there, and that a rejected push
leaves no object behind.
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from integration_helpers import Repo, Run, github_token, leaked

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

MakeRepo = Callable[..., Repo]


def install(origin: Repo, gate_command: list[str], *args: str, hook: Path | None = None) -> None:
    script = hook or origin.root / "hooks" / "pre-receive"
    script.parent.mkdir(parents=True, exist_ok=True)
    command = " ".join(shlex.quote(part) for part in [*gate_command, "pre-receive", *args])
    script.write_text(f"#!/bin/sh\nexec {command}\n", encoding="utf-8")
    script.chmod(0o755)


@pytest.fixture
def server(make_repo: MakeRepo, gate_command: list[str]) -> tuple[Repo, Repo]:
    """A bare `origin` whose main has one clean commit, pushed before the hook was installed, and a
    clone `work` of it; then the gate is installed as origin's pre-receive hook."""
    origin = make_repo("origin.git", bare=True)
    work = make_repo("work")
    work.add("README.md", "# project\n")
    work.add("src/app.py", "def main():\n    return 0\n")
    work.commit_unchecked("Initial commit")
    work.git("remote", "add", "origin", str(origin.root))
    work.git("push", "-q", "origin", "main")
    install(origin, gate_command)
    return origin, work


def push(work: Repo, *refspecs: str, env: dict[str, str] | None = None) -> Run:
    return work.git("push", "origin", *refspecs, env=env, check=False)


def has_object(origin: Repo, sha: str) -> bool:
    return origin.git("cat-file", "-e", sha, check=False).code == 0


def assert_rejected(proc: Run, secret: str) -> None:
    assert proc.code != 0, proc.output
    assert "pre-receive hook declined" in proc.output, proc.output
    assert "github-token" in proc.output, proc.output
    assert leaked(secret, proc.output) == []


def test_a_push_that_adds_a_secret_is_rejected_and_leaves_nothing(server: tuple[Repo, Repo]) -> None:
    origin, work = server
    before = origin.sha("main")
    secret = github_token()
    work.add("app/settings.py", f'TOKEN = "{secret}"\n')
    bad = work.commit_unchecked("Add settings")
    work.add("app/settings.py", 'TOKEN = os.environ["TOKEN"]\n')
    work.commit_unchecked("Read the token from the environment")  # the tip is clean; the history is not

    proc = push(work, "main")

    assert_rejected(proc, secret)
    assert "app/settings.py" in proc.output and "remote:" in proc.output  # the pusher sees the findings
    assert "the push is rejected" in proc.output
    assert origin.sha("main") == before
    assert not has_object(origin, bad)  # git dropped the quarantine


def test_a_clean_push_is_accepted_with_one_line(server: tuple[Repo, Repo]) -> None:
    origin, work = server
    work.add("app/settings.py", "TIMEOUT = 30\n")
    work.commit_unchecked("Add settings")

    proc = push(work, "main")

    assert proc.code == 0, proc.output
    assert origin.sha("main") == work.sha()
    gate_lines = [line for line in proc.err.splitlines() if "contribution-gate" in line]
    assert len(gate_lines) == 1 and "PASS" in gate_lines[0], proc.output


def test_a_new_branch_is_reviewed_for_its_new_commits_only(server: tuple[Repo, Repo], gate_command: list[str]) -> None:
    origin, work = server
    # main already holds a secret, pushed before the gate was installed: not this push's to answer for
    secret = github_token()
    origin_hook = origin.root / "hooks" / "pre-receive"
    origin_hook.rename(origin_hook.with_suffix(".off"))
    work.add("legacy.py", f'TOKEN = "{secret}"\n')
    work.commit_unchecked("Legacy")
    assert push(work, "main").code == 0
    origin_hook.with_suffix(".off").rename(origin_hook)

    work.git("checkout", "-q", "-b", "feature")
    work.add("feature.py", "FEATURE = True\n")
    work.commit_unchecked("Feature")
    clean = push(work, "feature")
    assert clean.code == 0, clean.output
    assert "1 commit" in clean.output and "1 file" in clean.output  # not main's history

    work.git("checkout", "-q", "-b", "leaky")
    other = github_token()
    work.add("leak.py", f'TOKEN = "{other}"\n')
    work.commit_unchecked("Leak")
    assert_rejected(push(work, "leaky"), other)
    assert origin.ref("refs/heads/leaky") is None


def test_deleting_a_branch_reviews_nothing(server: tuple[Repo, Repo]) -> None:
    origin, work = server
    hook = origin.root / "hooks" / "pre-receive"
    hook.rename(hook.with_suffix(".off"))
    work.git("checkout", "-q", "-b", "old")
    work.add("leak.py", f'TOKEN = "{github_token()}"\n')
    work.commit_unchecked("Leak")
    assert push(work, "old").code == 0
    hook.with_suffix(".off").rename(hook)

    proc = push(work, ":old")

    assert proc.code == 0, proc.output
    assert origin.ref("refs/heads/old") is None


def test_an_evil_merge_is_found_inside_the_quarantine(server: tuple[Repo, Repo]) -> None:
    """The remerge of a merge writes temporary objects: inside git's quarantine, that is allowed."""
    origin, work = server
    work.git("checkout", "-q", "-b", "side")
    work.add("side.py", "SIDE = 1\n")
    work.commit_unchecked("Side")
    work.git("checkout", "-q", "main")
    work.add("main.py", "MAIN = 1\n")
    work.commit_unchecked("Main")
    work.git("merge", "-q", "--no-ff", "--no-commit", "side", check=False)
    secret = github_token()
    work.add("resolved.py", f'TOKEN = "{secret}"\n')  # in the merge alone, on neither side
    work.commit_unchecked("Merge side")

    proc = push(work, "main")

    assert_rejected(proc, secret)
    assert "resolved.py" in proc.output
    assert not list((origin.root / "objects").glob("incoming-*")), "git left the quarantine behind"


def test_a_secret_in_an_annotated_tag_message_is_rejected(server: tuple[Repo, Repo]) -> None:
    origin, work = server
    secret = github_token()
    work.git("tag", "-a", "v1.0", "-m", f"Release\n\ndeploy token {secret}")

    proc = push(work, "v1.0")

    assert_rejected(proc, secret)
    assert "refs/tags/v1.0" in proc.output
    assert origin.ref("refs/tags/v1.0") is None

    work.git("tag", "v1.1")  # a lightweight tag of a commit the server has: nothing new
    assert push(work, "v1.1").code == 0


def test_a_ref_to_a_blob_is_refused(server: tuple[Repo, Repo]) -> None:
    origin, work = server
    secret = github_token()
    (work.root / "blob.txt").write_text(f"TOKEN = {secret}\n", encoding="utf-8")
    blob = work.git("hash-object", "-w", "blob.txt").out.strip()

    proc = push(work, f"{blob}:refs/tags/raw")

    assert proc.code != 0, proc.output
    assert "points to a blob" in proc.output
    assert origin.ref("refs/tags/raw") is None


def test_the_server_judges_with_the_default_branchs_policy_not_the_pushed_one(server: tuple[Repo, Repo]) -> None:
    origin, work = server
    work.add("app/api.py", 'API = "http://10.20.1.5:8080/v1"\n')  # contribution-gate: allow[internal-urls]
    work.add(".contribution-gate.toml", '[internal-urls]\nallow = ["10.20.0.0/16"]\n')
    work.commit_unchecked("Call the internal API, and allow it")

    proc = push(work, "main")

    assert proc.code != 0, proc.output
    assert "private-address" in proc.output
    assert "allowed by the change's own policy, which the server does not trust" in proc.flat
    assert "policy before this push" in proc.flat  # the header says which policy judged, and why

    # the documented way: the policy change first, then what it allows
    work.git("reset", "-q", "--soft", "HEAD~1")
    work.git("reset", "-q", "app/api.py")
    work.commit_unchecked("Allow the internal API network")
    assert push(work, "main").code == 0
    work.git("add", "app/api.py")
    work.commit_unchecked("Call the internal API")
    accepted = push(work, "main")
    assert accepted.code == 0, accepted.output
    assert origin.sha("main") == work.sha()


def test_a_server_policy_file_wins(server: tuple[Repo, Repo], gate_command: list[str], tmp_path: Path) -> None:
    origin, work = server
    policy = tmp_path / "server-policy.toml"
    policy.write_text('[checks]\nenabled = ["internal-urls"]\n[internal-urls]\nallow = ["10.20.0.0/16"]\n')
    install(origin, gate_command, "--config", str(policy))
    work.add("app/api.py", 'API = "http://10.20.1.5:8080/v1"\n')  # contribution-gate: allow[internal-urls]
    work.commit_unchecked("Call the internal API")

    proc = push(work, "main")

    assert proc.code == 0, proc.output


@pytest.mark.parametrize("fail_open", [False, True], ids=["fail-closed", "fail-open"])
def test_a_review_past_its_time_budget(server: tuple[Repo, Repo], gate_command: list[str], fail_open: bool) -> None:
    """A budget of a millisecond: the review (several git processes) cannot finish within it."""
    origin, work = server
    install(origin, gate_command, "--timeout", "0.001", *(["--fail-open"] if fail_open else []))
    work.add("app/settings.py", "TIMEOUT = 30\n")
    work.commit_unchecked("Add settings")

    proc = push(work, "main")

    assert "did not finish within 0.001 s" in proc.output, proc.output
    if fail_open:
        assert proc.code == 0, proc.output
        assert "accepted unreviewed" in proc.output
        assert origin.sha("main") == work.sha()
    else:
        assert proc.code != 0
        assert "rejected (fail closed)" in proc.output
        assert origin.sha("main") != work.sha()


def test_gitea_style_dispatch_and_gitlab_messages(make_repo: MakeRepo, gate_command: list[str]) -> None:
    """Installed as Gitea installs hooks (hooks/pre-receive runs each hooks/pre-receive.d/* with the
    same stdin), with GitLab's variables set: a rejection also gives GitLab's UI its line."""
    origin = make_repo("origin.git", bare=True)
    dispatcher = origin.root / "hooks" / "pre-receive"
    dispatcher.write_text(
        "#!/bin/sh\n"
        'data=$(cat)\nexitcodes=""\nhookname=$(basename $0)\nGIT_DIR=${GIT_DIR:-$(dirname $0)}\n'
        "for hook in ${GIT_DIR}/hooks/${hookname}.d/*; do\n"
        '  test -x "${hook}" && test -f "${hook}" || continue\n'
        '  echo "${data}" | "${hook}"\n  exitcodes="${exitcodes} $?"\ndone\n'
        "for i in ${exitcodes}; do\n  [ ${i} -eq 0 ] || exit ${i}\ndone\n",
        encoding="utf-8",
    )
    dispatcher.chmod(0o755)
    install(origin, gate_command, hook=origin.root / "hooks" / "pre-receive.d" / "contribution-gate")
    work = make_repo("work")
    work.git("remote", "add", "origin", str(origin.root))
    secret = github_token()
    work.add("leak.py", f'TOKEN = "{secret}"\n')
    work.commit_unchecked("Leak")

    proc = push(work, "main", env={"GL_ID": "user-1", "GL_REPOSITORY": "project-1"})

    assert_rejected(proc, secret)
    assert "GL-HOOK-ERR: contribution-gate rejected the push" in proc.output
    assert origin.ref("refs/heads/main") is None  # an empty repository: built-in defaults judged


def test_input_that_is_not_from_git_fails_closed_or_open(based_git_dir: Path, gate_command: list[str]) -> None:
    closed = subprocess.run(
        [*gate_command, "pre-receive"], cwd=based_git_dir, input="not a ref update\n", capture_output=True, text=True
    )
    assert closed.returncode == 1
    assert "expected '<old> <new> <ref>'" in closed.stderr and "rejected (fail closed)" in closed.stderr
    assert "Traceback" not in closed.stderr

    opened = subprocess.run(
        [*gate_command, "pre-receive", "--fail-open"],
        cwd=based_git_dir,
        input="not a ref update\n",
        capture_output=True,
        text=True,
    )
    assert opened.returncode == 0
    assert "accepted unreviewed (--fail-open)" in opened.stderr


@pytest.fixture
def based_git_dir(server: tuple[Repo, Repo]) -> Path:
    return server[0].root


def test_many_tags_and_a_tag_of_a_tag_are_read_in_batches(server: tuple[Repo, Repo]) -> None:
    """A mirror push brings many annotated tags: each message is reviewed, nested tags too."""
    origin, work = server
    for n in range(120):
        work.git("tag", "-a", f"v0.{n}", "-m", f"Release 0.{n}")
    secret = github_token()
    work.git("tag", "-a", "inner", "-m", f"token {secret}")
    work.git("tag", "-a", "outer", "inner", "-m", "A tag of a tag")

    proc = push(work, "--tags")

    assert_rejected(proc, secret)
    assert ".git/refs/tags/outer" in proc.output or ".git/refs/tags/inner" in proc.output
    assert origin.ref("refs/tags/v0.7") is None  # one review, one verdict for the whole push

    work.git("tag", "-d", "inner", "outer")
    clean = push(work, "--tags")
    assert clean.code == 0, clean.output
    assert origin.ref("refs/tags/v0.119") is not None
