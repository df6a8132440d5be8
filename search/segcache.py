"""Per-segment caches and the per-searcher view over them.

A segment never changes once written (only its deletion set does), so what is derived from it is
computed once per process and kept while the segment is part of the index:

* the packed ``meta`` column decoded into one list per facet (house code, type, county, ...,
  year), from which filters, facet counts, grouping and date sorting are computed without
  touching stored fields;
* inverted maps value -> documents, built the first time a facet is filtered on;
* the segment's Chinese vocabulary (terms, the multi-character terms containing each character,
  and the prefixes of terms), for sub-word matching and pinyin lookups.

A :class:`SearchView` puts the segments of one searcher side by side with their document offsets.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from search.schema import META_FIELDS, split_list, unpack_meta
from search.storage import Segment, Snapshot

_EMPTY_ROW = [""] * len(META_FIELDS)


def _is_cjk(term: str) -> bool:
    return ord(term[0]) >= 0x2E80


class SegmentLexicon:
    """The Chinese terms of one segment's ``text`` field."""

    def __init__(self, terms: Iterable[str]) -> None:
        self.terms: set[str] = set()
        self.by_char: dict[str, list[str]] = {}
        self.prefixes: set[str] = set()
        for term in terms:
            if not term or not _is_cjk(term):
                continue
            self.terms.add(term)
            if len(term) > 1:
                for char in set(term):
                    self.by_char.setdefault(char, []).append(term)
                for i in range(1, len(term)):
                    self.prefixes.add(term[:i])


@dataclass(frozen=True)
class FacetPairs:
    """A facet's ``(document, value number)`` pairs; ``labels[number]`` is the value."""

    docs: np.ndarray
    codes: np.ndarray
    labels: list[str]  # grows (append only) as segments bring new values


class FacetLabels:
    """Process-wide numbers for facet values (house codes, villages, ...), the same in every
    segment, so a view joins its segments' facet arrays without renumbering them."""

    def __init__(self) -> None:
        self._numbers: dict[str, dict[str, int]] = {}
        self._labels: dict[str, list[str]] = {}
        self._lock = threading.Lock()

    def labels(self, facet: str) -> list[str]:
        with self._lock:
            return self._labels.setdefault(facet, [])

    def numbers(self, facet: str, values: list[str]) -> np.ndarray:
        with self._lock:
            numbers = self._numbers.setdefault(facet, {})
            labels = self._labels.setdefault(facet, [])
            out: list[int] = []
            for value in values:
                number = numbers.get(value)
                if number is None:
                    number = numbers[value] = len(labels)
                    labels.append(value)
                out.append(number)
            return np.asarray(out, dtype=np.int64)


LABELS = FacetLabels()


