"""Migration from gitleaks in one line, `[secrets] gitleaks-config = ".gitleaks.toml"`, through the
installed command on real repositories (issue 14, point 3), with real gitleaks files of public
projects (tests/data/gitleaks/README.md says where each comes from) and tokens built at run time."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import tokens
from tokens import rand

from contribution_gate.checks.secrets import gitleaks, userpolicy
from contribution_gate.resources import tomllib

if TYPE_CHECKING:
    from collections.abc import Callable

    from conftest import GitRepo
    from processes import Run

DATA = Path(__file__).parent / "data" / "gitleaks"
MIGRATE = '[secrets]\ngitleaks-config = ".gitleaks.toml"\n'
UPPER = "ABCDEFGHIJKLMNOPQRSTUVWYZ"
HEX = "0123456789abcdef"
LOWER_DIGITS = "abcdefghijklmnopqrstuvwyz0123456789"


def migrate(repo: GitRepo, gitleaks_toml: str, ignore: str | None = None, extra: dict[str, str] | None = None) -> str:
    """Commit a policy that migrates from `gitleaks_toml` (and a .gitleaksignore): the base."""
    files = {".contribution-gate.toml": MIGRATE, ".gitleaks.toml": gitleaks_toml, **(extra or {})}
    if ignore is not None:
        files[".gitleaksignore"] = ignore
    return repo.commit_files("gitleaks config", files)


def secrets(run: Run) -> list[dict[str, object]]:
    assert run.code in (0, 1), run.output
    return [f for f in run.json()["findings"] if f["check"] == "secrets" and not f["suppressed"]]


def staged(gate_cmd: Callable[..., Run], repo: GitRepo) -> Run:
    return gate_cmd("review", "--staged", "--check", "secrets", "--format", "json", "-C", repo.root)


def rules_of(run: Run) -> list[tuple[str, str, int]]:
    return sorted((str(f["rule"]), str(f["path"]), int(f["line"] or 0)) for f in secrets(run))


def standing_in(gitleaks_id: str) -> set[str]:
    """The rule ids that may report what gitleaks' default `gitleaks_id` finds: ours standing in
    for it, or the loaded copy of it."""
    return {*gitleaks.ours_for(gitleaks_id, userpolicy.builtin_ids()), "gitleaks." + gitleaks_id}


@pytest.mark.parametrize("name", sorted(p.name for p in DATA.glob("*.toml")))
def test_every_real_config_loads(based_repo: GitRepo, gate_cmd: Callable[..., Run], name: str) -> None:
    migrate(based_repo, (DATA / name).read_text(encoding="utf-8"))
    based_repo.add("src/util.py", "def util():\n    return 1\n")
    run = staged(gate_cmd, based_repo)
    assert run.code == 0, run.output
    assert "Traceback" not in run.output
    if name == "cmsgov-cdap.toml":  # `useDefault` at the top level, where gitleaks ignores it too
        assert "key 'useDefault' is not gitleaks'" in run.err


def test_gitleaks_default_config_translates_whole() -> None:
    """All 222 rules of gitleaks' default config: each either runs here (RE2 takes Go's syntax as
    it is) or is one our rules stand in for; none is refused."""
    text = (DATA / "gitleaks-default.toml").read_text(encoding="utf-8")
    ids = [r["id"] for r in tomllib.loads(text)["rules"]]
    builtin = userpolicy.builtin_ids()
    loaded = gitleaks.load(text, "gitleaks-default.toml", builtin)
    own = {r.id.removeprefix("gitleaks.") for r in loaded.rules}
    stand_in = {i for i in ids if gitleaks.ours_for(i, builtin)}
    assert len(ids) == 222
    assert own | stand_in == set(ids) and not own & stand_in
    assert loaded.notes == []
    assert stand_in >= {"generic-api-key", "github-pat", "private-key", "aws-access-token"}


def test_default_rules_find_tokens_built_at_run_time(based_repo: GitRepo, gate_cmd: Callable[..., Run]) -> None:
    migrate(based_repo, (DATA / "gitleaks-default.toml").read_text(encoding="utf-8"))
    made = {
        "age-secret-key": "AGE-SECRET-" + "KEY-1" + rand(58, "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L"),
        "notion-api-token": "nt" + "n_" + rand(11, "0123456789") + rand(35),
        "shopify-access-token": "shp" + "at_" + rand(32, HEX),
        "databricks-api-token": "da" + "pi" + rand(32, HEX),
        "planetscale-api-token": "pscale" + "_tkn_" + rand(40),
        "doppler-api-token": "dp.pt." + rand(43),
        "github-pat": tokens.github_token(),
    }
    based_repo.add("deploy/env.sh", "".join(f"export T{n}='{v}'\n" for n, v in enumerate(made.values())))
    run = staged(gate_cmd, based_repo)
    found = {int(f["line"] or 0): str(f["rule"]) for f in secrets(run)}
    for line, gitleaks_id in enumerate(made, 1):
        assert found.get(line) in standing_in(gitleaks_id), (gitleaks_id, found.get(line))
    for value in made.values():
        assert value[8:16] not in run.output


def test_oracle_ads_rules_and_global_allowlist(based_repo: GitRepo, gate_cmd: Callable[..., Run]) -> None:
    """oracle/accelerated-data-science: its `ocid` rule, its `generic-secret` (secretGroup = 4),
    and its global allowlist (regexes on the value, a path) over every finding, ours too."""
    migrate(based_repo, (DATA / "oracle-accelerated-data-science.toml").read_text(encoding="utf-8"))
    ocid = "ocid1.instance.oc1.phx." + rand(60, "abcdefghijklmnopqrstuvwyz123456789")
    secret = rand(24)
    based_repo.add(
        "ads/config.py",
        f'ID = "{ocid}"\nconf = {{"api_key": "{secret}"}}\npassword = "example-password"\n',
    )
    based_repo.add("tests/integration/tests_configs.yaml", f"token: {tokens.github_token()}\nid: {ocid}\n")
    run = staged(gate_cmd, based_repo)
    rules = rules_of(run)
    assert ("gitleaks.ocid", "ads/config.py", 1) in rules
    assert any(r[1:] == ("ads/config.py", 2) and r[0] in ("gitleaks.generic-secret", "generic-secret") for r in rules)
    assert not [r for r in rules if r[1].startswith("tests/") or r[2] == 3]
    assert ocid[23:31] not in run.output and secret[4:12] not in run.output


def test_cmsgov_rule_without_keywords_runs_on_every_line(based_repo: GitRepo, gate_cmd: Callable[..., Run]) -> None:
    """CMSgov/cdap's Medicare Beneficiary Identifier rule: no keywords, `(?i)` inside a group."""
    migrate(based_repo, (DATA / "cmsgov-cdap.toml").read_text(encoding="utf-8"))
    letters = "ACDEFGHJKMNPQRTUVWXY"
    mbi = rand(1, "123456789") + rand(1, letters) + rand(1, letters) + "-" + rand(1, "0123456789")
    mbi += rand(1, letters) + rand(1, letters) + rand(1, "0123456789") + "-" + rand(2, letters) + rand(2, "0123456789")
    rows = [f"{n},row {n}" for n in range(2000)]
    rows[1234] = f"1234,patient {mbi.lower()} seen"
    based_repo.add("exports/claims.csv", "\n".join(rows) + "\n")
    run = staged(gate_cmd, based_repo)
    assert rules_of(run) == [("gitleaks.mbi-detection", "exports/claims.csv", 1235)]


