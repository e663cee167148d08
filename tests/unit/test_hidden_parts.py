"""The parts that find hidden secrets, one by one: encoded segments, Office text, notebook cells,
member names. The installed command's behaviour is in tests/test_secrets_hidden.py."""

from __future__ import annotations

import base64
import hashlib
import json
import os

import hidden_cases as cases
import pytest
import tokens

from contribution_gate.checks.secrets import encodings, members, notebooks, office


def _decoded(text: str) -> dict[str, str]:
    return {s.encoding: s.decoded for s in encodings.segments(text)}


@pytest.mark.parametrize(
    "encode",
    [
        lambda t: base64.b64encode(t.encode()).decode(),
        lambda t: base64.b64encode(t.encode()).decode().rstrip("="),
        lambda t: base64.urlsafe_b64encode(t.encode()).decode(),
    ],
    ids=["base64", "unpadded", "url-safe"],
)
def test_base64_segments_decode_in_any_variant(encode) -> None:  # type: ignore[no-untyped-def]
    """`?`, `>` and `~` give `/`, `+` (`_`, `-` URL-safe) in base64: the run may end there, on a group."""
    token = tokens.github_token()
    text = f'{{"v": "{encode(f"GITHUB_TOKEN={token}?>~ and more text after it")}"}}'
    assert any(token in s.decoded and s.encoding == "base64" for s in encodings.segments(text))


def test_each_encoding_is_found_and_decoded() -> None:
    token = tokens.github_token()
    assert _decoded(f"x = {cases.hexed(token)};") == {"hex": token}
    assert _decoded(f"x = 0x{cases.hexed(token).upper()};") == {"hex": token}
    assert _decoded(f"u=https://h/?t={cases.percent(token)} ")["percent"] == f"u=https://h/?t={token}"
    escaped = "".join(f"\\u{ord(c):04x}" if i % 2 else f"\\x{ord(c):02x}" for i, c in enumerate(token))
    assert _decoded(f'"{escaped}"') == {"escapes": token}
    written = "".join(f"\\\\u{ord(c):04x}" for c in token)  # `\\u0067` in a Go or Java string
    assert _decoded(f'[]byte("{written}")') == {"escapes": token}
    assert _decoded(" ".join(f"U+{ord(c):04X}" for c in token)) == {"code points": token}
    assert _decoded("<p>" + "".join(f"&#x{ord(c):x};" for c in token) + "</p>") == {"html": token}


def test_binary_digests_identifiers_and_jwt_parts_are_no_segments() -> None:
    texts = [
        base64.b64encode(os.urandom(300)).decode(),
        hashlib.sha256(b"x").hexdigest() * 2,
        "sha512-" + base64.b64encode(hashlib.sha512(b"x").digest()).decode(),
        "test_a_very_long_function_name_for_a_test_case_of_something()",
        "src/contribution_gate/checks/secrets/encodings.py",
        "AbstractSingletonProxyFactoryBeanConfigurationManager",
        tokens.jwt(),
        "print('%s and %d and %02x' % (a, b, c))",
    ]
    for text in texts:
        assert list(encodings.segments(text)) == [], text


def _pem(label: str, raw: bytes) -> str:
    encoded = base64.b64encode(raw).decode()
    lines = [encoded[i : i + 64] for i in range(0, len(encoded), 64)]
    return f"-----BEGIN {label}-----\n" + "\n".join(lines) + f"\n-----END {label}-----\n"


def test_a_certificates_der_is_not_decoded_line_by_line_but_text_in_pem_armour_is() -> None:
    """A CA bundle (certifi's `cacert.pem`, in every vendored copy of requests) is thousands of
    base64 lines of DER, binary from end to end: a body that is one DER structure is passed by,
    even where a line of it falls inside a text field. Base64 of text in PEM armour is still read."""
    fields = bytes(range(256)) * 3 + b"Certification practice statement of an example authority, " * 2
    der = b"\x30\x82" + len(fields).to_bytes(2, "big") + fields
    bundle = _pem("CERTIFICATE", der) * 3
    assert list(encodings.segments(bundle)) == []
    assert any(s.encoding == "base64" for s in encodings.segments(_pem("CERTIFICATE", der[:-1])))  # not one DER
    token = tokens.github_token()
    armoured = _pem("CERTIFICATE", f"key {token}".encode())  # one line of base64
    assert any(token in s.decoded for s in encodings.segments(bundle + armoured + bundle))


def test_secret_spans_cover_the_encoded_segment_of_a_secret_only() -> None:
    token = tokens.github_token()
    line = f"a={cases.b64('hello world, nothing here')} b={cases.b64(cases.percent(token))} c"
    spans = encodings.secret_spans(line, lambda decoded: token in decoded)
    assert [line[s:e] for s, e in spans] == [cases.b64(cases.percent(token))]


def test_a_long_base64_run_is_read_in_pieces_so_a_token_deep_in_it_is_found() -> None:
    token = tokens.github_token()
    text = "lorem ipsum dolor sit amet " * 3000 + f" token={token} " + "consectetur adipiscing " * 3000
    found = [s for s in encodings.segments(cases.b64(text)) if token in s.decoded]
    assert found and all(s.end - s.start <= encodings.PIECE for s in found)


def test_office_text_joins_runs_and_puts_a_paragraph_on_a_line() -> None:
    xml = (
        "<w:document><w:body><w:p><w:r><w:t>Title</w:t></w:r></w:p>"
        '<w:p><w:r><w:t xml:space="preserve">key is ghp_</w:t></w:r><w:r><w:t>abc&amp;def</w:t></w:r></w:p>'
        "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>a</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:body></w:document>"
    )
    lines = office.text_of(xml).split("\n")
    assert lines[:2] == ["Title", "key is ghp_abc&def"]
    assert office.is_text_part("word/document.xml") and office.is_text_part("xl/sharedStrings.xml")
    assert not office.is_text_part("word/_rels/document.xml.rels") and not office.is_text_part("conf/app.xml")


def test_notebook_parts_are_named_by_cell_and_leave_images_out() -> None:
    document = json.loads(cases.notebook(["x = 1\n", "print(x)"], "1\n"))
    document["cells"][1]["outputs"].append({"output_type": "display_data", "data": {"image/png": "iVBOR" * 100}})
    parts = list(notebooks.parts(json.dumps(document)) or ())
    assert [(p.label, p.code) for p in parts] == [("cell 1", False), ("cell 2", True), ("cell 2 output", False)]
    assert parts[1].text == "x = 1\nprint(x)" and "iVBOR" not in parts[2].text
    assert notebooks.parts("{not json") is None


def test_member_names_leave_compressed_streams_out() -> None:
    assert members.named("a/logs.tar.gz", "gzip!logs/run.log") == "logs/run.log"
    assert members.named("notes.txt.gz", "gzip") == "notes.txt"
    assert members.named("bundle.zip", "inner.zip!x.env") == "inner.zip!x.env"
    assert members.named("x.zip", "data.bin.xz!xz") == "data.bin.xz!data.bin"
