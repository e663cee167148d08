"""Files that hide a credential: encoded in text, inside archives, notebooks and Office documents.

Built at run time from tokens made of parts (tokens.py), so no file of this repository holds one.
Each builder returns the committed file's bytes and the encoded form a report must not show.
"""

from __future__ import annotations

import base64
import binascii
import io
import json
import tarfile
import zipfile


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def percent(text: str) -> str:
    """Every character percent-encoded, as a URL builder that escapes all does."""
    return "".join(f"%{b:02X}" for b in text.encode())


def hexed(text: str) -> str:
    return binascii.hexlify(text.encode()).decode()


def zipped(members: dict[str, str | bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def tarred_gz(members: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as archive:
        for name, text in members.items():
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return out.getvalue()


def notebook(source: list[str], output: str) -> str:
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": ["# Exploring the API"]},
        {
            "cell_type": "code",
            "execution_count": 1,
            "metadata": {},
            "source": source,
            "outputs": [{"output_type": "stream", "name": "stdout", "text": [output]}],
        },
    ]
    return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1) + "\n"


def docx(paragraphs: list[list[str]]) -> bytes:
    """A minimal Word document; each paragraph a list of runs (Word splits words over runs)."""
    body = "".join("<w:p>" + "".join(f"<w:r><w:t>{run}</w:t></w:r>" for run in runs) + "</w:p>" for runs in paragraphs)
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{body}</w:body></w:document>"
    )
    return zipped({"[Content_Types].xml": "<Types/>", "word/document.xml": document})


def encrypted_zip() -> bytes:
    """A zip whose one member has the encryption flag set (its bytes are not readable as they are)."""
    data = bytearray(zipped({"secrets.txt": "x" * 64}, zipfile.ZIP_STORED))
    data[6] |= 1  # local header flags
    central = data.find(b"PK\x01\x02")
    data[central + 8] |= 1
    return bytes(data)


SEVEN_ZIP = b"7z\xbc\xaf\x27\x1c\x00\x04" + bytes(120)


def hidden_files(token: dict[str, str]) -> dict[str, str | bytes]:
    """One file per way of hiding a token: `token` maps each way to its own token."""
    return {
        "config/settings.json": json.dumps({"service": {"credentials": b64(token["base64"])}}) + "\n",
        "app/links.txt": f"callback: https://example.com/login?next=%2Fhome&t={percent(token['percent'])}\n",
        "config/blob.cfg": f"payload = {hexed(token['hex'])}\n",
        "bundle.zip": zipped({"README.txt": "deploy bundle\n", "conf/.env": f"DEBUG=0\nGITHUB_TOKEN={token['zip']}\n"}),
        "analysis.ipynb": notebook(["import os\n", "print(os.environ['GITHUB_TOKEN'])"], token["notebook"] + "\n"),
        "report.docx": docx([["Quarterly report"], ["Use the token ", token["docx"][:12], token["docx"][12:]]]),
    }


WAYS = ("base64", "percent", "hex", "zip", "notebook", "docx")
CARRIER = {
    "base64": "config/settings.json",
    "percent": "app/links.txt",
    "hex": "config/blob.cfg",
    "zip": "bundle.zip",
    "notebook": "analysis.ipynb",
    "docx": "report.docx",
}