class SegmentData:
    """Facet columns of one segment, decoded once from its ``meta`` column."""

    def __init__(self, segment: Segment) -> None:
        count = segment.doc_count_all()
        raw = segment.meta_column()
        rows = [unpack_meta(value) if value else _EMPTY_ROW for value in raw]
        rows.extend([_EMPTY_ROW] * (count - len(rows)))
        self.columns: dict[str, list[Any]] = {}
        for name, column in zip(META_FIELDS, zip(*rows, strict=True) if rows else [()] * len(META_FIELDS),
                                strict=True):  # fmt: skip
            interned: dict[str, str] = {}
            self.columns[name] = [interned.setdefault(v, v) for v in column]
        self.columns["destination_country"] = [split_list(v) for v in self.columns["destination_country"]]
        self.columns["date_year"] = [int(v) if v else None for v in self.columns["date_year"]]
        self._inverted: dict[str, dict[str, list[int]]] = {}
        self._lexicon: SegmentLexicon | None = None
        self._norms: dict[str, tuple[float, np.ndarray]] = {}
        self._pairs: dict[str, FacetPairs] = {}
        self._lock = threading.Lock()

    def inverted(self, facet: str) -> dict[str, list[int]]:
        """Facet value -> segment-local documents having it."""
        found = self._inverted.get(facet)
        if found is None:
            found = {}
            if facet == "destination_country":
                for doc, values in enumerate(self.columns[facet]):
                    for value in values:
                        found.setdefault(value, []).append(doc)
            else:
                for doc, value in enumerate(self.columns[facet]):
                    if value:
                        found.setdefault(value, []).append(doc)
            self._inverted[facet] = found
        return found

    def facet_pairs(self, facet: str) -> FacetPairs:
        """Every ``(document, value)`` of a facet as two arrays, values numbered in ``labels``
        (empty values left out; several per document for destinations)."""
        found = self._pairs.get(facet)
        if found is None:
            docs: list[int] = []
            values: list[str] = []
            column = self.columns[facet]
            if facet == "destination_country":
                for doc, several in enumerate(column):
                    for value in several:
                        docs.append(doc)
                        values.append(value)
            else:
                for doc, value in enumerate(column):
                    if value:
                        docs.append(doc)
                        values.append(value)
            labels = LABELS.labels(facet)
            codes = LABELS.numbers(facet, values)
            found = self._pairs[facet] = FacetPairs(np.asarray(docs, dtype=np.int64), codes, labels)
        return found

    def norms(self, segment: Segment, fieldname: str, avg: float, k1: float = 1.2, b: float = 0.75) -> np.ndarray:
        """BM25 length normalisation of each document for an average length ``avg``; kept while
        the average moves less than 2% (saves elsewhere in the index change it a little)."""
        cached = self._norms.get(fieldname)
        if cached is not None and abs(cached[0] - avg) <= 0.02 * avg:
            return cached[1]
        lengths = segment.field_lengths(fieldname)
        base, scale = k1 * (1 - b), k1 * b / avg
        norms = np.asarray(lengths, dtype=np.float64) * scale + base
        self._norms[fieldname] = (avg, norms)
        return norms

    def lexicon(self, segment: Segment) -> SegmentLexicon:
        """The segment's Chinese vocabulary (built on first use)."""
        if self._lexicon is None:
            with self._lock:
                if self._lexicon is None:
                    self._lexicon = SegmentLexicon(segment.lexicon("text"))
        return self._lexicon


class SegmentCache:
    """Process-wide cache of :class:`SegmentData`, keyed by index directory and segment id."""

    def __init__(self) -> None:
        self._data: dict[tuple[str, str], SegmentData] = {}
        self._lock = threading.Lock()

    def get(self, index_dir: str, segment: Segment) -> SegmentData:
        key = (index_dir, segment.segment_id)
        data = self._data.get(key)
        if data is None:
            data = SegmentData(segment)
            with self._lock:
                self._data[key] = data
        return data

    def retain(self, index_dir: str, segment_ids: set[str]) -> None:
        """Forget the segments of ``index_dir`` that are no longer in it."""
        with self._lock:
            for key in [k for k in self._data if k[0] == index_dir and k[1] not in segment_ids]:
                del self._data[key]


CACHE = SegmentCache()


class RecentResults:
    """The last few query matches of a view (a view belongs to one thread and one index version)."""

    def __init__(self, size: int = 8) -> None:
        self.size = size
        self._items: OrderedDict[Any, Any] = OrderedDict()

    def get(self, key: Any) -> Any | None:
        found = self._items.get(key)
        if found is not None:
            self._items.move_to_end(key)
        return found

    def put(self, key: Any, value: Any) -> None:
        self._items[key] = value
        while len(self._items) > self.size:
            self._items.popitem(last=False)


