"""Expansion of parsed clauses into a tree of term sets, with aliases, pinyin and sub-words.

The tree (:class:`Terms`, :class:`Seq`, :class:`All`, :class:`AnyOf`, :class:`Facet`) is evaluated
exactly, as sets of document numbers (:mod:`search.docsets`), for the total, the facets
and grouping; its terms, with their boosts, are then scored (:mod:`search.rank`).

Expansion rules (boosts in brackets):

* a Chinese word typed alone: itself [1], the index's longer words containing it [0.7] (开平 ->
  开平市, 黄 -> 黄氏), and its spellings in the alias table [0.8] (黄 -> wong, huang ...); in a
  longer run of Chinese (洗衣馆 -> 洗衣 + 馆), a one-character word matches only itself;
* a Latin word: its stem [1], its alias forms (wong -> 黄 and its other spellings) [0.8], and the
  Chinese words of the index that it spells in pinyin [0.9] (diaolou -> 碉楼, and
  kaipingdiaolou -> 开平 + 碉楼);
* consecutive Latin words are also tried together: "qiao fang" -> 侨房, "san francisco" -> 旧金山;
  a spelling of several words must have all of them (not necessarily adjacent);
* a quoted phrase: adjacent positions; a first word of two characters or more may end a longer
  word and such a last word may begin one (碉楼与村落 in 开平碉楼与村落), other words match
  exactly; no aliases, no pinyin.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from search.aliases import AliasTable, spelling_key
from search.pinyin import spell, split_syllables
from search.query import Clause, ParsedQuery
from search.schema import FOLDED_FACETS, facet_key
from search.segcache import SearchView
from search.segment import cut_chinese, latin_term
from search.text import CJK_CLASS, fold

SUB_WORD = 0.7
ALIAS = 0.8
PINYIN = 0.9
MAX_CONTAINING = 2000
MAX_EDGE = 64
_RUN_RE = re.compile(rf"([{CJK_CLASS}〇]+)|([0-9a-z\u00df-\u024f\u0370-\u03ff\u0400-\u04ff]+(?:'[a-z]+)*)")
_SUFFIXES = "市县縣镇村乡区氏家省"
_STOP = frozenset(
    [
        "a", "an", "and", "are", "as", "at", "be", "by", "do", "for", "from", "go", "in", "is", "it",
        "no", "of", "on", "or", "so", "the", "to", "with"
    ]
)


@dataclass
class Terms:
    """Documents having any of ``terms`` in ``field``."""

    field: str
    terms: dict[str, float]


@dataclass
class Seq:
    """Documents where, at adjacent positions of ``field``, slot i has one of ``slots[i]``."""

    field: str
    slots: list[dict[str, float]]


@dataclass
class Facet:
    """Documents whose facet has one of ``values`` (exact keys)."""

    facet: str
    values: set[str]


@dataclass
class All:
    children: list[Node]
    exclude: list[Node] = field(default_factory=list)


@dataclass
class AnyOf:
    children: list[Node]


Node = Terms | Seq | Facet | All | AnyOf


def term_nodes(nodes: Iterable[Node]) -> Iterator[Terms | Seq]:
    """The term and phrase nodes of plan trees, through their ``All`` and ``AnyOf`` children
    (not an ``All``'s excluded nodes: nothing of them is scored or highlighted)."""
    stack = list(nodes)
    while stack:
        node = stack.pop()
        if isinstance(node, (All, AnyOf)):
            stack.extend(node.children)
        elif isinstance(node, (Terms, Seq)):
            yield node


def _merge(nodes: list[Node]) -> Node:
    """One node for alternatives, merging the term sets of the same field."""
    merged: dict[str, Terms] = {}
    rest: list[Node] = []
    for node in nodes:
        if isinstance(node, Terms):
            target = merged.setdefault(node.field, Terms(node.field, {}))
            for term, boost in node.terms.items():
                target.terms[term] = max(boost, target.terms.get(term, 0.0))
        else:
            rest.append(node)
    out: list[Node] = [*merged.values(), *rest]
    return out[0] if len(out) == 1 else AnyOf(out)


class Planner:
    """Builds the tree for one query against one :class:`SearchView` and alias table."""

    def __init__(self, view: SearchView, aliases: AliasTable) -> None:
        self.view = view
        self.aliases = aliases

    # Chinese -------------------------------------------------------------------------------

    def cjk_terms(self, word: str, boost: float = 1.0) -> dict[str, float]:
        terms = {word: boost}
        for i, term in enumerate(sorted(self.view.containing(word), key=len)):
            if i >= MAX_CONTAINING:
                break
            terms.setdefault(term, boost * SUB_WORD)
        return terms

    def cjk_form(self, chinese: str, fieldname: str, boost: float) -> Node:
        """A Chinese form from the alias table: a word, or all of its words."""
        words = cut_chinese(chinese)
        if len(words) == 1:
            return Terms(fieldname, self.cjk_terms(words[0], boost))
        return All([Terms(fieldname, {w: boost}) for w in words])

    def spelled(self, spelling: str, fieldname: str, boost: float) -> Node | None:
        terms = [latin_term(latin) for _, latin in _RUN_RE.findall(fold(spelling).text) if latin]
        if not terms:
            return None
        if len(terms) == 1:
            return Terms(fieldname, {terms[0]: boost})
        # All the words rather than adjacent positions: as precise for names ("San Francisco"),
        # and checking positions for common words would cost more than the whole search.
        return All([Terms(fieldname, {t: boost}) for t in terms])

    def cjk_word(self, word: str, fieldname: str, alone: bool = True) -> Node:
        """A Chinese word typed without quotes; one character inside a longer run (馆 in 洗衣馆)
        matches only itself, on its own (黄) it also matches the words containing it."""
        terms = self.cjk_terms(word) if alone or len(word) > 1 else {word: 1.0}
        nodes: list[Node] = [Terms(fieldname, terms)]
        form = word
        if form not in self.aliases.by_chinese and len(form) > 1 and form[-1] in _SUFFIXES:
            form = form[:-1]
        for spelling in sorted(self.aliases.spellings_for(form)):
            node = self.spelled(spelling, fieldname, ALIAS)
            if node is not None:
                nodes.append(node)
        return _merge(nodes)

    # Latin ---------------------------------------------------------------------------------

    def pinyin_terms(self, key: str) -> dict[str, float]:
        found: set[str] = set()
        for syllables in split_syllables(key):
            found |= spell(syllables, self.view.is_prefix, self.view.is_term)
        return dict.fromkeys(found, PINYIN)

    def pinyin_words(self, key: str) -> All | None:
        """Several words spelled run together ("kaipingdiaolou" -> 开平 and 碉楼), if any."""
        for syllables in split_syllables(key):
            n = len(syllables)
            best: list[list[dict[str, float]] | None] = [None] * n + [[]]
            for i in range(n - 2, -1, -1):
                for j in range(n, i + 1, -1):
                    rest = best[j]
                    if rest is None:
                        continue
                    found = spell(syllables[i:j], self.view.is_prefix, self.view.is_term)
                    if found:
                        best[i] = [dict.fromkeys(found, PINYIN), *rest]
                        break
            if best[0] is not None and len(best[0]) > 1:
                return All([Terms("text", terms) for terms in best[0]])
        return None

    def latin_alternatives(self, words: list[str], fieldname: str) -> list[Node]:
        """Aliases and pinyin for one or more Latin words read together."""
        key = "".join(spelling_key(w) for w in words)
        if len(words) == 1 and (words[0] in _STOP or len(key) < 2):
            return []
        nodes: list[Node] = []
        for chinese in sorted(self.aliases.chinese_for(key)):
            nodes.append(self.cjk_form(chinese, fieldname, ALIAS))
        for spelling in sorted(self.aliases.siblings(key)):
            node = self.spelled(spelling, fieldname, ALIAS)
            if node is not None:
                nodes.append(node)
        pinyin = self.pinyin_terms(key)
        if pinyin:
            nodes.append(Terms(fieldname, pinyin))
        elif len(words) == 1 and not nodes and (several := self.pinyin_words(key)) is not None:
            for child in several.children:
                assert isinstance(child, Terms)
                child.field = fieldname
            nodes.append(several)
        return nodes

    def latin_run(self, words: list[str], fieldname: str) -> list[Node]:
        """Nodes for a run of Latin words, grouping words that together are an alias or pinyin."""
        n = len(words)
        best: list[tuple[int, int, list[tuple[int, int, list[Node]]]]] = [(0, 0, [])] * (n + 1)
        for i in range(n - 1, -1, -1):
            options = []
            for j in range(i + 1, min(n, i + 4) + 1):
                alts = self.latin_alternatives(words[i:j], fieldname) if j - i > 1 else []
                if j - i > 1 and not alts:
                    continue
                covered, count, rest = best[j]
                options.append((covered + (j - i if j - i > 1 else 0), count - 1, [(i, j, alts), *rest]))
            best[i] = max(options, key=lambda o: (o[0], o[1]))
        out: list[Node] = []
        for i, j, alts in best[0][2]:
            literal = [latin_term(w) for w in words[i:j]]
            if j - i == 1:
                alts = self.latin_alternatives(words[i:j], fieldname)
                out.append(_merge([Terms(fieldname, {literal[0]: 1.0}), *alts]))
            else:
                out.append(_merge([All([Terms(fieldname, {t: 1.0}) for t in literal]), *alts]))
        return out

    # Phrases and clauses -------------------------------------------------------------------

    def phrase(self, items: list[tuple[str, bool]], fieldname: str, boost: float = 1.0) -> Node:
        slots: list[dict[str, float]] = []
        last = len(items) - 1
        for i, (word, is_cjk) in enumerate(items):
            if not is_cjk:
                slots.append({latin_term(word): boost})
                continue
            slot = {word: boost}
            if (i == 0 or i == last) and len(word) > 1:
                for term in sorted(self.view.containing(word), key=len)[:MAX_EDGE]:
                    if (i == 0 and term.endswith(word)) or (i == last and term.startswith(word)):
                        slot[term] = boost * SUB_WORD
            slots.append(slot)
        node: Node = Seq(fieldname, slots)
        if all(is_cjk for _, is_cjk in items):
            whole = "".join(w for w, _ in items)
            within = dict.fromkeys(self.view.containing(whole), boost * SUB_WORD)
            if self.view.is_term(whole):
                within[whole] = boost
            if within:
                node = AnyOf([node, Terms(fieldname, within)])
        return node

    def items(self, text: str) -> list[tuple[str, bool]]:
        out: list[tuple[str, bool]] = []
        for m in _RUN_RE.finditer(fold(text).text):
            if m.group(1):
                out.extend((w, True) for w in cut_chinese(m.group(1)))
            else:
                out.append((m.group(2), False))
        return out

    def facet(self, clause: Clause) -> Node:
        assert clause.facet is not None
        wanted = facet_key(clause.facet, clause.text)
        values = self.view.facet_values(clause.facet)
        if clause.facet in FOLDED_FACETS:
            return Facet(clause.facet, {v for v in values if wanted in v})
        return Facet(clause.facet, {v for v in values if v.lower() == wanted.lower()})

    def clause(self, clause: Clause) -> list[Node]:
        """Nodes that must all match for the clause (one per word, or one for a phrase)."""
        if clause.facet:
            return [self.facet(clause)]
        fieldname = clause.field or "text"
        items = self.items(clause.text)
        if not items:
            return []
        if clause.phrase:
            if len(items) == 1:
                word, is_cjk = items[0]
                return [Terms(fieldname, self.cjk_terms(word) if is_cjk else {latin_term(word): 1.0})]
            return [self.phrase(items, fieldname)]
        out: list[Node] = []
        run: list[str] = []
        alone = sum(1 for _, is_cjk in items if is_cjk) == 1
        for word, is_cjk in [*items, ("", True)]:
            if not is_cjk:
                run.append(word)
                continue
            if run:
                out.extend(self.latin_run(run, fieldname))
                run = []
            if word:
                out.append(self.cjk_word(word, fieldname, alone))
        return out

    def plan(self, parsed: ParsedQuery) -> tuple[list[Node], list[Node]]:
        """Required nodes (one per group or word) and excluded nodes of a parsed query."""
        required: list[Node] = []
        groups = parsed.groups
        i = 0
        while i < len(groups):
            # Consecutive plain Latin words are planned together ("qiao fang", "san francisco").
            j = i
            while j < len(groups) and _is_plain_latin(groups[j], groups[i][0].field):
                j += 1
            if j - i > 1:
                words = [w for g in groups[i:j] for w, _ in self.items(g[0].text)]
                required.extend(self.latin_run(words, groups[i][0].field or "text"))
                i = j
                continue
            alternatives = [self.clause(c) for c in groups[i]]
            alternatives = [a for a in alternatives if a]
            if len(alternatives) == 1:
                required.extend(alternatives[0])
            elif alternatives:
                required.append(AnyOf([a[0] if len(a) == 1 else All(a) for a in alternatives]))
            i += 1
        excluded = [node for c in parsed.negated for node in self.clause(c)]
        return required, excluded


def _is_plain_latin(group: list[Clause], fieldname: str | None) -> bool:
    if len(group) != 1:
        return False
    clause = group[0]
    return (
        not clause.phrase and not clause.facet and clause.field == fieldname
        and _RUN_RE.fullmatch(fold(clause.text).text) is not None and not clause.text[0].isdigit()
        and fold(clause.text).text.isascii()
    )  # fmt: skip
