"""Romanisation aliases: the spellings emigrant families used for surnames and places.

The table (``data/romanisation.tsv``; in the application, a database table seeded from it and
edited by researchers) has rows ``chinese, spelling, kind, note``: 黄 Wong surname, 台山 Toishan
place. Aliases are applied when a query is expanded, never at index time, so an edited table takes
effect on the next search without reindexing: a query for "Wong" also searches 黄 and the other
spellings of 黄, and a query for 黄 also searches Wong, Huang, Hwang ...

Cantonese (Jyutping) readings are generated with ToJyutping for the Chinese forms of the table and
added as further spellings: 台山 -> "toisaan", 开平 -> "hoipeng". Single-syllable readings that are
common English words (陈 "can", 文 "man") are left out.
"""

from __future__ import annotations

import csv
import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from search.text import fold

_SERIALS = itertools.count()
DEFAULT_TABLE = Path(__file__).with_name("data") / "romanisation.tsv"
_KEY_RE = re.compile(r"[^0-9a-z]+")
_ENGLISH_WORDS = frozenset(
    [
        "a", "an", "and", "are", "as", "at", "be", "by", "can", "do", "for", "go", "he", "her", "him",
        "his", "i", "if", "in", "is", "it", "me", "my", "no", "of", "on", "or", "so", "the", "to", "up",
        "us", "we", "man", "men", "fan", "sin", "son", "sun", "see", "say", "may", "way", "day", "yes",
        "now", "new", "not", "but", "all", "who"
    ]
)


def spelling_key(spelling: str) -> str:
    """Normalised form of a spelling for lookups: folded, letters and digits only ("Sze-to" -> "szeto")."""
    return _KEY_RE.sub("", fold(spelling).text)


@dataclass(frozen=True, slots=True)
class Alias:
    """One row of the table."""

    chinese: str
    spelling: str
    kind: str = "surname"
    note: str | None = None


@dataclass
class AliasTable:
    """Lookups in both directions over a set of alias rows."""

    rows: list[Alias] = field(default_factory=list)
    by_key: dict[str, set[str]] = field(default_factory=dict)
    by_chinese: dict[str, set[str]] = field(default_factory=dict)
    max_words: int = 1
    serial: int = field(default_factory=lambda: next(_SERIALS))  # identifies this table in caches

    def add(self, alias: Alias) -> None:
        chinese = fold(alias.chinese).text.strip()
        key = spelling_key(alias.spelling)
        if not chinese or not key:
            return
        self.rows.append(alias)
        self.by_key.setdefault(key, set()).add(chinese)
        self.by_chinese.setdefault(chinese, set()).add(alias.spelling.strip())
        self.max_words = max(self.max_words, len(alias.spelling.split()))

    def chinese_for(self, spelling: str) -> set[str]:
        """Chinese forms of a romanised spelling ("Wong" -> {黄, 王, 汪})."""
        return self.by_key.get(spelling_key(spelling), set())

    def spellings_for(self, chinese: str) -> set[str]:
        """All spellings of a Chinese form, including its other forms' ("黄" -> {Wong, Huang, ...})."""
        return set(self.by_chinese.get(fold(chinese).text, set()))

    def siblings(self, spelling: str) -> set[str]:
        """The other spellings of every Chinese form of ``spelling``."""
        out: set[str] = set()
        for chinese in self.chinese_for(spelling):
            out |= self.by_chinese.get(chinese, set())
        return out

    def __len__(self) -> int:
        return len(self.rows)


def _jyutping(chinese: str) -> list[str]:
    from ToJyutping import get_jyutping_list

    syllables = []
    for _, reading in get_jyutping_list(chinese):
        if not reading:
            return []
        syllables.append(re.sub(r"\d", "", reading.split()[0]))
    return syllables


def _read_tsv(path: Path) -> list[Alias]:
    with open(path, encoding="utf-8", newline="") as fh:
        lines = (line for line in fh if line.strip() and not line.startswith("#"))
        return [
            Alias(rec["chinese"].strip(), rec["spelling"].strip(), (rec.get("kind") or "surname").strip(),
                  (rec.get("note") or "").strip() or None)
            for rec in csv.DictReader(lines, delimiter="\t")
            if (rec.get("chinese") or "").strip() and (rec.get("spelling") or "").strip()
        ]  # fmt: skip


def _to_alias(row: Any) -> Alias:
    if isinstance(row, Alias):
        return row
    if isinstance(row, Mapping):
        return Alias(str(row["chinese"]), str(row["spelling"]), str(row.get("kind") or "surname"),
                     row.get("note"))  # fmt: skip
    if isinstance(row, Sequence) and not isinstance(row, str) and len(row) >= 2:
        kind = str(row[2]) if len(row) > 2 and row[2] else "surname"
        return Alias(str(row[0]), str(row[1]), kind, row[3] if len(row) > 3 else None)
    raise ValueError(f"not an alias row: {row!r}")


def load_aliases(source: str | Path | Iterable[Any] | None = None, *, jyutping: bool = True) -> AliasTable:
    """Build an :class:`AliasTable` from a TSV file or from rows.

    ``source`` is a path to a TSV with the columns ``chinese spelling kind note`` (``#`` lines are
    comments), or an iterable of rows: ``(chinese, spelling[, kind[, note]])`` tuples, mappings
    with those keys, or :class:`Alias` objects (as the application passes them from its database).
    ``None`` loads the shipped table. With ``jyutping`` the Cantonese readings of the Chinese forms
    are added as generated spellings (kind ``jyutping``).
    """
    if source is None:
        source = DEFAULT_TABLE
    rows = _read_tsv(Path(source)) if isinstance(source, (str, Path)) else [_to_alias(r) for r in source]
    table = AliasTable()
    for alias in rows:
        table.add(alias)
    if jyutping:
        for chinese in sorted(table.by_chinese):
            syllables = _jyutping(chinese)
            if not syllables or (len(syllables) == 1 and syllables[0] in _ENGLISH_WORDS):
                continue
            generated = " ".join(syllables)
            if spelling_key(generated) not in {spelling_key(s) for s in table.by_chinese[chinese]}:
                table.add(Alias(chinese, generated, "jyutping", "generated with ToJyutping"))
    return table