def test_gitleaks_own_config_and_its_ignore_file(based_repo: GitRepo, gate_cmd: Callable[..., Run]) -> None:
    """gitleaks/gitleaks' own files: `useDefault` (ours stand in for the default rules, and the
    default config's paths are not read) and a path allowlist; its real .gitleaksignore loads, and names rules no rule here corresponds to in one warning."""
    migrate(
        based_repo,
        (DATA / "gitleaks-gitleaks.toml").read_text(encoding="utf-8"),
        ignore=(DATA / "gitleaks-gitleaks.gitleaksignore").read_text(encoding="utf-8"),
    )
    token = tokens.github_token()
    based_repo.add("detect/testdata/leak.txt", f"{token}\n")
    based_repo.add("cmd/generate/config/rules/new.go", f'var x = "{token}"\n')
    based_repo.add("cmd/main.go", f'var x = "{token}"\n')
    based_repo.add("web/node_modules/pkg/index.js", f'var x = "{token}"\n')  # gitleaks' default paths
    based_repo.add("config/gitleaks.toml", f'regexes = ["{token}"]\n')
    run = staged(gate_cmd, based_repo)
    assert rules_of(run) == [("github-token", "cmd/main.go", 1)]
    for warning in run.err.strip().splitlines():  # sidekiq's rules have no counterpart here (yet)
        assert "fingerprint(s) name rules no rule here corresponds to ('sidekiq-" in warning, warning


