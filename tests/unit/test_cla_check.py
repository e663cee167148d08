"""The cla check on literal commits: DCO sign-offs and CLA signatures, without git or network."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pytest

from contribution_gate.checks import cla
from contribution_gate.checks.cla.people import evaluate
from contribution_gate.checks.cla.settings import DcoFile, Inputs
from contribution_gate.checks.cla.signatures import Signature
from contribution_gate.github.api import Account
from contribution_gate.model import Commit, Setup

BASE = "0" * 40
_counter = iter(range(1, 10_000))


def commit(
    author: str = "Ada <ada@example.org>",
    message: str = "change",
    committer: str | None = None,
    parents: tuple[str, ...] | None = None,
) -> Commit:
    sha = f"{next(_counter):040x}"
    an, ae = author[: author.index(" <")], author[author.index("<") + 1 : -1]
    cn, ce = (
        (an, ae)
        if committer is None
        else (committer[: committer.index(" <")], committer[committer.index("<") + 1 : -1])
    )
    return Commit(sha, parents if parents is not None else (BASE,), an, ae, cn, ce, message)


def dco(**table: object) -> cla.Options:
    return cla.options({"mode": "dco", **table})


def rules(commits: Sequence[Commit], opts: cla.Options) -> list[tuple[str, str | None]]:
    return [(f.rule, f.commit) for f in cla.scan_commits(commits, opts)]


# -- mode ---------------------------------------------------------------------------------------


def test_mode_is_off_by_default_dco_with_a_dco_file_and_explicit_mode_wins() -> None:
    assert cla.options({}).mode == "off"
    assert cla.options({}, Setup(loaded=Inputs(DcoFile()))).mode == "dco"
    assert cla.options({"mode": "cla"}, Setup(loaded=Inputs(DcoFile()))).mode == "cla"
    assert cla.options({"mode": "off"}, Setup(loaded=Inputs(DcoFile()))).mode == "off"
    assert list(cla.scan_commits([commit()], cla.options({}))) == []


def test_allow_authors_are_anchored_globs_with_literal_brackets() -> None:
    opts = cla.options({"allow-authors": ["*[bot]", "*@example.com"]})
    assert opts.allowed("renovate[bot]") == "*[bot]"
    assert opts.allowed("Dependabot[BOT]") == "*[bot]"
    assert opts.allowed("robot") is None  # `[bot]` is not a character class
    assert opts.allowed("someone@example.com") == "*@example.com"
    assert opts.allowed("someone@example.com.evil.org") is None  # anchored at the end
    assert opts.allowed("someone@sub.example.com") is None
    assert opts.allowed(None, "") is None


# -- DCO ----------------------------------------------------------------------------------------


def test_dco_signed_by_author_or_committer_case_insensitively() -> None:
    by_author = commit(message="Fix\n\nsigned-off-by: ADA <Ada@Example.org>")
    by_committer = commit(message="Fix\n\nSigned-off-by: Cy <cy@example.net>", committer="Cy <cy@example.net>")
    anywhere = commit(message="Signed-off-by: Ada <ada@example.org>\nFix")
    assert rules([by_author, by_committer, anywhere], dco()) == []


def test_dco_missing_and_mismatched_signoffs_one_finding_per_commit() -> None:
    missing = commit()
    wrong = commit(message="Fix\n\nSigned-off-by: Ada <ada@elsewhere.org>")
    half = commit(message="Fix\n\nSigned-off-by: Someone Else <ada@example.org>")
    findings = list(cla.scan_commits([missing, wrong, half], dco()))
    assert [(f.rule, f.commit, f.path, f.line) for f in findings] == [
        ("missing-signoff", missing.sha, "", None),
        ("wrong-signoff", wrong.sha, "", None),
        ("wrong-signoff", half.sha, "", None),
    ]
    assert "Ada <ada@example.org>" in findings[0].message and missing.sha[:12] in findings[0].message
    assert '"Ada <ada@elsewhere.org>"' in findings[1].message
    assert f"git rebase --signoff {BASE[:12]}" in findings[0].remediation
    assert len({f.fingerprint for f in findings}) == 3


def test_dco_fix_for_only_the_last_commit_is_amend() -> None:
    signed, last = commit(message="a\n\nSigned-off-by: Ada <ada@example.org>"), commit()
    (finding,) = cla.scan_commits([signed, last], dco())
    assert "git commit --amend --signoff" in finding.remediation


def test_dco_skips_merges_bots_and_allowed_authors() -> None:
    merge = commit(parents=(BASE, "f" * 40))
    bot = commit("dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>")
    employee = commit("Em <em@corp.example>")
    robot = commit("Robot <robot@example.org>")
    opts = dco(**{"allow-authors": ["*@corp.example", "*[bot]"]})
    assert rules([merge, bot, employee, robot], opts) == [("missing-signoff", robot.sha)]


def test_dco_fixup_commits_in_a_range_need_a_signoff_too() -> None:
    fixup = commit(message="fixup! Fix")
    assert rules([fixup], dco()) == [("missing-signoff", fixup.sha)]


def test_dco_remediation_commits_count_only_when_the_dco_file_allows_them() -> None:
    unsigned = commit()
    individual = commit(
        message=f"Remediate\n\nI, Ada <ada@example.org>, hereby add my Signed-off-by to this commit: {unsigned.sha}\n\n"
        "Signed-off-by: Ada <ada@example.org>"
    )
    assert rules([unsigned, individual], dco()) == [("missing-signoff", unsigned.sha)]
    allowed = cla.options({}, Setup(loaded=Inputs(DcoFile(individual=True))))
    assert rules([unsigned, individual], allowed) == []
    assert "hereby add my Signed-off-by" in next(iter(cla.scan_commits([unsigned], allowed))).remediation


def test_dco_individual_remediation_must_come_from_the_author() -> None:
    unsigned = commit()
    other = commit(
        "Mallory <m@example.org>",
        f"I, Ada <ada@example.org>, hereby add my Signed-off-by to this commit: {unsigned.sha}\n\n"
        "Signed-off-by: Mallory <m@example.org>",
    )
    allowed = cla.options({}, Setup(loaded=Inputs(DcoFile(individual=True))))
    assert ("missing-signoff", unsigned.sha) in rules([unsigned, other], allowed)


def test_dco_third_party_remediation() -> None:
    unsigned = commit()
    line = f"On behalf of Ada <ada@example.org>, I, Max <max@example.org>, hereby add my Signed-off-by to this commit: {unsigned.sha}"
    remediation = commit("Max <max@example.org>", f"Remediate\n\n{line}\n\nSigned-off-by: Max <max@example.org>")
    individual_only = cla.options({}, Setup(loaded=Inputs(DcoFile(individual=True))))
    assert rules([unsigned, remediation], individual_only) == [("missing-signoff", unsigned.sha)]
    third_party = cla.options({}, Setup(loaded=Inputs(DcoFile(individual=True, third_party=True))))
    assert rules([unsigned, remediation], third_party) == []


class FakeAccounts:
    """A lookup like github_api.CommitAccounts, from a dict; records what it was asked."""

    def __init__(self, accounts: Mapping[str, Account | None]) -> None:
        self.accounts, self.asked = dict(accounts), []  # type: ignore[var-annotated]

    def __call__(self, shas: Sequence[str]) -> dict[str, Account | None]:
        self.asked.append(list(shas))
        return {s: self.accounts.get(s) for s in shas}


def test_dco_members_skip_needs_the_account_and_a_verified_commit() -> None:
    mine, unverified, outsider = (
        commit("Me <me@corp.example>"),
        commit("Me <me@corp.example>"),
        commit("Out <out@example.org>"),
    )
    lookup = FakeAccounts(
        {
            mine.sha: Account("me", 1, verified=True),
            unverified.sha: Account("me", 1),
            outsider.sha: Account("out", 2, verified=True),
        }
    )
    members = Inputs(DcoFile(require_members=False), members=frozenset({"me"}), lookup=lookup)
    assert rules([mine, unverified, outsider], cla.options({}, Setup(loaded=members))) == [
        ("missing-signoff", unverified.sha),
        ("missing-signoff", outsider.sha),
    ]
    without_token = Inputs(DcoFile(require_members=False), members=frozenset({"me"}))
    assert len(rules([mine], cla.options({}, Setup(loaded=without_token)))) == 1
    required = Inputs(DcoFile(), members=frozenset({"me"}), lookup=lookup)
    assert len(rules([mine], cla.options({}, Setup(loaded=required)))) == 1


def test_dco_bot_accounts_from_the_api_are_skipped() -> None:
    app = commit("Some App <app@example.org>")
    lookup = FakeAccounts({app.sha: Account("some-app[bot]", 3, "Bot")})
    assert rules([app], cla.options({"mode": "dco"}, Setup(loaded=Inputs(lookup=lookup)))) == []


# -- CLA ----------------------------------------------------------------------------------------

SIGNED = (Signature("octocat", 583231), Signature("ada", 5, ("ada@example.org",)))


def cla_opts(lookup: object = None, **table: object) -> cla.Options:
    inputs = Inputs(signatures=SIGNED, signatures_source="signatures/cla.json (base abc)", lookup=lookup)  # type: ignore[arg-type]
    return cla.options(
        {"mode": "cla", "corporate": [{"name": "Example Corp", "domains": ["corp.example"]}], **table},
        Setup(loaded=inputs),
    )


def test_cla_covered_by_noreply_login_listed_email_corporate_domain_and_allow_list() -> None:
    commits = [
        commit("Octo <583231+octocat@users.noreply.github.com>"),
        commit("Ada L. <ADA@example.org>"),
        commit("Em <em@dev.corp.example>"),
        commit("dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>"),
        commit(parents=(BASE, "f" * 40), author="Merger <merge@example.net>"),
    ]
    opts = cla_opts(**{"allow-authors": ["*[bot]"]})
    assert list(cla.scan_commits(commits, opts)) == []
    summary = evaluate(commits, opts)
    assert {(c.name, c.status, c.via) for c in summary.contributors} == {
        ("octocat", "signed", "signature of octocat"),
        ("ada@example.org", "signed", "signature of ada"),
        ("em@dev.corp.example", "corporate", "Example Corp"),
        ("dependabot[bot]", "allowed", "allow-authors *[bot]"),
    }


def test_cla_same_login_with_another_account_id_has_not_signed() -> None:
    impostor = commit("Octo <999+octocat@users.noreply.github.com>")
    assert rules([impostor], cla_opts()) == [("unsigned", impostor.sha)]


def test_cla_one_finding_per_person_naming_login_commits_and_phrase() -> None:
    first, second = (
        commit("Mona <7+monalisa@users.noreply.github.com>"),
        commit("Mona Lisa <7+monalisa@users.noreply.github.com>"),
    )
    (finding,) = cla.scan_commits([first, second], cla_opts(phrase="I  agree   to the CLA"))
    assert finding.rule == "unsigned" and finding.commit == first.sha
    assert "GitHub user monalisa" in finding.message
    assert first.sha[:12] in finding.message and second.sha[:12] in finding.message
    assert "Mona" not in finding.message.replace("monalisa", "")  # never the name git records
    assert "I agree to the CLA" in finding.remediation


def test_cla_unknown_emails_without_a_token_say_which_commits_and_how_to_fix() -> None:
    commits = [commit("Bob <bob@example.net>") for _ in range(7)]
    (finding,) = cla.scan_commits(commits, cla_opts())
    assert finding.rule == "unknown-author"
    assert "bob@example.net" in finding.message and "without GITHUB_TOKEN" in finding.message
    assert "and 2 more" in finding.message
    assert "GITHUB_TOKEN" in finding.remediation and "--reset-author" in finding.remediation


def test_cla_co_authors_must_have_signed_too() -> None:
    with_trailers = commit(
        message="Pair\n\nCo-authored-by: Octo <583231+octocat@users.noreply.github.com>\n"
        "co-authored-by: Carol <carol@example.net>\nCo-Authored-By: Dee <8+dee@users.noreply.github.com>"
    )
    found = sorted((f.rule, f.message) for f in cla.scan_commits([with_trailers], cla_opts()))
    assert [rule for rule, _ in found] == ["unknown-author", "unsigned"]
    assert found[0][1].startswith("co-author email carol@example.net of commit")
    assert found[1][1].startswith("GitHub user dee (co-author of commit")
    summary = evaluate([with_trailers], cla_opts())
    statuses = {c.name: (c.status, c.co_author_only) for c in summary.contributors}
    assert statuses == {
        "ada@example.org": ("signed", False),
        "octocat": ("signed", True),
        "carol@example.net": ("unknown", True),
        "dee": ("unsigned", True),
    }


def test_cla_lookup_resolves_logins_only_for_what_email_does_not_cover() -> None:
    covered, signer, stranger, ghost = (
        commit("Ada <ada@example.org>"),
        commit("O <octo@work.example>"),
        commit("S <s@example.net>"),
        commit("G <g@example.net>"),
    )
    lookup = FakeAccounts(
        {signer.sha: Account("octocat", 583231), stranger.sha: Account("stranger", 42), ghost.sha: None}
    )
    found = sorted((f.rule, f.commit) for f in cla.scan_commits([covered, signer, stranger, ghost], cla_opts(lookup)))
    assert found == sorted([("unsigned", stranger.sha), ("unknown-author", ghost.sha)])
    assert lookup.asked == [[signer.sha, stranger.sha, ghost.sha]]
    ghost_finding = next(f for f in cla.scan_commits([ghost], cla_opts(lookup)) if f.rule == "unknown-author")
    assert "no GitHub account has this email" in ghost_finding.message
    assert "link the email to your GitHub account" in ghost_finding.remediation


def test_cla_nothing_is_looked_up_when_everyone_is_covered() -> None:
    lookup = FakeAccounts({})
    assert rules([commit("Ada <ada@example.org>")], cla_opts(lookup)) == []
    assert lookup.asked == []


@pytest.mark.parametrize("mode", ["off", "dco"])
def test_no_summary_outside_cla_mode(mode: str) -> None:
    assert cla.summary([commit()], cla.options({"mode": mode})) is None


def test_the_review_keeps_no_commits_for_the_check_when_it_is_off() -> None:
    from contribution_gate.checks import reads_commits

    assert not reads_commits(cla, cla.options({}))
    assert reads_commits(cla, cla.options({"mode": "dco"}))
    assert reads_commits(cla, cla.options({}, Setup(loaded=Inputs(DcoFile()))))
