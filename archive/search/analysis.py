"""Whoosh analyzer and field type for the archive's bilingual text.

Whoosh pickles the schema into the index, so the classes here must stay importable under this
module path; renaming them makes existing indexes unreadable (``health()`` then reports
"broken" and the caller rebuilds).

:class:`ArchiveText` indexes a string or a sequence of strings (title, names, body, place). Each
part starts :data:`PART_GAP` positions after the previous one, so a phrase never matches across
two parts. Its ``index`` method builds the postings straight from :func:`segment.words` instead
of going through Whoosh's per-token objects, which is most of the indexing cost.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from typing import Any

from whoosh import fields, formats
from whoosh.analysis import Analyzer, Token

from archive.search.segment import tokens, words
from archive.search.text import fold

PART_GAP = 16
# Encoded Positions values of terms that occur once, at positions 0..4095 (most terms do).
_SINGLE_POSITION = [formats.Positions().encode([pos]) for pos in range(4096)]


def _parts(value: str | Sequence[str]) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [part for part in value if part]


@lru_cache(maxsize=4096)
def _short_part_terms(part: str) -> tuple[str, ...]:
    return tuple(term for term, _, _, _ in words(fold(part).text))


def part_terms(part: str) -> Sequence[str]:
    """Terms of one part; titles, names and places recur across a house's items, so short parts
    are cached (the title and names are also analysed twice, for ``text`` and for ``name``)."""
    if len(part) <= 200:
        return _short_part_terms(part)
    return [term for term, _, _, _ in words(fold(part).text)]


def positions(value: str | Sequence[str]) -> dict[str, list[int]]:
    """Map each term of ``value`` to its positions (parts separated by :data:`PART_GAP`)."""
    found: dict[str, list[int]] = {}
    pos = 0
    for part in _parts(value):
        for term in part_terms(part):
            if term in found:
                found[term].append(pos)
            else:
                found[term] = [pos]
            pos += 1
        pos += PART_GAP
    return found


class ArchiveAnalyzer(Analyzer):
    """Folding + jieba (HMM off, user dictionary) + stemmed Latin words, sequential positions."""

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        for term, pos, startchar, endchar in tokens(value, start_pos):
            token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
            token.text = term
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = term
            if positions:
                token.pos = pos
            if chars:
                token.startchar = start_char + startchar
                token.endchar = start_char + endchar
            yield token


class ArchiveText(fields.TEXT):
    """A positional text field analysed with :class:`ArchiveAnalyzer`."""

    def __init__(self, stored: bool = False) -> None:
        super().__init__(analyzer=ArchiveAnalyzer(), phrase=True, stored=stored)

    def index(self, value: Any, **kwargs: Any) -> Iterable[tuple[bytes, int, float, bytes]]:
        encode = self.format.encode
        single = _SINGLE_POSITION
        for term, poslist in positions(value).items():
            btext = _term_bytes(term)
            if len(poslist) == 1 and poslist[0] < len(single):
                yield btext, 1, 1.0, single[poslist[0]]
            else:
                count = len(poslist)
                yield btext, count, _FLOATS[count] if count < len(_FLOATS) else float(count), encode(poslist)


# A full build holds millions of postings in memory before sorting them: sharing the bytes of
# each term and the small frequencies, instead of allocating them per posting, halves that.
_FLOATS = [float(i) for i in range(256)]
_TERM_BYTES: dict[str, bytes] = {}


def _term_bytes(term: str) -> bytes:
    found = _TERM_BYTES.get(term)
    if found is None:
        if len(_TERM_BYTES) > 1_000_000:
            _TERM_BYTES.clear()
        found = _TERM_BYTES[term] = term.encode("utf-8")
    return found
