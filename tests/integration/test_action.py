"""action.yml run step by step as a GitHub runner runs a composite action, on real repositories.

The runner is emulated just enough: each `run:` step goes to `bash --noprofile --norc -eo pipefail`
with its `env:`, `${{ ... }}` resolved from the inputs (defaults, overridable per test),
`github.action_path`, `runner.temp` and earlier steps' outputs; each step gets its own GITHUB_OUTPUT
file, which is parsed into that step's outputs. `uses:` steps are not run: the only one is
actions/setup-python, and `python` on PATH is this test interpreter instead.

The install step (`pip install` of the action path, a snapshot of this working tree) runs once per
test session; each test then runs the steps from `review` on with a runner.temp of its own that
links to the installed environment.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from integration_helpers import PROJECT, Repo, Snapshot, base_env, github_token, leaked, once

yaml = pytest.importorskip("yaml")
pytestmark = pytest.mark.skipif(
    shutil.which("git") is None or shutil.which("bash") is None, reason="git and bash are needed"
)

_EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
_STEP_OUTPUT = re.compile(r"steps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)")
FIRST_REVIEW_STEP = "review"


@dataclass
class StepRun:
    id: str | None
    name: str
    code: int
    out: str
    err: str
    outputs: dict[str, str]
    output_file: str  # the raw GITHUB_OUTPUT file of the step


@dataclass
class ActionRun:
    steps: list[StepRun] = field(default_factory=list)
    outputs: dict[str, str] = field(default_factory=dict)  # the action's own outputs
    summary: str = ""

    def step(self, step_id: str) -> StepRun:
        return next(s for s in self.steps if s.id == step_id)


def read_outputs(text: str) -> dict[str, str]:
    """`name=value` lines and `name<<DELIMITER` blocks, as the runner reads GITHUB_OUTPUT."""
    outputs: dict[str, str] = {}
    lines = iter(text.splitlines())
    for line in lines:
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            block = []
            for item in lines:
                if item == delimiter:
                    break
                block.append(item)
            outputs[name] = "\n".join(block)
        elif "=" in line:
            name, value = line.split("=", 1)
            outputs[name] = value
    return outputs


class Runner:
    """Runs the composite action's steps the way the GitHub runner does (for what action.yml uses)."""

    def __init__(self, action_path: Path, runner_temp: Path, work: Path, env: Mapping[str, str]) -> None:
        self.action_path = action_path
        self.action = yaml.safe_load((action_path / "action.yml").read_text(encoding="utf-8"))
        assert self.action["runs"]["using"] == "composite"
        self.runner_temp = runner_temp
        self.work = work
        self.env = dict(env)

    def inputs(self, overrides: Mapping[str, str]) -> dict[str, str]:
        declared = self.action.get("inputs", {})
        unknown = set(overrides) - set(declared)
        assert not unknown, f"action.yml declares no input {unknown}"
        values = {name: str(spec.get("default", "")) for name, spec in declared.items()}
        values.update(overrides)
        return values

    def resolve(self, text: str, inputs: Mapping[str, str], steps: Mapping[str, Mapping[str, str]]) -> str:
        def value(match: re.Match[str]) -> str:
            expression = match.group(1)
            if expression.startswith("inputs."):
                return inputs[expression[len("inputs.") :]]
            if expression == "github.action_path":
                return str(self.action_path)
            if expression == "runner.temp":
                return str(self.runner_temp)
            step_output = _STEP_OUTPUT.fullmatch(expression)
            if step_output:
                return steps.get(step_output.group(1), {}).get(step_output.group(2), "")
            raise AssertionError(f"the test runner does not know the expression ${{{{ {expression} }}}}")

        return _EXPRESSION.sub(value, text)

    def run(
        self,
        cwd: Path,
        inputs: Mapping[str, str] | None = None,
        env: Mapping[str, str] | None = None,
        start: str | None = None,
        stop: str | None = None,
    ) -> ActionRun:
        """Run the steps from the one with id `start` (default: the first) up to, not including, `stop`."""
        values = self.inputs(inputs or {})
        steps = self.action["runs"]["steps"]
        ids = [s.get("id") for s in steps]
        first = ids.index(start) if start else 0
        last = ids.index(stop) if stop else len(steps)
        summary = self.work / "step-summary.md"
        summary.touch()
        result = ActionRun()
        outputs_by_id: dict[str, dict[str, str]] = {}
        for index, step in enumerate(steps[first:last], start=first):
            assert "if" not in step, "the test runner does not evaluate step conditions"
            if "uses" in step:
                assert step["uses"].startswith("actions/setup-python@"), f"unexpected action {step['uses']}"
                continue
            assert step.get("shell") == "bash", f"step {step.get('name')}: only bash steps are emulated"
            script = self.work / f"step-{index}.sh"
            script.write_text(self.resolve(step["run"], values, outputs_by_id), encoding="utf-8")
            output_file = self.work / f"step-{index}.output"
            output_file.write_text("", encoding="utf-8")
            step_env = {
                **self.env,
                **(env or {}),
                "GITHUB_ACTION_PATH": str(self.action_path),
                "RUNNER_TEMP": str(self.runner_temp),
                "GITHUB_OUTPUT": str(output_file),
                "GITHUB_STEP_SUMMARY": str(summary),
            }
            step_env.update(
                {k: self.resolve(str(v), values, outputs_by_id) for k, v in (step.get("env") or {}).items()}
            )
            proc = subprocess.run(
                ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
                cwd=cwd,
                env=step_env,
                capture_output=True,
                text=True,
                stdin=subprocess.DEVNULL,
                timeout=600,
            )
            raw = output_file.read_text(encoding="utf-8")
            run = StepRun(
                step.get("id"), step.get("name", ""), proc.returncode, proc.stdout, proc.stderr, read_outputs(raw), raw
            )
            result.steps.append(run)
            if run.id:
                outputs_by_id[run.id] = run.outputs
            if run.code != 0:
                break
        result.outputs = {
            name: self.resolve(str(spec.get("value", "")), values, outputs_by_id)
            for name, spec in (self.action.get("outputs") or {}).items()
        }
        result.summary = summary.read_text(encoding="utf-8")
        return result


