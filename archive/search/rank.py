"""Scoring: BM25 over the posting lists already read for the result set.

Whoosh's collector steps a tree of matchers through every candidate document in Python, several
method calls per document and per term; on broad queries over 100,000 documents that is the
whole latency budget. The result set is already known exactly (:mod:`archive.search.docsets`)
and the posting lists of its terms are cached, so scoring is one tight loop per posting list:

    score(d) = sum over query terms t and fields f of
               boost(t) * weight(f) * idf(t, f) * tf * (k1 + 1) / (tf + k1 * (1 - b + b * len(d, f) / avg(f)))

Titles and names (the ``name`` field) weigh :data:`NAME_BOOST` times the full text; sub-word
expansions (开平 -> 开平市) are scored on the full text only. Phrases are scored as their words.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from math import log

from archive.search.docsets import DocsetEvaluator
from archive.search.plan import All, AnyOf, Node, Seq, Terms
from archive.search.segcache import SearchView

NAME_BOOST = 3.0
K1 = 1.2
B = 0.75


def query_terms(nodes: list[Node]) -> dict[tuple[str, str], float]:
    """``(field, term) -> boost`` for every term that scores (the best boost when repeated)."""
    out: dict[tuple[str, str], float] = {}
    stack = list(nodes)
    while stack:
        node = stack.pop()
        if isinstance(node, (All, AnyOf)):
            stack.extend(node.children)
            continue
        if not isinstance(node, (Terms, Seq)):
            continue
        slots = [node.terms] if isinstance(node, Terms) else node.slots
        for slot in slots:
            for term, boost in slot.items():
                fields = [(node.field, 1.0)]
                if node.field == "text" and boost >= 0.8:
                    fields.append(("name", NAME_BOOST))
                for fieldname, weight in fields:
                    key = (fieldname, term)
                    out[key] = max(out.get(key, 0.0), boost * weight)
    return out


class Scorer:
    """Scores the documents of a result set."""

    def __init__(self, view: SearchView, ev: DocsetEvaluator) -> None:
        self.view = view
        self.ev = ev

    def scores(self, nodes: list[Node], docs: set[int]) -> dict[int, float]:
        """Score of every document of ``docs`` that has at least one query term."""
        view, ev = self.view, self.ev
        total = max(1, view.doc_count)
        acc: dict[int, float] = {}
        for (fieldname, term), boost in query_terms(nodes).items():
            lists = [ev.postings(leaf, fieldname, term) for leaf in range(len(view.leaves))]
            df = sum(len(ids) for ids, _ in lists)
            if not df:
                continue
            factor = boost * log(1.0 + (total - df + 0.5) / (df + 0.5)) * (K1 + 1.0)
            for leaf, (ids, tfs) in enumerate(lists):
                if not ids:
                    continue
                offset = view.leaves[leaf][1]
                norms = view.norms(leaf, fieldname)
                gids = [d + offset for d in ids] if offset else ids
                parts = [factor * tf / (tf + norms[d]) for d, tf in zip(ids, tfs, strict=True)]
                _accumulate(acc, gids, parts, docs)
        return acc

    @staticmethod
    def top(scores: dict[int, float], limit: int) -> list[tuple[float, int]]:
        """The ``limit`` best ``(score, docnum)``, best first."""
        return [(scores[doc], doc) for doc in heapq.nlargest(limit, scores, key=scores.__getitem__)]


def _accumulate(acc: dict[int, float], gids: Sequence[int], parts: list[float], docs: set[int]) -> None:
    """``acc[g] += part`` for the documents of ``docs``; the common cases run in C."""
    if not acc:
        acc.update(zip(gids, parts, strict=True))
        if len(acc) > len(docs) or not docs.issuperset(gids):
            for g in [g for g in acc if g not in docs]:
                del acc[g]
        return
    get = acc.get
    for g, part in zip(gids, parts, strict=True):
        if g in docs:
            acc[g] = get(g, 0.0) + part

