"""The README's `.gitlab-ci.yml` job, run as GitLab would run its script (bash, `CI=true`, the merge
request's variables) on a real repository with the installed command; the reports it publishes
are validated as GitLab reads them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import tokens
import yaml
from report_schemas import validate_gitlab, validate_junit

if TYPE_CHECKING:
    from conftest import GitRepo

README = Path(__file__).resolve().parents[2] / "README.md"


def documented_job() -> dict[str, Any]:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## As a GitLab CI job") :]
    block = section[section.index("```yaml\n") + len("```yaml\n") : section.index("\n```", section.index("```yaml"))]
    job: dict[str, Any] = yaml.safe_load(block)["contribution-gate"]
    return job


def test_the_job_is_shaped_as_gitlab_reads_it() -> None:
    job = documented_job()
    assert job["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}]
    assert job["artifacts"]["when"] == "always"
    assert set(job["artifacts"]["reports"]) == {"codequality", "junit"}
    assert job["variables"]["GIT_DEPTH"] == "0"


def test_the_job_s_script_publishes_both_reports(based_repo: GitRepo) -> None:
    job = documented_job()
    base = based_repo.sha()
    based_repo.commit_files("leak", {"src/app.py": tokens.secret_line("TOKEN", tokens.github_token())})
    script = [line for line in job["script"] if not line.startswith("pip install")]
    bin_dir = str(Path(sys.executable).parent)
    env = {
        **os.environ,
        **{k: str(v) for k, v in job["variables"].items()},
        "PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""),
        "CI": "true",
        "GITLAB_CI": "true",
        "CI_PIPELINE_SOURCE": "merge_request_event",
        "CI_MERGE_REQUEST_DIFF_BASE_SHA": base,
        "CI_COMMIT_SHA": based_repo.sha(),
    }
    env.pop("COLUMNS", None)
    proc = subprocess.run(
        ["bash", "-eo", "pipefail", "-c", "\n".join(script)],
        cwd=based_repo.root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr  # the job fails, as the review does
    assert all(len(line) <= 80 for line in proc.stdout.splitlines())  # the job log: 80 columns
    reports = job["artifacts"]["reports"]
    issues = validate_gitlab((based_repo.root / reports["codequality"]).read_text(encoding="utf-8"))
    assert [i["check_name"] for i in issues] == ["contribution-gate/secrets/github-token"]
    root = validate_junit((based_repo.root / reports["junit"]).read_text(encoding="utf-8"))
    assert root.get("failures") == "1"
