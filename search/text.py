"""Character-level text folding that keeps offsets into the original text.

Everything the index sees goes through :func:`fold` first, at index time and at query time:

* full-width and half-width forms, Kangxi radicals, CJK compatibility ideographs and other
  NFKC one-to-one compatibility characters become their ordinary form (Ａ -> a, ⼈ -> 人, 豈 -> 豈);
* traditional characters become simplified ones, one character at a time (OpenCC's t2s
  dictionary applied per character, so 僑房 -> 侨房 without changing the length);
* Latin letters are lower-cased and lose their accents (Huá -> hua), ü becomes u;
* zero-width characters, soft hyphens and combining marks are removed;
* web-converter pinyin annotations such as ``華(huá)僑(qiáo)`` are removed when the bracketed
  syllable is a real reading of the character before it (``黄兴(Wong Hing)`` is kept).

Most texts need none of the removals; they are folded with a single ``str.translate`` and the
offsets are the identity. Texts that do need them get an offset map, so highlight positions still
point into the original text, which is what is stored and displayed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Radicals from the CJK Radicals Supplement block that have no NFKC mapping but turn up in
# OCR and PDF-extracted text in place of the ordinary character.
_RADICAL_SUPPLEMENT = {
    "⺠": "民", "⻄": "西", "⻅": "见", "⻓": "长", "⻔": "门", "⻘": "青", "⻛": "风", "⻜": "飞",
    "⻝": "食", "⻢": "马", "⻋": "车", "⻉": "贝", "⻊": "足", "⻩": "黄", "⻬": "齐", "⻰": "龙",
    "⻮": "齿", "⻳": "龟", "⻆": "角", "⻤": "鬼", "⻣": "骨", "⻨": "麦", "⻥": "鱼", "⻦": "鸟",
}  # fmt: skip

_REMOVED = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
CJK_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_ANNOTATION_RE = re.compile(
    rf"([{CJK_CLASS}])[(（]\s*([a-zA-Z\u00c0-\u024f\u0300-\u036f]{{1,7}}[1-5]?)\s*[)）]"
)
_SLOW_RE = re.compile(rf"[{_REMOVED}\u0300-\u036f]|[{CJK_CLASS}][(（]")


@dataclass(frozen=True, slots=True)
class Folded:
    """A folded text and, when characters were removed, the original index of each character."""

    text: str
    offsets: list[int] | None = None

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a ``[start, end)`` span of the folded text back to the original text."""
        if self.offsets is None:
            return start, end
        if end <= start:
            return self.offsets[start], self.offsets[start]
        return self.offsets[start], self.offsets[end - 1] + 1


def _latin_base(char: str) -> str | None:
    decomposed = unicodedata.normalize("NFKD", char)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    if len(base) == 1 and base.isascii() and base.isalpha():
        return base.lower()
    return None


@lru_cache(maxsize=1)
def fold_table() -> dict[int, str]:
    """The one-to-one translation table: compatibility forms, t2s, case and accents."""
    from opencc import OpenCC

    table: dict[int, str] = {}
    for cp in range(0x20, 0x30000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        char = chr(cp)
        norm = unicodedata.normalize("NFKC", char)
        if norm != char and len(norm) == 1:
            table[cp] = norm
    for src, dst in _RADICAL_SUPPLEMENT.items():
        table[ord(src)] = dst
    for cp in range(0xC0, 0x2B0):
        base = _latin_base(chr(cp))
        if base is not None:
            table[cp] = base
    table[ord("đ")] = table[ord("Đ")] = "d"
    table[ord("ø")] = table[ord("Ø")] = "o"
    table[ord("ß")] = "s"
    for cp in range(ord("A"), ord("Z") + 1):
        table[cp] = chr(cp + 32)
    # t2s per character, applied after the compatibility mapping. Characters are converted
    # in one call, separated by newlines so that OpenCC's phrase table cannot join them.
    ranges = [(0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0x20000, 0x2A6DF)]
    chars = [chr(cp) for lo, hi in ranges for cp in range(lo, hi + 1)]
    converted = OpenCC("t2s").convert("\n".join(chars)).split("\n")
    t2s = {c: s for c, s in zip(chars, converted, strict=True) if s != c and len(s) == 1}
    for cp, norm in list(table.items()):
        norm = t2s.get(norm, norm)
        table[cp] = norm.lower() if norm.isascii() else norm
    for char, simp in t2s.items():
        table[ord(char)] = simp
    return table


@lru_cache(maxsize=1)
def _readings() -> dict[str, frozenset[str]]:
    """Toneless pinyin readings of every character pypinyin knows (folded form as key)."""
    from pypinyin.pinyin_dict import pinyin_dict

    out: dict[str, set[str]] = {}
    for cp, readings in pinyin_dict.items():
        char = chr(cp).translate(fold_table())
        out.setdefault(char, set()).update(strip_tones(r) for r in readings.split(","))
    return {char: frozenset(rs) for char, rs in out.items()}


def strip_tones(syllable: str) -> str:
    """``huá`` -> ``hua``, ``lü`` -> ``lu``, ``hua2`` -> ``hua``."""
    return syllable.translate(fold_table()).rstrip("12345")


def is_reading(char: str, syllable: str) -> bool:
    """True when ``syllable`` (tone marks or numbers allowed) is a reading of ``char``."""
    return strip_tones(syllable.lower()) in _readings().get(char.translate(fold_table()), ())


def fold(text: str) -> Folded:
    """Fold ``text`` for indexing or querying (see the module docstring)."""
    table = fold_table()
    if not _SLOW_RE.search(text):
        return Folded(text.translate(table))
    drop = [False] * len(text)
    for m in _ANNOTATION_RE.finditer(text):
        if is_reading(m.group(1), m.group(2)):
            for i in range(m.end(1), m.end()):
                drop[i] = True
    for i, char in enumerate(text):
        if char in _REMOVED or unicodedata.combining(char):
            drop[i] = True
    offsets = [i for i, dropped in enumerate(drop) if not dropped]
    kept = "".join(text[i] for i in offsets)
    return Folded(kept.translate(table), offsets)


def fold_key(value: str) -> str:
    """Fold a facet or filter value: folded, trimmed, inner whitespace collapsed."""
    return " ".join(fold(value).text.split())

