"""Exact evaluation of a plan tree as sets of global document numbers (deleted documents removed).

Posting lists are read block by block (:mod:`search.storage.postings`) and combined with Python set
operations, which run in C: this is what makes exact totals and facet counts affordable on every
query, where stepping a Whoosh matcher through every match would not be.

Phrases in ``text`` are answered from the ``pairs`` field: every pair of adjacent frequent words
(see :mod:`search.storage.writer`) with, as its weight, how often it occurs in the document and
where it first does (:func:`~search.storage.analysis.pair_weight`).

* The documents having every adjacent pair of the phrase are the candidates; a pair with a rare
  word is not indexed, and the documents having both of its words are candidates that only
  positions can settle (few, as one word is rare).
* Two words: the candidates found through indexed pairs are the answer.
* More words: a candidate has the phrase when the recorded first occurrences chain (pair i + 1
  starts one after pair i), and has not when every pair occurs once and they do not chain.
  Otherwise a pigeonhole bound on the counts (below, in ``_decide``) often still proves it.
* Positions are read only for the candidates left undecided, as for phrases in other fields,
  the rarest word first, from only the posting blocks that may hold those documents.

This runs on numpy arrays: a phrase of common words has thousands of candidates.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Sequence
from itertools import pairwise

import numpy as np

from search.plan import AnyOf, Facet, Node, Seq, Terms
from search.segcache import SearchView, SegmentData
from search.storage import PAIR_COUNT_CAP, PAIR_POSITION_UNIT, Segment, pair_term

# Above this many combinations of the two words' forms (sub-word matches of the first and last
# words), a pair of a phrase is not looked up term by term: positions are read instead.
MAX_PAIR_TERMS = 1024
# A term's weights in a few documents are read from the blocks that may hold them when the
# documents are fewer than 1/AMONG_SHARE of the term's (each block read costs about as much as
# decoding AMONG_SHARE postings).
AMONG_SHARE = 8
Combos = list[tuple[str, str]]


def _slot_positions(segment: Segment, fieldname: str, slot: dict[str, float], docs: set[int]) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for term in slot:
        for doc, positions in segment.positions(fieldname, term, docs).items():
            if doc in found:
                found[doc] = found[doc] + positions
            else:
                found[doc] = positions
    return found


def _verify(
    segment: Segment, fieldname: str, slots: list[dict[str, float]], cands: set[int], order: Sequence[int] | None = None
) -> set[int]:
    """The candidates where slot i occurs at position p + i for some p.

    Slots are read in ``order`` (by default as written), each keeping only the phrase starts ``p``
    that still work, so later slots read fewer documents: reading the rarest slot first (the
    caller's ``order``) leaves the common words only the few documents that can still match."""
    order = list(order) if order is not None else list(range(len(slots)))
    first = order[0]
    starts = {doc: [q - first for q in found]
              for doc, found in _slot_positions(segment, fieldname, slots[first], cands).items()}  # fmt: skip
    for i in order[1:]:
        if not starts:
            break
        here = _slot_positions(segment, fieldname, slots[i], set(starts))
        kept: dict[int, list[int]] = {}
        for doc, begins in starts.items():
            positions = here.get(doc)
            if not positions:
                continue
            if len(positions) == 1:
                target = positions[0] - i
                if len(begins) == 1:
                    if begins[0] == target:
                        kept[doc] = begins
                    continue
                ok = [p for p in begins if p == target]
            else:
                wanted = {q - i for q in positions}
                ok = [p for p in begins if p in wanted]
            if ok:
                kept[doc] = ok
        starts = kept
    return set(starts)


def _ints(ids: Sequence[int]) -> np.ndarray:
    """Posting ids as an int64 array (a view of a cached ``array``)."""
    if isinstance(ids, array):
        return np.frombuffer(ids, dtype=np.uint32).astype(np.int64)
    return np.asarray(ids, dtype=np.int64)


def _floats(weights: Sequence[float]) -> np.ndarray:
    if isinstance(weights, array):
        return np.frombuffer(weights, dtype=np.float32).astype(np.float64)
    return np.asarray(weights, dtype=np.float64)


class DocsetEvaluator:
    """Evaluates nodes against a view, remembering results (AND and OR fallback share them) and
    the posting lists read, which the scorer uses again."""

    def __init__(self, view: SearchView) -> None:
        self.view = view
        self._memo: dict[int, set[int]] = {}
        self._postings: dict[tuple[int, str, str], tuple[Sequence[int], Sequence[float]]] = {}

    def postings(self, leaf: int, fieldname: str, term: str) -> tuple[Sequence[int], Sequence[float]]:
        """Document numbers and frequencies of ``term`` in segment ``leaf`` (cached per search,
        and across searches for frequent terms)."""
        key = (leaf, fieldname, term)
        found = self._postings.get(key)
        if found is None:
            found = self._postings[key] = self.view.leaves[leaf][0].postings(fieldname, term)
        return found

    def _union(self, leaf: int, fieldname: str, terms: Iterable[str]) -> set[int]:
        out: set[int] = set()
        for term in terms:
            out.update(self.postings(leaf, fieldname, term)[0])
        return out

    def _per_leaf(self, fn: Callable[[int, Segment, SegmentData], set[int]]) -> set[int]:
        out: set[int] = set()
        for leaf, (segment, offset, data, deleted) in enumerate(self.view.leaves):
            local = fn(leaf, segment, data)
            if deleted:
                local -= deleted
            out.update(local if not offset else {offset + d for d in local})
        return out

    def evaluate(self, node: Node) -> set[int]:
        key = id(node)
        if key not in self._memo:
            self._memo[key] = self._evaluate(node)
        return self._memo[key]

    def _evaluate(self, node: Node) -> set[int]:
        if isinstance(node, Terms):
            return self._per_leaf(lambda leaf, _, __: self._union(leaf, node.field, node.terms))
        if isinstance(node, Seq):
            return self._per_leaf(lambda leaf, segment, _: self._seq(leaf, segment, node))
        if isinstance(node, Facet):
            return self._per_leaf(
                lambda _, __, data: {d for v in node.values for d in data.inverted(node.facet).get(v, ())}
            )
        if isinstance(node, AnyOf):
            out: set[int] = set()
            for child in node.children:
                out |= self.evaluate(child)
            return out
        return self.intersect(node.children, node.exclude)

    def intersect(self, children: list[Node], exclude: list[Node] | None = None) -> set[int]:
        """Documents matching every child and none of ``exclude``."""
        if not children:
            return set()
        sets = sorted((self.evaluate(c) for c in children), key=len)
        result = set(sets[0])
        for other in sets[1:]:
            if not result:
                break
            result &= other
        for node in exclude or []:
            if not result:
                break
            result -= self.evaluate(node)
        return result

    def _among(self, leaf: int, fieldname: str, term: str, docs: set[int]) -> dict[int, float]:
        """The weight of ``term`` in those of ``docs`` (segment-local) that have it.

        When ``docs`` are few next to the term's documents and its list is not in memory yet,
        only the blocks that may hold them are read: checking a rare word's 40 documents against
        "的" then costs 40 blocks, not 65,000 postings."""
        segment = self.view.leaves[leaf][0]
        in_memory = (leaf, fieldname, term) in self._postings or segment.postings_cached(fieldname, term)
        if not in_memory and len(docs) * AMONG_SHARE < segment.doc_frequency(fieldname, term):
            return segment.weights(fieldname, term, docs)
        ids, weights = self.postings(leaf, fieldname, term)
        if len(docs) * AMONG_SHARE < len(ids):  # look the few up in the long list
            wanted = np.fromiter(docs, dtype=np.int64, count=len(docs))
            all_ids = _ints(ids)
            at = np.minimum(np.searchsorted(all_ids, wanted), len(all_ids) - 1)
            hit = all_ids[at] == wanted
            return dict(zip(wanted[hit].tolist(), _floats(weights)[at[hit]].tolist(), strict=True))
        return {d: w for d, w in zip(ids, weights, strict=True) if d in docs}

    def _slot_weights(self, leaf: int, slot: dict[str, float], docs: set[int]) -> dict[int, float]:
        """Document -> summed ``text`` weights of a slot's terms, for ``docs``."""
        out: dict[int, float] = {}
        for term in slot:
            for doc, weight in self._among(leaf, "text", term, docs).items():
                out[doc] = out.get(doc, 0.0) + weight
        return out

    def _seq(self, leaf: int, segment: Segment, node: Seq) -> set[int]:
        slots = node.slots
        words = segment.pair_words()
        if node.field == "text" and words and len(slots) > 1:
            combos = [[(a, b) for a in first for b in second] for first, second in pairwise(slots)]
            covered = [[(a, b) for a, b in pair if a in words and b in words] for pair in combos]
            if any(covered) and all(len(pair) <= MAX_PAIR_TERMS for pair in covered):
                uncovered = [[(a, b) for a, b in pair if a not in words or b not in words] for pair in combos]
                return self._seq_pairs(leaf, segment, node, covered, uncovered)
        return self._seq_positions(leaf, segment, node)

    def _seq_pairs(
        self, leaf: int, segment: Segment, node: Seq, covered: list[Combos], uncovered: list[Combos]
    ) -> set[int]:
        """A phrase from its indexed pairs (``covered``: each adjacent slot pair's forms whose
        words are frequent), on numpy arrays: a phrase of common words has thousands of
        candidates, and Python set and dict loops over them were most of its time."""
        lists = [self._pair_arrays(leaf, [pair_term(a, b) for a, b in pair]) for pair in covered]
        # Pairs with a rare word are not indexed: the documents having both words might have them.
        unsure: set[int] = set()
        members: list[np.ndarray] = []
        for (ids, _), pair in zip(lists, uncovered, strict=True):
            maybe: set[int] = set()
            for a, b in pair:
                rare, common = sorted((a, b), key=lambda t: segment.doc_frequency("text", t))
                maybe |= self._among(leaf, "text", common, set(self.postings(leaf, "text", rare)[0])).keys()
            unsure |= maybe
            members.append(np.union1d(ids, np.fromiter(maybe, dtype=np.int64, count=len(maybe))) if maybe else ids)
        members.sort(key=len)
        cands = members[0]
        for more in members[1:]:
            cands = np.intersect1d(cands, more, assume_unique=True)
        unsure_docs = np.fromiter(unsure, dtype=np.int64, count=len(unsure))
        sure = np.setdiff1d(cands, unsure_docs, assume_unique=True) if unsure else cands
        proven, rest = self._decide(leaf, node, lists, sure)
        rest.update(np.intersect1d(cands, unsure_docs).tolist() if unsure else ())
        if rest:
            proven |= _verify(segment, node.field, node.slots, rest, self._rarest_first(leaf, node.field, node.slots))
        return proven

    def _pair_arrays(self, leaf: int, terms: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Documents (sorted) and pair weights of one pair of a phrase, its forms' postings
        combined: counts added, and the earliest first position if every form recorded one."""
        lists = [self.postings(leaf, "pairs", term) for term in terms]
        if len(lists) == 1:
            return _ints(lists[0][0]), _floats(lists[0][1])
        ids = np.concatenate([_ints(i) for i, _ in lists]) if lists else np.zeros(0, dtype=np.int64)
        weights = np.concatenate([_floats(w) for _, w in lists]) if lists else np.zeros(0)
        docs, group = np.unique(ids, return_inverse=True)
        unit = PAIR_POSITION_UNIT
        counts = np.minimum(np.bincount(group, weights=weights % unit, minlength=len(docs)), PAIR_COUNT_CAP)
        # 1 + the first position, 0 where not recorded: the minimum is 0 if any form lacks one.
        earliest = np.full(len(docs), np.inf)
        np.minimum.at(earliest, group, weights // unit)
        return docs, counts + unit * earliest

    def _decide(
        self, leaf: int, node: Seq, lists: list[tuple[np.ndarray, np.ndarray]], docs: np.ndarray
    ) -> tuple[set[int], set[int]]:
        """Of ``docs``, which have every pair of the phrase indexed (``lists``: each pair's
        documents and weights), those that surely have the phrase and those only positions can
        settle."""
        if len(node.slots) == 2 or not len(docs):
            return set(docs.tolist()), set()
        unit = PAIR_POSITION_UNIT
        aligned = [weights[np.searchsorted(ids, docs)] for ids, weights in lists]
        first = [w // unit for w in aligned]  # 1 + first position; 0: not recorded
        count = [w % unit for w in aligned]
        # The recorded occurrences chain: pair i + 1 starts one after pair i.
        chained = np.ones(len(docs), dtype=bool)
        for before, after in pairwise(first):
            chained &= (before >= 1) & (after == before + 1)
        # Every pair occurs once, at a recorded place, and they do not chain: no phrase.
        unclear = np.zeros(len(docs), dtype=bool)
        for i in range(len(aligned)):
            unclear |= (count[i] != 1) | (first[i] == 0)
        unclear &= ~chained
        proven = set(docs[chained].tolist())
        if not unclear.any():
            return proven, set()
        # Pigeonhole on the counts of one document: take any occurrence of pair k and extend it
        # word by word to both ends. It fails at inner word i only at a place where word i is not
        # next to word i - 1 (going back) or word i + 1 (going forward), and there are
        # count(word i) - count(pair) such places. Summed over the inner words, the failures are
        # sum(inner words) - (sum(pairs) - count(pair k)): if count(pair k) is larger, some
        # occurrence extends all the way, i.e. when sum(pairs) > sum(inner words) (for every k).
        undecided = docs[unclear]
        pair_sum = np.sum([c[unclear] for c in count], axis=0)
        wanted = set(undecided.tolist())
        word_sum = np.zeros(len(undecided))
        for slot in node.slots[1:-1]:
            slot_weights = self._slot_weights(leaf, slot, wanted)
            word_sum += np.fromiter((slot_weights.get(d, 0.0) for d in undecided.tolist()), dtype=np.float64,
                                    count=len(undecided))  # fmt: skip
        sure = pair_sum > word_sum
        proven.update(undecided[sure].tolist())
        return proven, set(undecided[~sure].tolist())

    def _rarest_first(self, leaf: int, fieldname: str, slots: list[dict[str, float]]) -> list[int]:
        """Slot numbers by how many documents their terms are in (from the term table, no postings
        read): the order in which :func:`_verify` narrows the candidates fastest."""
        segment = self.view.leaves[leaf][0]
        return sorted(range(len(slots)), key=lambda i: sum(segment.doc_frequency(fieldname, t) for t in slots[i]))

    def _seq_positions(self, leaf: int, segment: Segment, node: Seq) -> set[int]:
        cands: set[int] | None = None
        for slot in sorted(node.slots, key=len):
            ids = self._union(leaf, node.field, slot)
            cands = ids if cands is None else cands & ids
            if not cands:
                return set()
        order = self._rarest_first(leaf, node.field, node.slots)
        return _verify(segment, node.field, node.slots, cands or set(), order)
