"""The dependency parsers on real manifests and lockfiles (tests/data/deps, sources in SOURCES.md)
and on hostile ones: every package with its line, version, lockfile entry and the direct
dependency that brings it; a malformed file is a problem named, never an exception."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from contribution_gate.checks.licenses.dependencies import graph
from contribution_gate.checks.licenses.dependencies.files import kind_of
from contribution_gate.checks.licenses.dependencies.model import DEV, RUNTIME, Dep, Parsed

DATA = Path(__file__).parents[1] / "data" / "deps"


def parse(relative: str, name: str | None = None) -> Parsed:
    path = DATA / relative
    kind = kind_of(name or relative)
    assert kind is not None, relative
    return kind.parse(path.read_text(encoding="utf-8"), name or relative)


def labelled(relative: str) -> dict[str, Dep]:
    return {f"{d.name}@{d.version}": d for d in graph.label(parse(relative))}


def line_of(relative: str, needle: str) -> int:
    lines = (DATA / relative).read_text(encoding="utf-8").splitlines()
    return next(i + 1 for i, line in enumerate(lines) if needle in line)


def test_package_lock_carries_licenses_lines_and_who_brings_each_package() -> None:
    deps = labelled("checkout/package-lock.json")
    core = deps["@actions/core@3.0.1"]
    assert (core.direct, core.license, core.scope) == (True, "MIT", RUNTIME)
    assert core.line == line_of("checkout/package-lock.json", '"node_modules/@actions/core": {')
    http = deps["@actions/http-client@4.0.1"]
    assert not http.direct and http.via == "@actions/core" and http.entry == "node_modules/@actions/http-client"
    assert http.license == "MIT"
    nested = deps["@actions/http-client@3.0.2"]  # a second copy, nested under the package that needs it
    assert (
        nested.via == "@actions/github"
        and nested.entry == "node_modules/@actions/github/node_modules/@actions/http-client"
    )
    assert deps["before-after-hook@4.0.0"].license == "Apache-2.0"
    assert deps["argparse@2.0.1"].scope == DEV and deps["argparse@2.0.1"].via == "js-yaml"
    prettier = next(d for d in deps.values() if d.name == "prettier")
    assert prettier.direct and prettier.scope == DEV


def test_package_json_sections_and_specs() -> None:
    deps = {d.name: d for d in parse("checkout/package.json").deps}
    assert deps["@actions/core"].spec == "^3.0.1" and deps["@actions/core"].scope == RUNTIME
    assert deps["jest"].scope == DEV
    assert deps["@actions/core"].line == line_of("checkout/package.json", '"@actions/core"')


def test_yarn_classic_and_berry() -> None:
    classic = {f"{d.name}@{d.version}": d for d in parse("caprine/yarn.lock").deps}
    chalk = classic["chalk@1.1.3"]
    assert chalk.line == line_of("caprine/yarn.lock", "chalk@^1.0.0, chalk@^1.1.0")
    assert "chalk@^1.1.3" in chalk.entry
    assert {"bluebird@2.11.0", "bluebird@3.4.7"} <= set(classic)
    berry = labelled("prettier/yarn.lock")
    assert berry["@babel/code-frame@8.0.0"].direct  # the workspace entry's dependencies are direct
    assert berry["js-tokens@10.0.0"].via == "@babel/code-frame"
    assert not any(d.name == "prettier" for d in berry.values())  # the workspace itself is no package


def test_pnpm_v9_importers_snapshots_and_dev_scope() -> None:
    deps = labelled("vue/pnpm-lock.yaml")
    assert deps["@babel/parser@7.29.8"].direct and deps["@babel/parser@7.29.8"].scope == RUNTIME
    types = deps["@babel/types@7.29.8"]
    assert types.direct and types.scope == RUNTIME  # a devDependency, and needed by @babel/parser at run time
    assert deps["@babel/helper-string-parser@7.29.7"].via == "@babel/parser"
    assert deps["entities@7.0.1"].line == line_of("vue/pnpm-lock.yaml", "  entities@7.0.1:")
    assert not any(d.name == "@vue/shared" for d in deps.values())  # a workspace link


def test_python_lockfiles() -> None:
    uv = labelled("flask/uv.lock")
    assert not any(d.name == "flask" for d in uv.values())  # the project itself (editable source)
    assert uv["click@8.3.2"].direct and uv["markupsafe@3.0.3"].direct
    assert not uv["colorama@0.4.6"].direct and uv["colorama@0.4.6"].via == "click"
    poetry = {d.name: d for d in parse("poetry/poetry.lock").deps}
    assert poetry["anyio"].version == "4.13.0" and poetry["anyio"].line == line_of(
        "poetry/poetry.lock", 'name = "anyio"'
    )
    pdm = {d.name: d for d in parse("pdm-demo/pdm.lock").deps}
    assert pdm["certifi"].scope == DEV and pdm["chardet"].scope == RUNTIME  # groups = ["security"] vs ["default"]
    pipfile = {d.name: d for d in parse("pipenv-examples/Pipfile.lock").deps}
    assert pipfile["certifi"].version == "2026.2.25"


def test_python_manifests() -> None:
    flask = {d.name: d for d in parse("flask/pyproject.toml").deps}
    assert flask["werkzeug"].spec == ">=3.1.0" and flask["werkzeug"].scope == RUNTIME
    assert flask["werkzeug"].line == line_of("flask/pyproject.toml", '"werkzeug>=')
    assert any(d.scope == DEV for d in flask.values())  # [dependency-groups]
    pipfile = {d.name: d for d in parse("pipenv-examples/Pipfile").deps}
    assert pipfile and all(d.line for d in pipfile.values())


def test_requirements_files() -> None:
    text = "\n".join(
        (
            "# a comment",
            "-r base.txt",
            "--index-url https://pypi.org/simple",
            "PyQt5==5.15.10 \\",
            "    --hash=sha256:0000",
            "mysql-connector-python>=8  # the driver",
            "requests[socks]==2.32.3 ; python_version >= '3.8'",
            "-e git+https://github.com/example/thing.git#egg=thing",
            "git+https://github.com/huggingface/peft",
            "git+https://github.com/1adrianb/face-alignment.git@v1.4",
            "https://example.com/downloads/latest",
            "./local/package",
            "not a requirement at all ((",
            "-c constraints.txt",
        )
    )
    parsed = kind_of("requirements-dev.txt").parse(text, "requirements-dev.txt")  # type: ignore[union-attr]
    deps = {d.name: d for d in parsed.deps}
    assert (deps["PyQt5"].version, deps["PyQt5"].line) == ("5.15.10", 4)
    assert (deps["mysql-connector-python"].spec, deps["mysql-connector-python"].line) == (">=8", 6)
    assert deps["requests"].version == "2.32.3"
    assert deps["thing"].source_note.startswith("installed from git+")
    # a VCS URL without `#egg=` names its package after the repository, as pip's clone nearly always does
    assert (deps["peft"].line, deps["face-alignment"].line) == (9, 10)
    assert deps["peft"].source_note.endswith("named after its repository")
    assert all(d.scope == DEV for d in deps.values())  # requirements-dev.txt
    assert parsed.includes == [(2, "base.txt")]
    assert [line for line, _ in parsed.problems] == [11, 13]  # a URL that names no package, and no requirement


def test_cargo_go_gemfile_composer_nuget_gradle() -> None:
    cargo = labelled("ripgrep/Cargo.lock")
    assert cargo["anyhow@1.0.104"].direct and cargo["cfg-if@1.0.4"].via == "encoding_rs"
    assert "ripgrep" not in {d.name for d in cargo.values()}  # the workspace's own crates
    manifest = {d.name: d for d in parse("ripgrep/Cargo.toml").deps}
    assert manifest["tikv-jemallocator"].line == line_of("ripgrep/Cargo.toml", "dependencies.tikv-jemallocator]")
    go = {d.name: d for d in parse("cobra/go.mod").deps}
    assert go["github.com/spf13/pflag"].version.startswith("v1.")  # type: ignore[union-attr]
    gems = labelled("choosealicense/Gemfile.lock")
    assert gems["github-pages@4"].direct and gems["jekyll@1.1.2"].via == "github-pages"
    assert gems["nokogiri@1.6.0"].via == "html-proofer"
    composer = {d.name: d for d in parse("composer/composer.lock").deps}
    assert all(d.license for d in composer.values())
    direct = {d.name for d in parse("composer/composer.json").deps}
    assert "php" not in direct and "composer/ca-bundle" in direct
    nuget = labelled("simpleheels/packages.lock.json")
    assert nuget["EmbedIO@3.5.2"].direct  # a dependency of the Project entry
    assert nuget["Unosquare.Swan.Lite@3.1.0"].via == "EmbedIO"
    gradle = {d.name: d for d in parse("kotlin-bip39/gradle.lockfile").deps}
    assert gradle["org.slf4j:slf4j-api"].version == "2.0.7" and gradle["org.slf4j:slf4j-api"].scope == DEV
    catalog = {d.name: d for d in parse("nowinandroid/gradle/libs.versions.toml").deps}
    assert catalog["androidx.activity:activity-compose"].version  # a version.ref resolved


def test_pom_xml_properties_scopes_and_plugins() -> None:
    pom = "\n".join(
        (
            "<project>",
            "  <properties><mysql.version>8.0.33</mysql.version></properties>",
            "  <dependencies>",
            "    <dependency>",
            "      <groupId>com.mysql</groupId>",
            "      <artifactId>mysql-connector-j</artifactId>",
            "      <version>${mysql.version}</version>",
            "    </dependency>",
            "    <dependency><groupId>junit</groupId><artifactId>junit</artifactId><version>4.13.2</version><scope>test</scope></dependency>",
            "  </dependencies>",
            "  <build><plugins><plugin><dependencies><dependency><groupId>x</groupId><artifactId>y</artifactId></dependency></dependencies></plugin></plugins></build>",
            "</project>",
        )
    )
    deps = {d.name: d for d in kind_of("pom.xml").parse(pom, "pom.xml").deps}  # type: ignore[union-attr]
    assert deps["com.mysql:mysql-connector-j"].version == "8.0.33" and deps["com.mysql:mysql-connector-j"].line == 6
    assert deps["junit:junit"].scope == DEV
    assert "x:y" not in deps


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("package-lock.json", '{"packages": {"node_modules/a": '),
        ("package-lock.json", "[" * 100_000),
        ("composer.lock", '{"packages": 5'),
        ("packages.lock.json", "null"),
        ("uv.lock", "[[package]\nname = "),
        ("Cargo.toml", "a" + ".a" * 1000 + " = 1"),
        ("pyproject.toml", "[project\n"),
        ("Pipfile", "[packages]\nx = {"),
        ("setup.cfg", "[options\ninstall_requires = x"),
        ("package.json", '{"dependencies": []}'),
        ("yarn.lock", 'a@^1:\n  version\n  dependencies:\n    "b\n'),
        ("pnpm-lock.yaml", "packages:\n  '/a@:\n    dependencies:\n      b:\n"),
        ("Gemfile.lock", "GEM\n  specs:\n    (\n      )\n"),
        ("pom.xml", "<dependency><groupId>a</groupId>"),
        ("go.mod", "require (\nx\n"),
        ("gradle.lockfile", "a:b=c\n"),
    ],
)
def test_malformed_files_are_problems_not_crashes(name: str, text: str) -> None:
    kind = kind_of(name)
    assert kind is not None
    parsed = kind.parse(text, name)
    assert isinstance(parsed, Parsed)
    assert all(isinstance(d, Dep) for d in parsed.deps)


def test_line_parsers_grow_linearly() -> None:
    """Hostile sizes: time(10x the input) stays far below 100x (a quadratic parser)."""

    def cost(name: str, text: str) -> float:
        kind = kind_of(name)
        assert kind is not None
        best = float("inf")
        for _ in range(2):
            started = time.perf_counter()
            kind.parse(text, name)
            best = min(best, time.perf_counter() - started)
        return max(best, 0.01)

    cases = {
        "yarn.lock": lambda n: "".join(
            f'p{i}@^1:\n  version "1.0.{i}"\n  dependencies:\n    p{i + 1} "^1"\n\n' for i in range(n)
        ),
        "requirements.txt": lambda n: "".join(f"p{i}=={i}.0 \\\n  --hash=sha256:{i:064d}\n" for i in range(n)),
        "pnpm-lock.yaml": lambda n: (
            "packages:\n" + "".join(f"  p{i}@1.0.{i}:\n    dependencies:\n      p{i + 1}: 1.0.0\n" for i in range(n))
        ),
        "Gemfile.lock": lambda n: (
            "GEM\n  specs:\n" + "".join(f"    g{i} (1.{i})\n      g{i + 1} (>= 1)\n" for i in range(n))
        ),
        "package-lock.json": lambda n: (
            '{"packages": {'
            + ",".join(
                f'"node_modules/p{i}": {{"version": "1.0.{i}", "dependencies": {{"p{i + 1}": "1"}}}}' for i in range(n)
            )
            + "}}"
        ),
    }
    for name, make in cases.items():
        small, large = cost(name, make(1_000)), cost(name, make(10_000))
        assert large / small < 40, (name, small, large)
