"""Highlighted snippets cut from the stored original text, in the script it was written in.

The stored text is folded the same way as at indexing time (which keeps or maps offsets), the
query's Chinese terms are found as substrings of the folded text and its Latin terms as stemmed
words, and the matching spans of the original text are wrapped in ``<mark>``. Everything else is
HTML-escaped, so the snippet can be inserted as markup. A traditional-script record highlights
僑房 for the query 侨房; an English record highlights "Wong" for the query 黄.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass

from search.plan import Node, Terms, term_nodes
from search.segment import latin_term
from search.text import fold

WIDTH = 120
_LATIN_RE = re.compile(r"[0-9a-z\u00df-\u024f\u0370-\u03ff\u0400-\u04ff]+(?:'[a-z]+)*")


@dataclass(frozen=True)
class Highlighter:
    """The terms to mark, collected from a plan tree."""

    cjk: re.Pattern[str] | None
    latin: frozenset[str]

    @classmethod
    def from_nodes(cls, nodes: Iterable[Node]) -> Highlighter:
        cjk: set[str] = set()
        latin: set[str] = set()
        for node in term_nodes(nodes):
            for slot in [node.terms] if isinstance(node, Terms) else node.slots:
                for term in slot:
                    (cjk if ord(term[0]) >= 0x2E80 else latin).add(term)
        pattern = None
        if cjk:
            ordered = sorted(cjk, key=len, reverse=True)[:500]
            pattern = re.compile("|".join(re.escape(t) for t in ordered))
        return cls(pattern, frozenset(latin))

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Matching spans of the original ``text``."""
        folded = fold(text)
        found: list[tuple[int, int]] = []
        if self.cjk is not None:
            found.extend(m.span() for m in self.cjk.finditer(folded.text))
        if self.latin:
            found.extend(m.span() for m in _LATIN_RE.finditer(folded.text) if latin_term(m.group()) in self.latin)
        found.sort()
        merged: list[tuple[int, int]] = []
        for start, end in found:
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
            else:
                merged.append((start, end))
        return [folded.original_span(s, e) for s, e in merged]

    def snippet(self, text: str, width: int = WIDTH, spans: list[tuple[int, int]] | None = None) -> str:
        """An HTML snippet of about ``width`` characters around the densest cluster of matches."""
        if not text:
            return ""
        if spans is None:
            spans = self.spans(text)
        if not spans:
            cut = text[:width]
            return html.escape(cut) + ("…" if len(text) > width else "")
        best_start, best_count = spans[0][0], 0
        for i, (start, _) in enumerate(spans):
            count = sum(1 for s, _ in spans[i:] if s < start + width)
            if count > best_count:
                best_start, best_count = start, count
        begin = max(0, min(best_start - width // 4, len(text) - width))
        end = min(len(text), begin + width)
        out = ["…" if begin > 0 else ""]
        pos = begin
        for start, stop in spans:
            if stop <= begin or start >= end:
                continue
            start, stop = max(start, begin), min(stop, end)
            out.append(html.escape(text[pos:start]))
            out.append(f"<mark>{html.escape(text[start:stop])}</mark>")
            pos = stop
        out.append(html.escape(text[pos:end]))
        out.append("…" if end < len(text) else "")
        return "".join(out)
