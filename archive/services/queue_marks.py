"""How far one search index has read the search queue: its high-water mark, kept beside the index.

The queue table (search_queue) is shared by every app server on one database; each server has
its own index folder. Rows are not deleted when one index has applied them (another server's
index may not have), so each index folder keeps a mark: the id below which it has applied every
row. Rows leave the queue only when they are older than `RETENTION_SECONDS`; an index that has
not read the queue for that long may have missed rows and is rebuilt instead.

Ids are handed out when a transaction inserts its row, but transactions commit in any order: row
21 can be visible while row 20 is still uncommitted (PostgreSQL; SQLite has one writer at a
time). So the mark is a pair: `through` (every row up to it applied, or known never to come)
and `applied` (rows above a gap, already applied). A gap is waited for `GAP_SECONDS`; then it is
taken as a rolled-back transaction and stepped over, but its id is still looked for
(`recheck`) until `RECHECK_SECONDS` have passed, in case it was only a slow commit. This is the
"high-water mark with stale gaps" scheme event stores use for the same problem (e.g. Marten's
async daemon).

Writers of one folder (gunicorn workers of one server, a `qiaofang reindex`) take the folder's
lock (`flock` on `<name>.queue.lock`) around read-apply-save, so a mark never claims rows whose
documents another writer has not committed yet.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, BinaryIO

from media.durable import write_atomically

# A gap this old is a rolled-back transaction (or a row pruned by hand), not a slow commit.
GAP_SECONDS = 120.0
# ... but a late commit of its id is still applied within this time.
RECHECK_SECONDS = 3600.0
# Queue rows older than this are deleted; an index that last read the queue before that is rebuilt.
RETENTION_SECONDS = 7 * 24 * 3600.0
VERSION = 1


@dataclass
class QueueMark:
    """Where one index stands in the queue (see the module docstring)."""

    through: int = 0
    applied: set[int] = field(default_factory=set)
    gap_since: float | None = None  # wall-clock time the lowest open gap was first seen
    recheck: dict[int, float] = field(default_factory=dict)  # stepped-over id -> when
    synced_at: float = 0.0  # wall-clock time of the last pass that read the queue

    def advance(self, ids: set[int], now: float) -> None:
        """Record rows as applied and move `through` over every closed (or long-open) gap."""
        self.applied |= {i for i in ids if i > self.through}
        for late in ids & set(self.recheck):
            del self.recheck[late]
        while True:
            while self.through + 1 in self.applied:
                self.through += 1
                self.applied.discard(self.through)
            if not self.applied:
                self.gap_since = None
                return
            if self.gap_since is None:
                self.gap_since = now
                return
            if now - self.gap_since < GAP_SECONDS:
                return
            # Step over the gap below the lowest applied row; keep watching its ids for a while.
            lowest = min(self.applied)
            for missing in range(self.through + 1, lowest):
                self.recheck[missing] = now
            self.through = lowest - 1
            self.gap_since = now  # a further gap above starts its own wait

    def forget_old_rechecks(self, now: float) -> None:
        self.recheck = {i: t for i, t in self.recheck.items() if now - t < RECHECK_SECONDS}

    def stale(self, now: float) -> bool:
        """True when rows this index never read may have been pruned from the queue."""
        return now - self.synced_at >= RETENTION_SECONDS

    def to_json(self) -> str:
        return json.dumps({"version": VERSION, "through": self.through, "applied": sorted(self.applied),
                           "gap_since": self.gap_since, "recheck": {str(k): v for k, v in self.recheck.items()},
                           "synced_at": self.synced_at})

    @classmethod
    def from_json(cls, text: str) -> QueueMark:
        data = json.loads(text)
        if data.get("version") != VERSION:
            raise ValueError(f"queue mark version {data.get('version')!r}")
        return cls(through=int(data["through"]), applied={int(i) for i in data["applied"]},
                   gap_since=data["gap_since"], recheck={int(k): float(v) for k, v in data["recheck"].items()},
                   synced_at=float(data["synced_at"]))


def mark_path(index_dir: Path, name: str) -> Path:
    return index_dir / f"{name}.queue.json"


def load_mark(index_dir: Path, name: str) -> QueueMark | None:
    """The saved mark, or None when there is none (or it cannot be read: the caller rebuilds)."""
    try:
        return QueueMark.from_json(mark_path(index_dir, name).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (ValueError, KeyError, TypeError):
        return None


def save_mark(index_dir: Path, name: str, mark: QueueMark) -> None:
    index_dir.mkdir(parents=True, exist_ok=True)
    data = mark.to_json().encode()

    def write(stream: BinaryIO) -> None:
        stream.write(data)

    write_atomically(mark_path(index_dir, name), write)


@contextlib.contextmanager
def folder_lock(index_dir: Path, name: str, *, wait: float | None) -> Iterator[bool]:
    """Hold the lock of one index folder's queue mark. Yields False (not held) when another
    process or thread still has it after `wait` seconds; `wait=None` waits as long as it takes."""
    index_dir.mkdir(parents=True, exist_ok=True)
    handle: IO[bytes] = open(index_dir / f"{name}.queue.lock", "ab")  # noqa: SIM115 (closed below)
    try:
        if wait is None:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        else:
            deadline = time.monotonic() + wait
            while True:
                try:
                    fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        yield False
                        return
                    time.sleep(0.02)
        try:
            yield True
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
    finally:
        handle.close()


def now() -> float:
    return time.time()

