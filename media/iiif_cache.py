"""A bounded disk cache of IIIF images: ``ROOT/ab/<sha256>/<region>-<size>-<quality>.jpg``.

An entry is named by the original's hash and the plan's canonical key, so it is right for as long
as the original exists; who may see it is decided before the cache is asked. Entries are written
like every other file of the archive (temporary name, fsync, rename); the folder is not fsynced,
because a rename lost in a power cut only costs a cache miss.

The cache is kept under ``max_bytes`` by least recent use: a hit sets the entry's modification
time (``atime`` is unreliable under ``noatime``/``relatime``), and ``prune`` removes the oldest
entries until the total is 90 % of the limit, so that pruning does not run again on the next
write. ``IIIFCache.write`` prunes by itself each time a tenth of the limit has been written since
the last prune; ``qiaofang iiif-cache --prune`` does it on demand and also drops the entries of
originals that are no longer public.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from media.durable import make_directories, write_atomically
from media.store import check_sha256

PRUNE_TO = 0.9
# A temporary file this old belongs to no write still under way (one takes milliseconds).
STALE_TEMPORARY_SECONDS = 3600


@dataclass(frozen=True)
class CacheUsage:
    files: int
    bytes: int


@dataclass(frozen=True)
class PruneResult:
    removed_files: int
    removed_bytes: int
    kept: CacheUsage


@dataclass(frozen=True)
class _Entry:
    path: Path
    sha256: str
    size: int
    used: float


class IIIFCache:
    """The cache described above. ``suffix`` names its files: ``.jpg`` for IIIF images; the house
    dossier's PDFs (archive.web.statistics_views) use the same cache with ``.pdf``, named by the
    hash of the page they are drawn from."""

    def __init__(self, root: Path, max_bytes: int, *, suffix: str = ".jpg") -> None:
        self.root = root
        self.max_bytes = max_bytes
        self.suffix = suffix
        self._written = 0
        self._lock = threading.Lock()

    def path_for(self, sha256: str, key: str) -> Path:
        sha256 = check_sha256(sha256)
        return self.root / sha256[:2] / sha256 / f"{key}{self.suffix}"

    def read(self, sha256: str, key: str) -> bytes | None:
        """The cached bytes, or None; a hit counts as a use for pruning."""
        path = self.path_for(sha256, key)
        try:
            data = path.read_bytes()
            os.utime(path)
        except (FileNotFoundError, NotADirectoryError):
            return None  # never made, or pruned between the read and the touch
        return data or None  # an empty file (a write cut short by a crash) is a miss

    def write(self, sha256: str, key: str, data: bytes) -> None:
        path = self.path_for(sha256, key)
        make_directories(path.parent)

        def write_bytes(stream: BinaryIO) -> None:
            stream.write(data)

        write_atomically(path, write_bytes, sync_folder=False)
        with self._lock:
            self._written += len(data)
            due = self._written > self.max_bytes // 10
            if due:
                self._written = 0
        if due:
            self.prune()

    def usage(self) -> CacheUsage:
        entries = list(self._entries())
        return CacheUsage(len(entries), sum(e.size for e in entries))

    def prune(self, max_bytes: int | None = None, keep: Callable[[str], bool] | None = None) -> PruneResult:
        """Remove entries whose original ``keep`` rejects, then the least recently used ones until
        the rest fit in ``PRUNE_TO`` of ``max_bytes`` (the cache's limit by default)."""
        limit = self.max_bytes if max_bytes is None else max_bytes
        entries = sorted(self._entries(), key=lambda e: e.used)
        kept_by_sha = {sha: keep(sha) for sha in {e.sha256 for e in entries}} if keep else {}
        total = sum(e.size for e in entries)
        target = int(limit * PRUNE_TO) if total > limit else total
        removed = removed_bytes = 0
        survivors: list[_Entry] = []
        for entry in entries:
            if (keep and not kept_by_sha[entry.sha256]) or total - removed_bytes > target:
                entry.path.unlink(missing_ok=True)
                removed += 1
                removed_bytes += entry.size
            else:
                survivors.append(entry)
        self._remove_empty_folders()
        return PruneResult(removed, removed_bytes, CacheUsage(len(survivors), sum(e.size for e in survivors)))

    def clear(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def _entries(self) -> Iterator[_Entry]:
        now = time.time()
        for folder, _subfolders, files in os.walk(self.root):
            sha256 = Path(folder).name
            for name in files:
                path = Path(folder) / name
                try:
                    info = path.stat()
                except FileNotFoundError:
                    continue
                if name.startswith(".tmp-"):
                    if now - info.st_mtime > STALE_TEMPORARY_SECONDS:
                        path.unlink(missing_ok=True)  # left by a killed process
                    continue
                yield _Entry(path, sha256, info.st_size, info.st_mtime)

    def _remove_empty_folders(self) -> None:
        for folder, _subfolders, _files in os.walk(self.root, topdown=False):
            if folder != str(self.root):
                # not empty, or just filled by a write: either is fine
                with contextlib.suppress(OSError):
                    Path(folder).rmdir()
