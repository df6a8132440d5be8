"""Chinese and Arabic numerals as written in survey sheets and dates (十五, 廿三, 一九二六, 元, 15)."""

from __future__ import annotations

import re
import unicodedata

_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_POSITIONAL = re.compile(
    r"^(?:(?P<h>[一二三四五六七八九])?百)?零?"
    r"(?:(?P<t>[一二三四五六七八九])?十|(?P<nian>廿)|(?P<sa>卅))?"
    r"(?P<u>[一二三四五六七八九])?$"
)
CHINESE_NUMBER_CHARS = "0-9〇零一二三四五六七八九十廿卅百元"


def parse_number(text: str) -> int | None:
    """Return the whole number written in `text`, or None.

    Accepts Arabic digits (also full-width), 元 (the first year of a reign), digit-by-digit
    Chinese (一九二六 = 1926) and positional Chinese up to 999 (十五, 二十, 廿三, 卅, 一百零二).
    """
    text = unicodedata.normalize("NFKC", text.strip())
    if not text:
        return None
    if text.isascii() and text.isdigit():
        return int(text)
    if text == "元":
        return 1
    if all(ch in _DIGITS for ch in text):
        # 一九二六 is read digit by digit; a lone 〇 or 五 is just that digit.
        return int("".join(str(_DIGITS[ch]) for ch in text))
    return _parse_positional(text)


def _parse_positional(text: str) -> int | None:
    match = _POSITIONAL.match(text)
    if match is None:
        return None
    value = 0
    if "百" in text:
        value += 100 * _DIGITS.get(match["h"] or "一", 1)
    if "十" in text:
        value += 10 * _DIGITS.get(match["t"] or "一", 1)
    if match["nian"]:
        value += 20
    if match["sa"]:
        value += 30
    if match["u"]:
        value += _DIGITS[match["u"]]
    return value
