"""Pinyin keys: find the Chinese words of the index that a toneless pinyin string spells.

Nothing is added to the index for pinyin. At query time a Latin word such as ``qiaofang`` or a
run such as ``qiao fang`` is split into syllables (``qiao|fang``), each syllable gives the
characters pypinyin knows with that reading (any tone, any of a character's readings), and the
candidates are walked through the index's own vocabulary (its multi-character Chinese terms and
their prefixes, see :class:`search.segcache.Lexicon`), so ``diaolou`` finds 碉楼 and
``kaiping`` 开平 only when those words occur in the index.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from search.text import fold_table, strip_tones

MAX_SYLLABLES = 6
MAX_MATCHES = 64
# Interjection readings that would make nearly any string splittable.
_NOT_SYLLABLES = frozenset({"m", "n", "ng", "hm", "hng", "r", "ê", "e"})


@lru_cache(maxsize=1)
def syllable_chars() -> dict[str, frozenset[str]]:
    """Toneless syllable -> folded (simplified) characters with that reading."""
    from pypinyin.pinyin_dict import pinyin_dict

    table = fold_table()
    out: dict[str, set[str]] = {}
    for cp, readings in pinyin_dict.items():
        char = chr(cp).translate(table)
        for reading in readings.split(","):
            syllable = strip_tones(reading).replace("ü", "u")
            if syllable and syllable.isascii() and syllable not in _NOT_SYLLABLES:
                out.setdefault(syllable, set()).add(char)
    return {syl: frozenset(chars) for syl, chars in out.items()}


@lru_cache(maxsize=4096)
def split_syllables(word: str, limit: int = 8) -> tuple[tuple[str, ...], ...]:
    """All ways (up to ``limit``) to split a lower-case word into pinyin syllables, fewest first."""
    syllables = syllable_chars()
    word = word.replace("'", "").replace("v", "u")
    if not word.isascii() or not word.isalpha() or len(word) > 6 * MAX_SYLLABLES:
        return ()
    found: list[tuple[str, ...]] = []

    def walk(start: int, acc: tuple[str, ...]) -> None:
        if len(found) >= limit or len(acc) > MAX_SYLLABLES:
            return
        if start == len(word):
            found.append(acc)
            return
        for end in range(min(len(word), start + 6), start, -1):
            if word[start:end] in syllables:
                walk(end, (*acc, word[start:end]))

    walk(0, ())
    return tuple(sorted(found, key=len))


def spell(
    syllables: tuple[str, ...], is_prefix: Callable[[str], bool], is_term: Callable[[str], bool]
) -> set[str]:
    """Chinese terms of the index whose characters read ``syllables`` in order (at least two)."""
    if len(syllables) < 2:
        return set()
    table = syllable_chars()
    out: set[str] = set()
    frontier = [""]
    for i, syllable in enumerate(syllables):
        chars = table.get(syllable, frozenset())
        last = i == len(syllables) - 1
        nxt = []
        for prefix in frontier:
            for char in chars:
                candidate = prefix + char
                if last:
                    if is_term(candidate):
                        out.add(candidate)
                elif is_prefix(candidate):
                    nxt.append(candidate)
        frontier = nxt
        if not frontier and not last:
            break
        if len(out) >= MAX_MATCHES:
            break
    return out
