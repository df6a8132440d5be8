"""Fixity of stored originals: is each blob there, readable, and still the bytes its name promises?

``check_blob`` says what is wrong with one blob (nothing, ``changed``, ``missing`` or
``unreadable``), reading it all (full) or only its size (quick). ``open_verified`` is the same
check for serving: it hashes an open file and hands back that same open file, so the bytes sent
are the bytes verified (a repair renames a new file in; an open file keeps the old inode).
``repair_blob`` replaces a bad blob with a copy from another store whose hash is right, and
``stray_files`` lists what sits in the store under no name a blob would have.

Hashing reads 1 MiB at a time into one reused buffer: hashlib (OpenSSL) releases the GIL for
large updates, and at 1 MiB the per-call overhead is nothing next to the hashing itself
(benchmarks/fixity.py compares the throughput with ``sha256sum`` over the same files).
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from media.errors import MediaError
from media.store import BlobStore, LocalStore, check_sha256

BUFFER_SIZE = 1 << 20

CHANGED = "changed"
MISSING = "missing"
UNREADABLE = "unreadable"


@dataclass(frozen=True)
class BlobCheck:
    sha256: str
    problem: str | None  # None: intact; else CHANGED, MISSING or UNREADABLE
    detail: str = ""
    bytes_read: int = 0


def hash_stream(stream: BinaryIO, buffer: bytearray | None = None) -> tuple[str, int]:
    """The sha256 and size of what ``stream`` holds from where it stands."""
    buffer = buffer if buffer is not None else bytearray(BUFFER_SIZE)
    view = memoryview(buffer)
    digest = hashlib.sha256()
    size = 0
    while count := stream.readinto(view):  # type: ignore[attr-defined]
        digest.update(view[:count])
        size += count
    return digest.hexdigest(), size


def _open_regular(path: Path) -> BinaryIO:
    """Open a blob for reading; OSError for anything that is not a regular file (a folder, a
    socket, a symlink loop), so that such a thing reads as unreadable, not as bytes."""
    # O_NONBLOCK: opening a FIFO put in a blob's place must fail here, not wait for a writer.
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise IsADirectoryError(errno.EISDIR, "not a regular file", str(path))
    return os.fdopen(fd, "rb", buffering=0)


def check_blob(store: LocalStore, sha256: str, expected_size: int | None, *, quick: bool = False,
               buffer: bytearray | None = None) -> BlobCheck:
    """What is wrong with blob ``sha256`` in ``store``: quick compares the size only."""
    path = store.path_for(sha256)
    try:
        if quick:
            info = path.stat()
            if not stat.S_ISREG(info.st_mode):
                return BlobCheck(sha256, UNREADABLE, "not a regular file")
            if expected_size is not None and info.st_size != expected_size:
                return BlobCheck(sha256, CHANGED, f"size {info.st_size}, expected {expected_size}")
            return BlobCheck(sha256, None)
        with _open_regular(path) as stream:
            actual, size = hash_stream(stream, buffer)
    except FileNotFoundError:
        return BlobCheck(sha256, MISSING, "no file")
    except OSError as exc:
        return BlobCheck(sha256, UNREADABLE, f"{type(exc).__name__}: {exc.strerror or exc}")
    if actual != sha256:
        return BlobCheck(sha256, CHANGED, f"bytes hash to {actual} ({size} bytes)", size)
    return BlobCheck(sha256, None, "", size)


def open_verified(store: LocalStore, sha256: str) -> tuple[BinaryIO, int]:
    """The blob opened, hashed and rewound, with its size; MediaError ``missing``,
    ``unreadable`` or ``hash_mismatch`` instead of bytes that are not the ones named."""
    path = store.path_for(sha256)
    try:
        stream = _open_regular(path)
    except FileNotFoundError:
        raise MediaError(MISSING, "The original file is missing from the store.") from None
    except OSError as exc:
        raise MediaError(UNREADABLE, f"The original file cannot be read: {exc}") from None
    try:
        actual, size = hash_stream(stream)
        stream.seek(0)
    except OSError as exc:
        stream.close()
        raise MediaError(UNREADABLE, f"The original file cannot be read: {exc}") from None
    if actual != sha256:
        stream.close()
        raise MediaError("hash_mismatch", "The original's bytes no longer hash to its sha256.",
                         {"expected": sha256, "actual": actual, "size": size})
    return stream, size


@dataclass(frozen=True)
class RepairOutcome:
    sha256: str
    source: str | None  # the source the good copy came from; None when none had one
    tried: tuple[str, ...]  # what each source said, for the report


def repair_blob(store: LocalStore, sha256: str, sources: Sequence[tuple[str, BlobStore]]) -> RepairOutcome:
    """Replace blob ``sha256`` with the first copy among ``sources`` whose bytes hash right.

    ``LocalStore.replace`` verifies the hash while it writes, so a source holding a damaged copy
    is passed over (and named in ``tried``) without touching the store.
    """
    sha256 = check_sha256(sha256)
    tried: list[str] = []
    for name, source in sources:
        try:
            if not source.exists(sha256):
                tried.append(f"{name}: no copy")
                continue
            with source.open(sha256) as stream:
                store.replace(stream, sha256)
        except MediaError as exc:
            tried.append(f"{name}: {exc.code}")
            continue
        except OSError as exc:
            tried.append(f"{name}: {type(exc).__name__}")
            continue
        return RepairOutcome(sha256, name, tuple(tried))
    return RepairOutcome(sha256, None, tuple(tried))


def stray_files(store: LocalStore) -> Iterator[str]:
    """Paths (relative to the store) of files that are not where a blob of that name would be,
    e.g. ``ab/cd/photo.jpg``; ``.tmp`` and the quarantine are the store's own and left out."""
    for folder, subfolders, files in os.walk(store.root):
        relative = Path(folder).relative_to(store.root)
        if relative == Path():
            subfolders[:] = [s for s in subfolders if not s.startswith(".")]
        for name in sorted(files):
            path = relative / name
            if not _is_blob_path(path):
                yield path.as_posix()
        subfolders.sort()


def _is_blob_path(path: Path) -> bool:
    parts = path.parts
    if len(parts) != 3:
        return False
    try:
        name = check_sha256(parts[2])
    except MediaError:
        return False
    return name == parts[2] and parts[0] == name[:2] and parts[1] == name[2:4]
