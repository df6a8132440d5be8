"""Verified copies of originals into another content-addressed folder (backups), never links.

A backup that shares inodes with the live store is no second copy: one flipped bit damages both.
So every copy streams the bytes into a temporary file in the target's ``.tmp`` folder, hashing
them on the way, fsyncs it, compares the hash with the name the bytes are filed under, and only
then renames the file into ``ab/cd/<sha256>`` (replacing a damaged copy in one atomic step).
A kill at any moment leaves at worst a ``.part`` file in ``.tmp``, never a partial file under a
final name.
"""

from __future__ import annotations

import hashlib
from typing import BinaryIO

from media.durable import flush_to_disk, fsync_directory, make_directories, temporary_file
from media.errors import MediaError
from media.store import CHUNK_SIZE, LocalStore, check_sha256, file_sha256

TEMPORARY_PREFIX = "copy-"


def copy_verified(source: BinaryIO, target: LocalStore, sha256: str) -> int:
    """Copy ``source`` into ``target`` as ``sha256``; returns the size. A copy already there is
    replaced (the caller decided it is damaged). MediaError("hash_mismatch") when the bytes read
    do not hash to ``sha256``: nothing is written under the final name then."""
    sha256 = check_sha256(sha256)
    temporary_folder = target.root / ".tmp"
    make_directories(temporary_folder)
    with temporary_file(temporary_folder, prefix=TEMPORARY_PREFIX) as (stream, temporary):
        digest = hashlib.sha256()
        size = 0
        while chunk := source.read(CHUNK_SIZE):
            digest.update(chunk)
            stream.write(chunk)
            size += len(chunk)
        if digest.hexdigest() != sha256:
            raise MediaError("hash_mismatch", "The bytes read do not hash to the name they are filed under.",
                             {"expected": sha256, "actual": digest.hexdigest()})
        flush_to_disk(stream)
        final = target.path_for(sha256)
        make_directories(final.parent)
        temporary.replace(final)
    fsync_directory(final.parent)
    return size


def copy_is_intact(target: LocalStore, sha256: str) -> bool:
    """Whether ``target`` holds a file for ``sha256`` whose bytes really hash to it (reads it all)."""
    path = target.local_path(sha256)
    return path is not None and file_sha256(path) == sha256


def remove_temporary_copies(target: LocalStore) -> int:
    """Delete the ``.part`` files of copies that never finished (a killed backup); call it only
    while no copy into ``target`` runs (the backup holds its folder's lock)."""
    folder = target.root / ".tmp"
    if not folder.is_dir():
        return 0
    removed = 0
    for entry in folder.iterdir():
        if entry.is_file() and entry.name.startswith(TEMPORARY_PREFIX) and entry.name.endswith(".part"):
            entry.unlink(missing_ok=True)
            removed += 1
    return removed
