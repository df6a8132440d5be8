"""Index writers: a leaner segment writer, the merge policy and the parallel full build.

:class:`ArchiveWriter` is Whoosh's ``SegmentWriter`` with a private temporary directory (Whoosh
shares ``MAIN.tmp`` between every writer of an index, and a finishing writer deletes it), postings
grouped by term as they come (:class:`TermPool`, no sorting of every posting at the end) and the
:class:`~search.storage.codec.ArchiveCodec`. Together with the codec this brought a full build from
about 6 ms to about 1.3 ms of CPU per document on this machine; writing the ``pairs`` field of
adjacent frequent words too makes it about 2.3-2.7 ms (the machine's speed varies between runs).

:func:`build_segments` is the full rebuild: the parent chooses the frequent words from the first
:data:`PAIR_SAMPLE` documents, worker processes each analyse and write their own segment from
batches of documents fed by the parent, and the parent commits all segments at once, saving the
frequent words with the schema (Whoosh's ``MpWriter`` with ``multisegment=True`` does the same,
but with the stock writer).
"""

from __future__ import annotations

import contextlib
import gc
import math
import multiprocessing
import queue
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from itertools import chain, islice
from pathlib import Path
from typing import Any

from whoosh.index import FileIndex
from whoosh.reading import SegmentReader
from whoosh.util import random_name
from whoosh.writing import SegmentWriter

from search.schema import to_whoosh
from search.storage import analysis
from search.storage.analysis import ArchiveText, positions
from search.storage.codec import ArchiveCodec

MERGE_FACTOR = 4
MAX_SEGMENTS = 16
MERGE_MIN_DOCS = 500
BATCH = 200
# Pairs of adjacent words are kept for the frequent words: those in at least this share of the
# first PAIR_SAMPLE documents of a full build (and at least one). Phrases of frequent words are
# answered from pairs; a phrase with a rarer word is narrowed down by that word's documents.
# Pairs of rare words would multiply the index's terms for little gain. The first 20,000
# documents of the benchmark corpus hold 352,092 distinct pairs at 1%, 180,492 at 2% and
# 109,910 at 3%; the 100,000-document build took about 190 s at 1% on this machine, and 3%
# pushed phrase p95 past the 50 ms goal (rare-word pairs are checked on positions).
PAIR_WORD_SHARE = 0.02
PAIR_SAMPLE = 3000


def frequent_words(sample: list[dict[str, Any]]) -> frozenset[str]:
    """The words whose adjacent pairs are indexed, from a sample of documents (Whoosh fields)."""
    least = max(1, math.ceil(len(sample) * PAIR_WORD_SHARE))
    counts: Counter[str] = Counter()
    for fields in sample:
        counts.update(positions(fields["text"]).keys())
    return frozenset(word for word, count in counts.items() if count >= least)


class TermPool:
    """Postings grouped by term as they are added, instead of Whoosh's pool of posting tuples.

    Documents are added in increasing number, so each term's list is already in order and only
    the distinct terms need sorting when the segment is written; Whoosh sorts every posting (tens
    of millions of tuples in a full build). Per posting this keeps three list entries instead of
    a tuple, so a build also needs about a third of the memory; there is no spilling to disk.
    """

    def __init__(self) -> None:
        self.terms: dict[tuple[str, bytes], tuple[list[int], list[float], list[bytes]]] = {}
        self.fieldnames: set[str] = set()
        self.merging = False

    def add(self, item: tuple[str, bytes, int, float, bytes | None]) -> None:
        """Add one posting (Whoosh's merge code adds the postings of merged segments this way)."""
        self.merging = True
        fieldname, btext, docnum, weight, value = item
        self.add_field(fieldname, docnum, [(btext, 0, weight, value)])

    def add_field(self, fieldname: str, docnum: int, items: Iterable[tuple[bytes, int, float, bytes | None]]) -> int:
        """Add the postings of one field of one document; return the field's length."""
        terms = self.terms
        length = 0
        for btext, freq, weight, value in items:
            length += freq
            lists = terms.get((fieldname, btext))
            if lists is None:
                lists = terms[(fieldname, btext)] = ([], [], [])
                self.fieldnames.add(fieldname)
            lists[0].append(docnum)
            lists[1].append(weight)
            lists[2].append(value or b"")
        return length

    def iter_terms(self) -> Iterator[tuple[str, bytes, list[int], list[float], list[bytes]]]:
        """``(field, term, docnums, weights, values)`` in field and term order, docnums ascending."""
        for key in sorted(self.terms):
            docs, weights, values = self.terms[key]
            if self.merging and len(docs) > 1 and docs != sorted(docs):
                order = sorted(range(len(docs)), key=docs.__getitem__)
                docs = [docs[i] for i in order]
                weights = [weights[i] for i in order]
                values = [values[i] for i in order]
            yield key[0], key[1], docs, weights, values

    def cleanup(self) -> None:
        self.terms = {}


