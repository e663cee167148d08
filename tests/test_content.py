"""Whole files on demand: `git cat-file --batch` behind `git.TreeContent`, on real repositories."""

from __future__ import annotations

import hashlib
import os
from typing import TYPE_CHECKING

from contribution_gate.content import sha256_of, size_of
from contribution_gate.git import (
    SPOOL_IN_MEMORY,
    Repository,
    TreeContent,
    collect,
    resolve_target,
)
from contribution_gate.model import FileChange

if TYPE_CHECKING:
    from conftest import GitRepo


def test_blobs_by_id_path_and_index(based_repo: GitRepo) -> None:
    head = based_repo.sha()
    based_repo.add("data/blob.bin", b"\x00\x01staged\xff")
    content = TreeContent(Repository(based_repo.root), None)  # the index
    at_head = TreeContent(Repository(based_repo.root), head)
    try:
        with content.open_path("data/blob.bin") as stream:
            assert stream is not None and stream.read() == b"\x00\x01staged\xff"
        with at_head.open_path("data/blob.bin") as stream:
            assert stream is None  # not committed yet
        with at_head.open_path("README.md") as stream:
            assert stream is not None and stream.read() == b"# project\n"
        with content.open("0" * 40) as stream:
            assert stream is None
        assert content.list_dir("data") == ["blob.bin"]
        assert "README.md" in at_head.list_dir("") and "src" in at_head.list_dir("")
    finally:
        content.close()
        at_head.close()


def test_a_large_blob_streams_seeks_and_is_read_only_as_far_as_needed(based_repo: GitRepo) -> None:
    payload = os.urandom(SPOOL_IN_MEMORY + (3 << 20))
    based_repo.add("big.bin", payload)
    based_repo.add("small.txt", "after\n")
    content = TreeContent(Repository(based_repo.root), None)
    try:
        with content.open_path("big.bin") as stream:
            assert stream is not None
            assert stream.read(8) == payload[:8]  # only the head is pulled from git
            assert size_of(stream) == len(payload)
        with content.open_path("small.txt") as stream:  # the rest of big.bin was drained
            assert stream is not None and stream.read() == b"after\n"
        with content.open_path("big.bin") as stream:
            assert stream is not None
            stream.seek(len(payload) - 5)
            assert stream.read() == payload[-5:]
            stream.seek(100)
            assert stream.read(3) == payload[100:103]
            assert sha256_of(stream) == hashlib.sha256(payload).hexdigest()
    finally:
        content.close()


def test_opening_another_blob_keeps_the_first_readable(based_repo: GitRepo) -> None:
    based_repo.add("a.bin", b"A" * 100_000)
    based_repo.add("b.bin", b"B" * 10)
    content = TreeContent(Repository(based_repo.root), None)
    try:
        with content.open_path("a.bin") as first:
            assert first is not None and first.read(3) == b"AAA"
            with content.open_path("b.bin") as second:
                assert second is not None and second.read() == b"B" * 10
            assert first.read() == b"A" * 99_997
    finally:
        content.close()


def test_collect_attaches_content_and_no_process_starts_unless_asked(based_repo: GitRepo) -> None:
    based_repo.commit_files("weights", {"w.bin": b"\x00weights"})
    repository = Repository(based_repo.root)
    changes = collect(repository, resolve_target(repository, False, "HEAD~1..HEAD", False))
    [_, change] = list(changes)
    assert isinstance(change, FileChange) and change.blob
    assert changes.content._reader._proc is None  # nothing read: no cat-file process
    reopened = collect(repository, resolve_target(repository, False, "HEAD~1..HEAD", False))
    for item in reopened:
        if isinstance(item, FileChange):
            with reopened.content.open(item.blob or "") as stream:
                assert stream is not None and stream.read() == b"\x00weights"
    assert reopened.content._reader._proc is None  # closed when the stream ended


def test_lfs_objects_are_found_in_the_common_git_dir(based_repo: GitRepo) -> None:
    oid = hashlib.sha256(b"weights").hexdigest()
    repository = Repository(based_repo.root)
    assert repository.lfs_object(oid) is None
    stored = based_repo.root / ".git" / "lfs" / "objects" / oid[:2] / oid[2:4] / oid
    stored.parent.mkdir(parents=True)
    stored.write_bytes(b"weights")
    assert Repository(based_repo.root).lfs_object(oid) == stored.resolve()
    assert repository.lfs_object("../../etc/passwd") is None
