"""The internal-urls and proprietary-markers checks through `contribution-gate review` on real
repositories: ranges, the index, the base commit's policy, suppression and the JSON report.

Internal hosts and markers are written with a middle dot that `live()` turns into a dot (hosts) or
removes (markers) at run time, so the repository passes its own gate.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from conftest import GitRepo, Run

Gate = Callable[..., "Run"]
ZONE = "corp.acme-payments.io"
POLICY = f'[internal-urls]\ndomains = ["{ZONE}"]\n[proprietary-markers]\norganizations = ["Acme Payments"]\n'
CHECKS = ("--check", "internal-urls", "--check", "proprietary-markers")


def host(text: str) -> str:
    return text.replace("·", ".")


def marker(text: str) -> str:
    return text.replace("·", "")


def review(gate: Gate, repo: GitRepo, *target: str, checks: tuple[str, ...] = CHECKS) -> tuple[int, dict[str, Any]]:
    run = gate("review", *target, *checks, "--format", "json", "-C", repo.root)
    assert run.code in (0, 1), run.output
    return run.code, run.json()


def found(data: dict[str, Any]) -> list[tuple[str, str, int, str | None, str]]:
    return [(f["rule"], f["path"], f["line"], f["commit"], f["severity"]) for f in data["findings"]]


def with_policy(repo: GitRepo, policy: str = POLICY) -> str:
    return repo.commit_files("Add the policy", {".contribution-gate.toml": policy})


# -- ranges -----------------------------------------------------------------------------------


def test_internal_url_added_then_removed_in_a_range_is_reported_once_at_its_commit(
    based_repo: GitRepo, gate: Gate
) -> None:
    base = with_policy(based_repo)
    url = f"https://jenkins.{ZONE}/job/deploy"
    first = based_repo.commit_files("Add CI link", {"src/ci.py": f'"""CI."""\n\nJENKINS = "{url}"\n'})
    based_repo.commit_files("Keep it", {"src/ci.py": f'"""CI."""\n\nJENKINS = "{url}"\nTIMEOUT = 30\n'})
    based_repo.commit_files("Remove it", {"src/ci.py": '"""CI."""\n\nTIMEOUT = 30\n'})
    code, data = review(gate, based_repo, "--range", f"{base}..HEAD")
    assert code == 1 and data["verdict"] == "fail"
    assert found(data) == [("internal-domain", "src/ci.py", 3, first, "error")]
    (finding,) = data["findings"]
    assert f"jenkins.{ZONE}" in finding["message"] and finding["remediation"]


def test_the_base_commit_s_zones_judge_a_range(based_repo: GitRepo, gate: Gate) -> None:
    base = with_policy(based_repo)
    based_repo.commit_files(
        "Loosen the gate and add a link",
        {
            ".contribution-gate.toml": "[internal-urls]\ndomains = []\n",
            "docs/ops.md": f"# Ops\n\nSee https://wiki.{ZONE}/runbook for the steps.\n",
        },
    )
    code, data = review(gate, based_repo, "--range", f"{base}..HEAD")
    assert code == 1
    assert [(r, p, line) for r, p, line, _, _ in found(data)] == [("internal-domain", "docs/ops.md", 3)]
    assert "base" in data["config"]


def test_zones_a_contribution_adds_to_the_policy_do_not_apply_to_itself(based_repo: GitRepo, gate: Gate) -> None:
    base = based_repo.sha()
    based_repo.commit_files(
        "Tighten the gate",
        {".contribution-gate.toml": POLICY, "docs/ops.md": f"See https://wiki.{ZONE}/runbook.\n"},
    )
    code, data = review(gate, based_repo, "--range", f"{base}..HEAD")
    assert (code, data["findings"]) == (0, [])
    assert review(gate, based_repo, "--all-files")[0] == 1  # the working tree's policy has the zone now


def test_a_marker_already_in_the_base_is_not_the_change_s_finding(based_repo: GitRepo, gate: Gate) -> None:
    based_repo.commit_files("Old notice", {"src/pricing.py": marker("# CONFID·ENTIAL\n\nRATE = 1\n")})
    base = based_repo.sha()
    based_repo.commit_files("Tune", {"src/pricing.py": marker("# CONFID·ENTIAL\n\nRATE = 2\n")})
    code, data = review(gate, based_repo, "--range", f"{base}..HEAD")
    assert (code, data["findings"]) == (0, [])


def test_markers_in_a_range_name_the_phrase_at_the_commit_that_added_them(based_repo: GitRepo, gate: Gate) -> None:
    base = with_policy(based_repo)
    first = based_repo.commit_files(
        "Add model", {"src/model.py": marker('"""Pricing."""\n# Proprietary and Confid·ential\n')}
    )
    second = based_repo.commit_files(
        "Add data",
        {
            "data/prices.csv": marker("Company Confid·ential,,\nsku,price\n"),
            "src/fees.go": marker(
                "// Copy·right (c) 2024 Acme Payments, Inc.\n// All rights reserved.\npackage fees\n"
            ),
            "deploy/values.yaml": marker("classi·fication: restricted\nreplicas: 2\n"),
        },
    )
    code, data = review(gate, based_repo, "--range", f"{base}..HEAD")
    assert code == 1
    assert sorted(found(data)) == sorted(
        [
            ("confidentiality-label", "src/model.py", 2, first, "error"),
            ("confidentiality-label", "data/prices.csv", 1, second, "error"),
            ("proprietary-copyright", "src/fees.go", 1, second, "error"),
            ("classification-label", "deploy/values.yaml", 1, second, "error"),
        ]
    )
    messages = {f["path"]: f["message"] for f in data["findings"]}
    assert "'Proprietary and Confidential'" in messages["src/model.py"]
    assert "'Company Confidential'" in messages["data/prices.csv"]


# -- the index --------------------------------------------------------------------------------


def test_staged_private_address_fails_and_credentials_in_its_url_are_redacted(based_repo: GitRepo, gate: Gate) -> None:
    password = "hunter" + "Two-" + "9x7Qz"
    based_repo.add(
        "deploy/app.env", host(f"LOG_LEVEL=info\nDATABASE_URL=postgres://app:{password}@10·20.30.40:5432/app\n")
    )
    code, data = review(gate, based_repo, "--staged")
    assert code == 1
    assert found(data) == [("private-address", "deploy/app.env", 2, None, "error")]
    (finding,) = data["findings"]
    assert password not in finding["excerpt"] and host("****@10·20.30.40:5432") in finding["excerpt"]
    assert host("10·20.30.40") in finding["message"]


def test_staged_weak_signals_warn_without_failing(based_repo: GitRepo, gate: Gate) -> None:
    based_repo.add(
        "src/links.py", host('WIKI = "http:/·/wiki/Runbooks"\nNAS = "http://nas·lan/share"\n').replace("/./", "//")
    )
    code, data = review(gate, based_repo, "--staged")
    assert (code, data["verdict"]) == (0, "pass")
    assert sorted((f["rule"], f["severity"]) for f in data["findings"]) == [
        ("internal-tld", "warning"),
        ("intranet-host", "warning"),
    ]


def test_inline_marker_and_allow_suppress(based_repo: GitRepo, gate: Gate) -> None:
    with_policy(based_repo, host(f'[internal-urls]\ndomains = ["{ZONE}"]\nallow = ["10·30.0.0/16"]\n'))
    based_repo.add(
        "src/net.py",
        host(f'CI = "https://ci.{ZONE}/"  # contribution-gate: allow[internal-urls]\nLAB = "10·30.4.5:8080"\n')
        + marker("# CONFID·ENTIAL - contribution-gate: allow[proprietary-markers]\n"),
    )
    code, data = review(gate, based_repo, "--staged")
    assert code == 0
    assert sorted((f["rule"], f["severity"], f["suppressed"]) for f in data["findings"]) == [
        ("confidentiality-label", "note", True),
        ("internal-domain", "note", True),
    ]


def test_exclude_paths_skips_fixtures(based_repo: GitRepo, gate: Gate) -> None:
    based_repo.commit_files(
        "Policy", {".contribution-gate.toml": '[proprietary-markers]\nexclude-paths = ["tests/fixtures/**"]\n'}
    )
    based_repo.add("tests/fixtures/notice.txt", marker("CONFID·ENTIAL\n"))
    based_repo.add("docs/notice.md", marker("# Internal Use On·ly\n"))
    code, data = review(gate, based_repo, "--staged")
    assert code == 1 and [(f["rule"], f["path"]) for f in data["findings"]] == [
        ("confidentiality-label", "docs/notice.md")
    ]


def test_identifiers_prose_and_public_hosts_pass(based_repo: GitRepo, gate: Gate) -> None:
    based_repo.add(
        "src/settings.py",
        '"""Settings: keep your API key confidential."""\n'
        "confidential = False\n"
        'VERSION = "10.2.3.4"\n'
        'API = "https://api.example.com/v1"\n'
        'LOCAL = "http://localhost:8080/"\n'
        "def is_restricted(user):\n"
        "    return user.mode == 'restricted'\n",
    )
    based_repo.add("README.md", "# Project\n\nRuns in restricted mode; see https://docs.python.org/3/.\n")
    code, data = review(gate, based_repo, "--staged")
    assert (code, data["findings"]) == (0, [])
    assert [(c["name"], c["status"]) for c in data["checks"]] == [
        ("internal-urls", "pass"),
        ("proprietary-markers", "pass"),
    ]


def test_all_checks_run_by_default_and_the_text_report_names_the_host(based_repo: GitRepo, gate: Gate) -> None:
    with_policy(based_repo)
    based_repo.add("src/api.py", host('URL = "http://10·20.30.40:8080/v1/"\n'))
    run = gate("review", "--staged", "--no-color", "-v", "-C", based_repo.root)  # -v: the checks and their timings
    assert run.code == 1
    assert "internal-urls/private-address" in run.out and host("10·20.30.40") in run.out
    assert "secrets" in run.out and "proprietary-markers" in run.out


def test_invalid_policy_values_exit_2_naming_the_key(based_repo: GitRepo, gate: Gate) -> None:
    based_repo.write(".contribution-gate.toml", '[internal-urls]\nallow = ["10.0.0.0/33"]\n')
    based_repo.add("src/x.py", "X = 1\n")
    run = gate("review", "--staged", "-C", based_repo.root)
    assert run.code == 2 and "[internal-urls] allow" in run.output and "10.0.0.0/33" in run.output
