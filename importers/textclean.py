"""Cleanup applied to every imported text, reporting what it changed.

Survey text is often pasted from web pages, PDFs and Word, and carries their debris: HTML
entities, zero-width characters, odd spaces, Kangxi radicals and compatibility ideographs (which
look like ordinary characters but never match a search), and the pinyin that web converters add
after characters, e.g. 僑聯(lián). Each step here removes one kind of debris and counts it, so an
import can show the user what was changed.

Deliberately *not* done:
- no simplified/traditional conversion (the archive keeps the script as written);
- no NFKC on whole strings, which would turn full-width Chinese punctuation (，：（）) into ASCII;
  only Kangxi radicals and compatibility ideographs are folded, character by character;
- the ideographic space U+3000 is kept: it is real Chinese typography (paragraph indents,
  gaps between names). NBSP and the typographic spaces U+2000-U+200A, U+202F, U+205F become an
  ordinary space.
- ends are not stripped: callers decide (a sheet cell is stripped, an article keeps its layout).
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from pypinyin import Style, pinyin

# One cheap test decides whether a string needs any work at all: most cells do not.
MAYBE_DIRTY = re.compile(
    "[&\x00-\x08\x0b-\x1f\x7f-\xa0\xad\u2000-\u200d\u202f\u205f\u2060"
    "\u2e80-\u2fdf\uf900-\ufaff\ufeff(（\U0002f800-\U0002fa1f]"
)
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\xad]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_ODD_SPACE = re.compile("[\xa0\u2000-\u200a\u202f\u205f]")
_RADICAL = re.compile("[\u2e80-\u2fdf]")
_COMPAT_IDEOGRAPH = re.compile("[\uf900-\ufaff\U0002f800-\U0002fa1f]")
_LINE_BREAK = re.compile(r"\r\n?")
# A bracket holding only lower-case pinyin (tone marks, tone numbers, ü/v, spaces, apostrophes).
# Capitalised romanisations such as 李文(Li Wen) or 黄兴(Wong Hing) are glosses a person wrote.
_PINYIN_BRACKET = re.compile(r"[(（]([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüêńňǹḿ:' 1-5]{1,80})[)）]")
_HAN = re.compile("[\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_MAX_ANNOTATED_CHARS = 8


@dataclass(frozen=True, slots=True)
class Change:
    """One kind of cleanup and how many times it was applied."""

    kind: str
    count: int


@dataclass(frozen=True, slots=True)
class Cleaned:
    """The cleaned text and what was changed to get it (empty when nothing was)."""

    text: str
    changes: list[Change] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.changes)


def clean_text(text: str) -> Cleaned:
    """Clean `text` as described in the module docstring."""
    if MAYBE_DIRTY.search(text) is None and unicodedata.is_normalized("NFC", text):
        return Cleaned(text)
    changes: list[Change] = []
    text = _LINE_BREAK.sub("\n", text)  # not reported: a line break is the same line break
    text = _count(changes, "html_entity", _ENTITY, _unescape, text)
    text = _count(changes, "zero_width", _ZERO_WIDTH, "", text)
    text = _count(changes, "control_char", _CONTROL, "", text)
    text = _count(changes, "space", _ODD_SPACE, " ", text)
    text = _count(changes, "kangxi_radical", _RADICAL, _nfkc, text)
    text = _count(changes, "compat_ideograph", _COMPAT_IDEOGRAPH, _nfkc, text)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
        changes.append(Change("unicode_nfc", 1))
    text = _count(changes, "pinyin_annotation", _PINYIN_BRACKET, _drop_annotation, text)
    return Cleaned(text, changes)


def merge_changes(*groups: list[Change]) -> list[Change]:
    """Add up changes of the same kind (e.g. from the title and the body of one article)."""
    totals: dict[str, int] = {}
    for group in groups:
        for change in group:
            totals[change.kind] = totals.get(change.kind, 0) + change.count
    return [Change(kind, count) for kind, count in totals.items()]


def _count(
    changes: list[Change],
    kind: str,
    pattern: re.Pattern[str],
    replacement: str | Callable[[re.Match[str]], str],
    text: str,
) -> str:
    count = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal count
        new = replacement if isinstance(replacement, str) else replacement(match)
        if new != match.group():
            count += 1
        return new

    result = pattern.sub(replace, text)
    if count:
        changes.append(Change(kind, count))
    return result


def _unescape(match: re.Match[str]) -> str:
    return html.unescape(match.group())


def _nfkc(match: re.Match[str]) -> str:
    return unicodedata.normalize("NFKC", match.group())


def _drop_annotation(match: re.Match[str]) -> str:
    """Remove the bracket if its syllables read the Han characters just before it."""
    annotation = match.group(1).replace("u:", "ü")
    syllables = re.sub(r"[\s']+", "", annotation)
    if not syllables or not any(ch.isalpha() for ch in syllables):
        return match.group()
    before = match.string[max(0, match.start() - _MAX_ANNOTATED_CHARS) : match.start()]
    run = ""
    for ch in reversed(before):
        if not _HAN.match(ch):
            break
        run = ch + run
    for size in range(1, len(run) + 1):
        if _reads_as(syllables, run[-size:]):
            return ""
    return match.group()


def _reads_as(syllables: str, chars: str) -> bool:
    """Whether `syllables` (no separators) is one reading per character of `chars`, in order."""
    if not chars:
        return not syllables
    return any(
        syllables.startswith(form) and _reads_as(syllables[len(form) :], chars[1:]) for form in _reading_forms(chars[0])
    )


@lru_cache(maxsize=8192)
def _reading_forms(char: str) -> frozenset[str]:
    """Every way a converter might write a reading of `char`: lián, lian2, lian; lǜ, lü4, lv4, lv."""
    readings = pinyin(char, style=Style.TONE, heteronym=True)[0]
    numbered = pinyin(char, style=Style.TONE3, heteronym=True, neutral_tone_with_five=True)[0]
    forms: set[str] = set()
    for reading in [*readings, *numbered]:
        if reading == char:  # pypinyin echoes characters it has no reading for
            continue
        plain = "".join(c for c in unicodedata.normalize("NFD", reading) if c not in "\u0300\u0301\u0304\u030c")
        plain = unicodedata.normalize("NFC", plain)
        for form in {reading, plain, plain.rstrip("12345")}:
            forms.update({form, form.replace("ü", "v"), form.replace("v", "ü")})
    return frozenset(f for f in forms if f)
