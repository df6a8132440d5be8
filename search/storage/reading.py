"""Reading an open index: a :class:`Snapshot` (one Whoosh searcher) and its :class:`Segment` objects.

These are what the rest of the search package reads the index through: document counts,
deletions, the packed ``meta`` column, field lengths, the Chinese vocabulary, posting lists
(whole, cached when frequent, or for a few documents) and stored fields. Whoosh's readers keep file
positions, so a snapshot belongs to one thread.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from typing import Any

from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from search.storage.postings import POSTINGS_CACHE, doc_frequency, term_positions, term_weights


class Segment:
    """One segment of a :class:`Snapshot`. A segment never changes once written (only its
    deletions do), so what is derived from it can be kept under its :attr:`key`."""

    def __init__(self, reader: IndexReader, index_dir: str, offset: int) -> None:
        self._reader = reader
        self.segment_id: str = reader.segment().segment_id()
        self.key = f"{index_dir}/{self.segment_id}"  # unique in the process
        self.offset = offset  # of its first document among the snapshot's documents

    def doc_count_all(self) -> int:
        """Documents, deleted ones included (segment-local numbers are ``range(doc_count_all())``)."""
        return int(self._reader.doc_count_all())

    def doc_count(self) -> int:
        """Live documents."""
        return int(self._reader.doc_count())

    def deleted(self) -> frozenset[int]:
        """Segment-local numbers of the deleted documents."""
        reader = self._reader
        return frozenset(reader.deleted_docs_set) if reader.has_deletions() else frozenset()

    def meta_column(self) -> list[bytes]:
        """The packed ``meta`` value of each document (:func:`search.schema.unpack_meta`); may be
        shorter than :meth:`doc_count_all` or empty (documents without one)."""
        reader = self._reader
        return list(reader.column_reader("meta")) if reader.has_column("meta") else []

    def field_lengths(self, fieldname: str) -> Sequence[int]:
        """The length (in terms) of ``fieldname`` in each document."""
        reader = self._reader
        perdoc = getattr(reader, "_perdoc", None)
        if perdoc is not None and hasattr(perdoc, "field_lengths"):  # the archive codec: one list
            lengths: Sequence[int] = perdoc.field_lengths(fieldname)
            return lengths
        return [reader.doc_field_length(d, fieldname, 0) for d in range(reader.doc_count_all())]

    def total_field_length(self, fieldname: str) -> int:
        """The summed length of ``fieldname`` over the segment's documents."""
        return int(self._reader.field_length(fieldname))

    def lexicon(self, fieldname: str) -> Iterator[str]:
        """The terms of ``fieldname``, in order."""
        return (term.decode("utf-8") for term in self._reader.lexicon(fieldname))

    def pair_words(self) -> frozenset[str]:
        """The words whose adjacent pairs the ``pairs`` field holds (saved with the schema)."""
        schema = self._reader.schema
        if "pairs" not in schema:
            return frozenset()
        return frozenset(getattr(schema["pairs"], "words", None) or ())

    def doc_frequency(self, fieldname: str, term: str) -> int:
        """How many documents have ``term`` (from the term table: no postings read)."""
        return doc_frequency(self._reader, fieldname, term)

    def postings(self, fieldname: str, term: str) -> tuple[Sequence[int], Sequence[float]]:
        """Documents (segment-local, ascending, deleted included) of ``term`` and its weight in
        each; the lists of frequent terms are kept for later searches (:data:`POSTINGS_CACHE`)."""
        return POSTINGS_CACHE.get((self.key, fieldname, term), self._reader)

    def postings_cached(self, fieldname: str, term: str) -> bool:
        """Whether :meth:`postings` of ``term`` is in memory already."""
        return POSTINGS_CACHE.has((self.key, fieldname, term))

    def positions(self, fieldname: str, term: str, docs: set[int]) -> dict[int, list[int]]:
        """Positions of ``term`` in each of ``docs`` that has it, reading only the posting blocks
        that may hold them."""
        return term_positions(self._reader, fieldname, term, docs)

    def weights(self, fieldname: str, term: str, docs: set[int]) -> dict[int, float]:
        """The weight of ``term`` in each of ``docs`` that has it (no positions read)."""
        return term_weights(self._reader, fieldname, term, docs)


class Snapshot:
    """One version of an index, open for reading until :meth:`close`: its segments (an empty
    index has none) and the stored fields of its documents (global numbers)."""

    def __init__(self, searcher: Searcher, index_dir: str) -> None:
        self._searcher = searcher
        self.segments = [Segment(reader, index_dir, offset) for reader, offset in searcher.reader().leaf_readers()
                         if reader.segment() is not None]  # an empty index has an EmptyReader  # fmt: skip
        for reader, _ in searcher.reader().leaf_readers():
            # Open the stored-fields column now (Whoosh opens it on first use): a file already open
            # stays readable if a concurrent merge deletes it.
            with contextlib.suppress(Exception):
                reader.stored_fields(0)

    def stored_fields(self, doc: int) -> dict[str, Any]:
        """The stored fields of a document (global number)."""
        fields: dict[str, Any] = self._searcher.stored_fields(doc)
        return fields

    def up_to_date(self) -> bool:
        """False when the index has changed since this snapshot was opened (or cannot be read)."""
        try:
            return bool(self._searcher.up_to_date())
        except Exception:
            return False

    def close(self) -> None:
        """Close its files; closing a snapshot whose files vanished does not fail."""
        with contextlib.suppress(Exception):
            self._searcher.close()
