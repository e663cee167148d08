"""The parts of a project's own rules that a review cannot isolate: RE2 compilation, entropy,
gitleaks' allowlist logic, fingerprints, the id map and the paths a policy may name."""

from __future__ import annotations

import time

import pytest

from contribution_gate.checks.secrets import gitleaks, userpolicy
from contribution_gate.checks.secrets.goregex import PatternError, compile_pattern, literal_alternation
from contribution_gate.checks.secrets.userrules import Allowlist, UserRule, entropy


@pytest.mark.parametrize(
    "pattern",
    [r"(?i)a(?-i:B)c", r"x\z", r"(?P<n>a)", r"(?<n>a)", r"\Qa.b\E", r"[[:alpha:]]+", r"\pL", r"a(?i)b"],
)
def test_go_syntax_compiles_as_it_is(pattern: str) -> None:
    compile_pattern(pattern)


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        (r"(a)\1", "escape"),
        (r"a(?=b)", "perl operator"),
        (r"\Ca", r"\C"),
        (r"(a", "missing )"),
        ("a{1001}", "repetition"),
    ],
)
def test_what_go_lacks_is_refused_with_the_reason(pattern: str, reason: str) -> None:
    with pytest.raises(PatternError) as refused:
        compile_pattern(pattern)
    assert reason in str(refused.value).lower() or reason in str(refused.value)


def test_re2_is_linear_where_backtracking_is_exponential() -> None:
    regex = compile_pattern(r"(a+)+$")
    started = time.perf_counter()
    assert regex.search("a" * 200_000 + "!") is None
    assert time.perf_counter() - started < 5  # measured: a few ms; Python's re: forever


def test_entropy_is_gitleaks_shannon_per_character() -> None:
    assert entropy("") == 0.0
    assert entropy("aaaa") == 0.0
    assert entropy("abcd") == pytest.approx(2.0)


def test_stopwords_are_literal_and_case_insensitive() -> None:
    words = literal_alternation(("a.b", "(x"))
    assert words.search("XXA.BXX") and words.search("((x") and not words.search("axb")


def test_allowlist_or_and_and_conditions_and_targets() -> None:
    regex = compile_pattern("^test")
    path = compile_pattern("^fixtures/")
    any_of = Allowlist(regexes=(regex,), paths=(path,))
    assert any_of.allows("test123", "", "", "src/a.py", None)
    assert any_of.allows("live123", "", "", "fixtures/a.py", None)
    assert any_of.skips_file("fixtures/a.py", None) and not any_of.skips_file("src/a.py", None)
    both = Allowlist(regexes=(regex,), paths=(path,), all_of=True)
    assert both.allows("test123", "", "", "fixtures/a.py", None)
    assert not both.allows("test123", "", "", "src/a.py", None)
    assert not both.skips_file("fixtures/a.py", None)  # its regex is judged per finding
    line = Allowlist(regexes=(compile_pattern("notsecret"),), target="line")
    assert line.allows("x", "x", "k = x  # notsecret", "", None) and not line.allows("notsecret", "", "k", "", None)
    commits = Allowlist(commits=frozenset({"abc123"}))
    assert commits.skips_file("a.py", "ABC123") and not commits.skips_file("a.py", None)


def test_a_rule_takes_the_named_then_the_first_group_that_matched() -> None:
    rule = UserRule("custom.x", "x", compile_pattern(r"(a)?k=(?P<secret>\w+)|t=(\w+)"))
    assert [m[0] for m in rule.matches("k=one t=two")] == ["one"]
    first = UserRule("gitleaks.y", "y", compile_pattern(r"(a)?k=(\w+)"))
    assert [(m[0], m[1]) for m in first.matches("xk=val")] == [("val", 3)]
    numbered = UserRule("custom.z", "z", compile_pattern(r"(k)=(\w+)"), secret_group=2)
    assert [m[0] for m in numbered.matches("k=abc")] == ["abc"]


def test_gitleaksignore_lines() -> None:
    builtin = userpolicy.builtin_ids()
    text = "# c\n\nabc:src/a.py:github-pat:3\nsrc\\b.py:ocid:4\nx:y\nsrc/c.py:nothing-known:1\nsrc/d.py:jwt:x\n"
    found, notes = gitleaks.ignored(text, ".gitleaksignore", builtin, frozenset({"ocid"}))
    assert found == {("abc", "src/a.py", "github-token", 3), (None, "src/b.py", "gitleaks.ocid", 4)}
    assert notes[0].startswith(".gitleaksignore: 2 line(s) are no gitleaks fingerprint")
    assert "1 fingerprint(s) name rules no rule here corresponds to ('nothing-known')" in notes[1]


def test_a_default_id_stands_for_ours_and_a_custom_id_never_does() -> None:
    builtin = userpolicy.builtin_ids()
    assert gitleaks.ours_for("generic-api-key", builtin) == ("generic-secret",)
    assert gitleaks.ours_for("openai-api-key", builtin) == ("openai-api-key",)
    assert gitleaks.ours_for("generic-secret", builtin) == ()  # ours, but no gitleaks default
    assert gitleaks.ours_for("ocid", builtin) == ()


def test_every_rule_the_id_map_names_exists() -> None:
    """config/gitleaks_ids.toml names rules of ours: a rename there must update the map."""
    builtin = userpolicy.builtin_ids()
    named = {ours for mapped in gitleaks.default_ids().values() for ours in mapped}
    assert named <= builtin, sorted(named - builtin)
    assert len(gitleaks.default_ids()) == 222


@pytest.mark.parametrize(
    ("path", "inside"),
    [
        (".gitleaks.toml", ".gitleaks.toml"),
        ("./ci/gitleaks.toml", "ci/gitleaks.toml"),
        ("ci\\gitleaks.toml", "ci/gitleaks.toml"),
        ("../x.toml", None),
        ("/etc/passwd", None),
        ("C:/x.toml", None),
        ("", None),
        ("a/../../b", None),
    ],
)
def test_gitleaks_files_must_be_inside_the_repository(path: str, inside: str | None) -> None:
    assert userpolicy.inside(path) == inside
