"""One generation directory's Whoosh index: creating it, opening it, its lock, writers and builds.

The generations themselves (the ``current`` link, the marker, swapping and removing them) are
:mod:`search.index`'s; this module is what happens inside one of them.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from pickle import UnpicklingError
from typing import Any, Protocol

from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import BufferFile, StructFile
from whoosh.index import EmptyIndexError, FileIndex, LockError
from whoosh.writing import OPTIMIZE

from search.storage.reading import Snapshot
from search.storage.schema import build_schema
from search.storage.writer import ArchiveWriter, Loader, build_indexes, build_segments, merge_small

# What reading an index whose files another process is replacing (or deleted) may raise.
READ_ERRORS: tuple[type[Exception], ...] = (OSError, EOFError, EmptyIndexError, UnpicklingError)


class HeldLock(Protocol):
    """An index's write lock, held until released."""

    def release(self) -> None: ...


class _Storage(FileStorage):
    """A generation directory's files, each table of contents read into memory and closed at once.

    Whoosh reads the table of contents again whenever it opens a reader, and leaves the file open
    when reading fails part-way (a commit of another process replaced it meanwhile, say): that
    file would stay open until collected. Read whole, it is never left open.
    """

    def open_file(self, name: str, **kwargs: Any) -> StructFile:
        if name.endswith(".toc"):
            with open(self._fpath(name), "rb") as fh:
                return BufferFile(fh.read(), name=name, **kwargs)
        return super().open_file(name, **kwargs)


def exists(gen: Path) -> bool:
    """Whether ``gen`` holds an index (a table of contents)."""
    if not gen.exists():
        return False
    try:
        return bool(_Storage(str(gen)).open_index().latest_generation() > -1)
    except EmptyIndexError:
        return False


class Writer:
    """One commit to a generation: deletions and additions of whole houses, or nothing (cancel)."""

    def __init__(self, writer: ArchiveWriter) -> None:
        self._writer = writer

    def replace_houses(self, changes: Mapping[str, list[dict[str, Any]]]) -> None:
        """For each house code, delete its documents and add the given ones (field values from
        :func:`search.schema.to_whoosh`), and commit; nothing is written if anything fails."""
        writer = self._writer
        try:
            for house_code in changes:  # every deletion before any addition
                writer.delete_by_term("house_code", house_code)
            for docs in changes.values():
                for fields in docs:
                    writer.add_document(**fields)
            writer.commit(mergetype=merge_small)
        except BaseException:
            if not writer.is_closed:
                writer.cancel()
            raise

    def cancel(self) -> None:
        self._writer.cancel()


class Generation:
    """The Whoosh index of one generation directory, opened (its table of contents read)."""

    def __init__(self, ix: FileIndex) -> None:
        self._ix = ix

    @classmethod
    def open(cls, gen: Path) -> Generation:
        return cls(_Storage(str(gen)).open_index())

    def snapshot(self) -> Snapshot:
        """A searcher over this version of the index (close it when done)."""
        return Snapshot(self._ix.searcher(), str(self._ix.storage.folder))

    def readable(self) -> bool:
        """Whether every segment opens and has the ``meta`` column (written by this schema)."""
        with self._ix.searcher() as searcher:
            for reader, _ in searcher.reader().leaf_readers():
                if reader.doc_count_all() and not reader.has_column("meta"):
                    return False
        return True

    def writer(self, timeout: float, delay: float = 0.05) -> Writer | None:
        """A writer, waiting at most ``timeout`` seconds for the write lock (None: not had)."""
        try:
            return Writer(ArchiveWriter(self._ix, timeout=timeout, delay=delay))
        except LockError:
            return None

    def optimize(self, timeout: float) -> bool:
        """Merge all segments into one and drop deleted documents; False if the lock was busy."""
        try:
            writer = ArchiveWriter(self._ix, timeout=timeout)
        except LockError:
            return False
        writer.commit(mergetype=OPTIMIZE)
        return True

    def hold_lock(self, timeout: float) -> HeldLock | None:
        """Take the write lock (polling for up to ``timeout`` seconds) and keep it until released."""
        lock = self._ix.lock("WRITELOCK")
        deadline = time.monotonic() + timeout
        while not lock.acquire(blocking=False):
            if time.monotonic() >= deadline:
                return None
            time.sleep(0.05)
        held: HeldLock = lock
        return held


def build(gen: Path, docs: Iterable[Mapping[str, Any]], *, procs: int,
          progress: Callable[[int], None] | None = None) -> int:
    """Create an index in the empty directory ``gen`` holding ``docs``; return their count
    (:func:`search.storage.writer.build_segments`)."""
    ix = _Storage(str(gen)).create_index(build_schema())
    return build_segments(ix, docs, procs=procs, progress=progress)


def build_many(gens: Mapping[str, Path], jobs: Iterable[Any], load: Loader, *, procs: int,
               progress: Callable[[int], None] | None = None,
               worker_init: Callable[[], None] | None = None) -> dict[str, int]:
    """Create an index in each empty directory of ``gens`` from one pass over ``jobs``; return
    each one's document count (:func:`search.storage.writer.build_indexes`)."""
    ixs = {name: _Storage(str(gen)).create_index(build_schema()) for name, gen in gens.items()}
    return build_indexes(ixs, jobs, load, procs=procs, progress=progress, worker_init=worker_init)
