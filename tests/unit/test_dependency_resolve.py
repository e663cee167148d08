"""The resolver chain against the local deps.dev stand-in: cache expiry, the review's budget,
a service that is down, versions chosen for ranges; and the version ranges and curations."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from fake_depsdev import FakeDepsDev, serve

from contribution_gate.checks.licenses.dependencies.cache import DAY, Cache
from contribution_gate.checks.licenses.dependencies.curation import parse
from contribution_gate.checks.licenses.dependencies.depsdev import Client
from contribution_gate.checks.licenses.dependencies.model import NPM, PEP440, PYPI, Dep
from contribution_gate.checks.licenses.dependencies.resolve import OFFLINE, ONLINE, Resolver
from contribution_gate.checks.licenses.dependencies.versions import RangeError, best, compile_range


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def fake() -> FakeDepsDev:
    server = FakeDepsDev()
    server.add(
        "npm", "gpl-thing", {"1.0.0": ["GPL-3.0-only"], "2.0.0-rc.1": ["GPL-3.0-only"], "1.4.0": ["GPL-3.0-only"]}
    )
    server.add("pypi", "attrs", {"23.2.0": ["MIT"], "24.2.0": ["MIT", "Apache-2.0"]})
    return server


def test_cache_keeps_answers_for_their_time(fake: FakeDepsDev, tmp_path: Path) -> None:
    clock = Clock()
    with serve(fake):
        deps = [Dep(PYPI, "attrs", "24.2.0", 1), Dep(PYPI, "missing-one", "1.0", 2)]
        first = Resolver(ONLINE, cache=Cache(tmp_path / "c.db", now=clock), client=Client(fake.url)).resolve(deps)
        assert str(first[0].expr) == "MIT AND Apache-2.0" and first[1].expr is None
        asked = len(fake.requests)
        again = Resolver(ONLINE, cache=Cache(tmp_path / "c.db", now=clock), client=Client(fake.url)).resolve(deps)
        assert len(fake.requests) == asked and again[0].source == "cache of deps.dev"
        assert again[1].problem == "deps.dev does not know this package version"
        clock.now += 2 * DAY  # "not found" is asked again after a day, a license after 30
        Resolver(ONLINE, cache=Cache(tmp_path / "c.db", now=clock), client=Client(fake.url)).resolve(deps)
        assert fake.requests[asked:] == ["/v3/systems/pypi/packages/missing-one/versions/1.0"]


def test_ranges_take_the_default_or_the_highest_release_inside(fake: FakeDepsDev, tmp_path: Path) -> None:
    with serve(fake):
        resolver = Resolver(ONLINE, cache=Cache(tmp_path / "c.db"), client=Client(fake.url))
        ranged = resolver.resolve(
            [Dep(NPM, "gpl-thing", None, 1, spec="^1.0.0"), Dep(PYPI, "attrs", None, 2, spec="<24", spec_kind=PEP440)]
        )
    assert ranged[0].version == "1.4.0"  # the default (last listed) is a pre-release
    assert ranged[1].version == "23.2.0"


def test_budget_and_a_service_that_is_down(fake: FakeDepsDev, tmp_path: Path) -> None:
    deps = [Dep(PYPI, f"pkg{i}", "1.0", i) for i in range(20)]  # more than the 8 asked at once
    fake.delay = 0.3
    with serve(fake):
        resolver = Resolver(ONLINE, cache=Cache(tmp_path / "c.db"), client=Client(fake.url), budget=0.5)
        started = time.monotonic()
        found = resolver.resolve(deps)
        assert time.monotonic() - started < 5  # the budget, not 20 answers of 0.3 s
    assert all(r.expr is None for r in found)
    assert any("budget" in r.problem for r in found)
    down = Resolver(ONLINE, cache=Cache(tmp_path / "d.db"), client=Client("http://127.0.0.1:9")).resolve(deps)
    assert all("cannot be reached" in r.problem for r in down)
    offline = Resolver(OFFLINE, cache=Cache(tmp_path / "e.db")).resolve(deps[:1])
    assert 'dependencies = "offline"' in offline[0].problem


def test_a_cache_that_cannot_be_written_is_skipped(fake: FakeDepsDev, tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a directory")
    with serve(fake):
        found = Resolver(ONLINE, cache=Cache(blocked / "c.db"), client=Client(fake.url)).resolve(
            [Dep(PYPI, "attrs", "23.2.0", 1)]
        )
    assert str(found[0].expr) == "MIT"


@pytest.mark.parametrize(
    ("spec", "kind", "inside", "outside"),
    [
        ("^1.2.3", "", ["1.2.3", "1.9.0"], ["2.0.0", "1.2.2"]),
        ("^0.2.3", "", ["0.2.9"], ["0.3.0"]),
        ("~1.2", "", ["1.2.9"], ["1.3.0"]),
        ("~> 1.2", "", ["1.9"], ["2.0"]),
        (">=1.0, <2", "", ["1.5"], ["2.0.0"]),
        ("1.2.x", "", ["1.2.7"], ["1.3.0"]),
        ("[1.0,2.0)", "", ["1.0", "1.9.9"], ["2.0", "0.9"]),
        ("(,1.5]", "", ["1.5", "0.1"], ["1.6"]),
        ("1.0 - 2.x", "", ["2.9"], ["3.0"]),
        ("<2 || >=3", "", ["1.0", "3.1"], ["2.5"]),
        ("<3", "", ["3.0.0-beta"], ["3.0.0"]),  # a pre-release of 3 is below 3: a deny entry catches it
        (">=5,<6", PEP440, ["5.15.10"], ["6.0"]),
    ],
)
def test_version_ranges(spec: str, kind: str, inside: list[str], outside: list[str]) -> None:
    check = compile_range(spec, kind)
    assert all(check(v) for v in inside) and not any(check(v) for v in outside)


def test_best_and_curation_entries() -> None:
    assert best(["1.0.0", "1.5.0", "2.0.0-rc1"], compile_range("^1"), "2.0.0-rc1") == "1.5.0"
    entry = parse("npm:@scope/pkg@^1.2")
    assert (entry.ecosystem, entry.name, entry.range) == ("npm", "@scope/pkg", "^1.2")
    assert parse("composer:foo/bar").ecosystem == "packagist"
    assert parse("maven:org.example:lib@[1.0,2.0)").name == "org.example:lib"
    assert parse("PyQt5").matches(Dep(PYPI, "pyqt5", "5.15.10", 1), "5.15.10")
    assert not parse("pypi:PyQt5@<5").matches(Dep(PYPI, "PyQt5", "5.15.10", 1), "5.15.10")
    for bad in ("x@<<<", "npm: ", ""):
        with pytest.raises(RangeError):
            parse(bad)


def test_several_classifiers_are_a_choice() -> None:
    """text-unidecode lists Artistic and GPL classifiers: a dual license, judged by its best option."""
    from contribution_gate.checks.licenses.dependencies.resolve import read_license

    classifiers = (
        "License :: OSI Approved :: Artistic License\nLicense :: OSI Approved :: GNU General Public License (GPL)"
    )
    expr, shown, problem = read_license([(classifiers, "classifier")])
    assert (str(expr), shown, problem) == ("Artistic-2.0 OR GPL-1.0-or-later", "Artistic-2.0 OR GPL-1.0-or-later", "")
