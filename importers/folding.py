"""Folding used only to *match* text (headers, vocabulary labels, dates), never to store it.

Stored text keeps its script: the archive never converts between simplified and traditional
Chinese. Matching, however, has to treat 編號 and 编号 as the same header, so labels are folded
to simplified characters with OpenCC before they are compared.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc

_WHITESPACE = re.compile(r"\s+")
_INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff\xad]")


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    # Built once: loading the dictionaries costs milliseconds, converting costs microseconds.
    return opencc.OpenCC("t2s")


def fold_t2s(text: str) -> str:
    """Return `text` with traditional characters folded to simplified ones (for comparison)."""
    if text.isascii():
        return text
    return str(_t2s().convert(text))


@lru_cache(maxsize=65536)
def fold_label(text: str) -> str:
    """Fold a header or vocabulary label for lookup: NFKC, casefold, t2s, no zero-width characters,
    no spaces at the ends, inner runs of whitespace collapsed to one space.

    NFKC is safe here (unlike on stored text) because the result is only ever compared.
    """
    folded = _INVISIBLE.sub("", unicodedata.normalize("NFKC", text)).casefold().strip()
    return fold_t2s(_WHITESPACE.sub(" ", folded))