class ArchiveWriter(SegmentWriter):
    """A SegmentWriter with a private temp directory, a lean pool and the archive codec."""

    def __init__(self, ix: FileIndex, *, pair_words: frozenset[str] | None = None, **kwargs: Any) -> None:
        """``pair_words``: the words whose adjacent pairs are written (a full build, which saves
        them with the schema); by default those saved in the schema."""
        kwargs.setdefault("codec", ArchiveCodec())
        kwargs.setdefault("compound", False)
        super().__init__(ix, **kwargs)
        # Whoosh made a temp dir shared by every writer of the index; use a private one instead.
        with contextlib.suppress(OSError):
            (Path(self.storage.folder) / f"{self.indexname}.tmp").rmdir()
        self._tempstorage = self.storage.temp_storage(f"{random_name()}.tmp")
        self.pool = TermPool()
        pairs = self.schema["pairs"] if "pairs" in self.schema else None  # noqa: SIM401 - a Schema, not a dict
        if pair_words is None:
            pair_words = frozenset(getattr(pairs, "words", None) or ())
        elif pairs is not None:
            pairs.words = pair_words
        self._pair_words = pair_words
        self._with_pairs = pairs is not None and bool(pair_words)

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        lengths = self.per_document_reader() if self.codec.length_stats else None
        try:
            self.fieldwriter.add_term_lists(self.schema, lengths, self.pool.iter_terms())
        finally:
            self.fieldwriter.close()
            if lengths is not None:
                lengths.close()

    def add_document(self, **fields: Any) -> None:
        """Add one document given as Whoosh field values (see :func:`schema.to_whoosh`)."""
        self._check_state()
        perdoc = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        pool = self.pool
        names = sorted(fields)
        self._check_fields(schema, names)
        perdoc.start_doc(docnum)
        try:
            for name in names:
                value = fields[name]
                if value is None:
                    continue
                field = schema[name]
                length = 0
                if name == "text" and self._with_pairs and isinstance(field, ArchiveText):
                    # The adjacent pairs of ``text`` come from the same analysis as ``text`` itself.
                    postings, pair_postings = field.index_with_pairs(value, self._pair_words)
                    length = pool.add_field(name, docnum, postings)
                    pool.add_field("pairs", docnum, pair_postings)
                elif field.indexed:
                    length = pool.add_field(name, docnum, field.index(value))
                perdoc.add_field(name, field, value if field.stored else None, length if field.scorable else 0)
                if field.column_type:
                    perdoc.add_column_value(name, field.column_type, field.to_column_value(value))
        except Exception:
            perdoc.cancel_doc()
            raise
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1


