"""Text encodings of CSV and text files: detected with evidence, never guessed silently.

Survey CSVs arrive as UTF-8 (with or without BOM), GB18030/GBK (mainland Excel) or Big5 (Taiwan
and Hong Kong Excel). Bytes of one often decode without error in another, into nonsense, so
"it decoded" proves nothing. The evidence used, strongest first:

1. an explicit `encoding` from the user (`--encoding`) always wins;
2. a byte-order mark: UTF-8, and UTF-16/UTF-32, which are read (a BOM makes them unambiguous);
   NUL bytes without a BOM (UTF-16 without BOM, or a binary file) are refused;
3. for a sheet, the header row: the codec under which the most header cells are known column
   names is the one the file was written in (编号 in GBK is 晤瘍 in Big5);
4. valid UTF-8 holding three-byte sequences, as all CJK text does (GBK or Big5 bytes almost
   never are; short ones can be valid two-byte UTF-8: GBK 露 is UTF-8 ¶, so that is no proof);
5. plausibility: a decoding with private-use characters (what GB18030 makes of Big5 bytes) loses,
   then charset-normalizer's measure of mess decides between what is left, if it can.

When the evidence does not single one codec out, `UnreadableFile` is raised naming the
`--encoding` values that would read the header.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from dataclasses import dataclass

from charset_normalizer import from_bytes

from importers.problems import UnreadableFile, error

# User-facing name -> Python codec. Big5-HKSCS is a superset of Big5 that also holds the
# Hong Kong characters common in Cantonese place and family names.
CANDIDATES: dict[str, str] = {"utf-8": "utf-8", "gb18030": "gb18030", "big5": "big5hkscs"}
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
BAD_CHARS = re.compile("[\ufffd\ue000-\uf8ff\U000f0000-\U0010ffff]")
_WIDE = re.compile("[\u0800-\U0010ffff]")

HeaderScore = Callable[[str], int]


@dataclass(frozen=True, slots=True)
class Decoded:
    """Decoded text and the codec that produced it (as a user would pass it to --encoding)."""

    text: str
    encoding: str


def decode_bytes(data: bytes, *, encoding: str | None = None, header_score: HeaderScore | None = None) -> Decoded:
    """Decode `data` as described in the module docstring.

    `header_score(text)` counts the known column names in the text's header row; without it
    (plain text articles) only steps 1, 2, 4 and 5 apply.
    """
    if encoding:
        return _decode_explicit(data, encoding)
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return Decoded(_decode_strict(data, codec, codec), codec)
    if b"\x00" in data:
        raise UnreadableFile(error("encoding.nul_bytes"))
    texts = _decode_candidates(data)
    if not texts:
        raise UnreadableFile(error("encoding.undetected", choices=tuple(CANDIDATES)))
    if data.isascii():
        return Decoded(texts["utf-8"], "utf-8")
    chosen = _choose(data, texts, header_score)
    return Decoded(texts[chosen], chosen)


def _decode_explicit(data: bytes, encoding: str) -> Decoded:
    try:
        codec = codecs.lookup(CANDIDATES.get(encoding.casefold(), encoding)).name
    except LookupError:
        raise UnreadableFile(error("encoding.unknown_name", encoding=encoding)) from None
    if codec == "utf-8" and data.startswith(codecs.BOM_UTF8):
        codec = "utf-8-sig"  # the BOM is not text
    return Decoded(_decode_strict(data, codec, encoding), encoding)


def _decode_strict(data: bytes, codec: str, shown_as: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise UnreadableFile(
            error("encoding.decode_failed", encoding=shown_as, line=line, position=exc.start)
        ) from None


def _decode_candidates(data: bytes) -> dict[str, str]:
    texts = {}
    for name, codec in CANDIDATES.items():
        try:
            texts[name] = data.decode(codec)
        except UnicodeDecodeError:
            continue
    return texts


def _choose(data: bytes, texts: dict[str, str], header_score: HeaderScore | None) -> str:
    scores = {name: header_score(text) if header_score else 0 for name, text in texts.items()}
    best = max(scores.values())
    leaders = [name for name, score in scores.items() if score == best]
    if len(leaders) == 1 and best > 0:
        return leaders[0]
    choices = tuple(leaders) if best > 0 else tuple(texts)
    if "utf-8" in leaders:
        # Valid UTF-8 with three-byte sequences (all CJK) does not happen by accident. Valid UTF-8
        # with only two-byte ones does (GBK 露 is UTF-8 ¶), and no measure of plausibility can
        # tell a few such characters apart, so that case is not guessed.
        if _WIDE.search(texts["utf-8"]):
            return "utf-8"
        if len(leaders) > 1:
            raise UnreadableFile(error("encoding.ambiguous", choices=choices))
    clean = [name for name in leaders if not BAD_CHARS.search(texts[name])] or leaders
    if len(clean) == 1 and best > 0:
        return clean[0]
    plausible = _plausible(data, clean)
    if plausible is not None:
        return plausible
    raise UnreadableFile(error("encoding.ambiguous", choices=choices))


def _plausible(data: bytes, names: list[str]) -> str | None:
    """The one candidate charset-normalizer finds coherent, or None when it finds several or none."""
    by_codec = {codecs.lookup(CANDIDATES[name]).name: name for name in names}
    matches = from_bytes(data, cp_isolation=list(by_codec))
    found = {by_codec.get(codecs.lookup(match.encoding).name) for match in matches}
    found.discard(None)
    return found.pop() if len(found) == 1 else None
