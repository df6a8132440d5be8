"""SearchIndex: one index directory (public or staff), its writers and its searchers.

Layout of ``path``: ``current`` is a symbolic link to a generation directory ``gen-*`` holding a
Whoosh index (written with ``compound=False``, so a searcher opens in about a millisecond) and an
``ARCHIVE_INDEX`` marker with the schema version. :meth:`SearchIndex.rebuild` writes a new
generation beside the current one and swaps the link with an atomic rename; searchers notice the
new target on their next search. The previous generation is kept until the next rebuild, for
searchers of other processes that are still reading it.

Each thread keeps one searcher per index and replaces it when the index changed (a ``readlink``
and a directory listing per search tell); Whoosh readers keep file positions, so searchers are
never shared between threads. What is derived from a segment (facet columns, vocabulary, length
norms, decoded posting lists of frequent terms) is cached per process and survives the change.

Writers wait at most ``timeout`` seconds for the index lock and then return ``False`` so that
requests never block behind a rebuild or another save; the caller keeps its queue entry and
retries. A rebuild holds the lock of the old generation until the swap, so saves made meanwhile
are retried against the new index.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import threading
import time
import weakref
from collections.abc import Callable, Hashable, Iterable, Mapping
from pathlib import Path
from typing import Any, Literal

from search import storage
from search.aliases import AliasTable, load_aliases
from search.engine import Search
from search.pinyin import syllable_chars
from search.results import IndexUnavailableError, SearchQuery, SearchResults
from search.schema import SCHEMA_VERSION, DocumentError, to_whoosh
from search.segcache import SearchView
from search.segment import cut_chinese
from search.storage import READ_ERRORS, Generation, HeldLock, Loader, Snapshot

MARKER = "ARCHIVE_INDEX"
Health = Literal["ok", "missing", "broken"]


class SearchIndex:
    """The search API over one index directory (see the module docstring)."""

    def __init__(self, path: Path | str, aliases: AliasTable | None = None, *, recent_results: int = 8) -> None:
        """``recent_results``: how many recent query matches each thread keeps, so that asking
        for another page or sort order of the same query does not search again (0: none)."""
        self.path = Path(path)
        self._aliases = aliases
        self._alias_signature: Hashable | None = None
        self._local = threading.local()
        self._lock = threading.Lock()
        self._snapshots: set[Snapshot] = set()
        self.recent_results = recent_results

    # Aliases -------------------------------------------------------------------------------

    @property
    def aliases(self) -> AliasTable:
        if self._aliases is None:
            self._aliases = load_aliases()
        return self._aliases

    def set_aliases(self, aliases: AliasTable) -> None:
        """Use a new alias table from the next search on (e.g. after researchers edited it)."""
        self._aliases = aliases

    def refresh_aliases(self, signature: Hashable, load: Callable[[], AliasTable]) -> None:
        """Use the alias table ``load()`` returns when ``signature`` (which changes whenever the
        caller's alias rows do, say their count and highest id) differs from the one given with
        the table in use; otherwise keep that table without loading anything."""
        if signature != self._alias_signature:
            self._aliases = load()
            self._alias_signature = signature

    # Generations ---------------------------------------------------------------------------

    def _current(self) -> Path | None:
        try:
            target = (self.path / "current").readlink()
        except OSError:
            return None
        return self.path / target

    def health(self) -> Health:
        """``missing`` (never built, or the link/generation is gone), ``broken`` (unreadable,
        wrong schema version, table of contents deleted) or ``ok``."""
        gen = self._current()
        if gen is None or not gen.is_dir():
            return "missing"
        try:
            marker = json.loads((gen / MARKER).read_text(encoding="utf-8"))
            if marker.get("schema_version") != SCHEMA_VERSION:
                return "broken"
            if not storage.exists(gen) or not Generation.open(gen).readable():
                return "broken"
        except Exception:
            return "broken"
        return "ok"

    def _open(self) -> tuple[Path, Generation]:
        gen = self._current()
        try:
            if gen is None or not storage.exists(gen):
                raise IndexUnavailableError(f"no search index at {self.path}")
            return gen, Generation.open(gen)
        except IndexUnavailableError:
            raise
        except Exception as exc:  # a damaged table of contents (truncated, garbled): rebuild
            raise IndexUnavailableError(f"search index at {gen} cannot be opened: {exc}") from exc

    # Writing -------------------------------------------------------------------------------

    def _write(self, changes: Mapping[str, list[dict[str, Any]]], timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while True:
            gen, generation = self._open()
            writer = generation.writer(timeout=max(0.0, deadline - time.monotonic()), delay=0.05)
            if writer is None:
                return False
            if self._current() != gen:  # a rebuild swapped generations while we waited
                writer.cancel()
                if time.monotonic() >= deadline:
                    return False
                continue
            writer.replace_houses(changes)
            return True

    def replace_houses(self, changes: Mapping[str, Iterable[Mapping[str, Any]]], *, timeout: float = 2.0) -> bool:
        """For each house code, delete every document of it and add the given ones (none: the
        house is gone), all in one commit: a queue of many changed houses costs one commit.

        Returns ``False`` when the index lock could not be had within ``timeout`` seconds (retry
        later). Raises :class:`DocumentError` for a document breaking the contract (nothing is
        written) and :class:`IndexUnavailableError` when there is no usable index (rebuild it).
        """
        converted: dict[str, list[dict[str, Any]]] = {}
        for house_code, docs in changes.items():
            converted[house_code] = [to_whoosh(doc) for doc in docs]
            if any(fields["house_code"] != house_code for fields in converted[house_code]):
                raise DocumentError(f"replace_houses: {house_code!r} got documents of another house")
        return self._write(converted, timeout) if converted else True

    def replace_house(self, house_code: str, docs: Iterable[Mapping[str, Any]], *, timeout: float = 2.0) -> bool:
        """Delete every document of ``house_code`` and add ``docs`` in one commit (as
        :meth:`replace_houses`)."""
        return self.replace_houses({house_code: docs}, timeout=timeout)

    def delete_house(self, house_code: str, *, timeout: float = 2.0) -> bool:
        """Delete every document of ``house_code`` (same return values as :meth:`replace_houses`)."""
        return self.replace_houses({house_code: []}, timeout=timeout)

    def optimize(self, *, timeout: float = 2.0) -> bool:
        """Merge all segments into one and drop deleted documents (slow on a large index)."""
        _, generation = self._open()
        return generation.optimize(timeout)

    def rebuild(
        self,
        docs: Iterable[Mapping[str, Any]],
        *,
        progress: Callable[[int], None] | None = None,
        procs: int | None = None,
        lock_timeout: float = 30.0,
    ) -> int:
        """Index ``docs`` into a new generation and swap it in atomically; return the count.

        ``procs`` worker processes analyse and write in parallel (default: 2 when the machine
        has two cores or more; they are forked, so call this from a command rather than from a
        multi-threaded web worker). ``progress`` is called with the number of documents sent so
        far. If anything fails the current index is left as it was.
        """
        gen, held = self._new_generation(lock_timeout)
        try:
            count = storage.build(gen, docs, procs=default_procs(procs), progress=progress)
            self._swap_in(gen, count)
        except BaseException:
            shutil.rmtree(gen, ignore_errors=True)
            raise
        finally:
            if held is not None:
                held.release()
        self._remove_old_generations(keep={gen.name})
        return count

    def _new_generation(self, lock_timeout: float) -> tuple[Path, HeldLock | None]:
        """A new, empty generation directory, and the lock of the current one (None if none)."""
        self.path.mkdir(parents=True, exist_ok=True)
        gen = self.path / f"gen-{time.time_ns():020d}-{random_name(6)}"
        gen.mkdir()
        return gen, self._hold_current_lock(lock_timeout)

    def _swap_in(self, gen: Path, count: int) -> None:
        """Mark the built generation and make it the current one (an atomic rename)."""
        (gen / MARKER).write_text(json.dumps({"schema_version": SCHEMA_VERSION, "documents": count}))
        link = self.path / f"current.{random_name(6)}"
        link.symlink_to(gen.name)
        link.replace(self.path / "current")

    def _hold_current_lock(self, timeout: float) -> HeldLock | None:
        try:
            _, generation = self._open()
        except IndexUnavailableError:
            return None
        return generation.hold_lock(timeout)

    def _remove_old_generations(self, keep: set[str]) -> None:
        gens = sorted(p for p in self.path.glob("gen-*") if p.is_dir() and p.name not in keep)
        for old in gens[:-1]:  # keep the previous generation for readers still on it
            shutil.rmtree(old, ignore_errors=True)

    # Searching -----------------------------------------------------------------------------

    def _view(self) -> SearchView:
        """This thread's view, reopened when the generation or its table of contents changed.

        Whoosh's ``Searcher.refresh()`` reuses the readers of segments that are still listed,
        keeping their old deletion sets (and Whoosh-Reloaded also keeps segments that were merged
        away), so a changed index gets a new snapshot; with ``compound=False`` that is cheap, and
        the per-segment caches survive in :data:`search.segcache.CACHE`.
        """
        local = self._local
        gen = self._current()
        state = getattr(local, "state", None)
        if state is not None and state[0] == gen and state[1].up_to_date():
            return state[2]
        self._drop_state()
        gen, generation = self._open()
        snapshot = generation.snapshot()
        view = SearchView(snapshot, str(gen), self.recent_results)
        # A thread that ends leaves its snapshot behind: close it when the thread object goes.
        finalizer = weakref.finalize(threading.current_thread(), self._close_snapshot, snapshot)
        local.state = (gen, snapshot, view, finalizer)
        with self._lock:
            self._snapshots.add(snapshot)
        return view

    def _close_snapshot(self, snapshot: Snapshot) -> None:
        with self._lock:
            self._snapshots.discard(snapshot)
        snapshot.close()  # closing a snapshot on vanished files does not fail a search

    def _drop_state(self) -> None:
        state = getattr(self._local, "state", None)
        self._local.state = None
        if state is not None:
            state[3].detach()
            self._close_snapshot(state[1])

    def search(self, q: SearchQuery) -> SearchResults:
        """Run ``q``; raises :class:`IndexUnavailableError` when there is no usable index."""
        try:
            view = self._view()
            return Search(view, self.aliases, q).run()
        except IndexUnavailableError:
            raise
        except Exception as exc:
            # A commit of another thread or process may have merged away (and deleted the files
            # of) a segment this thread's searcher was still reading: search again on the new
            # version. An error on an up-to-date searcher is a real error.
            state = getattr(self._local, "state", None)
            stale = state is None or self._current() != state[0] or not state[1].up_to_date()
            self._drop_state()
            if not stale and not isinstance(exc, READ_ERRORS):
                raise
        try:
            return Search(self._view(), self.aliases, q).run()
        except READ_ERRORS as exc:
            self._drop_state()
            raise IndexUnavailableError(f"search index at {self.path} cannot be read: {exc}") from exc

    def warm_up(self) -> float:
        """Load what the first searches would otherwise load (jieba's dictionary, the folding and
        pinyin tables, the alias table, per-segment caches) and return the seconds it took.
        Call it once per process after start-up; raises :class:`IndexUnavailableError` like
        :meth:`search`."""
        started = time.perf_counter()
        cut_chinese("碉楼")
        syllable_chars()
        view = self._view()
        view.lexicons()
        for leaf in range(len(view.leaves)):
            view.norms(leaf, "text")
            view.norms(leaf, "name")
        for text in ("碉楼 Wong", '"开平碉楼"', "qiaofang", "村"):
            self.search(SearchQuery(text, facets=True, highlight=True))
        return time.perf_counter() - started

    def close(self) -> None:
        """Close the snapshots of every thread (at shutdown: a thread still searching would fail)."""
        self._drop_state()
        with self._lock:
            snapshots = list(self._snapshots)
        for snapshot in snapshots:
            self._close_snapshot(snapshot)


def random_name(size: int) -> str:
    """``size`` random lower-case letters and digits (new generation and link names)."""
    return "".join(secrets.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(size))


def default_procs(procs: int | None) -> int:
    """Worker processes of a full build: 2 when the machine has two cores or more."""
    if procs is None:
        return 2 if (os.cpu_count() or 1) >= 2 else 1
    return procs


def rebuild_indexes(
    indexes: Mapping[str, SearchIndex],
    jobs: Iterable[Any],
    load: Loader,
    *,
    progress: Callable[[int], None] | None = None,
    procs: int | None = None,
    worker_init: Callable[[], None] | None = None,
    lock_timeout: float = 30.0,
) -> dict[str, int]:
    """:meth:`SearchIndex.rebuild` of several indexes from one pass over the collection.

    ``load`` turns each job into ``(index name, document)`` pairs, in the worker processes (see
    :func:`search.storage.writer.build_indexes`): the public and the staff index are read and analysed
    together. Each index gets a new generation, swapped in once all are built; if anything fails
    the current indexes are left as they were. Returns each index's document count.
    """
    started: dict[str, tuple[Path, HeldLock | None]] = {}
    swapped: set[str] = set()
    try:
        for name, index in indexes.items():
            started[name] = index._new_generation(lock_timeout)
        counts = storage.build_many({name: gen for name, (gen, _) in started.items()}, jobs, load,
                                    procs=default_procs(procs), progress=progress, worker_init=worker_init)
        for name, index in indexes.items():
            index._swap_in(started[name][0], counts[name])
            swapped.add(name)
    except BaseException:
        for name, (gen, _) in started.items():
            if name not in swapped:
                shutil.rmtree(gen, ignore_errors=True)
        raise
    finally:
        for _, held in started.values():
            if held is not None:
                held.release()
    for name, index in indexes.items():
        index._remove_old_generations(keep={started[name][0].name})
    return counts
