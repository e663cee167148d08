"""The habits that keep the codebase honest, enforced by the suite itself: ruff (lint and format),
mypy (strict on src/), no import circle, one package per check, and lazy imports on the hook path."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
PACKAGE = SRC / "contribution_gate"
LINTED = ("src", "tests", "benchmarks")


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, check=False)


def test_ruff_finds_nothing() -> None:
    proc = _run("ruff", "check", "--no-cache", *LINTED)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_ruff_format_is_applied() -> None:
    proc = _run("ruff", "format", "--check", "--no-cache", *LINTED)
    assert proc.returncode == 0, "run `ruff format src tests benchmarks`:\n" + proc.stdout + proc.stderr


def test_mypy_strict_on_src(tmp_path: Path) -> None:
    proc = _run("mypy", "--cache-dir", str(tmp_path / "mypy-cache"))  # files and strictness: pyproject.toml
    assert proc.returncode == 0, proc.stdout + proc.stderr


# -- the import graph ------------------------------------------------------------------------------


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _package_of(name: str) -> str:
    return name if MODULES[name].name == "__init__.py" else name.rpartition(".")[0]


def _type_checking_only(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(name: str, lazy: bool) -> set[str]:
    """The project modules `name` imports: at module level, or (`lazy`) anywhere, functions included.
    Imports under `if TYPE_CHECKING:` never run and are left out."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    package = _package_of(name)
    found: set[str] = set()

    def visit(node: ast.AST, top: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _type_checking_only(child):
                continue
            if isinstance(child, ast.ImportFrom) and (top or lazy):
                if child.level:
                    parts = package.split(".")
                    base = ".".join(parts[: len(parts) - child.level + 1] + ([child.module] if child.module else []))
                else:
                    base = child.module or ""
                for alias in child.names:
                    target = f"{base}.{alias.name}"
                    found.add(target if target in MODULES else base)
            elif isinstance(child, ast.Import) and (top or lazy):
                found.update(a.name for a in child.names)
            is_scope = isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            visit(child, top and not is_scope)

    visit(tree, True)
    return {m for m in found if m in MODULES and m != name}


def _cycles(lazy: bool) -> list[list[str]]:
    graph = {name: _imports(name, lazy) for name in MODULES}
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append([*path[path.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt)
        path.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return cycles


@pytest.mark.parametrize("lazy", [False, True], ids=["module-level", "including-lazy-imports"])
def test_no_import_circle_in_src(lazy: bool) -> None:
    assert _cycles(lazy) == []


def test_no_module_imports_its_own_package_back() -> None:
    """A part of a package takes shared types from a sibling module, never from its package's face."""
    offenders = []
    for name in MODULES:
        ancestors = {name.rsplit(".", n)[0] for n in range(1, name.count(".") + 1)} - {"contribution_gate"}
        if MODULES[name].name == "__init__.py":
            ancestors.discard(name)
        offenders += [f"{name} -> {target}" for target in _imports(name, lazy=True) if target in ancestors]
    assert offenders == []


def test_every_check_is_a_package_and_checks_holds_only_shared_modules() -> None:
    from contribution_gate.checks import CHECKS

    for check_id, entry in CHECKS.items():
        module = entry if isinstance(entry, str) else entry.__name__  # loaded checks replace their names
        assert (SRC / module.replace(".", "/") / "__init__.py").is_file(), f"{check_id} is not a package"
        assert module.rsplit(".", 1)[1] == check_id.replace("-", "_"), "check id = package name"
    loose = sorted(p.name for p in (PACKAGE / "checks").glob("*.py") if p.name != "__init__.py")
    assert len(loose) <= 2, loose


def test_modules_stay_small() -> None:
    """Modules under ~300 lines: a longer one is a sign that it holds two concerns."""
    long = {name: n for name, path in MODULES.items() if (n := len(path.read_text().splitlines())) > 600}
    assert long == {}


# -- what the hook path imports ---------------------------------------------------------------------

_LOADED = """
import json, sys
from contribution_gate.cli import main
try:
    main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
print(json.dumps({"code": code, "modules": sorted(m for m in sys.modules if m.split(".")[0] in
      ("contribution_gate", "scancode", "licensedcode", "ray", "detect_secrets"))}))
"""


def _loaded_by(repo_root: Path, *args: str) -> tuple[int, set[str]]:
    proc = subprocess.run(
        [sys.executable, "-c", _LOADED, *args], cwd=repo_root, capture_output=True, text=True, check=False
    )
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    return report["code"], set(report["modules"])


def test_a_staged_code_change_imports_only_the_checks_it_runs(repo) -> None:  # type: ignore[no-untyped-def]
    repo.commit_files("base", {"README.md": "# project\n"})
    repo.add("app/main.py", "def handler(event):\n    return {'status': 200}\n")

    code, loaded = _loaded_by(repo.root, "review", "--staged", "--check", "secrets")
    assert code == 0
    assert "contribution_gate.checks.secrets" in loaded
    for other in ("internal_urls", "proprietary_markers", "licenses", "cla", "models"):
        assert f"contribution_gate.checks.{other}" not in loaded
    assert not any(m.startswith(("scancode", "licensedcode")) for m in loaded)

    code, loaded = _loaded_by(repo.root, "review", "--staged")  # every check, on a code-only change
    assert code == 0
    assert not any(m.startswith(("scancode", "licensedcode")) for m in loaded), "ScanCode on a code-only change"
    # the org-wide audit (and Ray, its optional engine) stay off the hook path
    assert not any(m == "ray" or m.startswith(("ray.", "contribution_gate.audit")) for m in loaded)


def test_short_plugin_words_inside_base64_do_not_load_detect_secrets(repo) -> None:  # type: ignore[no-untyped-def]
    """A certificate bundle's base64 holds "ibm" and "akc" inside runs of letters every few lines;
    importing detect-secrets for them cost a whole-tree review of pip a third of a second."""
    import base64
    import random

    rng = random.Random(7)
    lines = []
    for word in ("ibm", "AKC", "Ibm") * 20:
        raw = base64.b64encode(bytes(rng.randrange(256) for _ in range(45))).decode()
        lines.append(raw[:20] + word + raw[23:])
    bundle = "-----BEGIN CERTIFICATE-----\n" + "\n".join(lines) + "\n-----END CERTIFICATE-----\n"
    repo.commit_files("base", {"README.md": "# project\n"})
    repo.add("certs/bundle.pem", bundle)
    code, loaded = _loaded_by(repo.root, "review", "--staged", "--check", "secrets")
    assert code == 0
    assert "detect_secrets" not in loaded

    key = "".join(rng.choice("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789_-") for _ in range(44))
    repo.add("deploy/settings.py", f'ibm_cloud_iam_key = "{key}"\n')
    code, loaded = _loaded_by(repo.root, "review", "--staged", "--check", "secrets")
    assert code == 1
    assert "detect_secrets" in loaded


def test_this_repositorys_pre_commit_config_is_valid() -> None:
    proc = _run("pre_commit", "validate-config", ".pre-commit-config.yaml")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_benchmarks_labels_load_and_name_their_repositories() -> None:
    """`benchmarks/real_repos.py` reads its labels file whole (a bad row stops every run); each
    label names a repository and commit of one of its sets."""
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "import real_repos as r; labels = r.load_labels(r.LABELS);"
            "known = {(x.name, x.commit) for x in r.SETS['all']};"
            "stray = sorted({(l.repo, l.commit) for l in labels} - known);"
            "print(len(labels), stray)",
        ],
        cwd=ROOT / "benchmarks",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    count, stray = proc.stdout.split(" ", 1)
    assert int(count) > 4000 and stray.strip() == "[]", proc.stdout