def runner_env(tmp: Path, python_dir: Path) -> dict[str, str]:
    """The runner's environment, with `python` (what setup-python provides) first on PATH."""
    env = base_env(tmp / "home")
    env["PATH"] = f"{python_dir}{os.pathsep}{env.get('PATH', '')}"
    env.update(GITHUB_ACTIONS="true", CI="true", RUNNER_OS="Linux")
    return env


def python_on_path(directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name in ("python", "python3"):
        link = directory / name
        if not link.exists():
            link.symlink_to(sys.executable)
    return directory


@pytest.fixture(scope="session")
def installed_runner_temp(shared_dir: Path, snapshot: Snapshot) -> Path:
    """A runner.temp where the action's own steps before `review` (setup, install) have run, once."""

    def build(runner_temp: Path) -> None:
        runner_temp.mkdir()
        work = shared_dir / "action-install-work"
        work.mkdir(exist_ok=True)
        env = runner_env(work, python_on_path(work / "bin"))
        runner = Runner(snapshot.path, runner_temp, work, env)
        result = runner.run(cwd=work, stop=FIRST_REVIEW_STEP)
        failed = [s for s in result.steps if s.code != 0]
        assert not failed, f"step {failed[0].name!r} failed ({failed[0].code}):\n{failed[0].out}{failed[0].err}"

    return once(shared_dir, "action-runner-temp", build)


@dataclass
class PullRequest:
    repo: Repo
    base: str
    head: str
    secret: str | None


@pytest.fixture
def action(tmp_path: Path, snapshot: Snapshot, installed_runner_temp: Path) -> Callable[..., ActionRun]:
    """Run the action from its `review` step on, in a workspace, with a pull_request event."""
    runner_temp = tmp_path / "runner-temp"
    runner_temp.mkdir()
    for entry in installed_runner_temp.iterdir():  # the installed venv, without sharing this test's files
        (runner_temp / entry.name).symlink_to(entry, target_is_directory=entry.is_dir())
    work = tmp_path / "runner-work"
    work.mkdir()
    env = runner_env(tmp_path, python_on_path(tmp_path / "bin"))

    def run(
        pr: PullRequest,
        inputs: Mapping[str, str] | None = None,
        event: dict[str, Any] | None = None,
        event_path: Path | None = None,
    ) -> ActionRun:
        payload = (
            event
            if event is not None
            else {
                "pull_request": {"base": {"sha": pr.base}, "head": {"sha": pr.head}, "user": {"login": "someone"}},
                "repository": {"default_branch": "main"},
            }
        )
        if event_path is None:
            event_path = work / "event.json"
            event_path.write_text(json.dumps(payload), encoding="utf-8")
        runner = Runner(snapshot.path, runner_temp, work, env)
        return runner.run(
            cwd=pr.repo.root,
            inputs=inputs,
            start=FIRST_REVIEW_STEP,
            env={
                "GITHUB_EVENT_NAME": "pull_request",
                "GITHUB_EVENT_PATH": str(event_path),
                "GITHUB_WORKSPACE": str(pr.repo.root),
            },
        )

    return run


def pull_request(make_repo: Callable[..., Repo], files: dict[str, str], secret: str | None = None) -> PullRequest:
    repo = make_repo("workspace")
    repo.add("README.md", "# project\n")
    repo.add("src/app.py", "def main():\n    return 0\n")
    base = repo.commit_unchecked("Initial commit")
    repo.git("checkout", "-q", "-b", "feature")
    for path, content in files.items():
        repo.add(path, content)
        repo.commit_unchecked(f"Add {path}")
    return PullRequest(repo, base, repo.sha(), secret)


@pytest.fixture
def leaking_pr(make_repo: Callable[..., Repo]) -> PullRequest:
    secret = github_token()
    return pull_request(
        make_repo,
        {"app/settings.py": f'TOKEN = "{secret}"\n', "docs/usage.md": "Set TOKEN.\n"},
        secret,
    )


@pytest.fixture
def clean_pr(make_repo: Callable[..., Repo]) -> PullRequest:
    return pull_request(
        make_repo, {"app/settings.py": 'TOKEN = os.environ["TOKEN"]\n', "docs/usage.md": "Set TOKEN.\n"}
    )


def everything_written(result: ActionRun, *files: Path) -> list[str]:
    step = result.step("review")
    texts = [step.out, step.err, step.output_file, result.summary, json.dumps(result.outputs)]
    return texts + [f.read_text(encoding="utf-8") for f in files if f.is_file()]


# -- the cases ------------------------------------------------------------------------------------


def test_pull_request_adding_a_secret_fails(action: Callable[..., ActionRun], leaking_pr: PullRequest) -> None:
    result = action(leaking_pr)

    review = result.step("review")
    assert review.code == 1, review.out + review.err
    assert re.search(r"^::error file=app/settings\.py,line=1\b", review.out, re.M), review.out
    assert "fail" in result.summary.lower()
    assert re.search(r"^\|.*\bsecrets\b.*\|", result.summary, re.M), result.summary  # a Markdown table of checks
    assert review.outputs["verdict"] == "fail"
    assert int(review.outputs["findings"]) > 0
    report = Path(review.outputs["report"])
    assert report.is_file()
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["verdict"] == "fail"
    assert data["target"]["base"] == leaking_pr.base and data["target"]["head"] == leaking_pr.head
    assert any(f["rule"] == "github-token" and f["path"] == "app/settings.py" for f in data["findings"])
    # the action's outputs map the review step's
    assert result.outputs == {
        "verdict": "fail",
        "findings": review.outputs["findings"],
        "report": str(report),
        "signed": "",  # only the signing job (issue_comment) sets these
        "signer": "",
    }
    assert leaking_pr.secret is not None
    written = everything_written(result, report)
    assert not any(leaking_pr.secret in text for text in written)
    assert leaked(leaking_pr.secret, *written) == []


def test_clean_pull_request_passes(action: Callable[..., ActionRun], clean_pr: PullRequest) -> None:
    result = action(clean_pr)

    review = result.step("review")
    assert review.code == 0, review.out + review.err
    assert "::error" not in review.out
    assert review.outputs["verdict"] == "pass"
    assert review.outputs["findings"] == "0"
    assert json.loads(Path(review.outputs["report"]).read_text(encoding="utf-8"))["verdict"] == "pass"
    assert "pass" in result.summary.lower()
    assert result.outputs["verdict"] == "pass"


def test_sarif_file_input_writes_sarif(action: Callable[..., ActionRun], leaking_pr: PullRequest) -> None:
    result = action(leaking_pr, inputs={"sarif-file": "gate.sarif"})

    review = result.step("review")
    assert review.code == 1, review.out + review.err
    sarif_path = leaking_pr.repo.root / "gate.sarif"  # relative to the workspace, where steps run
    assert sarif_path.is_file()
    sarif = json.loads(sarif_path.read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0"
    results = sarif["runs"][0]["results"]
    assert any(r.get("ruleId", "").endswith("github-token") for r in results), results
    assert leaking_pr.secret is not None
    assert leaked(leaking_pr.secret, *everything_written(result, sarif_path)) == []


def test_clean_pull_request_writes_empty_sarif(
    action: Callable[..., ActionRun], clean_pr: PullRequest, tmp_path: Path
) -> None:
    sarif_path = tmp_path / "out" / "gate.sarif"
    sarif_path.parent.mkdir()

    result = action(clean_pr, inputs={"sarif-file": str(sarif_path)})

    assert result.step("review").code == 0
    sarif = json.loads(sarif_path.read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0"
    assert sarif["runs"][0]["results"] == []


def test_missing_event_file_is_a_usage_error(
    action: Callable[..., ActionRun], clean_pr: PullRequest, tmp_path: Path
) -> None:
    result = action(clean_pr, event_path=tmp_path / "no-such-event.json")

    review = result.step("review")
    assert review.code == 2, review.out + review.err
    assert "event" in review.err


def test_base_and_head_inputs_review_that_range(action: Callable[..., ActionRun], leaking_pr: PullRequest) -> None:
    """The inputs win over the event: here the event names an empty range, the inputs the real one."""
    empty = {"pull_request": {"base": {"sha": leaking_pr.base}, "head": {"sha": leaking_pr.base}}}

    assert action(leaking_pr, event=empty).step("review").code == 0
    result = action(leaking_pr, event=empty, inputs={"base": leaking_pr.base, "head": leaking_pr.head})

    review = result.step("review")
    assert review.code == 1, review.out + review.err
    assert review.outputs["verdict"] == "fail"


def test_invalid_fail_on_input_is_a_usage_error(action: Callable[..., ActionRun], clean_pr: PullRequest) -> None:
    result = action(clean_pr, inputs={"fail-on": "sometimes"})

    review = result.step("review")
    assert review.code == 2
    assert "::error::" in review.out


def _relaxing_pr(make_repo: Callable[..., Repo], in_base: bool) -> PullRequest:
    """A pull request that adds a token and edits (or adds) the policy its workflow's `config` names
    so that the secrets check reads nothing."""
    secret = github_token()
    repo = make_repo("workspace")
    repo.add("README.md", "# project\n")
    if in_base:
        repo.add("ci/gate.toml", '[checks]\nenabled = ["secrets"]\n')
    base = repo.commit_unchecked("Initial commit")
    repo.git("checkout", "-q", "-b", "feature")
    repo.add("ci/gate.toml", '[checks]\nenabled = ["secrets"]\n\n[secrets]\nexclude-paths = ["**"]\n')
    repo.add("app/settings.py", f'TOKEN = "{secret}"\n')
    return PullRequest(repo, base, repo.commit_unchecked("Relax the gate"), secret)


def test_config_input_is_read_from_the_base_commit(
    action: Callable[..., ActionRun], make_repo: Callable[..., Repo]
) -> None:
    """The `config` input names a file of the checked-out pull request: the gate reads that path from
    the base commit, so the pull request's own edit of it changes nothing."""
    pr = _relaxing_pr(make_repo, in_base=True)
    result = action(pr, inputs={"config": "ci/gate.toml"})

    review = result.step("review")
    assert review.code == 1, review.out + review.err
    data = json.loads(Path(review.outputs["report"]).read_text(encoding="utf-8"))
    assert data["config"] == f"ci/gate.toml (base {pr.base[:12]})"
    assert [(f["path"], f["rule"]) for f in data["findings"]] == [("app/settings.py", "github-token")]


def test_config_input_missing_from_the_base_commit_is_a_config_error(
    action: Callable[..., ActionRun], make_repo: Callable[..., Repo]
) -> None:
    pr = _relaxing_pr(make_repo, in_base=False)
    result = action(pr, inputs={"config": "./ci/../ci/gate.toml"})

    review = result.step("review")
    assert review.code == 2, review.out + review.err
    assert "ci/gate.toml" in review.err and "base" in review.err
    assert "Traceback" not in review.err


def test_ci_workflow_runs_the_action_on_pull_requests() -> None:
    workflow = yaml.safe_load((PROJECT / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8"))
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert {"push", "pull_request"} <= set(triggers)
    jobs = workflow["jobs"]
    assert any(".ci/run" in str(step.get("run", "")) for job in jobs.values() for step in job["steps"])
    gate = next(job for job in jobs.values() if any(step.get("uses") == "./" for step in job["steps"]))
    assert "pull_request" in gate["if"]
    checkout = next(step for step in gate["steps"] if str(step.get("uses", "")).startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0
    assert gate["permissions"]["contents"] == "read"
    assert gate["permissions"]["security-events"] == "write"
    upload = next(
        step for step in gate["steps"] if str(step.get("uses", "")).startswith("github/codeql-action/upload-sarif@")
    )
    assert "always()" in upload["if"]
