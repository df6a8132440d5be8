"""Tokenisation shared by indexing, querying and highlighting.

Text is folded first (:mod:`search.text`), then split into runs of Chinese characters and
runs of letters and digits. A Chinese run is cut into words by jieba with its HMM turned off and a
user dictionary of the archive's own terms and place names (``data/userdict.txt``), so the same
string is always cut the same way; characters that form no dictionary word become one-character
words. A Latin run is one word, stemmed with the Porter stemmer (``villas`` -> ``villa``).

Every word gets the next position, so phrase queries work for Chinese as well as for English.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterator
from functools import lru_cache
from math import log
from pathlib import Path

import jieba

from search.storage.stemming import porter_stem
from search.text import CJK_CLASS, fold

DATA_DIR = Path(__file__).with_name("data")
USER_DICT = DATA_DIR / "userdict.txt"

_WORD_RE = re.compile(
    rf"(?P<cjk>[{CJK_CLASS}〇]+)|(?P<latin>[0-9a-z\u00df-\u024f\u0370-\u03ff\u0400-\u04ff]+(?:['’][a-z]+)*)"
)
_lock = threading.Lock()
_tokenizer: jieba.Tokenizer | None = None


def jieba_tokenizer() -> jieba.Tokenizer:
    """The process-wide jieba tokenizer with the user dictionary loaded (initialised quietly)."""
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                # jieba logs its dictionary loading at DEBUG level on stderr.
                jieba.setLogLevel(logging.WARNING)
                tokenizer = jieba.Tokenizer()
                tokenizer.initialize()
                with open(USER_DICT, "rb") as fh:  # jieba leaves a file it opens itself unclosed
                    tokenizer.load_userdict(fh)
                _tokenizer = tokenizer
    return _tokenizer


@lru_cache(maxsize=65536)
def latin_term(word: str) -> str:
    """The index term of a folded Latin word: possessive and apostrophes removed, stemmed."""
    word = word.replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    word = word.replace("'", "")
    if word.isdigit() or len(word) < 3:
        return word
    return porter_stem(word)


class _Segmenter:
    """jieba's maximum-probability segmentation without HMM, in one tight backward pass.

    Same dictionary, same scores and the same tie-breaking as ``jieba.Tokenizer.cut(HMM=False)``
    on a run of Chinese characters (a test checks they agree); about 1.5 times faster because it
    builds no DAG dictionary and caches the log probabilities.
    """

    def __init__(self, tokenizer: jieba.Tokenizer) -> None:
        self.freq: dict[str, int] = tokenizer.FREQ
        self.logtotal = log(tokenizer.total)
        self.logp: dict[str, float] = {}

    def cut(self, run: str) -> list[str]:
        n = len(run)
        freq, logp, logtotal = self.freq, self.logp, self.logtotal
        score = [0.0] * (n + 1)
        end = [0] * (n + 1)
        for idx in range(n - 1, -1, -1):
            best: float | None = None
            best_end = idx
            i = idx
            frag = run[idx]
            while frag in freq:
                count = freq[frag]
                if count:
                    p = logp.get(frag)
                    if p is None:
                        p = logp[frag] = log(count) - logtotal
                    candidate = p + score[i + 1]
                    if best is None or candidate >= best:
                        best, best_end = candidate, i
                i += 1
                if i >= n:
                    break
                frag = run[idx : i + 1]
            if best is None:
                best = score[idx + 1] - logtotal
            score[idx] = best
            end[idx] = best_end
        out = []
        x = 0
        while x < n:
            y = end[x] + 1
            out.append(run[x:y])
            x = y
        return out


_segmenter: _Segmenter | None = None


# Runs of Chinese between punctuation recur (place names, set phrases of survey texts: about a
# third of the characters of the benchmark corpus are in runs seen before): their cuts are kept.
_CUTS: dict[str, tuple[str, ...]] = {}
_CUTS_LIMIT = 200_000


def cut_chinese(run: str) -> tuple[str, ...]:
    """Cut a run of Chinese characters into words (jieba, HMM off, user dictionary); a tuple,
    since the cut is shared with every later caller of the same run."""
    global _segmenter
    found = _CUTS.get(run)
    if found is not None:
        return found
    if _segmenter is None:
        _segmenter = _Segmenter(jieba_tokenizer())
    found = tuple(_segmenter.cut(run))
    if len(_CUTS) >= _CUTS_LIMIT:
        _CUTS.clear()
    _CUTS[run] = found
    return found


def words(folded: str) -> Iterator[tuple[str, int, int, bool]]:
    """Yield ``(term, start, end, is_cjk)`` for each word of an already folded text."""
    for m in _WORD_RE.finditer(folded):
        if m.lastgroup == "cjk":
            start = m.start()
            for word in cut_chinese(m.group()):
                yield word, start, start + len(word), True
                start += len(word)
        else:
            yield latin_term(m.group()), m.start(), m.end(), False


def tokens(text: str, start_pos: int = 0) -> Iterator[tuple[str, int, int, int]]:
    """Yield ``(term, position, startchar, endchar)`` with offsets into the original ``text``."""
    folded = fold(text)
    pos = start_pos
    for term, start, end, _ in words(folded.text):
        ostart, oend = folded.original_span(start, end)
        yield term, pos, ostart, oend
        pos += 1


def terms(text: str) -> list[str]:
    """The index terms of ``text`` in order (no positions or offsets)."""
    return [term for term, _, _, _ in words(fold(text).text)]