def test_gitleaksignore_fingerprints_map_to_our_findings(based_repo: GitRepo, gate_cmd: Callable[..., Run]) -> None:
    """`commit:path:rule:line` drops that finding of that commit; `path:rule:line` of any commit;
    a default rule's id names the rule of ours that stands in for it; other lines stay findings."""
    migrate(based_repo, "[extend]\nuseDefault = true\n")
    first, second = tokens.github_token(), tokens.github_token()
    c1 = based_repo.commit_files("one", {"a.py": f'T = "{first}"\n', "b.py": f'T = "{first}"\n'})
    c2 = based_repo.commit_files("two", {"c.py": f'x = 1\nT = "{second}"\n', "d.py": f'T = "{second}"\n'})
    ignore = f"# accepted\n{c2}:c.py:github-pat:2\nd.py:github-pat:1\n{c1}:b.py:github-pat:1\n{c1}:a.py:github-pat:9\n"
    run = gate_cmd("review", "--range", "HEAD~2..HEAD", "--check", "secrets", "--format", "json", "-C", based_repo.root)
    assert len(secrets(run)) == 4  # the base has no ignore file yet
    based_repo.git("checkout", "-q", "-b", "accepted", "HEAD~2")
    based_repo.commit_files("ignore", {".gitleaksignore": ignore})
    based_repo.git("cherry-pick", c1, c2)
    run = gate_cmd("review", "--range", "HEAD~2..HEAD", "--check", "secrets", "--format", "json", "-C", based_repo.root)
    # cherry-picked: new commits, so only the path form holds (and c1's b.py entry does not)
    assert rules_of(run) == [("github-token", "a.py", 1), ("github-token", "b.py", 1), ("github-token", "c.py", 2)]
    run = gate_cmd("review", "--all-files", "--check", "secrets", "--format", "json", "-C", based_repo.root)
    assert rules_of(run) == [("github-token", "a.py", 1), ("github-token", "b.py", 1), ("github-token", "c.py", 2)]
    based_repo.git("checkout", "-q", "main")
    based_repo.git("reset", "-q", "--hard", c2)
    based_repo.git("checkout", "-q", "-b", "same-commits", "HEAD~2")
    based_repo.commit_files("ignore", {".gitleaksignore": ignore})
    based_repo.git("merge", "-q", "--no-ff", "--no-edit", c2)
    run = gate_cmd("review", "--range", "HEAD^1..HEAD", "--check", "secrets", "--format", "json", "-C", based_repo.root)
    # the very commits the fingerprints name: c1's b.py and c2's c.py are dropped too
    assert rules_of(run) == [("github-token", "a.py", 1)]


def test_a_file_that_is_no_gitleaksignore_is_a_warning(based_repo: GitRepo, gate_cmd: Callable[..., Run]) -> None:
    """18F/identity-dashboard's .gitleaksignore is in another tool's format: said, not misread."""
    migrate(
        based_repo, "[extend]\nuseDefault = true\n", ignore=(DATA / "18f-identity-dashboard.gitleaksignore").read_text()
    )
    based_repo.add("a.py", "x = 1\n")
    run = staged(gate_cmd, based_repo)
    assert run.code == 0
    assert "2 line(s) are no gitleaks fingerprint" in run.err


