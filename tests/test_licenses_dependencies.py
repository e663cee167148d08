"""The dependencies a change adds, through the installed command on real git repositories, with a
local HTTP server standing in for deps.dev (tests/fake_depsdev.py) and never the network.

The cases of issue 16: GPL packages added to an MIT project's requirements.txt and package.json
fail (from the API stand-in, from a lockfile's own license field, from an installed copy), a
permissive addition passes, an unknown package warns.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fake_depsdev import FakeDepsDev, serve

DATA = Path(__file__).parent / "data" / "deps"
MIT = '{\n  "name": "demo",\n  "version": "1.0.0",\n  "license": "MIT",\n  "dependencies": {\n    "left-pad": "1.3.0"\n  }\n}\n'


@pytest.fixture
def depsdev(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeDepsDev]:
    fake = FakeDepsDev()
    fake.add("pypi", "pyqt5", {"5.15.9": ["GPL-3.0-only"], "5.15.10": ["GPL-3.0-only"]})
    fake.add("pypi", "mysql-connector-python", {"8.0.33": ["GPL-2.0-only"], "9.1.0": ["GPL-2.0-only"]})
    fake.add("pypi", "attrs", {"23.2.0": ["MIT"], "24.2.0": ["MIT"]})
    fake.add("pypi", "dual", {"1.0": ["Apache-2.0 OR GPL-3.0-only"]})
    fake.add("pypi", "oddball", {"1.0": ["non-standard"]})
    fake.add("npm", "gpl-thing", {"2.0.1": ["GPL-3.0-or-later"], "2.3.0": ["GPL-3.0-or-later"]})
    fake.add("npm", "@scope/mit-thing", {"1.0.0": ["MIT"]})
    with serve(fake):
        monkeypatch.setenv("DEPS_DEV_API_URL", fake.url)
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
        monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
        yield fake


@pytest.fixture
def project(based_repo: Any) -> Any:
    """An MIT project (package.json says so) whose dependencies are asked for online."""
    based_repo.commit_files(
        "project",
        {
            "package.json": MIT,
            "requirements.txt": "attrs==23.2.0\n",
            ".contribution-gate.toml": '[licenses]\ndependencies = "online"\n',
        },
    )
    return based_repo


def review(
    gate_command: list[str], repo: Any, *args: str, env: dict[str, str] | None = None
) -> tuple[int, dict[str, Any]]:
    proc = subprocess.run(
        [*gate_command, "review", "--format", "json", "-C", str(repo.root), *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
    )
    assert proc.returncode in (0, 1), proc.stderr
    return proc.returncode, json.loads(proc.stdout)


def deps_findings(report: dict[str, Any]) -> list[tuple[str, str, str, int]]:
    return sorted(
        (f["rule"], f["severity"], f["path"], f["line"])
        for f in report["findings"]
        if f["rule"].startswith("dependency") and f["severity"] != "note"
    )


def test_gpl_in_requirements_and_package_json_fails_from_the_api(
    project: Any, gate_command: list[str], depsdev: FakeDepsDev
) -> None:
    project.write("requirements.txt", "attrs==23.2.0\nPyQt5==5.15.10\nmysql-connector-python>=8\n")
    project.write("package.json", MIT.replace('"1.3.0"\n', '"1.3.0",\n    "gpl-thing": "^2.0.0"\n'))
    project.stage()
    code, report = review(gate_command, project, "--staged")
    assert code == 1
    assert deps_findings(report) == [
        ("dependency-license-incompatible", "error", "package.json", 7),
        ("dependency-license-incompatible", "error", "requirements.txt", 2),
        ("dependency-license-incompatible", "error", "requirements.txt", 3),
    ]
    by_line = {(f["path"], f["line"]): f for f in report["findings"]}
    mysql = by_line[("requirements.txt", 3)]
    assert "mysql-connector-python 9.1.0" in mysql["message"] and "GPL-2.0-only" in mysql["message"]
    assert "the version `>=8` resolves to" in mysql["message"] and "deps.dev" in mysql["message"]
    assert "allow-packages" in mysql["remediation"] and "contribution-gate: allow[licenses]" in mysql["remediation"]
    assert "gpl-thing 2.3.0" in by_line[("package.json", 7)]["message"]
    assert "attrs" not in json.dumps(report["findings"])  # unchanged: not judged again
    asked = [r for r in depsdev.requests if "attrs" in r]
    assert asked == []


def test_a_warm_cache_answers_without_the_network(project: Any, gate_command: list[str], depsdev: FakeDepsDev) -> None:
    project.write("requirements.txt", "attrs==23.2.0\nPyQt5==5.15.10\n")
    project.stage()
    review(gate_command, project, "--staged")
    assert depsdev.requests
    depsdev.requests.clear()
    code, report = review(gate_command, project, "--staged", env={"DEPS_DEV_API_URL": "http://127.0.0.1:9"})
    assert code == 1 and depsdev.requests == []
    assert "cache of deps.dev" in next(f["message"] for f in report["findings"] if f["line"] == 2)


def test_permissive_addition_passes_and_unknown_package_warns(
    project: Any, gate_command: list[str], depsdev: FakeDepsDev
) -> None:
    project.write("requirements.txt", "attrs==24.2.0\nnobody-knows-me==1.0\noddball==1.0\ndual==1.0\n")
    project.write("package.json", MIT.replace('"1.3.0"\n', '"1.3.0",\n    "@scope/mit-thing": "1.0.0"\n'))
    project.stage()
    code, report = review(gate_command, project, "--staged")
    assert code == 0
    assert deps_findings(report) == [
        ("dependency-license-unknown", "warning", "requirements.txt", 2),
        ("dependency-license-unknown", "warning", "requirements.txt", 3),
    ]
    messages = " ".join(f["message"] for f in report["findings"])
    assert "deps.dev does not know this package version" in messages and "non-standard" in messages
    assert "/v3/systems/npm/packages/%40scope%2Fmit-thing/versions/1.0.0" in depsdev.requests


def test_offline_never_asks_and_says_how_to_ask(based_repo: Any, gate_command: list[str], depsdev: FakeDepsDev) -> None:
    based_repo.commit_files("project", {"package.json": MIT})
    based_repo.add("requirements.txt", "PyQt5==5.15.10\n")
    code, report = review(gate_command, based_repo, "--staged")
    assert code == 0 and depsdev.requests == []
    finding = next(f for f in report["findings"] if f["rule"] == "dependency-license-unknown")
    assert 'dependencies = "online"' in finding["remediation"]
    code, report = review(gate_command, based_repo, "--staged", env={"GITHUB_ACTIONS": "true"})
    assert code == 1 and depsdev.requests  # online by default under GitHub Actions


def test_gpl_from_the_lockfile_sits_on_the_manifest_line(
    based_repo: Any, gate_command: list[str], tmp_path: Path
) -> None:
    """No network at all: the package-lock.json beside package.json carries the license."""
    based_repo.commit_files("project", {"package.json": MIT})
    lock = {
        "name": "demo",
        "lockfileVersion": 3,
        "requires": True,
        "packages": {
            "": {"name": "demo", "license": "MIT", "dependencies": {"left-pad": "1.3.0", "copyleft-lib": "^4.0.0"}},
            "node_modules/left-pad": {"version": "1.3.0", "license": "WTFPL"},
            "node_modules/copyleft-lib": {
                "version": "4.1.0",
                "license": "GPL-3.0-only",
                "dependencies": {"helper": "^1.0.0", "agpl-helper": "1.0.0"},
            },
            "node_modules/helper": {"version": "1.2.0", "license": "MIT"},
            "node_modules/copyleft-lib/node_modules/agpl-helper": {"version": "1.0.0", "license": "AGPL-3.0-only"},
        },
    }
    based_repo.add("package.json", MIT.replace('"1.3.0"\n', '"1.3.0",\n    "copyleft-lib": "^4.0.0"\n'))
    based_repo.add("package-lock.json", json.dumps(lock, indent=2) + "\n")
    env = {"DEPS_DEV_API_URL": "http://127.0.0.1:9", "XDG_CACHE_HOME": str(tmp_path / "cache")}
    code, report = review(gate_command, based_repo, "--staged", env=env)
    assert code == 1
    found = deps_findings(report)
    assert ("dependency-license-incompatible", "error", "package.json", 7) in found
    lock_lines = (based_repo.root / "package-lock.json").read_text().splitlines()
    agpl_line = next(
        i + 1 for i, t in enumerate(lock_lines) if '"node_modules/copyleft-lib/node_modules/agpl-helper"' in t
    )
    assert ("dependency-license-incompatible", "error", "package-lock.json", agpl_line) in found
    assert not any(path == "package-lock.json" and line != agpl_line for _, _, path, line in found)
    transitive = next(f for f in report["findings"] if f["path"] == "package-lock.json" and f["rule"].startswith("dep"))
    assert "brought in by copyleft-lib" in transitive["message"]
    assert "`node_modules/copyleft-lib/node_modules/agpl-helper`" in transitive["message"]
    assert "from lockfile" in transitive["message"]
    assert not any(f["rule"] in ("incompatible-license", "license-detected") for f in report["findings"])


def test_installed_copy_resolves_offline(based_repo: Any, gate_command: list[str], tmp_path: Path) -> None:
    """The environment the gate runs in has click and pathspec (MPL-2.0) installed."""
    click, pathspec = importlib.metadata.version("click"), importlib.metadata.version("pathspec")
    based_repo.commit_files("project", {"package.json": MIT})
    based_repo.add("requirements.txt", f"click=={click}\npathspec=={pathspec}\n")
    code, report = review(gate_command, based_repo, "--staged", env={"XDG_CACHE_HOME": str(tmp_path / "c")})
    assert code == 0
    assert deps_findings(report) == [("dependency-license-needs-review", "warning", "requirements.txt", 2)]
    assert "installed copy" in report["findings"][0]["message"]


def test_transitive_lockfile_bump_and_reversion(based_repo: Any, gate_command: list[str], tmp_path: Path) -> None:
    """Only what a lockfile diff adds or re-versions is judged; the finding names the entry."""
    lines = (DATA / "choosealicense" / "Gemfile.lock").read_text()
    based_repo.commit_files(
        "project", {"Gemfile.lock": lines, ".contribution-gate.toml": '[licenses]\nproject = "MIT"\n'}
    )
    based_repo.add("Gemfile.lock", lines.replace("    safe_yaml (0.7.1)\n", "    safe_yaml (0.9.0)\n"))
    code, report = review(gate_command, based_repo, "--staged", env={"XDG_CACHE_HOME": str(tmp_path / "c")})
    found = [f for f in report["findings"] if f["rule"].startswith("dependency")]
    assert [(f["rule"], f["line"]) for f in found] == [
        ("dependency-license-unknown", lines.splitlines().index("    safe_yaml (0.7.1)") + 1)
    ]
    assert "safe_yaml 0.9.0" in found[0]["message"] and "brought in by github-pages" in found[0]["message"]


def test_curations_deny_and_allow_packages(project: Any, gate_command: list[str], depsdev: FakeDepsDev) -> None:
    project.commit_files(
        "policy",
        {
            ".contribution-gate.toml": '[licenses]\ndependencies = "online"\n'
            'allow-packages = ["pypi:PyQt5@>=5.15,<6"]\ndeny-packages = ["attrs@>=24"]\n'
        },
    )
    project.write("requirements.txt", "attrs==24.2.0\nPyQt5==5.15.10\n")
    project.stage()
    code, report = review(gate_command, project, "--staged")
    assert code == 1
    assert deps_findings(report) == [("dependency-license-incompatible", "error", "requirements.txt", 1)]
    assert "deny-packages lists it" in report["findings"][0]["message"]


def test_development_dependencies_warn(project: Any, gate_command: list[str], depsdev: FakeDepsDev) -> None:
    project.add("requirements-dev.txt", "PyQt5==5.15.10\n")
    code, report = review(gate_command, project, "--staged")
    assert code == 0
    assert deps_findings(report) == [("dependency-license-incompatible", "warning", "requirements-dev.txt", 1)]
    assert "development dependency" in report["findings"][0]["message"]
    project.git("reset", "-q")
    project.commit_files(
        "strict", {".contribution-gate.toml": '[licenses]\ndependencies = "online"\ndev-dependencies = "error"\n'}
    )
    project.stage("requirements-dev.txt")
    code, _ = review(gate_command, project, "--staged")
    assert code == 1


def test_requirements_include_and_marker(project: Any, gate_command: list[str], depsdev: FakeDepsDev) -> None:
    project.commit_files("base", {"reqs/base.txt": "PyQt5==5.15.10\n"})
    project.add(
        "requirements.txt",
        "attrs==23.2.0\n-r reqs/base.txt\nmysql-connector-python==9.1.0  # contribution-gate: allow[licenses]\n",
    )
    code, report = review(gate_command, project, "--staged")
    assert code == 1
    assert deps_findings(report) == [("dependency-license-incompatible", "error", "requirements.txt", 2)]
    assert "from reqs/base.txt:1" in report["findings"][0]["message"]
    assert any(f["severity"] == "note" and f["line"] == 3 for f in report["findings"])  # the marker holds


def test_range_reviews_each_commit_and_lockfile_direct_packages_are_left_to_the_manifest(
    project: Any, gate_command: list[str], depsdev: FakeDepsDev
) -> None:
    base = project.sha()
    project.commit_files("add", {"package.json": MIT.replace('"1.3.0"\n', '"1.3.0",\n    "gpl-thing": "2.0.1"\n')})
    lock = {
        "lockfileVersion": 3,
        "packages": {
            "": {"dependencies": {"left-pad": "1.3.0", "gpl-thing": "2.0.1"}},
            "node_modules/left-pad": {"version": "1.3.0", "license": "WTFPL"},
            "node_modules/gpl-thing": {"version": "2.0.1", "license": "GPL-3.0-or-later"},
        },
    }
    project.commit_files("lock", {"package-lock.json": json.dumps(lock, indent=2) + "\n"})
    code, report = review(gate_command, project, "--range", f"{base}..HEAD")
    assert code == 1
    found = deps_findings(report)
    assert ("dependency-license-incompatible", "error", "package.json", 7) in found
    lock_findings = [f for f in found if f[2] == "package-lock.json"]
    assert [f[0] for f in lock_findings] == ["dependency-license-incompatible"]  # its own commit: not the manifest's


def test_malformed_lockfile_warns_and_the_review_goes_on(
    project: Any, gate_command: list[str], depsdev: FakeDepsDev
) -> None:
    project.add("package-lock.json", '{"lockfileVersion": 3, "packages": {"node_modules/a": \n')
    code, report = review(gate_command, project, "--staged")
    assert code == 0
    assert [(f["rule"], f["severity"]) for f in report["findings"]] == [("dependency-file-unreadable", "warning")]
    assert "not valid JSON" in report["findings"][0]["message"]
    assert all(c["status"] != "error" for c in report["checks"])


def test_unreachable_api_warns_quickly(project: Any, gate_command: list[str], depsdev: FakeDepsDev) -> None:
    project.add("requirements.txt", "attrs==23.2.0\n" + "".join(f"pkg{i}==1.0\n" for i in range(40)))
    started = time.monotonic()
    code, report = review(gate_command, project, "--staged", env={"DEPS_DEV_API_URL": "http://127.0.0.1:9"})
    assert time.monotonic() - started < 60
    assert code == 0
    unknown = [f for f in report["findings"] if f["rule"] == "dependency-license-unknown"]
    assert len(unknown) == 1 and "adds 40 packages" in unknown[0]["message"]  # one finding for the file
    assert "cannot be reached" in unknown[0]["message"]


def test_policy_errors_exit_2(project: Any, gate: Callable[..., Any]) -> None:
    project.write(".contribution-gate.toml", '[licenses]\ndependencies = "sometimes"\n')
    project.add("requirements.txt", "attrs==24.2.0\n")
    run = gate("review", "--staged", "-C", project.root)
    assert run.code == 2 and "dependencies" in run.err
    project.write(".contribution-gate.toml", '[licenses]\nallow-packages = ["pypi:attrs@>>1"]\n')
    run = gate("review", "--staged", "-C", project.root)
    assert run.code == 2 and "allow-packages" in run.err and ">>1" in run.err


def test_licenses_inventory_lists_dependencies(project: Any, gate_command: list[str], depsdev: FakeDepsDev) -> None:
    project.add("requirements.txt", "attrs==23.2.0\nPyQt5==5.15.10\n")
    shutil.copy(DATA / "checkout" / "package-lock.json", project.root / "package-lock.json")
    project.stage("package-lock.json")
    text = subprocess.run(
        [*gate_command, "licenses", "--staged", "-C", str(project.root)], capture_output=True, text=True, timeout=120
    )
    assert text.returncode == 1
    assert "Dependencies:" in text.stdout and "pypi:PyQt5 5.15.10" in text.stdout and "GPL-3.0-only" in text.stdout
    assert "npm:undici 6.27.0 (via @actions/github)" in text.stdout
    out = subprocess.run(
        [*gate_command, "licenses", "--staged", "--format", "json", "-C", str(project.root)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    document = json.loads(out.stdout)
    pyqt = next(d for d in document["dependencies"] if d["name"] == "PyQt5")
    assert (pyqt["version"], pyqt["expression"], pyqt["verdict"]) == ("5.15.10", "GPL-3.0-only", "fail")
    assert pyqt["source"] == "cache of deps.dev"  # the text run asked deps.dev and kept the answer
    undici = next(d for d in document["dependencies"] if d["name"] == "undici")
    assert (undici["direct"], undici["via"], undici["source"], undici["verdict"]) == (
        False,
        "@actions/github",
        "lockfile",
        "pass",
    )
    assert document["dependency_summary"]["fail"] == 1


def test_real_lockfiles_through_the_command(based_repo: Any, gate_command: list[str], tmp_path: Path) -> None:
    """Real manifests and lockfiles of several ecosystems, offline: licenses from composer.lock and
    package-lock.json, the rest unknown (warnings), never an error or a crashed check."""
    based_repo.commit_files("policy", {".contribution-gate.toml": '[licenses]\nproject = "MIT"\n'})
    for relative in (
        "checkout/package-lock.json",
        "composer/composer.lock",
        "ripgrep/Cargo.lock",
        "vue/pnpm-lock.yaml",
        "flask/uv.lock",
    ):
        target = based_repo.root / relative.split("/", 1)[0] / relative.rsplit("/", 1)[-1]
        target.parent.mkdir(exist_ok=True)
        shutil.copy(DATA / relative, target)
    based_repo.stage()
    code, report = review(gate_command, based_repo, "--staged", env={"XDG_CACHE_HOME": str(tmp_path / "c")})
    assert all(c["status"] != "error" for c in report["checks"])
    rules = {f["rule"] for f in report["findings"]}
    assert rules <= {"dependency-license-unknown", "dependency-license-needs-review"}
    paths = {f["path"] for f in report["findings"]}
    assert {"ripgrep/Cargo.lock", "vue/pnpm-lock.yaml", "flask/uv.lock"} <= paths
    lock = json.loads((DATA / "checkout" / "package-lock.json").read_text())["packages"]
    unlicensed = sum(1 for key, entry in lock.items() if key and "license" not in entry)
    from_lock = [f for f in report["findings"] if f["path"] == "checkout/package-lock.json"]
    assert len(from_lock) == unlicensed  # every other entry is judged from its own license field


def test_a_change_without_manifests_loads_nothing_of_it(based_repo: Any) -> None:
    based_repo.add("src/app.py", "def main():\n    return 1\n")
    code = (
        "import sys\nfrom contribution_gate.cli import main\n"
        "try:\n    main(['review', '--staged', '--check', 'licenses', '-C', sys.argv[1]])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if '.dependencies.' in m))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, str(based_repo.root)], capture_output=True, text=True, timeout=120
    )
    assert proc.stdout.strip().splitlines()[-1] == "['contribution_gate.checks.licenses.dependencies.names']"


def test_many_unknown_packages_of_one_file_are_one_warning(
    based_repo: Any, gate_command: list[str], depsdev: FakeDepsDev
) -> None:
    """A lockfile reviewed whole offline (a first lockfile, `--all-files`) names hundreds of
    packages nothing local knows: one warning for the file, not one per package; a few stay apart."""
    based_repo.commit_files("project", {"package.json": MIT})
    based_repo.add("requirements.txt", "".join(f"unknown-package-{n}==1.0\n" for n in range(40)))
    based_repo.add("tools/requirements.txt", "one-unknown==1.0\ntwo-unknown==2.0\n")
    code, report = review(gate_command, based_repo, "--staged")
    assert code == 0 and depsdev.requests == []
    unknown = [f for f in report["findings"] if f["rule"] == "dependency-license-unknown"]
    assert sorted((f["path"], f["line"]) for f in unknown) == [
        ("requirements.txt", 1),
        ("tools/requirements.txt", 1),
        ("tools/requirements.txt", 2),
    ]
    many = next(f for f in unknown if f["path"] == "requirements.txt")
    assert "adds 40 packages whose licenses are not known" in many["message"]
    assert "unknown-package-0 1.0" in many["message"] and "and 35 more" in many["message"]
    assert 'dependencies = "online"' in many["remediation"]


def test_manifests_among_test_fixtures_are_sample_projects(
    based_repo: Any, gate_command: list[str], depsdev: FakeDepsDev
) -> None:
    """A packaging tool's tests hold sample projects: their manifests' packages and declared
    licenses are the samples', not this project's (poetry's own tests: 15 false errors)."""
    based_repo.commit_files("project", {"package.json": MIT})
    sample = '[project]\nname = "sample"\nversion = "1"\nlicense = "GPL-3.0-only"\ndependencies = ["pyqt5==5.15.10"]\n'
    based_repo.add("tests/fixtures/gpl_project/pyproject.toml", sample)
    based_repo.add("tests/fixtures/invalid/pyproject.toml", sample.replace("GPL-3.0-only", "INVALID"))
    based_repo.add("src/Data/Fixtures/package.json", MIT.replace('"MIT"', '"GPL-3.0-only"'))
    code, report = review(gate_command, based_repo, "--staged", env={"GITHUB_ACTIONS": "true"})
    assert code == 0, report["findings"]
    assert [f for f in report["findings"] if f["check"] == "licenses" and f["severity"] != "note"] == []
    assert depsdev.requests == []
    based_repo.add("tests/requirements.txt", "PyQt5==5.15.10\n")  # the test suite's own: judged
    code, report = review(gate_command, based_repo, "--staged", env={"GITHUB_ACTIONS": "true"})
    judged = [(f["rule"], f["path"]) for f in report["findings"] if f["severity"] != "note"]
    assert judged == [("dependency-license-incompatible", "tests/requirements.txt")]  # a test dependency: a warning
