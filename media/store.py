"""Content-addressed storage of originals: the SHA-256 of the bytes is the only name they get.

Same bytes twice are stored once. ``put`` hashes while it streams into a temporary file, fsyncs
it and only then gives it its final name, so a failure at any point (too large, wrong hash, full
disk, killed process) leaves nothing under a final name. The one step after naming, fsyncing the
folder, can still fail; the file is then complete and verified and stays, because a concurrent
upload of the same bytes may already rely on it (``iter_hashes`` lets the archive find blobs no
record uses). Temporary files left by killed processes are removed by
``LocalStore.remove_stale_temporary_files``.

The store never decides when bytes may go: several photo records can share one blob, and only
the archive knows whether another record still uses it before it calls ``delete``.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import stat
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

from media.durable import flush_to_disk, fsync_directory, make_directories, temporary_file
from media.errors import MediaError

__all__ = ["BlobStore", "LocalStore", "MediaError", "MemoryStore", "StoredBlob", "check_sha256"]

CHUNK_SIZE = 1024 * 1024
_SHA256 = re.compile(r"[0-9a-f]{64}")
_HEX_PAIR = re.compile(r"[0-9a-f]{2}")
_TEMPORARY_PREFIX = "put-"


@dataclass(frozen=True)
class StoredBlob:
    sha256: str
    size: int
    created: bool  # False when the same bytes were already stored


class BlobStore(Protocol):
    """What the archive needs from a store; a local folder today, an S3-compatible bucket later."""

    def put(
        self, stream: BinaryIO, *, expected_sha256: str | None = None, max_bytes: int | None = None
    ) -> StoredBlob: ...

    def open(self, sha256: str) -> BinaryIO: ...

    def local_path(self, sha256: str) -> Path | None: ...

    def exists(self, sha256: str) -> bool: ...

    def delete(self, sha256: str) -> None: ...

    def iter_hashes(self) -> Iterator[str]: ...


def file_sha256(path: Path) -> str:
    """The sha256 of a file's bytes, read in 1 MiB pieces (verification, imports, backups)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def check_sha256(sha256: str) -> str:
    """``sha256`` in lowercase, or MediaError("invalid_hash"); a hash also becomes a path, so this
    is what keeps ``../`` and friends out of the store."""
    lowered = sha256.lower()
    if not _SHA256.fullmatch(lowered):
        raise MediaError("invalid_hash", "A SHA-256 must be 64 hexadecimal digits.")
    return lowered


def _copy_hashing(source: BinaryIO, target: BinaryIO, max_bytes: int | None) -> tuple[str, int]:
    """Copy ``source`` into ``target``; return the SHA-256 and the size; stop early when too large."""
    digest = hashlib.sha256()
    size = 0
    while chunk := source.read(CHUNK_SIZE):
        size += len(chunk)
        if max_bytes is not None and size > max_bytes:
            raise MediaError("too_large", f"The file is larger than {max_bytes} bytes.", {"max_bytes": max_bytes})
        digest.update(chunk)
        target.write(chunk)
    if size == 0:
        raise MediaError("empty", "The file is empty.")
    return digest.hexdigest(), size


def _check_expected(actual: str, expected: str | None) -> None:
    if expected is not None and actual != check_sha256(expected):
        raise MediaError(
            "hash_mismatch",
            "The file's SHA-256 is not the one announced; it was changed or cut short on the way.",
            {"expected": expected.lower(), "actual": actual},
        )