def merge_small(writer: SegmentWriter, segments: list[Any]) -> list[Any]:
    """Merge policy for saves: tiers of small segments, never a large one.

    Every commit adds a segment. Small segments (at most ``max(MERGE_MIN_DOCS, 1% of the
    index)`` documents) are merged when there are :data:`MERGE_FACTOR` of about the same size
    (within a factor of 4), counting the one being written: ten saves of one house make one
    segment of ten houses, and so on, so most saves merge nothing and none merges much. Large
    segments are merged only by :meth:`SearchIndex.optimize` (for instance nightly).
    """
    size = {id(seg): seg.doc_count_all() for seg in segments}
    budget = max(MERGE_MIN_DOCS, sum(size.values()) // 100)
    small = sorted((seg for seg in segments if size[id(seg)] <= budget), key=lambda seg: size[id(seg)])
    if not small:
        return segments
    floor = max(10, min(writer.docnum, size[id(small[0])]))
    tier = [seg for seg in small if size[id(seg)] <= 4 * floor]
    if len(tier) + 1 < MERGE_FACTOR and len(segments) < MAX_SEGMENTS:
        return segments
    chosen = tier if len(tier) + 1 >= MERGE_FACTOR else small[:MERGE_FACTOR]
    for seg in chosen:
        reader = SegmentReader(writer.storage, writer.schema, seg)
        writer.add_reader(reader)
        reader.close()
    return [seg for seg in segments if seg not in chosen]


def _worker(ix: FileIndex, pair_words: frozenset[str], jobs: Any, results: Any) -> None:
    writer = ArchiveWriter(ix, _lk=False, pair_words=pair_words)
    try:
        while (batch := jobs.get()) is not None:
            for fields in batch:
                writer.add_document(**fields)
        segment = writer._finalize_segment() if writer._added else None
        results.put(("ok", segment))
    except BaseException as exc:
        writer._close_segment()
        results.put(("error", repr(exc)))
    finally:
        writer._tempstorage.destroy()


@contextlib.contextmanager
def _running(workers: list[Any]) -> Iterator[None]:
    """Start the worker processes; kill them if anything fails here, and wait for them to end."""
    for proc in workers:
        proc.start()
    try:
        yield
    except BaseException:
        for proc in workers:
            proc.kill()
        raise
    finally:
        for proc in workers:
            proc.join(timeout=60)


def _next_result(results: Any, workers: list[Any]) -> tuple[str, Any]:
    """The next worker result; an error if a worker died without sending one (killed, OOM)."""
    while True:
        try:
            result: tuple[str, Any] = results.get(timeout=2)
            return result
        except queue.Empty:
            if any(proc.exitcode not in (None, 0) for proc in workers):
                return "error", "a worker process died"


def build_segments(
    ix: FileIndex,
    docs: Iterable[Mapping[str, Any]],
    *,
    procs: int,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Index ``docs`` into the empty index ``ix`` with ``procs`` worker processes; return the count.

    With ``procs <= 1`` everything happens in this process. Documents are checked against the
    contract here, so a bad document fails the build before anything is committed.
    """
    docs = iter(docs)
    sample = [to_whoosh(doc) for doc in islice(docs, PAIR_SAMPLE)]
    pair_words = frequent_words(sample)
    if procs <= 1:
        return _build_serial(ix, pair_words, chain(sample, map(to_whoosh, docs)), progress)
    ctx = multiprocessing.get_context("fork")
    jobs: Any = ctx.Queue(procs * 4)
    results: Any = ctx.Queue()
    workers = [ctx.Process(target=_worker, args=(ix, pair_words, jobs, results), daemon=True) for _ in range(procs)]
    count = 0
    with _running(workers):
        batch: list[dict[str, Any]] = []
        for fields in chain(sample, map(to_whoosh, docs)):
            batch.append(fields)
            count += 1
            if len(batch) >= BATCH:
                jobs.put(batch)
                batch = []
                if progress:
                    progress(count)
        if batch:
            jobs.put(batch)
        for _ in workers:
            jobs.put(None)
        segments = []
        for _ in workers:
            status, value = _next_result(results, workers)
            if status != "ok":
                raise RuntimeError(f"index build worker failed: {value}")
            if value is not None:
                segments.append(value)
    writer = ArchiveWriter(ix, pair_words=pair_words)  # saved with the schema in the table of contents
    writer.commit(mergetype=lambda w, segs: segs + segments)
    return count


def _build_serial(
    ix: FileIndex, pair_words: frozenset[str], docs: Iterable[dict[str, Any]], progress: Callable[[int], None] | None
) -> int:
    writer = ArchiveWriter(ix, pair_words=pair_words)
    count = 0
    try:
        for fields in docs:
            writer.add_document(**fields)
            count += 1
            if progress and count % BATCH == 0:
                progress(count)
    except BaseException:
        writer.cancel()
        raise
    writer.commit(mergetype=lambda w, segs: segs)
    return count


# Several indexes from one pass ---------------------------------------------------------------

Loader = Callable[[Any], Iterable[tuple[str, Mapping[str, Any]]]]


def _write_jobs(
    writers: Mapping[str, ArchiveWriter], jobs: Iterable[tuple[str, Any]], load: Loader, done: Callable[[int], None]
) -> None:
    """Write each job's documents to the writer of their index: a job is ``("docs", [(index,
    Whoosh fields), ...])`` or ``("load", job)`` for ``load`` to turn into ``(index, document)``
    pairs. Each job's texts are analysed once for every index (:data:`analysis.shared_parts`)."""
    analysis.shared_parts = {}
    try:
        for kind, payload in jobs:
            items = payload if kind == "docs" else ((name, to_whoosh(doc)) for name, doc in load(payload))
            count = 0
            for name, fields in items:
                writers[name].add_document(**fields)
                count += 1
            analysis.shared_parts.clear()
            done(count)
    finally:
        analysis.shared_parts = None


