"""Fast reads of posting lists, one block at a time, for set arithmetic on document numbers.

Whoosh's ``Matcher.all_ids()`` steps through a posting list one document at a time in Python and,
on a segment with deletions, through a filtering wrapper. Counting results and facets needs the
whole set of matching documents, so these helpers read the archive codec's posting blocks
directly (ids and weights, and for phrases positions; :mod:`search.storage.codec`) and leave
deletions to set arithmetic. Anything else falls back to the public matcher API.
"""

from __future__ import annotations

import threading
from array import array
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from itertools import accumulate
from pickle import loads
from typing import Any

from whoosh.reading import TermNotFound
from whoosh.system import _INT_SIZE

from search.storage.codec import SINGLE_POSITIONS, ArchiveLeafMatcher


def _matcher(reader: Any, fieldname: str, term: str) -> Any | None:
    btext = term.encode("utf-8")
    try:
        return reader._terms.matcher(fieldname, btext, reader.schema[fieldname].format)
    except (TermNotFound, KeyError):
        return None
    except AttributeError:  # not a segment reader: use the public (slower) API
        try:
            return reader.postings(fieldname, term)
        except TermNotFound:
            return None


def _blocks(
    m: Any, values: Callable[[Sequence[int]], bool] | None
) -> Iterator[tuple[Sequence[int], Sequence[float], Sequence[bytes] | None]]:
    """Yield ``(ids, weights, values)`` per posting block; values only for blocks whose ids pass
    the ``values`` test (reading them means decompressing the block's positions)."""
    if isinstance(m, ArchiveLeafMatcher):
        while not m._atend:
            block_ids = m.block_ids()
            vals = m.block_values() if values is not None and values(block_ids) else None
            yield block_ids, m.block_weights(), vals
            if m._lastblock:
                break
            m._goto(m._nextoffset)
        return
    ids: list[int] = []
    weights: list[float] = []
    vals_list: list[bytes] = []
    while m.is_active():
        ids.append(m.id())
        weights.append(m.weight())
        if values:
            vals_list.append(m.value())
        m.next()
    yield ids, weights, (vals_list if values is not None else None)


def term_postings(reader: Any, fieldname: str, term: str) -> tuple[Sequence[int], Sequence[float]]:
    """Segment-local document numbers of ``term`` and its frequency in each (deleted included)."""
    m = _matcher(reader, fieldname, term)
    ids: list[int] = []
    weights: list[float] = []
    if m is not None:
        for block_ids, block_weights, _ in _blocks(m, None):
            ids.extend(block_ids)
            weights.extend(block_weights)
    return ids, weights


# Most terms occur once in a document: their encoded values are looked up instead of unpickled.
_SINGLE = {value: [pos] for pos, value in enumerate(SINGLE_POSITIONS)}


def decode_positions(value: bytes) -> list[int]:
    """Positions of one posting in the ``Positions`` format (delta-coded, pickled)."""
    single = _SINGLE.get(value)
    if single is not None:
        return single
    body = value[_INT_SIZE:]
    if not body.endswith(b"."):
        body += b"."
    return list(accumulate(loads(body)))  # noqa: S301 - the index's own posting data, as Whoosh reads it


def _blocks_among(m: ArchiveLeafMatcher, docs: set[int]) -> Iterator[tuple[int, int]]:
    """``(index in block, doc)`` for each of ``docs`` in the posting list, the matcher positioned
    on its block. Blocks holding none of ``docs`` are skipped by their header's highest id,
    without reading them."""
    wanted = sorted(docs)
    i, n = 0, len(wanted)
    while True:
        if wanted[i] <= m._maxid:  # the block may hold wanted[i]
            ids = m.block_ids()
            found = docs.intersection(ids)  # in C; then each one's place by binary search
            for doc in sorted(found):
                yield bisect_left(ids, doc), doc
            i = bisect_right(wanted, m._maxid, i)
            if i >= n:
                break
        if m._lastblock:
            break
        m._goto(m._nextoffset)


def term_positions(reader: Any, fieldname: str, term: str, docs: set[int]) -> dict[int, list[int]]:
    """Positions of ``term`` in each of ``docs`` (segment-local) that contains it, reading only
    the blocks that may hold them: a phrase's few undecided documents cost a few blocks of even a
    common word."""
    m = _matcher(reader, fieldname, term)
    out: dict[int, list[int]] = {}
    if m is None or not docs:
        return out
    single = _SINGLE.get
    if not isinstance(m, ArchiveLeafMatcher):
        isdisjoint = docs.isdisjoint
        for ids, _, values in _blocks(m, lambda ids: not isdisjoint(ids)):
            if values is not None:
                for doc, value in zip(ids, values, strict=True):
                    if doc in docs:
                        out[doc] = single(value) or decode_positions(value)
        return out
    for at, doc in _blocks_among(m, docs):
        value = m.block_value(at)
        out[doc] = single(value) or decode_positions(value)
    return out


def term_weights(reader: Any, fieldname: str, term: str, docs: set[int]) -> dict[int, float]:
    """The weight of ``term`` in each of ``docs`` (segment-local) that contains it, reading only
    the blocks that may hold them (ids and weights, never positions)."""
    m = _matcher(reader, fieldname, term)
    if m is None or not docs:
        return {}
    if not isinstance(m, ArchiveLeafMatcher):
        ids, weights = term_postings(reader, fieldname, term)
        return {d: w for d, w in zip(ids, weights, strict=True) if d in docs}
    return {doc: m.block_weights()[at] for at, doc in _blocks_among(m, docs)}


def doc_frequency(reader: Any, fieldname: str, term: str) -> int:
    """How many documents of the segment have ``term`` (from the term table: no postings read)."""
    try:
        return int(reader.doc_frequency(fieldname, term))
    except (KeyError, TermNotFound):
        return 0


class PostingsCache:
    """Decoded posting lists of frequent terms, shared by the searches of a process.

    Reading a posting list means unpickling every block, positions included; for a word in a
    third of 100,000 documents that is a large part of a search. Popular words recur, so lists of
    at least ``min_length`` postings are kept (as compact arrays, least recently used dropped
    first, ``max_postings`` in all: about 8 bytes each). Segments never change once written
    (deletions are applied afterwards), so an entry stays valid while its segment exists.
    """

    def __init__(self, max_postings: int = 4_000_000, min_length: int = 1000) -> None:
        self.max_postings = max_postings
        self.min_length = min_length
        self._data: OrderedDict[tuple[str, str, str], tuple[array[int], array[float]]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
            self._size = 0

    def has(self, key: tuple[str, str, str]) -> bool:
        with self._lock:
            return key in self._data

    def get(self, key: tuple[str, str, str], reader: Any) -> tuple[Sequence[int], Sequence[float]]:
        """Postings of ``key = (segment key, field, term)`` read from ``reader`` if not cached."""
        with self._lock:
            found = self._data.get(key)
            if found is not None:
                self._data.move_to_end(key)
                return found
        ids, weights = term_postings(reader, key[1], key[2])
        if len(ids) < self.min_length or len(ids) > self.max_postings // 4:
            return ids, weights
        entry = (array("I", ids), array("f", weights))
        with self._lock:
            if key not in self._data:
                self._data[key] = entry
                self._size += len(ids)
                while self._size > self.max_postings:
                    _, (old, _) = self._data.popitem(last=False)
                    self._size -= len(old)
        return entry


POSTINGS_CACHE = PostingsCache()