def test_commits_and_stopwords_of_a_global_allowlist(based_repo: GitRepo, gate_cmd: Callable[..., Run]) -> None:
    """18F/identity-dashboard's shape: commits whose sample keys are accepted, and a sample key as a
    stopword (a multi-line one never matches a value; a short one does)."""
    sample = rand(24)
    based_repo.checkout("-b", "side")
    first = based_repo.commit_files("sample keys", {"config/app.yml": f"password: {rand(12)}X9{rand(10)}\n"})
    based_repo.checkout("main")
    stop = f'stopwords = ["-----BEGIN RSA PRIVATE KEY-----\\n  Proc-Type", "{sample[:10]}"]\n'
    base = migrate(based_repo, f'[extend]\nuseDefault = true\n[allowlist]\ncommits = ["{first}"]\n{stop}')
    based_repo.commit_files(
        "more", {"config/b.yml": f"password: {sample}\n", "config/c.yml": f"password: {rand(24)}\n"}
    )
    based_repo.git("merge", "-q", "--no-ff", "--no-edit", "side")
    run = gate_cmd(
        "review", "--range", f"{base}..HEAD", "--check", "secrets", "--format", "json", "-C", based_repo.root
    )
    assert [r[1] for r in rules_of(run)] == ["config/c.yml"]


def test_disabled_rules_target_rules_line_targets_and_conditions(
    based_repo: GitRepo, gate_cmd: Callable[..., Run]
) -> None:
    migrate(
        based_repo,
        """[extend]
useDefault = true
disabledRules = ["generic-api-key", "no-such-rule"]

[[allowlists]]
targetRules = ["github-pat"]
regexTarget = "line"
regexes = ['''(?i)\\bnot[\\t\\x20\\-\\_]*secret\\b''']

[[allowlists]]
condition = "AND"
paths = ['''^fixtures/''']
regexes = ['''^sk-''']
""",
    )
    openai, openai2 = tokens.openai_key(), tokens.openai_key()
    based_repo.add(
        "app.py",
        f'password = "{rand(24)}"\nT = "{tokens.github_token()}"  # not-secret\nU = "{tokens.github_token()}"\n',
    )
    based_repo.add("fixtures/keys.py", f'K = "{openai}"\n')
    based_repo.add("other/keys.py", f'K = "{openai2}"\n')
    run = staged(gate_cmd, based_repo)
    assert rules_of(run) == [("github-token", "app.py", 3), ("openai-api-key", "other/keys.py", 1)]
    assert "disabledRules names 'no-such-rule'" in run.err


def test_extend_path_reads_the_other_config_from_the_same_tree(
    based_repo: GitRepo, gate_cmd: Callable[..., Run]
) -> None:
    migrate(
        based_repo,
        '[extend]\npath = "security/base.toml"\n',
        extra={
            "security/base.toml": "[[rules]]\nid = \"acme\"\nregex = '''acme_[a-z0-9]{32}'''\nkeywords = [\"acme_\"]\n"
        },
    )
    based_repo.add("a.py", f'K = "acme_{rand(32, LOWER_DIGITS)}"\n')
    assert rules_of(staged(gate_cmd, based_repo)) == [("gitleaks.acme", "a.py", 1)]


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        (
            "[[rules]]\ndescription = \"AWS\"\nregex = '''AKIA[0-9A-Z]{16}'''\n",
            "rule 1 has no usable id (gitleaks 8 needs one; a gitleaks 7 config?)",
        ),
        ("[[rules]]\nid = \"x\"\nregex = '''(a'''\n", "rule 'x': regex '(a' cannot be run: missing )"),
        ("[[rules]]\nid = \"x\"\nregex = '''a(?=b)'''\n", "rule 'x': regex 'a(?=b)' cannot be run"),
        ("[[rules]]\nid = \"x\"\nregex = '''a(b)'''\nsecretGroup = 3\n", "rule 'x': secretGroup 3 does not exist"),
        ('[[rules]]\nid = "x"\n', "rule 'x': both regex and path are empty"),
        (
            "[[rules]]\nid = \"x\"\nregex = '''ab'''\n[[rules.allowlists]]\ndescription = \"e\"\n",
            "must list regexes, paths, stopwords or commits",
        ),
        ("[allowlist]\ncondition = \"xor\"\npaths = ['''a''']\n", "condition must be 'and' or 'or'"),
        ("[[allowlists]]\ntargetRules = [\"nope\"]\npaths = ['''a''']\n", "targetRules names 'nope'"),
        ("[[rules]\n", "invalid TOML"),
    ],
)
def test_what_gitleaks_refuses_is_one_line_exit_2(
    based_repo: GitRepo, gate_cmd: Callable[..., Run], config: str, expected: str
) -> None:
    migrate(based_repo, config)
    based_repo.add("a.py", "x = 1\n")
    run = gate_cmd("review", "--staged", "-C", based_repo.root)
    assert run.code == 2, run.output
    [line] = run.err.strip().splitlines()
    assert line.startswith("contribution-gate: ") and ".gitleaks.toml (working tree)" in line, line
    assert expected in line, line


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        (
            '[secrets]\ngitleaks-config = "missing.toml"\n',
            "gitleaks-config 'missing.toml' does not exist (working tree)",
        ),
        ('[secrets]\ngitleaks-config = "../outside.toml"\n', "gitleaks-config must be a path inside the repository"),
        ('[secrets]\ngitleaks-config = "/etc/hostname"\n', "gitleaks-config must be a path inside the repository"),
        (
            '[secrets]\ngitleaks-config = ".gitleaks.toml"\ngitleaks-ignore = "nope"\n',
            "gitleaks-ignore 'nope' does not exist",
        ),
        ("[secrets]\ngitleaks-config = 3\n", "[secrets] gitleaks-config must be a string"),
    ],
)
def test_a_wrong_gitleaks_path_is_one_line_exit_2(
    based_repo: GitRepo, gate_cmd: Callable[..., Run], policy: str, expected: str
) -> None:
    based_repo.commit_files("p", {".contribution-gate.toml": policy, ".gitleaks.toml": "[extend]\nuseDefault = true\n"})
    based_repo.add("a.py", "x = 1\n")
    run = gate_cmd("review", "--staged", "-C", based_repo.root)
    assert run.code == 2, run.output
    [line] = run.err.strip().splitlines()
    assert expected in line and ".contribution-gate.toml" in line, line


