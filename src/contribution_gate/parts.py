"""Where a long range or a big tree is cut so that several processes can review it (`parallel.py`).

A range is cut into runs of consecutive commits in the order the review reads them (oldest first,
topological), so the parts put back in order are the serial stream. A tree is cut into groups of
paths of shrinking size (factoring: batches of one part per process, each batch half of what is
left): directories are opened, heaviest first, until none outweighs a quarter of the smallest part,
then the pieces are packed into parts, largest first into the part furthest below its share. A part
of a tree is named by a few pathspecs, not by every file in it.

There are more parts than processes (`PARTS_PER_JOB`): a process that finishes early takes the
next part, so one heavy commit or directory does not leave the other processes idle.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

PARTS_PER_JOB = 6  # a tree's; two processes: 12 parts, the last two 1/64 of the tree each (pip's: about 45 ms)
# a range's part starts its own `git log -p` and `git cat-file` (each reads the packs' indexes again),
# and a long range's commits are many and small, so its runs balance with fewer parts: measured on the
# history benchmark's 3,704 commits, two runs per process cost 4 % less CPU than four, as fast at the end
RUNS_PER_JOB = 2
MAX_AUTO_JOBS = 4  # beyond this, git and the disk rather than the checks set the pace
MEMORY_PER_JOB = 3 << 29  # 1.5 GiB: room for ScanCode's index in each worker
FILE_COST = 4096  # bytes a file weighs beyond its size: opening, routing and judging it
MAX_PATHSPECS = 256  # pieces of a tree before packing: the command lines stay short
# Below these a review is not cut unless asked (`--jobs N`): starting a process costs more than it saves.
MIN_COMMITS = 200
MIN_FILES = 400
MIN_TREE_BYTES = 8 << 20


@dataclass(frozen=True)
class Thresholds:
    """How big a range or tree must be to be cut, and how small a part may be."""

    commits: int = MIN_COMMITS
    files: int = MIN_FILES
    tree_bytes: int = MIN_TREE_BYTES

    @classmethod
    def asked(cls) -> Thresholds:
        """`--jobs N` given: cut whatever has two pieces."""
        return cls(commits=2, files=2, tree_bytes=0)


def default_jobs() -> int:
    """One process per CPU this process may run on, at most MAX_AUTO_JOBS, and one per
    MEMORY_PER_JOB of the memory free now: a worker that meets a license text only ScanCode can
    read loads ScanCode's index (about 1.4 GB) in its own memory."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cpus = os.cpu_count() or 1
    return memory_allows(min(cpus, MAX_AUTO_JOBS))


def memory_allows(processes: int) -> int:
    """`processes`, or fewer: at most one per MEMORY_PER_JOB of the memory available now (this
    review's workers; an audit's, `audit.plan.default_workers`), at least one."""
    available = available_memory()
    return processes if available is None else max(1, min(processes, available // MEMORY_PER_JOB))


def available_memory() -> int | None:
    """Bytes of memory available now: Linux's `MemAvailable` (free memory and the cache it can
    drop), else the free pages the system reports, else None."""
    try:
        with open("/proc/meminfo", encoding="ascii") as info:
            for line in info:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, OSError, ValueError):  # not a POSIX system that says
        return None


def commit_runs(shas: Sequence[str], jobs: int, least: Thresholds) -> list[list[str]] | None:
    """Consecutive runs of `shas` (in review order), or None when the range is too short to cut."""
    if jobs < 2 or len(shas) < max(2, least.commits):
        return None
    count = min(len(shas), jobs * RUNS_PER_JOB)
    size, extra = divmod(len(shas), count)
    runs, start = [], 0
    for index in range(count):
        end = start + size + (1 if index < extra else 0)
        runs.append(list(shas[start:end]))
        start = end
    return runs


def tree_groups(files: Sequence[tuple[str, int]], jobs: int, least: Thresholds) -> list[list[str]] | None:
    """Groups of pathspecs (directories or files, `/`-separated paths) covering every one of
    `files` ((path, size in bytes)) once, the heaviest first and each about its share of the
    weight (`_shares`); None when the tree is too small."""
    small = len(files) < least.files and sum(size for _, size in files) < least.tree_bytes
    if jobs < 2 or len(files) < 2 or small:
        return None
    count = min(len(files), jobs * PARTS_PER_JOB)
    weighed = [(path.split("/"), _weight(path, size)) for path, size in files]
    shares = _shares(sum(weight for _, weight in weighed), jobs, count)
    pieces = _pieces(weighed, min(shares) / 4)
    groups: list[list[str]] = [[] for _ in shares]
    loads = [0] * len(shares)
    for weight, spec in sorted(pieces, key=lambda piece: (-piece[0], piece[1])):
        neediest = max(range(len(shares)), key=lambda index: shares[index] - loads[index])
        groups[neediest].append(spec)
        loads[neediest] += weight
    return [sorted(group) for group in groups if group]


def _shares(total: int, jobs: int, count: int) -> list[float]:
    """The weights of `count` parts, largest first, by factoring: batches of `jobs` equal parts,
    each batch half of what is left, the last batch all of it. The processes start on big parts
    and end on small ones, so a misjudged weight early is made up for by the parts still left,
    and they finish together (equal parts left one process a whole part's time idle at the end:
    on pip's tree, 8 equal parts of about 0.35 s)."""
    shares: list[float] = []
    left = float(total)
    while len(shares) + jobs < count:
        share = left / (2 * jobs)
        shares += [share] * jobs
        left -= share * jobs
    rest = count - len(shares)
    return shares + [left / rest] * rest


# compressed archives: every member is decompressed and read by two checks, several times the
# work of a text file of the same size (pip's test packages: half the tree's bytes, two thirds of its time)
_ARCHIVES = (".zip", ".whl", ".jar", ".egg", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz", ".gz", ".nupkg", ".apk")
ARCHIVE_COST = 3


def _weight(path: str, size: int) -> int:
    """What reviewing a file costs, in bytes of text: its size (an archive's several times), and
    FILE_COST for opening, routing and judging it."""
    return size * (ARCHIVE_COST if path.lower().endswith(_ARCHIVES) else 1) + FILE_COST


Files = list[tuple[list[str], int]]  # (path split at "/", weight)


def _pieces(files: Files, limit: float) -> list[tuple[int, str]]:
    """(weight, pathspec) pieces: the top level's entries, the heaviest directory opened into its
    own entries until none outweighs `limit`, or there are MAX_PATHSPECS pieces."""
    unopened: list[tuple[int, int, str, Files]] = [(0, 0, "", files)]  # (weight, depth, pathspec, files)
    done: list[tuple[int, str]] = []
    while unopened:
        unopened.sort(key=lambda entry: entry[0])
        weight, depth, spec, members = unopened.pop()
        if depth and len(done) + len(unopened) + 1 >= MAX_PATHSPECS:
            done.append((weight, spec))
            continue
        children: dict[str, Files] = {}
        for parts, cost in members:
            children.setdefault(parts[depth], []).append((parts, cost))
        for below in children.values():
            total = sum(cost for _, cost in below)
            path = "/".join(below[0][0][: depth + 1])
            is_file = len(below) == 1 and len(below[0][0]) == depth + 1
            if is_file or total <= limit:
                done.append((total, path))
            else:
                unopened.append((total, depth + 1, path, below))
    return done
