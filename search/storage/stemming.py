"""The Porter stemmer of the pinned Whoosh fork, which indexed terms were stemmed with."""

from __future__ import annotations

from whoosh.lang.porter import stem


def porter_stem(word: str) -> str:
    """The Porter stem of a lower-case English word (``villas`` -> ``villa``)."""
    return str(stem(word))