def test_a_pull_request_cannot_loosen_the_gitleaks_files(based_repo: GitRepo, gate_cmd: Callable[..., Run]) -> None:
    """In a range (CI) the gitleaks config and .gitleaksignore come from the base, like the policy:
    a contribution that allowlists its own path, disables the rule or ignores its own fingerprint
    is judged by the base's files."""
    migrate(based_repo, "[extend]\nuseDefault = true\n", ignore="")
    base = based_repo.sha()
    token = tokens.github_token()
    loosened = (
        "[extend]\nuseDefault = true\ndisabledRules = [\"github-pat\"]\n[allowlist]\npaths = ['''^leak\\.py$''']\n"
    )
    based_repo.commit_files(
        "loosen",
        {".gitleaks.toml": loosened, ".gitleaksignore": "leak.py:github-pat:1\n", "leak.py": f'T = "{token}"\n'},
    )
    run = gate_cmd(
        "review",
        "--range",
        f"{base}..HEAD",
        "--check",
        "secrets",
        "--format",
        "json",
        "-C",
        based_repo.root,
        env={"CI": "true"},
    )
    assert rules_of(run) == [("github-token", "leak.py", 1)]
    assert not re.search(token[4:12], run.output)


def test_a_disabled_default_leaves_the_value_to_the_configs_own_rule_and_masks_all(
    based_repo: GitRepo, gate_cmd: Callable[..., Run]
) -> None:
    """`disabledRules` turns ours off and the config's own rule for the same tokens reports them;
    a value an allowlist accepts is still masked in the excerpt of a finding on its line."""
    migrate(
        based_repo,
        """[extend]
useDefault = true
disabledRules = ["github-pat"]

[allowlist]
regexes = ['''^sk-proj-''']

[[rules]]
id = "our-github"
regex = '''gh[p]_[A-Za-z0-9]{36}'''
keywords = ["ghp_"]
""",
    )
    github, openai = tokens.github_token(), tokens.openai_key()
    based_repo.add("app.env", f"T={github} O={openai}\n")
    runs = [
        gate_cmd("review", "--staged", "--check", "secrets", "--format", fmt, "-C", based_repo.root)
        for fmt in ("json", "text", "sarif")
    ]
    assert rules_of(runs[0]) == [("gitleaks.our-github", "app.env", 1)]
    for run in runs:
        for value in (github, openai):
            assert not [p for p in tokens.secret_fragments(value[4:], 8) if p in run.output], value[:4]
