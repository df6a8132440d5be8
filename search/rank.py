"""Scoring: BM25 over the posting lists already read for the result set.

Whoosh's collector steps a tree of matchers through every candidate document in Python, several
method calls per document and per term; on broad queries over 100,000 documents that is the
whole latency budget. The result set is already known exactly (:mod:`search.docsets`)
and the posting lists of its terms are cached, so scoring is array arithmetic per posting list:

    score(d) = sum over query terms t and fields f of
               boost(t) * weight(f) * idf(t, f) * tf * (k1 + 1) / (tf + k1 * (1 - b + b * len(d, f) / avg(f)))

Titles and names (the ``name`` field) weigh :data:`NAME_BOOST` times the full text; sub-word
expansions (开平 -> 开平市) are scored on the full text only. Phrases are scored by their indexed
pairs of adjacent words where they have them (:func:`query_terms`), otherwise as their words.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from itertools import pairwise
from math import log

import numpy as np

from search.docsets import DocsetEvaluator
from search.plan import Node, Seq, Terms, term_nodes
from search.segcache import SearchView
from search.storage import PAIR_POSITION_UNIT, pair_term

NAME_BOOST = 3.0
MAX_SCORED_PAIRS = 16  # combinations of two slots' forms above which a phrase scores by words
K1 = 1.2
B = 0.75


def query_terms(nodes: list[Node], pair_words: AbstractSet[str] = frozenset()) -> dict[tuple[str, str], float]:
    """``(field, term) -> boost`` for every term that scores (the best boost when repeated).

    A phrase in ``text`` whose adjacent words are indexed as pairs (``pair_words``) is scored by
    those pairs in the ``pairs`` field: how often the phrase's pieces occur, not its words, and a
    pair's posting list is about as long as the phrase's result where a common word's is the
    whole collection. Its words still score on names.
    """
    out: dict[tuple[str, str], float] = {}

    def add(key: tuple[str, str], boost: float) -> None:
        out[key] = max(out.get(key, 0.0), boost)

    for node in term_nodes(nodes):
        slots = [node.terms] if isinstance(node, Terms) else node.slots
        in_pairs: set[int] = set()
        if isinstance(node, Seq) and node.field == "text" and pair_words:
            for key, boost, covers in _phrase_pairs(node.slots, pair_words):
                add(key, boost)
                in_pairs.update(covers)
        for i, slot in enumerate(slots):
            for term, boost in slot.items():
                if i not in in_pairs:
                    add((node.field, term), boost)
                if node.field == "text" and boost >= 0.8:
                    add(("name", term), boost * NAME_BOOST)
    return out


def _phrase_pairs(
    slots: list[dict[str, float]], words: AbstractSet[str]
) -> list[tuple[tuple[str, str], float, tuple[int, int]]]:
    """``(("pairs", term), boost, (slot, next slot))`` for the indexed pairs of a phrase; none
    when its slots expand to too many combinations (then its words score, as elsewhere)."""
    found = []
    for i, (first, second) in enumerate(pairwise(slots)):
        combos = [(a, b) for a in first for b in second if a in words and b in words]
        if len(combos) > MAX_SCORED_PAIRS:
            return []
        for a, b in combos:
            found.append((("pairs", pair_term(a, b)), min(first[a], second[b]), (i, i + 1)))
    return found


class Scores:
    """Scores of the documents of a result set that have a query term: documents and scores as
    two arrays (in document order)."""

    def __init__(self, docs: np.ndarray, values: np.ndarray) -> None:
        self.docs, self.values = docs, values

    def __len__(self) -> int:
        return len(self.docs)

    def top(self, limit: int) -> list[tuple[float, int]]:
        """The ``limit`` best ``(score, docnum)``, best first; equal scores in document order."""
        values = self.values
        if limit < len(values):
            # Every document scoring at least the limit-th best score, ties included.
            cut = -np.partition(-values, limit - 1)[limit - 1]
            chosen = np.flatnonzero(values >= cut)
        else:
            chosen = np.arange(len(values))
        order = chosen[np.lexsort((self.docs[chosen], -values[chosen]))][:limit]
        return list(zip(values[order].tolist(), self.docs[order].tolist(), strict=True))


class Scorer:
    """Scores the documents of a result set.

    Per term and segment the BM25 parts of all its postings are computed and added into one dense
    array of the index's documents with numpy; the result set picks its documents out at the end.
    A posting list of 65,000 documents then costs well under a millisecond, where a Python loop
    over it took about 6.
    """

    def __init__(self, view: SearchView, ev: DocsetEvaluator) -> None:
        self.view = view
        self.ev = ev

    def pair_words(self) -> AbstractSet[str]:
        """The words whose adjacent pairs the index holds (saved with its schema)."""
        return self.view.leaves[0][0].pair_words() if self.view.leaves else frozenset()

    def scores(self, nodes: list[Node], docs: np.ndarray) -> Scores:
        """Scores of the documents of ``docs`` (a sorted array) that have at least one query term."""
        view, ev = self.view, self.ev
        total = max(1, view.doc_count)
        dense = np.zeros(view.doc_count_all, dtype=np.float64)
        for (fieldname, term), boost in query_terms(nodes, self.pair_words()).items():
            lists = [ev.postings(leaf, fieldname, term) for leaf in range(len(view.leaves))]
            df = sum(len(ids) for ids, _ in lists)
            if not df:
                continue
            factor = boost * log(1.0 + (total - df + 0.5) / (df + 0.5)) * (K1 + 1.0)
            for leaf, (ids, tfs) in enumerate(lists):
                if not len(ids):
                    continue
                local = _array(ids, np.uint32)
                freqs = _array(tfs, np.float32).astype(np.float64)
                if fieldname == "pairs":  # a pair weight: the count is in the low bits
                    freqs %= PAIR_POSITION_UNIT
                norms = view.norms(leaf, "text" if fieldname == "pairs" else fieldname)
                parts = factor * freqs / (freqs + norms[local])
                offset = view.leaves[leaf][1]
                # A term's postings name each document once, so plain fancy-index addition is exact.
                dense[local + offset if offset else local] += parts
        values = dense[docs]
        scored = values > 0.0
        return Scores(docs[scored], values[scored])


def _array(values: Sequence[int] | Sequence[float], dtype: type) -> np.ndarray:
    """A numpy view of a posting list column (no copy for the cached ``array`` columns)."""
    if isinstance(values, array):
        return np.frombuffer(values, dtype=dtype)
    return np.asarray(values, dtype=dtype)
