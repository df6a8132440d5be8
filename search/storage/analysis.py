"""Whoosh analyzer and field type for the archive's bilingual text.

Whoosh pickles the schema into the index, so the classes here must stay importable under this
module path; renaming them makes existing indexes unreadable (``health()`` then reports
"broken" and the caller rebuilds). Indexes written before :mod:`search.storage` existed name
them ``search.analysis.*``, which still resolves (see :mod:`search.analysis`).

:class:`ArchiveText` indexes a string or a sequence of strings (title, names, body, place). Each
part starts :data:`PART_GAP` positions after the previous one, so a phrase never matches across
two parts. Its ``index`` method builds the postings straight from :func:`segment.words` instead
of going through Whoosh's per-token objects, which is most of the indexing cost.

:class:`PairText` holds the pairs of adjacent ``text`` terms within a part (``开平\x1f碉楼``) when
both are frequent words, with no positions: the weight packs the pair's count and first position.
The writer fills it from the same analysis as ``text`` (:meth:`ArchiveText.index_with_pairs`), so
a two-word phrase is one term lookup and a longer one is mostly settled without positions (see
:mod:`search.docsets`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from collections.abc import Set as AbstractSet
from functools import lru_cache
from typing import Any

from whoosh import fields, formats
from whoosh.analysis import Analyzer, Token

# The module, not its names: search.segment imports the stemmer from this package, so whichever
# of the two is imported first, the other is only partly initialised at that moment.
from search import segment
from search.storage.codec import SINGLE_POSITIONS
from search.text import fold

PART_GAP = 16
PAIR_SEP = "\x1f"
PAIR_COUNT_CAP = 1023
PAIR_POSITION_UNIT = 1024
PAIR_MAX_POSITION = 16000  # weights stay below 2**24, exact in the index's 32-bit floats
# Encoded Positions values of terms that occur once, at positions 0..4095 (most terms do).


def _parts(value: str | Sequence[str]) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [part for part in value if part]


@lru_cache(maxsize=4096)
def _short_part_terms(part: str) -> tuple[str, ...]:
    return tuple(term for term, _, _, _ in segment.words(fold(part).text))


# Set by a build of several indexes (:func:`search.storage.writer.build_indexes`): the terms of long parts
# too, kept while a batch of documents is written, so an item in both the public and the staff
# index is analysed once. None: long parts are not kept.
shared_parts: dict[str, tuple[str, ...]] | None = None


def part_terms(part: str) -> Sequence[str]:
    """Terms of one part; titles, names and places recur across a house's items, so short parts
    are cached (the title and names are also analysed twice, for ``text`` and for ``name``)."""
    if len(part) <= 200:
        return _short_part_terms(part)
    shared = shared_parts
    if shared is None:
        return [term for term, _, _, _ in segment.words(fold(part).text)]
    terms = shared.get(part)
    if terms is None:
        terms = shared[part] = tuple(term for term, _, _, _ in segment.words(fold(part).text))
    return terms


def pair_term(first: str, second: str) -> str:
    """The :class:`PairText` term of ``first`` directly followed by ``second``."""
    return first + PAIR_SEP + second


def positions(value: str | Sequence[str]) -> dict[str, list[int]]:
    """Map each term of ``value`` to its positions (parts separated by :data:`PART_GAP`)."""
    return positions_and_pairs(value, None)[0]


def pair_weight(count: int, first: int) -> int:
    """A :class:`PairText` posting weight: the count (capped at :data:`PAIR_COUNT_CAP`) in the low
    ten bits and, above them, 1 + the position of the first occurrence (0: not recorded)."""
    return min(count, PAIR_COUNT_CAP) + (PAIR_POSITION_UNIT * (first + 1) if first < PAIR_MAX_POSITION else 0)


def positions_and_pairs(
    value: str | Sequence[str], words: AbstractSet[str] | None
) -> tuple[dict[str, list[int]], dict[str, int]]:
    """Positions of each term of ``value`` and the :func:`pair_weight` of each pair of adjacent
    terms of ``words`` in the same part (no pairs if ``words`` is None)."""
    found: dict[str, list[int]] = {}
    weights: dict[str, int] = {}
    pos = 0
    for part in _parts(value):
        previous = ""
        for term in part_terms(part):
            if term in found:
                found[term].append(pos)
            else:
                found[term] = [pos]
            if words is not None:
                if previous and previous in words and term in words:
                    key = previous + PAIR_SEP + term
                    weight = weights.get(key)
                    if weight is None:
                        weights[key] = pair_weight(1, pos - 1)
                    elif weight % PAIR_POSITION_UNIT < PAIR_COUNT_CAP:
                        weights[key] = weight + 1
                previous = term
            pos += 1
        pos += PART_GAP
    return found, weights


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
        for term, pos, startchar, endchar in segment.tokens(value, start_pos):
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
        return self._postings(positions(value))

    def index_with_pairs(
        self, value: Any, words: AbstractSet[str]
    ) -> tuple[Iterable[tuple[bytes, int, float, bytes]], Iterable[tuple[bytes, int, float, bytes]]]:
        """The postings of this field and those of its :class:`PairText` companion (the pairs of
        ``words``), from one analysis."""
        found, weights = positions_and_pairs(value, words)
        return self._postings(found), PairText.postings(weights)

    def _postings(self, found: dict[str, list[int]]) -> Iterator[tuple[bytes, int, float, bytes]]:
        encode = self.format.encode
        single = SINGLE_POSITIONS
        for term, poslist in found.items():
            btext = _term_bytes(term)
            if len(poslist) == 1 and poslist[0] < len(single):
                yield btext, 1, 1.0, single[poslist[0]]
            else:
                count = len(poslist)
                yield btext, count, _float(count), encode(poslist)


class PairText(fields.FieldType):
    """Adjacent term pairs of an :class:`ArchiveText` field (no positions), for phrases.

    Not given in documents: :class:`search.storage.writer.ArchiveWriter` writes it alongside
    ``text``. A posting's weight is its :func:`pair_weight`: how often the pair occurs in the
    document and where it first does. Only pairs of two frequent words are kept (``words``,
    chosen by a full build from a sample of the collection and saved with the schema; None or
    empty: no pairs): a phrase with a rarer word is narrowed down by that word.
    """

    def __init__(self, words: frozenset[str] | None = None) -> None:
        # Existence: no value per posting, the weight says it all.
        super().__init__(formats.Existence(), ArchiveAnalyzer(), scorable=False, stored=False)
        self.words = words

    @staticmethod
    def postings(weights: dict[str, int]) -> Iterator[tuple[bytes, int, float, bytes]]:
        unit = PAIR_POSITION_UNIT
        for term, weight in weights.items():
            yield term.encode("utf-8"), weight % unit, float(weight), b""

    def index(self, value: Any, **kwargs: Any) -> Iterable[tuple[bytes, int, float, bytes]]:
        return self.postings(positions_and_pairs(value, self.words or frozenset())[1])


# A full build holds millions of postings in memory before sorting them: sharing the bytes of
# each term and the small frequencies, instead of allocating them per posting, halves that.
_FLOATS = [float(i) for i in range(256)]


def _float(count: int) -> float:
    return _FLOATS[count] if count < len(_FLOATS) else float(count)

_TERM_BYTES: dict[str, bytes] = {}


def _term_bytes(term: str) -> bytes:
    found = _TERM_BYTES.get(term)
    if found is None:
        if len(_TERM_BYTES) > 1_000_000:
            _TERM_BYTES.clear()
        found = _TERM_BYTES[term] = term.encode("utf-8")
    return found