def _multi_worker(ixs: Mapping[str, FileIndex], pair_words: Mapping[str, frozenset[str]], load: Loader,
                  init: Callable[[], None] | None, jobs: Any, results: Any) -> None:
    gc.disable()  # millions of posting entries, no reference cycles: collections would only rescan them
    writers = {name: ArchiveWriter(ix, _lk=False, pair_words=pair_words[name]) for name, ix in ixs.items()}
    try:
        if init is not None:
            init()
        _write_jobs(writers, iter(jobs.get, None), load, lambda n: results.put(("progress", n)))
        results.put(("ok", {name: w._finalize_segment() if w._added else None for name, w in writers.items()}))
    except BaseException as exc:
        for writer in writers.values():
            writer._close_segment()
        results.put(("error", repr(exc)))
    finally:
        for writer in writers.values():
            writer._tempstorage.destroy()


def build_indexes(
    ixs: Mapping[str, FileIndex],
    jobs: Iterable[Any],
    load: Loader,
    *,
    procs: int,
    progress: Callable[[int], None] | None = None,
    worker_init: Callable[[], None] | None = None,
) -> dict[str, int]:
    """Index a collection into several empty indexes at once; return each one's document count.

    ``load`` turns a job (any picklable value, say a range of ids) into ``(index name, document)``
    pairs. It runs in the ``procs`` forked worker processes, which take jobs as they finish
    others: reading the documents is spread over the workers too, and this process only hands
    out jobs (``worker_init`` runs first in each worker, e.g. to drop database connections
    inherited from this process). Each worker writes one segment per index; an item in several
    indexes is analysed once. Every index chooses its frequent words from its own first
    :data:`PAIR_SAMPLE` documents, loaded here, as :func:`build_segments` does (the public index
    never learns words of the private items). A failure anywhere leaves the indexes uncommitted.
    """
    pending = iter(jobs)
    sample: list[tuple[str, dict[str, Any]]] = []
    seen = dict.fromkeys(ixs, 0)
    while min(seen.values(), default=PAIR_SAMPLE) < PAIR_SAMPLE and (job := next(pending, None)) is not None:
        for name, doc in load(job):
            sample.append((name, to_whoosh(doc)))
            seen[name] += 1
    pair_words = {name: frequent_words([f for n, f in sample if n == name][:PAIR_SAMPLE]) for name in ixs}
    work = chain((("docs", sample[i : i + BATCH]) for i in range(0, len(sample), BATCH)),
                 (("load", job) for job in pending))
    counts: dict[str, int] = {}
    total = [0]

    def done(n: int) -> None:
        total[0] += n
        if progress:
            progress(total[0])

    segments: dict[str, list[Any]] = {name: [] for name in ixs}
    if procs <= 1:
        writers = {name: ArchiveWriter(ix, pair_words=pair_words[name]) for name, ix in ixs.items()}
        try:
            _write_jobs(writers, work, load, done)
        except BaseException:
            for writer in writers.values():
                writer.cancel()
            raise
        for name, writer in writers.items():
            counts[name] = writer.docnum
            writer.commit(mergetype=lambda w, segs: segs)
        return counts
    ctx = multiprocessing.get_context("fork")
    job_queue: Any = ctx.Queue()
    results: Any = ctx.Queue()
    workers = [ctx.Process(target=_multi_worker, args=(ixs, pair_words, load, worker_init, job_queue, results),
                           daemon=True) for _ in range(procs)]
    with _running(workers):
        for item in work:
            job_queue.put(item)
        for _ in workers:
            job_queue.put(None)
        finished = 0
        while finished < len(workers):
            status, value = _next_result(results, workers)
            if status == "progress":
                done(value)
            elif status == "ok":
                finished += 1
                for name, segment in value.items():
                    if segment is not None:
                        segments[name].append(segment)
            else:
                raise RuntimeError(f"index build worker failed: {value}")
    for name, ix in ixs.items():
        counts[name] = sum(segment.doc_count_all() for segment in segments[name])
        writer = ArchiveWriter(ix, pair_words=pair_words[name])  # saved with the schema in the table of contents
        writer.commit(mergetype=lambda w, segs, mine=segments[name]: segs + mine)
    return counts