class SearchView:
    """The segments of one snapshot with their offsets, cached data and global facet columns."""

    def __init__(self, snapshot: Snapshot, index_dir: str, recent: int = 8) -> None:
        self.snapshot = snapshot
        self.leaves: list[tuple[Segment, int, SegmentData, frozenset[int]]] = []
        for segment in snapshot.segments:
            self.leaves.append((segment, segment.offset, CACHE.get(index_dir, segment), segment.deleted()))
        CACHE.retain(index_dir, {segment.segment_id for segment in snapshot.segments})
        self.columns: dict[str, list[Any]] = {}
        for name in META_FIELDS:
            merged: list[Any] = []
            for _, _, data, _ in self.leaves:
                merged += data.columns[name]
            self.columns[name] = merged
        self.doc_count = sum(segment.doc_count() for segment, _, _, _ in self.leaves)
        self.doc_count_all = sum(segment.doc_count_all() for segment, _, _, _ in self.leaves)
        self._norms: dict[tuple[int, str], np.ndarray] = {}
        self._facet_pairs: dict[str, FacetPairs] = {}
        self._houses: tuple[np.ndarray, list[str]] | None = None
        self._live: frozenset[int] | None = None
        self.recent = RecentResults(recent)

    def norms(self, leaf: int, fieldname: str) -> np.ndarray:
        """BM25 length normalisation ``k1 * (1 - b + b * len / avg)`` of each document of a segment."""
        key = (leaf, fieldname)
        found = self._norms.get(key)
        if found is None:
            total = sum(segment.total_field_length(fieldname) for segment, _, _, _ in self.leaves)
            docs = sum(segment.doc_count_all() for segment, _, _, _ in self.leaves)
            avg = (total / docs) if docs and total else 1.0
            segment, _, data, _ = self.leaves[leaf]
            found = self._norms[key] = data.norms(segment, fieldname, avg)
        return found

    def live_docs(self) -> frozenset[int]:
        """Every live document (for browsing without a query)."""
        if self._live is None:
            live: set[int] = set()
            for segment, offset, _, deleted in self.leaves:
                live.update(range(offset, offset + segment.doc_count_all()))
                live.difference_update(offset + d for d in deleted)
            self._live = frozenset(live)
        return self._live

    def facet_pairs(self, facet: str) -> FacetPairs:
        """A facet's pairs over the global documents: the segments' pairs joined (their values are
        numbered process-wide, so joining is concatenating arrays, on every new view)."""
        found = self._facet_pairs.get(facet)
        if found is None:
            parts = [(data.facet_pairs(facet), offset) for _, offset, data, _ in self.leaves]
            if parts:
                docs = np.concatenate([local.docs + offset for local, offset in parts])
                codes = np.concatenate([local.codes for local, _ in parts])
            else:
                docs = codes = np.zeros(0, dtype=np.int64)
            found = self._facet_pairs[facet] = FacetPairs(docs, codes, LABELS.labels(facet))
        return found

    def house_numbers(self) -> tuple[np.ndarray, list[str]]:
        """The house of every global document as a number, and the house codes by number."""
        if self._houses is None:
            pairs = self.facet_pairs("house_code")
            dense = np.full(self.doc_count_all, -1, dtype=np.int64)
            dense[pairs.docs] = pairs.codes
            self._houses = (dense, pairs.labels)
        return self._houses

    def facet_values(self, facet: str) -> set[str]:
        """All values of a facet in the index."""
        out: set[str] = set()
        for _, _, data, _ in self.leaves:
            out.update(data.inverted(facet))
        return out

    def lexicons(self) -> list[SegmentLexicon]:
        return [data.lexicon(segment) for segment, _, data, _ in self.leaves]

    def containing(self, word: str) -> set[str]:
        """Multi-character Chinese terms of the index that contain ``word`` (``word`` excluded)."""
        out: set[str] = set()
        for lex in self.lexicons():
            lists = [lex.by_char.get(char, []) for char in set(word)]
            shortest = min(lists, key=len) if lists else []
            if len(word) == 1:
                out.update(shortest)
            else:
                out.update(t for t in shortest if word in t and t != word)
        return out

    def is_term(self, term: str) -> bool:
        return any(term in lex.terms for lex in self.lexicons())

    def is_prefix(self, prefix: str) -> bool:
        return any(prefix in lex.prefixes for lex in self.lexicons())
