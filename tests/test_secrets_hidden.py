"""Hidden credentials, through the installed command on real repositories: encoded in added text
(base64, hex, percent-encoding, escapes, HTML entities, nested), inside committed archives, in
notebooks and Office documents; what cannot be opened is said, never passed in silence."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import hidden_cases as cases
import tokens

if TYPE_CHECKING:
    from conftest import GitRepo
    from processes import Run

Gate = Callable[..., "Run"]


def _findings(run: Run) -> list[dict[str, object]]:
    assert run.code in (0, 1), run.err
    return [f for f in run.json()["findings"] if f["check"] == "secrets"]


def test_each_hidden_token_is_an_error_naming_its_carrying_file(based_repo: GitRepo, gate_cmd: Gate) -> None:
    token = {way: tokens.github_token() for way in cases.WAYS}
    for path, data in cases.hidden_files(token).items():
        based_repo.add(path, data)
    run = gate_cmd("review", "--staged", "--format", "json", cwd=based_repo.root)
    assert run.code == 1
    found = {f["path"]: f for f in _findings(run) if f["rule"] == "github-token"}
    for way, path in cases.CARRIER.items():
        assert path in found, (way, sorted(found))
        assert found[path]["severity"] == "error", found[path]
    assert "(encoded: base64)" in found["config/settings.json"]["message"]
    assert "(encoded: percent)" in found["app/links.txt"]["message"]
    assert "(encoded: hex)" in found["config/blob.cfg"]["message"]
    assert "bundle.zip!conf/.env:2" in found["bundle.zip"]["message"]
    assert "(cell 2 output)" in found["analysis.ipynb"]["message"]
    assert "report.docx!word/document.xml:2" in found["report.docx"]["message"]
    # the encoded segment's own place: line and column where it starts
    settings = found["config/settings.json"]
    assert (settings["line"], settings["column"]) == (1, len('{"service": {"credentials": "') + 1)
    assert all(token[way] not in run.out for way in cases.WAYS)


def test_nested_encodings_name_their_chain_and_escapes_and_entities_decode(based_repo: GitRepo, gate_cmd: Gate) -> None:
    nested, escaped, entities = tokens.github_token(), tokens.github_token(), tokens.npm_token()
    based_repo.add("deploy/values.txt", cases.b64(cases.percent(f"token={nested}")) + "\n")
    based_repo.add("web/app.js", 'const k = "' + "".join(f"\\u{ord(c):04x}" for c in escaped) + '";\n')
    based_repo.add("web/page.html", "<code>" + "".join(f"&#{ord(c)};" for c in entities) + "</code>\n")
    found = {f["path"]: f for f in _findings(gate_cmd("review", "--staged", "--format", "json", cwd=based_repo.root))}
    assert "(encoded: base64 > percent)" in found["deploy/values.txt"]["message"]
    assert "(encoded: escapes)" in found["web/app.js"]["message"]
    assert found["web/page.html"]["rule"] == "npm-token" and "(encoded: html)" in found["web/page.html"]["message"]


def test_decode_depth_is_a_policy_key_validated_and_zero_turns_decoding_off(
    based_repo: GitRepo, gate_cmd: Gate
) -> None:
    based_repo.add("config/blob.cfg", f"payload = {cases.hexed(tokens.github_token())}\n")
    based_repo.add(".contribution-gate.toml", "[secrets]\ndecode-depth = 0\n")
    assert gate_cmd("review", "--staged", cwd=based_repo.root).code == 0
    based_repo.add(".contribution-gate.toml", "[secrets]\ndecode-depth = 1\n")
    assert gate_cmd("review", "--staged", cwd=based_repo.root).code == 1
    based_repo.add("config/deep.cfg", cases.b64(cases.hexed(tokens.github_token())) + "\n")
    run = gate_cmd("review", "--staged", "--format", "json", cwd=based_repo.root)
    assert {f["path"] for f in _findings(run)} == {"config/blob.cfg"}  # two levels deep: not at depth 1
    bad_values = [("decode-depth", v) for v in ('"two"', "-1", "9", "true")]
    bad_values += [("archive-depth", "-1"), ("archive-depth", "2.5"), ("unscanned", '"ignore"')]
    for key, bad in bad_values:
        based_repo.add(".contribution-gate.toml", f"[secrets]\n{key} = {bad}\n")
        run = gate_cmd("review", "--staged", cwd=based_repo.root)
        assert run.code == 2 and key in run.err and len(run.err.strip().splitlines()) == 1, run.err


def test_ordinary_encoded_data_is_no_finding(based_repo: GitRepo, gate_cmd: Gate) -> None:
    """Images, digests, wheels' RECORD files, lockfile integrity strings, SVG data URIs, JWT parts,
    percent-encoded URLs and escaped prose decode to binary or to text that holds no credential."""
    png = cases.b64("\x89PNG\r\n\x1a\n" + "".join(chr(i % 256) for i in range(600)))
    svg = cases.b64('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M12 2L2 7l10 5"/></svg>')
    files = {
        "web/logo.css": f".logo {{ background: url(data:image/png;base64,{png}); }}\n"
        f".icon {{ background: url(data:image/svg+xml;base64,{svg}); }}\n",
        "pkg-1.0.dist-info/RECORD": "pkg/__init__.py,sha256=" + tokens.b64url(43) + ",120\n",
        "package-lock.json": json.dumps({"integrity": "sha512-" + tokens.rand(86) + "=="}) + "\n",
        "docs/links.md": "See https://example.com/search?q=hello%20world%20and%20more%20words&lang=en\n",
        "src/strings.py": 'GREETING = "\\u00e9t\\u00e9 \\u00e0 la plage, caf\\u00e9 cr\\u00e8me"\n',
        "src/hashes.txt": "\n".join(tokens.rand(64, "0123456789abcdef") for _ in range(20)) + "\n",
        "src/basic.py": f'HEADER = "Basic {cases.b64("user:not-a-secret")}"\n',
    }
    for path, data in files.items():
        based_repo.add(path, data)
    run = gate_cmd("review", "--staged", "--format", "json", cwd=based_repo.root)
    assert _findings(run) == [], _findings(run)


def test_escaped_surrogates_decode_without_stopping_the_check(based_repo: GitRepo, gate_cmd: Gate) -> None:
    """Escapes of surrogates (a lexer's table of Unicode ranges, JSON's escape of an emoji) decode to
    text that UTF-8 cannot hold as it is: a lone one becomes U+FFFD, a pair its character, and the
    check goes on (pip's vendored pygments in a wheel stopped it). A token escaped after them is found."""
    token = tokens.github_token()
    invalid = r"\x01-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
    planes = "".join(rf"\U{p:04x}fffe\U{p:04x}ffff" for p in range(1, 17))
    ranges = f"invalid_unicode_re = re.compile('[{invalid}{planes}]')\n"  # as html5lib's constants.py
    emoji = 'msg = "' + "\\ud83d\\ude00" * 12 + " " + "".join(f"\\u{ord(c):04x}" for c in token) + '"\n'
    based_repo.add("lexer/unistring.py", ranges)
    based_repo.add("web/emoji.js", emoji)
    bundle = based_repo.root / "vendor.zip"
    with zipfile.ZipFile(bundle, "w") as archive:
        archive.writestr("pygments/unistring.py", ranges)
    based_repo.git("add", "vendor.zip")
    run = gate_cmd("review", "--staged", "--format", "json", cwd=based_repo.root)
    assert run.code == 1, run.err
    report = run.json()
    assert report["errors"] == [], report["errors"]
    found = _findings(run)
    assert [(f["path"], f["rule"]) for f in found] == [("web/emoji.js", "github-token")], found
    assert "(encoded: escapes)" in found[0]["message"]
    assert token not in run.out


def test_archives_are_read_nested_and_through_tar_and_gzip(based_repo: GitRepo, gate_cmd: Gate) -> None:
    deep, logged = tokens.github_token(), tokens.github_token()
    inner = cases.zipped({"deep/settings.py": f'TOKEN = "{deep}"\n'})
    based_repo.add(
        "dist/app.jar", cases.zipped({"META-INF/MANIFEST.MF": "Manifest-Version: 1.0\n", "lib/in.zip": inner})
    )
    based_repo.add("logs.tar.gz", cases.tarred_gz({"logs/run.log": f"starting\nauth {logged}\n"}))
    found = {f["message"] for f in _findings(gate_cmd("review", "--staged", "--format", "json", cwd=based_repo.root))}
    assert any("dist/app.jar!lib/in.zip!deep/settings.py:1" in m for m in found), found
    assert any("logs.tar.gz!logs/run.log:2" in m for m in found), found


def test_a_token_in_a_member_name_is_a_finding_on_the_archive(based_repo: GitRepo, gate_cmd: Gate) -> None:
    token = tokens.github_token()
    based_repo.add("keys.zip", cases.zipped({f"keys/{token}.txt": "rotated\n"}))
    run = gate_cmd("review", "--staged", "--format", "json", cwd=based_repo.root)
    (found,) = _findings(run)
    assert (found["path"], found["rule"], found["severity"]) == ("keys.zip", "github-token", "error")
    assert "a member of keys.zip" in found["message"] and f"keys/{token[:4]}****.txt" in found["message"]
    assert token not in run.out


def test_what_cannot_be_opened_is_a_note_or_a_warning_in_ci(based_repo: GitRepo, gate_cmd: Gate) -> None:
    based_repo.add("vault.zip", cases.encrypted_zip())
    based_repo.add("backup.7z", cases.SEVEN_ZIP)
    based_repo.add("nested.zip", cases.zipped({"inner/old.7z": cases.SEVEN_ZIP}))
    env = dict.fromkeys(("CI", "GITHUB_ACTIONS"), "")
    run = gate_cmd("review", "--staged", "--check", "secrets", "--format", "json", cwd=based_repo.root, env=env)
    unopened = {f["path"]: f for f in _findings(run)}
    assert {p: f["rule"] for p, f in unopened.items()} == {
        "vault.zip": "archive-encrypted",
        "backup.7z": "archive-unsupported",
        "nested.zip": "archive-unsupported",
    }
    assert {f["severity"] for f in unopened.values()} == {"note"} and run.code == 0
    assert "vault.zip!secrets.txt" in unopened["vault.zip"]["message"]
    assert "nested.zip!inner/old.7z" in unopened["nested.zip"]["message"]
    ci = gate_cmd(
        "review", "--staged", "--check", "secrets", "--format", "json", cwd=based_repo.root, env={"CI": "true"}
    )
    assert {f["severity"] for f in _findings(ci)} == {"warning"}
    based_repo.add(".contribution-gate.toml", '[secrets]\nunscanned = "error"\n')
    assert gate_cmd("review", "--staged", "--check", "secrets", cwd=based_repo.root, env=env).code == 1


def test_archive_depth_bounds_nesting_and_zero_reads_no_archive(based_repo: GitRepo, gate_cmd: Gate) -> None:
    token = tokens.github_token()
    nested = cases.zipped({"a.zip": cases.zipped({"b.zip": cases.zipped({"key.txt": f"k={token}\n"})})})
    based_repo.add("deep.zip", nested)
    based_repo.add(".contribution-gate.toml", "[secrets]\narchive-depth = 2\n")
    found = _findings(gate_cmd("review", "--staged", "--format", "json", cwd=based_repo.root))
    assert [f["rule"] for f in found] == ["archive-too-deep"], found
    based_repo.add(".contribution-gate.toml", "[secrets]\narchive-depth = 3\n")
    found = _findings(gate_cmd("review", "--staged", "--format", "json", cwd=based_repo.root))
    assert [f["rule"] for f in found] == ["github-token"]


# Measured from a small wrapper process: a child forked from pytest itself would count pytest's own
# memory at fork time in its peak RSS (Linux keeps the high-water mark across exec).
_MEASURE = (
    "import resource, subprocess, sys, time\n"
    "start = time.monotonic()\n"
    "code = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
    "print(code, time.monotonic() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)


def _child_run(argv: list[str], cwd: Path) -> tuple[int, float, int]:
    """Exit code, wall seconds and peak RSS (KiB) of one run of the installed command."""
    out = subprocess.run(
        [sys.executable, "-c", _MEASURE, *argv], cwd=cwd, capture_output=True, text=True, check=True, timeout=600
    )
    code, seconds, peak = out.stdout.split()
    return int(code), float(seconds), int(peak)


def test_a_zip_bomb_and_a_large_zip_of_text_take_bounded_time_and_memory(
    based_repo: GitRepo, gate_command: list[str]
) -> None:
    """Generous bounds, not timings: a 256 MiB text bomb in 0.6 MB stops at the budget (a note says so), and a
    zip of 24 MB of text (24 members) is read whole in flat memory; benchmarks/hidden.py has the figures."""
    bomb = based_repo.root / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive, archive.open("a.txt", "w") as member:
        block = b"all work and no play " * 50_000
        for _ in range((256 << 20) // len(block)):
            member.write(block)
    token = tokens.github_token()
    line = "INFO request served in 12 ms from cache node eu-west replica {}\n"
    with zipfile.ZipFile(based_repo.root / "logs.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        for n in range(24):
            text = "".join(line.format(i) for i in range(n * 20_000, n * 20_000 + 16_000))
            archive.writestr(f"logs/day{n}.log", text + (f"GITHUB_TOKEN={token}\n" if n == 23 else ""))
    based_repo.stage("bomb.zip", "logs.zip")
    code, seconds, peak = _child_run([*gate_command, "review", "--staged", "--check", "secrets"], based_repo.root)
    assert code == 1  # the token in the last member of the large zip
    assert seconds < 300
    assert peak < 1_000_000, f"{peak} KiB"
    run = subprocess.run(
        [*gate_command, "review", "--staged", "--check", "secrets", "--format", "json"],
        cwd=based_repo.root,
        capture_output=True,
        text=True,
        check=False,
    )
    rules = {(f["path"], f["rule"]) for f in json.loads(run.stdout)["findings"]}
    assert ("bomb.zip", "archive-bomb") in rules and ("logs.zip", "github-token") in rules, rules


def test_a_long_minified_line_with_encoded_segments_is_read_in_linear_time() -> None:
    """Decoding on 8x the text takes about 8x the time (well under the 64x of a quadratic scan)."""
    from contribution_gate.checks.secrets import Options, scan_file
    from contribution_gate.model import AddedLine, FileChange

    unit = (
        'a="'
        + cases.b64("x=" + tokens.rand(30))
        + '";b="%41%42%43'
        + tokens.rand(20)
        + '";c="\\u0041'
        + "z" * 30
        + '";'
    )

    def seconds(repeat: int) -> float:
        change = FileChange(path="app.min.js", status="A", added=(AddedLine(1, unit * repeat),))
        start = time.process_time()
        list(scan_file(change, Options()))
        return time.process_time() - start

    seconds(200)
    small, large = min(seconds(2_000) for _ in range(2)), min(seconds(16_000) for _ in range(2))
    assert large < max(small, 0.01) * 24, (small, large)
