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

import contextlib
import json
import os
import shutil
import threading
import time
import weakref
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from pickle import UnpicklingError
from typing import Any, Literal

from whoosh import index as whoosh_index
from whoosh.index import EmptyIndexError, LockError
from whoosh.util import random_name
from whoosh.writing import OPTIMIZE

from search.aliases import AliasTable, load_aliases
from search.engine import Search
from search.pinyin import syllable_chars
from search.results import IndexUnavailableError, SearchQuery, SearchResults
from search.schema import SCHEMA_VERSION, DocumentError, build_schema, to_whoosh
from search.segcache import SearchView
from search.segment import cut_chinese
from search.writer import ArchiveWriter, build_segments, merge_small

MARKER = "ARCHIVE_INDEX"
Health = Literal["ok", "missing", "broken"]


class SearchIndex:
    """The search API over one index directory (see the module docstring)."""

    def __init__(self, path: Path | str, aliases: AliasTable | None = None, *, recent_results: int = 8) -> None:
        """``recent_results``: how many recent query matches each thread keeps, so that asking
        for another page or sort order of the same query does not search again (0: none)."""
        self.path = Path(path)
        self._aliases = aliases
        self._local = threading.local()
        self._lock = threading.Lock()
        self._searchers: set[Any] = set()
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
            if not whoosh_index.exists_in(str(gen)):
                return "broken"
            ix = whoosh_index.open_dir(str(gen))
            with ix.searcher() as searcher:
                for reader, _ in searcher.reader().leaf_readers():
                    reader.doc_count_all()
                    if reader.doc_count_all() and not reader.has_column("meta"):
                        return "broken"
        except Exception:
            return "broken"
        return "ok"

    def _open(self) -> tuple[Path, Any]:
        gen = self._current()
        if gen is None or not whoosh_index.exists_in(str(gen)):
            raise IndexUnavailableError(f"no search index at {self.path}")
        try:
            return gen, whoosh_index.open_dir(str(gen))
        except Exception as exc:
            raise IndexUnavailableError(f"search index at {gen} cannot be opened: {exc}") from exc

    # Writing -------------------------------------------------------------------------------

    def _write(self, changes: Mapping[str, list[dict[str, Any]]], timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while True:
            gen, ix = self._open()
            try:
                writer = ArchiveWriter(ix, timeout=max(0.0, deadline - time.monotonic()), delay=0.05)
            except LockError:
                return False
            if self._current() != gen:  # a rebuild swapped generations while we waited
                writer.cancel()
                if time.monotonic() >= deadline:
                    return False
                continue
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
        _, ix = self._open()
        try:
            writer = ArchiveWriter(ix, timeout=timeout)
        except LockError:
            return False
        writer.commit(mergetype=OPTIMIZE)
        return True

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
        self.path.mkdir(parents=True, exist_ok=True)
        gen = self.path / f"gen-{time.time_ns():020d}-{random_name(6)}"
        gen.mkdir()
        held = self._hold_current_lock(lock_timeout)
        try:
            ix = whoosh_index.create_in(str(gen), build_schema())
            if procs is None:
                procs = 2 if (os.cpu_count() or 1) >= 2 else 1
            count = build_segments(ix, docs, procs=procs, progress=progress)
            (gen / MARKER).write_text(json.dumps({"schema_version": SCHEMA_VERSION, "documents": count}))
            link = self.path / f"current.{random_name(6)}"
            link.symlink_to(gen.name)
            link.replace(self.path / "current")
        except BaseException:
            shutil.rmtree(gen, ignore_errors=True)
            raise
        finally:
            if held is not None:
                held.release()
        self._remove_old_generations(keep={gen.name})
        return count

    def _hold_current_lock(self, timeout: float) -> Any | None:
        try:
            _, ix = self._open()
        except IndexUnavailableError:
            return None
        lock = ix.lock("WRITELOCK")
        deadline = time.monotonic() + timeout
        while not lock.acquire(blocking=False):
            if time.monotonic() >= deadline:
                return None
            time.sleep(0.05)
        return lock

    def _remove_old_generations(self, keep: set[str]) -> None:
        gens = sorted(p for p in self.path.glob("gen-*") if p.is_dir() and p.name not in keep)
        for old in gens[:-1]:  # keep the previous generation for readers still on it
            shutil.rmtree(old, ignore_errors=True)

    # Searching -----------------------------------------------------------------------------

    def _view(self) -> SearchView:
        """This thread's view, reopened when the generation or its table of contents changed.

        Whoosh's ``Searcher.refresh()`` reuses the readers of segments that are still listed,
        keeping their old deletion sets (and Whoosh-Reloaded also keeps segments that were merged
        away), so a changed index gets a new searcher; with ``compound=False`` that is cheap, and
        the per-segment caches survive in :data:`search.segcache.CACHE`.
        """
        local = self._local
        gen = self._current()
        state = getattr(local, "state", None)
        if state is not None and state[0] == gen and state[1].up_to_date():
            return state[2]
        self._drop_state()
        gen, ix = self._open()
        searcher = ix.searcher()
        view = SearchView(searcher, str(gen), self.recent_results)
        for reader, _, _, _ in view.leaves:
            # Open the stored-fields column now (Whoosh opens it on first use): a file already open
            # stays readable if a concurrent merge deletes it.
            with contextlib.suppress(Exception):
                reader.stored_fields(0)
        # A thread that ends leaves its searcher behind: close it when the thread object goes.
        finalizer = weakref.finalize(threading.current_thread(), self._close_searcher, searcher)
        local.state = (gen, searcher, view, finalizer)
        with self._lock:
            self._searchers.add(searcher)
        return view

    def _close_searcher(self, searcher: Any) -> None:
        with self._lock:
            self._searchers.discard(searcher)
        with contextlib.suppress(Exception):  # closing a searcher on vanished files must not fail a search
            searcher.close()

    def _drop_state(self) -> None:
        state = getattr(self._local, "state", None)
        self._local.state = None
        if state is not None:
            state[3].detach()
            self._close_searcher(state[1])

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
            stale = state is None or self._current() != state[0] or not self._safe_up_to_date(state[1])
            self._drop_state()
            if not stale and not isinstance(exc, (OSError, EOFError, EmptyIndexError, UnpicklingError)):
                raise
        try:
            return Search(self._view(), self.aliases, q).run()
        except (OSError, EOFError, EmptyIndexError, UnpicklingError) as exc:
            self._drop_state()
            raise IndexUnavailableError(f"search index at {self.path} cannot be read: {exc}") from exc

    @staticmethod
    def _safe_up_to_date(searcher: Any) -> bool:
        try:
            return bool(searcher.up_to_date())
        except Exception:
            return False

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
        """Close the searchers of every thread (at shutdown: a thread still searching would fail)."""
        self._drop_state()
        with self._lock:
            searchers = list(self._searchers)
        for searcher in searchers:
            self._close_searcher(searcher)
