"""OAI-PMH sets: one per county, named in Chinese and pinyin (setSpec allows ASCII only)."""

from __future__ import annotations

import re
from functools import lru_cache

from pypinyin import lazy_pinyin

# What the protocol allows in a setSpec part (unreserved characters of RFC 2396, minus ':').
_NOT_ALLOWED = re.compile(r"[^A-Za-z0-9\-_.!~*'()]+")
# Administrative suffixes left out of the English label (开平市 -> Kaiping); the spec keeps them,
# so 开平市 and a 开平县 of another province stay two sets.
_SUFFIXES = ("自治县", "市", "县", "區", "区", "縣")
PREFIX = "county:"


@lru_cache(maxsize=4096)  # a few dozen counties, asked for once per house synced
def county_set(county: str | None) -> tuple[str | None, str | None]:
    """(setSpec, county name) of a county, or (None, None) for a house with no county."""
    name = (county or "").strip()
    if not name:
        return None, None
    spelled = _NOT_ALLOWED.sub("-", "".join(lazy_pinyin(name)).lower()).strip("-")
    return f"{PREFIX}{spelled or 'x'}", name


def english_name(county: str) -> str:
    """'开平市' -> 'Kaiping': the pinyin of the name without its administrative suffix."""
    base = county
    for suffix in _SUFFIXES:
        if base.endswith(suffix) and len(base) > len(suffix):
            base = base[: -len(suffix)]
            break
    return "".join(lazy_pinyin(base)).capitalize()
