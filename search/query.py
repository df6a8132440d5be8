"""Parsing of what people type into the search box. Never raises.

Syntax: words (all required), ``"quoted phrases"`` (Chinese too), ``OR`` between two terms,
``-word`` or ``NOT word`` to exclude, and field prefixes:

* ``name:`` / ``family:`` / ``title:``: names and titles only
* ``place:``: the text, like a plain word
* ``county:`` / ``township:`` / ``village:``: houses whose county/township/village contains the value
* ``kind:`` / ``type:``: record kind (``oral_history``) or item type (``house``, ``photo`` ...)
* ``style:``, ``condition:``, ``protection:``, ``decade:``, ``country:``: facet values

Anything else degrades gracefully: an unknown prefix is searched as words, a lone ``:`` or
parenthesis is ignored, an unbalanced quote runs to the end, ``name:`` with nothing after it is
dropped, ``AND`` is implied, a query longer than :data:`MAX_QUERY_CHARS` is cut. What was ignored is
reported as notes (stable codes the interface can translate).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MAX_QUERY_CHARS = 400
MAX_CLAUSES = 16
TEXT_FIELDS = {"name": "name", "family": "name", "title": "name", "names": "name", "place": None, "text": None}
FACET_FIELDS = {
    "county": "county", "township": "township", "village": "village", "kind": "record_kind",
    "record_kind": "record_kind", "type": "type", "style": "style", "condition": "condition",
    "protection": "protection_level", "protection_level": "protection_level", "decade": "decade",
    "country": "destination_country", "destination": "destination_country",
}  # fmt: skip
_QUOTES = str.maketrans(dict.fromkeys("“”„‟＂「」『』«»", '"') | {"：": ":", "（": "(", "）": ")", "－": "-"})
_FIELD_RE = re.compile(r"^([A-Za-z_]+):(.*)$", re.S)
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


@dataclass(frozen=True)
class Clause:
    """One searchable unit: some words or a phrase, maybe restricted to a field, maybe excluded."""

    text: str
    phrase: bool = False
    field: str | None = None  # "name" for names/titles; None for everything
    facet: str | None = None  # a facet name when the clause filters on facet values
    negated: bool = False


@dataclass
class ParsedQuery:
    """Clauses grouped for evaluation: all groups are required, a group matches if any clause does."""

    groups: list[list[Clause]] = field(default_factory=list)
    negated: list[Clause] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def positive(self) -> list[Clause]:
        return [clause for group in self.groups for clause in group]


def _scan(text: str) -> list[tuple[str, bool]]:
    """Split into ``(word, quoted)``; an unbalanced quote runs to the end of the text."""
    out: list[tuple[str, bool]] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char.isspace() or char in "()":
            i += 1
        elif char == '"':
            end = text.find('"', i + 1)
            if end < 0:
                out.append((text[i + 1 :], True))
                out.append(("\x00unbalanced", False))
                break
            out.append((text[i + 1 : end], True))
            i = end + 1
        else:
            j = i
            while j < n and not text[j].isspace() and text[j] not in '()"':
                j += 1
            word = text[i:j]
            # name:"a phrase" keeps the phrase with its field.
            if word.endswith(":") and j < n and text[j] == '"':
                end = text.find('"', j + 1)
                phrase = text[j + 1 :] if end < 0 else text[j + 1 : end]
                out.append((word + "\x01" + phrase, True))
                i = n if end < 0 else end + 1
                continue
            out.append((word, False))
            i = j
    return out


def _clause(word: str, quoted: bool, negated: bool, notes: list[str]) -> Clause | None:
    fieldname: str | None = None
    facet: str | None = None
    prefix: str | None = None
    if "\x01" in word:
        prefix, word = word.split("\x01", 1)
        prefix = prefix[:-1]
    elif not quoted and (m := _FIELD_RE.match(word)):
        prefix, word = m.group(1), m.group(2)
    if prefix is not None:
        name = prefix.lower()
        if name in TEXT_FIELDS:
            fieldname = TEXT_FIELDS[name]
        elif name in FACET_FIELDS:
            facet = FACET_FIELDS[name]
        else:
            notes.append(f"unknown_field:{name}")
            word = f"{prefix} {word}"
        if not word.strip():
            notes.append(f"empty_field:{name}")
            return None
    word = word.strip().strip(":").strip()
    if not word or not any(c.isalnum() for c in word):
        return None
    return Clause(word, phrase=quoted and facet is None, field=fieldname, facet=facet, negated=negated)


def parse(text: str) -> ParsedQuery:
    """Parse a query string (see the module docstring)."""
    result = ParsedQuery()
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS]
        result.notes.append("truncated")
    text = _ZERO_WIDTH.sub("", text.translate(_QUOTES))
    pending_or = negate_next = False
    for word, quoted in _scan(text):
        if word == "\x00unbalanced":
            result.notes.append("unbalanced_quote")
            continue
        if not quoted and word in ("OR", "|", "||"):
            pending_or = bool(result.groups)
            continue
        if not quoted and word in ("AND", "&&", "&", "+"):
            continue
        if not quoted and word == "NOT":
            negate_next = True
            continue
        negated = negate_next
        negate_next = False
        if not quoted and word.startswith("-") and len(word) > 1:
            negated, word = True, word[1:]
        clause = _clause(word, quoted, negated, result.notes)
        if clause is None:
            pending_or = False
            continue
        if len(result.positive) + len(result.negated) >= MAX_CLAUSES:
            result.notes.append("too_many_terms")
            break
        if negated:
            result.negated.append(clause)
        elif pending_or and result.groups:
            result.groups[-1].append(clause)
        else:
            result.groups.append([clause])
        pending_or = False
    return result
