"""One search: parse, plan, evaluate sets, count facets, rank, group by house, cut snippets."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from search.aliases import AliasTable
from search.docsets import DocsetEvaluator
from search.plan import Facet, Node, Planner
from search.query import parse
from search.rank import Scorer, Scores
from search.results import HouseHit, ItemHit, SearchQuery, SearchResults
from search.schema import FACETS, FILTERS, HOUSE_FACETS, facet_key
from search.segcache import SearchView
from search.snippets import Highlighter
from search.storage import Snapshot

MAX_PER_PAGE = 100
MAX_FACET_VALUES = 100


class _FacetBase:
    """The documents of a result set as a sorted array, their houses, and facet counts.

    Counting runs on numpy arrays of ``(document, value)`` pairs (:meth:`SearchView.facet_pairs`):
    a mask of the result's documents picks the pairs, ``bincount`` counts them.
    """

    def __init__(self, view: SearchView, docs: set[int]) -> None:
        self.view = view
        self.docset = docs
        self.array = np.fromiter(docs, dtype=np.int64, count=len(docs))
        self.array.sort()
        house_of, codes = view.house_numbers()
        houses, first, counts = np.unique(house_of[self.array], return_index=True, return_counts=True)
        if len(houses) and houses[0] < 0:  # no house code (the contract requires one): left out
            houses, first, counts = houses[1:], first[1:], counts[1:]
        self.reps = self.array[first]  # one document per house
        self.per_house: Counter[str] = Counter(dict(zip([codes[h] for h in houses.tolist()], counts.tolist(),
                                                        strict=True)))  # fmt: skip

    def _mask(self, docs: np.ndarray) -> np.ndarray:
        mask = np.zeros(self.view.doc_count_all, dtype=bool)
        mask[docs] = True
        return mask

    def count(self, facet: str) -> list[tuple[str, int]]:
        """``(value, houses)`` pairs, most houses first."""
        pairs = self.view.facet_pairs(facet)
        width = len(pairs.labels)
        if not width or not len(self.array):
            return []
        if facet in HOUSE_FACETS:  # the same for every item of a house: one document per house
            counts = np.bincount(pairs.codes[self._mask(self.reps)[pairs.docs]], minlength=width)
        else:  # differs between a house's items: count the distinct houses of each value's items
            chosen = self._mask(self.array)[pairs.docs]
            house_of, _ = self.view.house_numbers()
            keys = np.unique(house_of[pairs.docs[chosen]] * width + pairs.codes[chosen])
            counts = np.bincount(keys % width, minlength=width)
        found = np.flatnonzero(counts)
        if len(found) > MAX_FACET_VALUES:  # villages run to thousands: keep the largest (ties too)
            cut = -np.partition(-counts[found], MAX_FACET_VALUES - 1)[MAX_FACET_VALUES - 1]
            found = found[counts[found] >= cut]
        top = sorted(zip((-counts[found]).tolist(), [pairs.labels[i] for i in found.tolist()], strict=True))
        return [(label, -negative) for negative, label in top[:MAX_FACET_VALUES]]


@dataclass
class Match:
    """What a query and its filters matched; kept for a few searches so that paging is cheap."""

    notes: list[str]
    empty: bool = False
    fallback: bool = False
    text_nodes: list[Node] = field(default_factory=list)
    query_facets: list[Node] = field(default_factory=list)
    matched: set[int] = field(default_factory=set)
    docs: set[int] = field(default_factory=set)
    base: _FacetBase | None = None
    per_house: Counter[str] = field(default_factory=Counter)
    facets: dict[str, list[tuple[str, int]]] | None = None
    scores: Scores | None = None


class Search:
    """State of one search request over a view."""

    def __init__(self, view: SearchView, aliases: AliasTable, q: SearchQuery) -> None:
        self.view, self.q = view, q
        self.per_page = min(max(1, q.per_page), MAX_PER_PAGE)
        self.page = max(1, q.page)
        self.results = SearchResults(page=self.page, per_page=self.per_page)
        self.planner = Planner(view, aliases)
        self.ev = DocsetEvaluator(view)
        self.filters: dict[str, Facet] = {}
        for name, values in q.filters.items():
            if name not in FILTERS:
                self.results.query_notes.append(f"unknown_filter:{name}")
            elif values:
                self.filters[name] = Facet(name, {facet_key(name, v) for v in values})

    def match(self) -> Match:
        """Parse, plan and evaluate the query and filters (the part that paging repeats)."""
        parsed = parse(self.q.text)
        required, excluded = self.planner.plan(parsed)
        found = Match(list(parsed.notes))
        found.text_nodes = [n for n in required if not isinstance(n, Facet)]
        found.query_facets = [n for n in required if isinstance(n, Facet)]
        if not required and (parsed.groups or parsed.negated or self.q.text.strip()):
            found.notes.append("empty_query")
            found.empty = True
            return found
        text_nodes = found.text_nodes
        filters = found.query_facets + list(self.filters.values())
        matched = self.ev.intersect(text_nodes, excluded) if text_nodes else set(self.view.live_docs())
        docs = self.ev.intersect(filters, None) & matched if filters else matched
        if not docs and len(text_nodes) > 1:
            matched = set().union(*(self.ev.evaluate(n) for n in text_nodes))
            matched -= set().union(*(self.ev.evaluate(n) for n in excluded)) if excluded else set()
            docs = self.ev.intersect(filters, None) & matched if filters else matched
            if docs:
                found.fallback = True
                found.notes.append("fallback_or")
        found.matched, found.docs = matched, docs
        found.base = _FacetBase(self.view, docs)
        found.per_house = found.base.per_house
        return found

    def run(self) -> SearchResults:
        filters = tuple(sorted((k, tuple(sorted(f.values))) for k, f in self.filters.items()))
        key = (self.q.text, filters, self.planner.aliases.serial)
        found = self.view.recent.get(key)
        if found is None:
            found = self.match()
            self.view.recent.put(key, found)
        res = self.results
        res.query_notes.extend(found.notes)
        if found.empty:
            return res
        docs = found.docs
        res.fallback_used = found.fallback
        res.total, res.total_items = len(found.per_house), len(docs)
        if self.q.facets:
            if found.facets is None:
                assert found.base is not None
                found.facets = self.facets(found.base, found.matched, found.query_facets)
            res.facets = found.facets
        if not docs:
            return res
        order, ranked = self.order_houses(found, docs, found.per_house)
        start = (self.page - 1) * self.per_page
        page = order[start : start + self.per_page]
        highlighter = Highlighter.from_nodes(found.text_nodes) if self.q.highlight else None
        res.hits = self.build_hits(page, ranked, docs, found.per_house, highlighter)
        return res

    # Facets --------------------------------------------------------------------------------

    def facets(
        self, shared: _FacetBase, matched: set[int], query_facets: list[Node]
    ) -> dict[str, list[tuple[str, int]]]:
        out: dict[str, list[tuple[str, int]]] = {}
        for name in FACETS:
            base = shared
            if name in self.filters:  # count as if this facet's own filter were off
                others = [f for key, f in self.filters.items() if key != name] + query_facets
                base = _FacetBase(self.view, self.ev.intersect(others, None) & matched if others else matched)
            out[name] = base.count(name)
        return out

    # Ranking and grouping ------------------------------------------------------------------

    def order_houses(
        self, found: Match, docs: set[int], per_house: Counter[str]
    ) -> tuple[list[str], dict[str, list[tuple[float, int]]]]:
        """Houses in result order, and the scored items of those that were ranked."""
        cols = self.view.columns
        need = self.page * self.per_page
        ranked: dict[str, list[tuple[float, int]]] = {}
        if self.q.sort in ("date", "date_desc"):
            years = cols["date_year"]
            desc = self.q.sort == "date_desc"
            best: dict[str, int] = {}
            for doc in docs:
                year = years[doc]
                if year is not None:
                    house = cols["house_code"][doc]
                    if house not in best or (year > best[house] if desc else year < best[house]):
                        best[house] = year
            sign = -1 if desc else 1
            return sorted(per_house, key=lambda h: (h not in best, sign * best.get(h, 0), h)), ranked
        if found.scores is None:
            assert found.base is not None
            found.scores = Scorer(self.view, self.ev).scores(found.text_nodes, found.base.array)
        scores = found.scores
        limit = need * 8
        while True:
            top = scores.top(limit)
            ranked = {}
            for score, doc in top:
                ranked.setdefault(cols["house_code"][doc], []).append((score, doc))
            if len(ranked) >= need or len(top) < limit:
                break
            limit *= 4
        order = list(ranked)
        if len(order) < need:
            order += sorted(set(per_house) - ranked.keys())
        return order, ranked

    def build_hits(
        self, page: list[str], ranked: dict[str, list[tuple[float, int]]], docs: set[int],
        per_house: Counter[str], highlighter: Highlighter | None,
    ) -> list[HouseHit]:  # fmt: skip
        cols = self.view.columns
        wanted = set(page) - ranked.keys() if self.q.sort == "relevance" else set(page)
        unranked: dict[str, list[tuple[float, int]]] = {}
        if wanted:
            years = cols["date_year"]
            for doc in sorted(docs):
                house = cols["house_code"][doc]
                if house in wanted:
                    unranked.setdefault(house, []).append((0.0, doc))
            for items in unranked.values():
                items.sort(key=lambda it: (cols["type"][it[1]] != "house", years[it[1]] or 9999))
        snapshot = self.view.snapshot
        hits = []
        for house in page:
            items = (ranked.get(house) or unranked.get(house) or [])[: max(1, self.q.items_per_house)]
            item_hits = [self.item(snapshot, doc, score, highlighter) for score, doc in items]
            name = next((snapshot.stored_fields(doc).get("house_name") for _, doc in items), "") or ""
            score = items[0][0] if items else 0.0
            hits.append(HouseHit(house, name, score, item_hits, per_house[house]))
        return hits

    @staticmethod
    def item(snapshot: Snapshot, doc: int, score: float, highlighter: Highlighter | None) -> ItemHit:
        stored = snapshot.stored_fields(doc)
        title, body = stored.get("title") or "", stored.get("body") or ""
        snippet = ""
        if highlighter is not None:
            spans = highlighter.spans(body) if body else []
            if spans or not title:
                snippet = highlighter.snippet(body, spans=spans)
            else:
                title_spans = highlighter.spans(title)
                snippet = highlighter.snippet(title if title_spans or not body else body,
                                              spans=title_spans if title_spans or not body else [])
        return ItemHit(stored.get("id", ""), stored.get("type", ""), title, snippet, score,
                       stored.get("date_year"), stored.get("url_hint"))  # fmt: skip
