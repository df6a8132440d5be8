"""Writing files so that a crash or a failure never leaves a partial file under its final name.

The recipe: write to a temporary name in the same file system, flush and fsync the file, rename
it into place (atomic on POSIX), then fsync the folder so the rename itself survives a power cut.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO


def fsync_directory(path: Path) -> None:
    """Make a rename or an unlink inside ``path`` durable."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def make_directories(path: Path) -> None:
    """Create ``path`` and its missing parents, fsyncing each parent that gained an entry."""
    missing: list[Path] = []
    current = path
    while not current.exists():
        missing.append(current)
        current = current.parent
    for folder in reversed(missing):
        # Another process may create the same folder at the same moment; that is fine.
        folder.mkdir(exist_ok=True)
        fsync_directory(folder.parent)


@contextlib.contextmanager
def temporary_file(folder: Path, prefix: str = ".tmp-") -> Iterator[tuple[BinaryIO, Path]]:
    """An open, empty temporary file in ``folder``, removed on exit unless it was renamed away."""
    fd, name = tempfile.mkstemp(dir=folder, prefix=prefix, suffix=".part")
    path = Path(name)
    try:
        with os.fdopen(fd, "wb") as stream:
            yield stream, path
    finally:
        path.unlink(missing_ok=True)


def flush_to_disk(stream: BinaryIO) -> None:
    stream.flush()
    os.fsync(stream.fileno())


def write_atomically(final: Path, write: Callable[[BinaryIO], None], *, sync_folder: bool = True) -> int:
    """Create or replace ``final`` with what ``write`` writes; returns the size in bytes.

    Set ``sync_folder=False`` when writing several files into one folder and calling
    ``fsync_directory`` once afterwards.
    """
    with temporary_file(final.parent) as (stream, temporary):
        write(stream)
        flush_to_disk(stream)
        size = stream.tell()
        temporary.replace(final)
    if sync_folder:
        fsync_directory(final.parent)
    return size
