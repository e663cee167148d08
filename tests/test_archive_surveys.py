"""One walk of a committed archive told to the next check (`surveys.py`): the models check skips its own walk
of an archive the secrets check walked and found nothing in for it, and only then; its findings never change."""

from __future__ import annotations

import gzip
import io
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

import model_fixtures as F
import pytest

from contribution_gate.checks import secrets
from contribution_gate.checks.models.budget import Limits
from contribution_gate.checks.models.scan import scan as models_scan
from contribution_gate.checks.models.settings import default_allowlist
from contribution_gate.checks.secrets import members
from contribution_gate.containers import Bounds
from contribution_gate.surveys import Survey, Surveys

if TYPE_CHECKING:
    from conftest import GitRepo, Run

Gate = Callable[..., "Run"]
TEXT = {"pkg/__init__.py": b"from .core import main\n", "pkg/core.py": b"def main():\n    return 0\n"}


@pytest.fixture(autouse=True)
def not_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


def safetensors_like_gzip() -> bytes:
    """A valid gzip stream whose header bytes 8-9 (XFL, OS: ignored by readers) read `{"`: the models check
    takes it for a safetensors file, so a walk that opened it as gzip must not stand for the models check's."""
    data = bytearray(gzip.compress(b"print('hello')\n" * 20, mtime=0))
    data[8:10] = b'{"'
    return bytes(data)


def tar_gz(files: dict[str, bytes]) -> bytes:
    return gzip.compress(F.tarred(files), mtime=0)


def nested(depth: int, inner: dict[str, bytes]) -> bytes:
    data = F.zipped(inner, stored=False)
    for level in range(depth - 1):
        data = F.zipped({f"level{level}.zip": data, **TEXT}, stored=False)
    return data


def archives() -> dict[str, bytes]:
    """Archives of every kind the models check judges, each beside text members the secrets check reads."""
    made = {
        "text.whl": F.zipped(TEXT, stored=False),
        "text.tar.gz": tar_gz(TEXT),
        "config.zip": F.zipped({**TEXT, "model/config.json": b'{"auto_map": {"AutoModel": "modeling.Net"}}'}),
        "disguised.zip": F.zipped({**TEXT, "pkg/data.gz": safetensors_like_gzip()}, stored=False),
        "deep.zip": nested(6, {"weights.pkl": F.payload("os", "system")}),  # past the secrets check's depth 4
        "deep-clean.zip": nested(3, TEXT),
    }
    for index, (name, data) in enumerate({**F.malicious(), **F.benign()}.values()):
        made[f"wrapped{index}.zip"] = F.zipped({**TEXT, f"inner/{name}": data}, stored=index % 2 == 0)
        made[f"wrapped{index}.tar.gz"] = tar_gz({**TEXT, f"inner/{name}": data})
    return made


def models_findings(run: Run) -> list[tuple[Any, ...]]:
    found = [f for f in run.json()["findings"] if f["check"] == "models"]
    return sorted((f["path"], f["rule"], f["severity"], f["message"]) for f in found)


def test_the_models_findings_are_the_same_whether_or_not_another_check_walked_the_archive_first(
    based_repo: GitRepo, gate: Gate
) -> None:
    for name, data in archives().items():
        based_repo.add(f"archives/{name}", data)
    based_repo.commit("archives")
    alone = gate("review", "--all-files", "--check", "models", "--format", "json", "-C", based_repo.root)
    after_secrets = gate("review", "--all-files", "--format", "json", "-C", based_repo.root)
    assert models_findings(alone) == models_findings(after_secrets)
    flagged = {path for path, *_ in models_findings(alone)}
    assert {"archives/disguised.zip", "archives/deep.zip", "archives/config.zip"} <= flagged
    assert not flagged & {"archives/text.whl", "archives/text.tar.gz", "archives/deep-clean.zip"}


def walked_by_secrets(data: bytes, surveys: Surveys, blob: str = "blob") -> None:
    kind_of = partial(secrets._member_kind, "archives/x.zip")
    scan_text = partial(secrets._scan_text, secrets.Options())
    found = members.scan(io.BytesIO(data), "x.zip", members.bounds(4, 1 << 20), 1 << 20, kind_of, scan_text,
                         surveys.surveyor(blob))  # fmt: skip
    list(found)


def models_skip(data: bytes, surveys: Surveys, blob: str = "blob") -> bool:
    return models_scan(io.BytesIO(data), len(data), Limits(default_allowlist()), surveyed=surveys.of(blob)).walked


def watched() -> Surveys:
    from contribution_gate.checks.models.settings import _would_read

    surveys = Surveys()
    surveys.watch(_would_read)
    return surveys


@pytest.mark.parametrize("name", ["text.whl", "text.tar.gz", "deep-clean.zip"])
def test_an_archive_of_text_is_walked_once(name: str) -> None:
    data, surveys = archives()[name], watched()
    walked_by_secrets(data, surveys)
    assert models_skip(data, surveys)
    assert not models_skip(data, surveys, blob="another blob")  # a survey is of one archive only


@pytest.mark.parametrize("name", ["config.zip", "disguised.zip", "deep.zip", "wrapped0.zip", "wrapped0.tar.gz"])
def test_an_archive_holding_what_the_models_check_reads_is_walked_again(name: str) -> None:
    data, surveys = archives()[name], watched()
    walked_by_secrets(data, surveys)
    assert not models_skip(data, surveys)


def test_without_a_watcher_no_survey_is_taken() -> None:
    surveys = Surveys()
    walked_by_secrets(archives()["text.whl"], surveys)
    assert surveys.last is None and surveys.surveyor("blob") is None


def test_a_survey_stands_only_within_the_later_walks_bounds() -> None:
    survey = Survey("blob", wanted=False, max_depth=4, members=10, used=1000, seconds=0.5)
    roomy = Bounds(max_depth=6)
    assert survey.within(roomy, size=100, seconds_left=120)
    assert not survey.within(Bounds(max_depth=3), size=100, seconds_left=120)
    assert not survey.within(Bounds(max_members=9), size=100, seconds_left=120)
    assert not survey.within(Bounds(max_bytes=999), size=100, seconds_left=120)
    assert not survey.within(roomy, size=100, seconds_left=0.5)
    assert not Survey("blob", True, 4, 10, 1000, 0.5).within(roomy, size=100, seconds_left=120)
