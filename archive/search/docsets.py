"""Exact evaluation of a plan tree as sets of global document numbers (deleted documents removed).

Posting lists are read block by block (:mod:`archive.search.postings`) and combined with Python set
operations, which run in C: this is what makes exact totals and facet counts affordable on every
query, where stepping a Whoosh matcher through every match would not be. Phrases are checked on
positions, only for the documents that have every word.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from archive.search.plan import AnyOf, Facet, Node, Seq, Terms
from archive.search.postings import POSTINGS_CACHE, term_positions
from archive.search.segcache import SearchView


def _slot_positions(reader: Any, fieldname: str, slot: dict[str, float], docs: set[int]) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for term in slot:
        for doc, positions in term_positions(reader, fieldname, term, docs).items():
            if doc in found:
                found[doc] = found[doc] + positions
            else:
                found[doc] = positions
    return found


def _verify(reader: Any, fieldname: str, slots: list[dict[str, float]], cands: set[int]) -> set[int]:
    """The candidates where slot i occurs at position p + i for some p, slot by slot, keeping
    only the start positions that still work (so later slots read fewer documents)."""
    starts = _slot_positions(reader, fieldname, slots[0], cands)
    for i, slot in enumerate(slots[1:], 1):
        here = _slot_positions(reader, fieldname, slot, set(starts))
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
        if not starts:
            break
    return set(starts)


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
            reader = self.view.leaves[leaf][0]
            shared_key = (self.view.segment_keys[leaf], fieldname, term)
            found = self._postings[key] = POSTINGS_CACHE.get(shared_key, reader)
        return found

    def _union(self, leaf: int, fieldname: str, terms: Iterable[str]) -> set[int]:
        out: set[int] = set()
        for term in terms:
            out.update(self.postings(leaf, fieldname, term)[0])
        return out

    def _per_leaf(self, fn: Any) -> set[int]:
        out: set[int] = set()
        for leaf, (reader, offset, data, deleted) in enumerate(self.view.leaves):
            local = fn(leaf, reader, data)
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
            return self._per_leaf(lambda leaf, reader, _: self._seq(leaf, reader, node))
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

    def _seq(self, leaf: int, reader: Any, node: Seq) -> set[int]:
        cands: set[int] | None = None
        for slot in sorted(node.slots, key=len):
            ids = self._union(leaf, node.field, slot)
            cands = ids if cands is None else cands & ids
            if not cands:
                return set()
        return _verify(reader, node.field, node.slots, cands or set())
