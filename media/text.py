"""Cleaning strings that come from untrusted files: EXIF fields and uploaded file names.

Such strings end up in HTML pages, JSON, CSV exports and log lines. Escaping is the job of each of
those outputs; what is removed here is what no output can make safe or readable: control
characters (NUL, escape sequences, line breaks inside a single field) and the bidirectional
formatting characters that make ``photo\u202egpj.exe`` display as ``photoexe.jpg``.
"""

from __future__ import annotations

import re
import unicodedata

# Bidi embeddings, overrides and isolates, the implicit direction marks, the Arabic letter mark,
# the BOM / zero-width no-break space and the Unicode line and paragraph separators.
_INVISIBLE_FORMATTING = frozenset(
    [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2066, 0x206A)]
    + ["\u200e", "\u200f", "\u061c", "\ufeff", "\u2028", "\u2029"]
)
_WHITESPACE_RUN = re.compile(r"\s+")


def remove_unsafe_characters(value: str) -> str:
    """``value`` in NFC without control characters (category Cc) and bidi formatting characters.

    Tabs and line breaks become spaces so that words they separated stay separate.
    """
    value = unicodedata.normalize("NFC", value)
    kept = []
    for char in value:
        if char in "\t\n\r\v\f":
            kept.append(" ")
        elif char not in _INVISIBLE_FORMATTING and unicodedata.category(char) != "Cc":
            kept.append(char)
    return "".join(kept)


def clean_text(value: object, max_length: int = 200) -> str | None:
    """A single-line, length-capped display string made from an EXIF value, or None if nothing is left.

    EXIF ASCII fields are NUL-terminated and often padded with NULs or spaces, so the value is cut
    at the first NUL before anything else. Bytes are decoded as UTF-8 (which most writers use
    despite the standard saying ASCII), undecodable bytes becoming U+FFFD.
    """
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    if not isinstance(value, str):
        return None
    value = value.split("\x00", 1)[0]
    value = _WHITESPACE_RUN.sub(" ", remove_unsafe_characters(value)).strip()
    return value[:max_length].rstrip() or None