class LocalStore:
    """Blobs in ``root/ab/cd/<sha256>``, temporary files in ``root/.tmp`` (same file system)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._temporary_folder = root / ".tmp"

    def path_for(self, sha256: str) -> Path:
        sha256 = check_sha256(sha256)
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put(self, stream: BinaryIO, *, expected_sha256: str | None = None, max_bytes: int | None = None) -> StoredBlob:
        if expected_sha256 is not None:
            check_sha256(expected_sha256)
        make_directories(self._temporary_folder)
        with temporary_file(self._temporary_folder, prefix=_TEMPORARY_PREFIX) as (target, temporary):
            sha256, size = _copy_hashing(stream, target, max_bytes)
            _check_expected(sha256, expected_sha256)
            flush_to_disk(target)
            final = self.path_for(sha256)
            make_directories(final.parent)
            try:
                # A hard link, unlike a rename, refuses to replace: of two concurrent uploads of
                # the same bytes exactly one reports created=True.
                os.link(temporary, final)
            except FileExistsError:
                return StoredBlob(sha256, size, created=False)
        fsync_directory(final.parent)
        return StoredBlob(sha256, size, created=True)

    def replace(self, stream: BinaryIO, sha256: str) -> StoredBlob:
        """Store ``stream``'s bytes as ``sha256`` even where a damaged file holds that name (repair).

        Unlike ``put`` this replaces: the bytes are hashed while they go into a temporary file, and
        only when they hash to ``sha256`` does one rename put them in place of the old file. A
        thing that is not a regular file in the way (a folder, a symlink) is moved into
        ``.quarantine`` first rather than deleted: a repair never destroys what it did not make.
        """
        sha256 = check_sha256(sha256)
        make_directories(self._temporary_folder)
        with temporary_file(self._temporary_folder, prefix=_TEMPORARY_PREFIX) as (target, temporary):
            actual, size = _copy_hashing(stream, target, None)
            _check_expected(actual, sha256)
            flush_to_disk(target)
            final = self.path_for(sha256)
            make_directories(final.parent)
            try:
                in_the_way = not stat.S_ISREG(os.lstat(final).st_mode)
            except FileNotFoundError:
                in_the_way = False
            if in_the_way:
                self._quarantine(final)
            temporary.replace(final)
        fsync_directory(final.parent)
        return StoredBlob(sha256, size, created=True)

    def _quarantine(self, path: Path) -> None:
        folder = self.root / ".quarantine"
        make_directories(folder)
        path.rename(folder / f"{path.name}-{time.time_ns()}")
        fsync_directory(folder)

    def temporary_files(self) -> list[Path]:
        """The files in ``.tmp``: uploads under way, or left by killed processes."""
        if not self._temporary_folder.is_dir():
            return []
        return sorted(entry for entry in self._temporary_folder.iterdir() if entry.is_file())

    def open(self, sha256: str) -> BinaryIO:
        try:
            return open(self.path_for(sha256), "rb")
        except FileNotFoundError:
            raise MediaError("not_found", "No stored file has this SHA-256.") from None

    def local_path(self, sha256: str) -> Path | None:
        """The file holding these bytes, or None when the store does not hold them."""
        path = self.path_for(sha256)
        return path if path.is_file() else None

    def exists(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def delete(self, sha256: str) -> None:
        """Remove the blob (nothing happens if it is absent). Empty folders are left in place: a
        concurrent ``put`` may be about to link a file into them."""
        path = self.path_for(sha256)
        try:
            path.unlink()
        except FileNotFoundError:
            return
        fsync_directory(path.parent)

    def iter_hashes(self) -> Iterator[str]:
        """Every stored SHA-256, in sorted order; temporary files and strays are skipped."""
        for first in _sorted_subfolders(self.root):
            for second in _sorted_subfolders(first):
                for entry in sorted(second.iterdir()):
                    name = entry.name
                    if _SHA256.fullmatch(name) and name[:2] == first.name and name[2:4] == second.name:
                        yield name

    def remove_stale_temporary_files(self, older_than_seconds: float = 24 * 3600) -> int:
        """Delete temporary files left by killed processes; returns how many were removed."""
        if not self._temporary_folder.is_dir():
            return 0
        cutoff = time.time() - older_than_seconds
        removed = 0
        for entry in self._temporary_folder.iterdir():
            if entry.is_file() and entry.stat().st_mtime < cutoff:
                entry.unlink(missing_ok=True)
                removed += 1
        return removed


def _sorted_subfolders(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if _HEX_PAIR.fullmatch(p.name) and p.is_dir())


class MemoryStore:
    """A ``BlobStore`` in a dict, for tests of code that must not depend on a local folder."""

    def __init__(self) -> None:
        self.blobs: dict[str, bytes] = {}

    def put(self, stream: BinaryIO, *, expected_sha256: str | None = None, max_bytes: int | None = None) -> StoredBlob:
        if expected_sha256 is not None:
            check_sha256(expected_sha256)
        buffer = io.BytesIO()
        sha256, size = _copy_hashing(stream, buffer, max_bytes)
        _check_expected(sha256, expected_sha256)
        created = sha256 not in self.blobs
        self.blobs.setdefault(sha256, buffer.getvalue())
        return StoredBlob(sha256, size, created)

    def open(self, sha256: str) -> BinaryIO:
        try:
            return io.BytesIO(self.blobs[check_sha256(sha256)])
        except KeyError:
            raise MediaError("not_found", "No stored file has this SHA-256.") from None

    def local_path(self, sha256: str) -> Path | None:
        check_sha256(sha256)
        return None

    def exists(self, sha256: str) -> bool:
        return check_sha256(sha256) in self.blobs

    def delete(self, sha256: str) -> None:
        self.blobs.pop(check_sha256(sha256), None)

    def iter_hashes(self) -> Iterator[str]:
        yield from sorted(self.blobs)
