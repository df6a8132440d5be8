"""A faster variant of Whoosh's W3 codec: W3's files, a leaner posting block, leaner hot loops.

Profiling the index build showed most of the writer's time per posting in three places: a column
lookup of the document's field length for every posting, type assertions in the postings writer,
and the generic posting loop. Scoring also looks up a field length for every matching document.
This codec reads a segment's field lengths once into a list and writes postings with a lean loop.

Posting blocks: W3 pickles each block as tuples of ids, weights and values and zlib-compresses the
whole, so reading the ids of a common word meant decompressing and unpickling every position of
it too: about 1.4 microseconds per posting, most of a search's time when its words were not
read before. Here a block (:func:`encode_block`, read by :class:`ArchiveLeafMatcher`) keeps W3's
block header, and its data holds ids and whole-number weights as packed arrays and the values
as one separate blob, so ids and weights are read without touching positions. Blocks hold up to
:data:`BLOCK_LIMIT` postings (W3: 128), so a long list costs fewer block reads; lists of fewer
than :data:`INLINE_LIMIT` postings are stored in the term table (W3's inlining, which the stock
writer cannot use: it calls a method that does not exist).

Segments remember their codec, so this class must stay importable under this name (indexes from
before :mod:`search.storage` name it ``search.codec.ArchiveCodec``, see :mod:`search.codec`); an index
written with an earlier block layout has an older schema version and is reported "broken".
"""

from __future__ import annotations

import struct
import sys
import zlib
from array import array
from collections.abc import Iterable, Iterator, Sequence
from itertools import accumulate, islice, pairwise
from operator import sub
from pickle import dumps, loads
from typing import Any

from whoosh import columns
from whoosh import formats as whoosh_formats
from whoosh.codec import whoosh3
from whoosh.codec.whoosh3 import (
    W3Codec,
    W3FieldWriter,
    W3LeafMatcher,
    W3PerDocReader,
    W3PerDocWriter,
    W3PostingsWriter,
)
from whoosh.system import emptybytes
from whoosh.util.numeric import byte_to_length, length_to_byte

_BYTE_TO_LENGTH = [byte_to_length(b) for b in range(256)]
_COMPRESS_MIN = 256
BLOCK_LIMIT = 512
PACK_MIN = 32  # postings in a block from which ids and weights are packed arrays
# Posting lists shorter than this are kept in the term's info (no block of their own): most pairs
# of adjacent words occur in one document, and writing a block per term was a third of a build.
INLINE_LIMIT = 4
_BIG_ENDIAN = sys.byteorder == "big"  # blocks are little-endian on every machine
# The value of a posting at one position p (most words occur once in a document), ready-made: the
# analysis writes SINGLE_POSITIONS[p], the readers decode it with one dict lookup.
SINGLE_POSITIONS = [whoosh_formats.Positions().encode([pos]) for pos in range(8192)]


class LeanPostingsWriter(W3PostingsWriter):
    """W3PostingsWriter without per-posting type assertions."""

    _maxweight: float
    _terminfo: Any
    _minlength: int | None
    _maxlength: int

    def add_posting(self, id_: int, weight: float, vbytes: bytes, length: int | None = None) -> None:
        ids = self._ids
        if len(ids) >= self._blocklimit:
            self._write_block()
            ids = self._ids
        ids.append(id_)
        self._weights.append(weight)
        if weight > self._maxweight:
            self._maxweight = weight
        if vbytes:
            self._values.append(vbytes)
        if length:
            if self._minlength is None or length < self._minlength:
                self._minlength = length
            if length > self._maxlength:
                self._maxlength = length

    def finish_postings(self) -> Any:
        # W3's own inlining calls a method its term info lacks (``set_inline``): done here.
        terminfo = self._terminfo
        if not self.written() and len(self._ids) < self._inlinelimit:
            terminfo.add_block(self)
            # A format without values reads back None per posting, as from a block.
            values = tuple(self._values) if self._values else (None,) * len(self._ids)
            terminfo._inlined = (tuple(self._ids), tuple(self._weights), values)
            self._terminfo = None
            return terminfo
        return super().finish_postings()

    def _write_block(self, last: bool = False) -> None:
        if self._byteids:  # term vectors keep W3's own layout
            super()._write_block(last)
            return
        # W3's block header, then the archive's block data (see the module docstring).
        if not self._blockcount:
            self._postfile.write(whoosh3.WHOOSH3_HEADER_MAGIC)
        self._terminfo.add_block(self)
        databytes = encode_block(self._ids, self._weights, self._values, self._compression)
        ids = self._ids
        infobytes = dumps(
            (len(ids), ids[-1], self._maxweight, 0,
             length_to_byte(self._minlength), length_to_byte(self._maxlength)),
            2,
        )  # fmt: skip
        blocklength = len(infobytes) + len(databytes)
        self._postfile.write_int(-blocklength if last else blocklength)
        self._postfile.write(infobytes)
        self._postfile.write(databytes)
        self._blockcount += 1
        self._new_block()


def _packed(numbers: list[int]) -> tuple[str, bytes]:
    """Whole numbers (0 or more) as the narrowest unsigned little-endian array: (typecode, bytes)."""
    top = max(numbers) if numbers else 0
    code = "B" if top < 1 << 8 else "H" if top < 1 << 16 else "I" if top < 1 << 32 else "Q"
    packed = array(code, numbers)
    if _BIG_ENDIAN:
        packed.byteswap()
    return code, packed.tobytes()


def _unpacked(code: str, raw: bytes) -> array[Any]:
    numbers = array(code, raw)
    if _BIG_ENDIAN:
        numbers.byteswap()
    return numbers


def encode_block(ids: list[int], weights: list[float], values: list[bytes], compression: int) -> bytes:
    """One block's postings, in one of two layouts told apart by their length.

    Small blocks (most terms occur in a handful of documents) are W3's tuples, neither delta-coded
    nor compressed: ``(ids, weights or None when all 1, values or None)``. Blocks of at least
    :data:`PACK_MIN` postings hold ``(first id, gap typecode, gaps, weights, values)``: ids and
    whole-number weights as packed arrays (one C call to read, where a pickled tuple costs a
    Python object per posting), and the values (positions) as one blob with their lengths, kept
    apart so that reading ids and weights never touches them, zlib-compressed when large.
    Every step is a C-level call (``map``, ``array``, ``join``): the writer runs it per block.
    """
    count = len(ids)
    ones = weights.count(1.0) == count
    if count < PACK_MIN:
        return dumps((tuple(ids), None if ones else tuple(weights), tuple(values) if values else None), 2)
    weight_part: tuple[Any, ...] = ()
    if not ones:
        whole = list(map(int, weights))
        exact = whole == weights and min(whole) >= 0
        weight_part = _packed(whole) if exact else ("d", array("d", weights).tobytes())
    value_part: tuple[Any, ...] = ()
    if values:
        if len(values) != count:
            raise ValueError(f"{len(values)} values for {count} postings")
        blob = b"".join(values)
        comp = compression if len(blob) >= _COMPRESS_MIN else 0
        value_part = (*_packed(list(map(len, values))), comp, zlib.compress(blob, comp) if comp else blob)
    gaps = list(map(sub, islice(ids, 1, None), ids))
    return dumps((ids[0], *_packed(gaps), weight_part, value_part), 2)


class ArchiveLeafMatcher(W3LeafMatcher):
    """Reads the blocks :func:`encode_block` wrote; everything else (headers, skipping) is W3's."""

    _data: tuple[Any, ...] | None
    _blob: tuple[Any, bytes, list[int]] | None = None  # (block data, values blob, value bounds)
    _ids: Any
    _weights: Any
    _values: Any

    def _read_data(self) -> None:
        raw = self._postfile.get(self._dataoffset, self._nextoffset - self._dataoffset)
        self._data = loads(raw)  # noqa: S301 - the index's own block, as W3 reads its blocks

    def _block(self) -> tuple[Any, ...]:
        """The current block's data, read on first use."""
        if self._data is None:
            self._read_data()
        assert self._data is not None
        return self._data

    def _values_blob(self, part: tuple[Any, ...]) -> tuple[bytes, list[int]]:
        """The block's values blob, decompressed, and where each value starts (kept per block)."""
        if self._blob is None or self._blob[0] is not self._data:
            code, lengths, comp, blob = part
            bounds = list(accumulate(_unpacked(code, lengths), initial=0))
            self._blob = (self._data, zlib.decompress(blob) if comp else blob, bounds)
        return self._blob[1], self._blob[2]

    def block_ids(self) -> tuple[int, ...]:
        """The ids of the current block."""
        if self._ids is None:
            data = self._block()
            self._ids = data[0] if len(data) == 3 else tuple(accumulate(_unpacked(data[1], data[2]), initial=data[0]))
        ids: tuple[int, ...] = self._ids
        return ids

    def block_weights(self) -> Sequence[float]:
        """The weights of the current block."""
        if self._weights is None:
            data = self._block()
            part = data[1] if len(data) == 3 else data[3]
            if not part:
                self._weights = (1.0,) * self._blocklength
            elif len(data) == 3:
                self._weights = part
            elif len(part) == 1:
                self._weights = part * self._blocklength
            elif part[0] == "d":
                self._weights = array("d", part[1])
            else:
                self._weights = _unpacked(*part)
        weights: Sequence[float] = self._weights
        return weights

    def block_values(self) -> Sequence[Any]:
        """The values (encoded positions) of the current block; None each for a format without."""
        if self._values is None:
            data = self._block()
            part = data[-1]
            if not part:
                self._values = (None,) * self._blocklength
            elif len(data) == 3:
                self._values = part
            else:
                blob, bounds = self._values_blob(part)
                self._values = tuple(blob[a:b] for a, b in pairwise(bounds))
        values: Sequence[Any] = self._values
        return values

    def block_value(self, i: int) -> Any:
        """The value of the block's posting ``i`` without splitting the others out of the blob."""
        if self._values is not None:
            return self._values[i]
        data = self._block()
        part = data[-1]
        if not part:
            return None
        if len(data) == 3:
            return part[i]
        blob, bounds = self._values_blob(part)
        return blob[bounds[i] : bounds[i + 1]]

    def _read_ids(self) -> None:
        self.block_ids()

    def _read_weights(self) -> None:
        self.block_weights()

    def _read_values(self) -> None:
        self.block_values()


class LengthCachingPerDocReader(W3PerDocReader):
    """W3PerDocReader that reads each field's length column once, as a list."""

    def field_lengths(self, fieldname: str) -> list[int]:
        """Length of ``fieldname`` in every document of the segment (0 where absent)."""
        cache: dict[str, list[int]] = self.__dict__.setdefault("_length_lists", {})
        lengths = cache.get(fieldname)
        if lengths is None:
            lenfield = whoosh3._lenfield(fieldname)
            raw = b""
            if self.has_column(lenfield):
                colfile, offset, size = self._get_column_file(lenfield)
                try:
                    raw = bytes(colfile.get(offset, min(size, self._doccount)))
                finally:
                    colfile.close()
            lengths = [_BYTE_TO_LENGTH[b] for b in raw]
            lengths.extend([0] * (self._doccount - len(lengths)))
            cache[fieldname] = lengths
        return lengths

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        lengths = self.field_lengths(fieldname)
        if 0 <= docnum < len(lengths):
            return lengths[docnum] or default
        return default


def _term_lists(items: Iterable[tuple[Any, ...]]) -> Iterator[tuple[str, bytes, list[int], list[float], list[bytes]]]:
    """Postings, one per item, grouped into one ``(field, term, docnums, weights, values)`` per term."""
    key: tuple[str, bytes] | None = None
    docs: list[int] = []
    weights: list[float] = []
    values: list[bytes] = []
    for fieldname, btext, docnum, weight, value in items:
        if (fieldname, btext) != key:
            if key is not None:
                yield key[0], key[1], docs, weights, values
            key, docs, weights, values = (fieldname, btext), [], [], []
        if docnum == -1:
            continue
        docs.append(docnum)
        weights.append(weight)
        values.append(value if value is not None else emptybytes)
    if key is not None:
        yield key[0], key[1], docs, weights, values


def _field_lengths(lengths: Any, fieldname: str) -> list[int] | None:
    """Every document's length in ``fieldname``, as a list (None: no lengths kept)."""
    if lengths is None:
        return None
    bulk = getattr(lengths, "field_lengths", None)
    if bulk is not None:
        found: list[int] = bulk(fieldname)
        return found
    return [lengths.doc_field_length(d, fieldname) or 0 for d in range(lengths.doc_count_all())]


class LeanFieldWriter(W3FieldWriter):
    """W3FieldWriter that writes each term's postings in bulk, looking lengths up in a list."""

    def add_postings(self, schema: Any, lengths: Any, items: Iterable[tuple[Any, ...]]) -> None:
        """Whoosh's entry point: ``(field, term, docnum, weight, value)`` per posting, in order (a
        docnum of -1 names a term without adding a posting)."""
        self.add_term_lists(schema, lengths, _term_lists(items))

    def add_term_lists(
        self, schema: Any, lengths: Any, terms: Iterable[tuple[str, bytes, list[int], list[float], list[bytes]]]
    ) -> None:
        """Write postings given as one ``(field, term, docnums, weights, values)`` per term, in order."""
        lastfn: str | None = None
        lens: list[int] | None = None
        for fieldname, btext, docs, weights, values in terms:
            if fieldname != lastfn:
                if lastfn is not None:
                    self.finish_field()
                self.start_field(fieldname, schema[fieldname])
                lastfn = fieldname
                lens = _field_lengths(lengths, fieldname)
            self._write_term(btext, docs, weights, values, lens)
        if lastfn is not None:
            self.finish_field()

    def _write_term(
        self, btext: bytes, docs: list[int], weights: list[float], values: list[bytes], lens: list[int] | None
    ) -> None:
        self.start_term(btext)
        writer = self._postwriter
        limit = writer._blocklimit
        for start in range(0, len(docs), limit):
            block_docs = docs[start : start + limit]
            block_weights = weights[start : start + limit]
            writer._ids.extend(block_docs)
            writer._weights.extend(block_weights)
            writer._values.extend(v for v in values[start : start + limit] if v)
            writer._maxweight = max(block_weights)
            if lens is not None:
                block_lens = [lens[d] if d < len(lens) else 0 for d in block_docs]
                present = [n for n in block_lens if n]
                if present:
                    writer._minlength = min(present)
                    writer._maxlength = max(present)
            if start + limit < len(docs):
                writer._write_block()
        self.finish_term()


def stored_zlib(data: bytes) -> bytes:
    """``data`` as a zlib stream of one *stored* deflate block (RFC 1950/1951: header, the bytes as
    they are, Adler-32), which ``zlib.decompress`` reads like any other; past 64 KiB, compressed."""
    size = len(data)
    if size > 0xFFFF:
        return zlib.compress(data, 3)
    return b"\x78\x01\x01" + struct.pack("<HH", size, size ^ 0xFFFF) + data + struct.pack(">I", zlib.adler32(data))


class StoredFieldsColumn(columns.CompressedBytesColumn):
    """W3's stored-fields column (pickled, zlib), written without compressing: a document's stored
    fields are its id and house code, a few dozen bytes, on which ``zlib.compress`` spent its time
    setting up (7.6% of an index build's worker time). W3's reader reads it unchanged."""

    def writer(self, dbfile: Any) -> Any:
        return self.Writer(dbfile)

    class Writer(columns.VarBytesColumn.Writer):
        def add(self, docnum: int, v: bytes) -> None:
            super().add(docnum, stored_zlib(v))


STORED_FIELDS_COLUMN = columns.PickleColumn(StoredFieldsColumn())


class ArchivePerDocWriter(W3PerDocWriter):
    """W3's per-document writer with :class:`StoredFieldsColumn` for the stored fields."""

    def _create_column(self, fieldname: str, column: Any) -> None:
        super()._create_column(fieldname, STORED_FIELDS_COLUMN if fieldname == "_stored" else column)


class ArchiveCodec(W3Codec):
    """W3 codec with :class:`LeanFieldWriter`, :func:`encode_block` posting blocks read by
    :class:`ArchiveLeafMatcher`, :class:`LengthCachingPerDocReader`, and stored fields written
    uncompressed (:class:`ArchivePerDocWriter`)."""

    def __init__(self, blocklimit: int = BLOCK_LIMIT, compression: int = 3, inlinelimit: int = INLINE_LIMIT) -> None:
        super().__init__(blocklimit=blocklimit, compression=compression, inlinelimit=inlinelimit)

    def field_writer(self, storage: Any, segment: Any) -> LeanFieldWriter:
        return LeanFieldWriter(self, storage, segment)

    def postings_writer(self, dbfile: Any, byteids: bool = False) -> LeanPostingsWriter:
        return LeanPostingsWriter(
            dbfile,
            blocklimit=self._blocklimit,
            byteids=byteids,
            compression=self._compression,
            inlinelimit=self._inlinelimit,
        )

    def per_document_writer(self, storage: Any, segment: Any) -> ArchivePerDocWriter:
        return ArchivePerDocWriter(self, storage, segment)

    def per_document_reader(self, storage: Any, segment: Any) -> LengthCachingPerDocReader:
        return LengthCachingPerDocReader(storage, segment)

    def postings_reader(
        self, dbfile: Any, terminfo: Any, format_: Any, term: Any = None, scorer: Any = None
    ) -> Any:
        if terminfo.is_inlined():  # one posting, kept in the term's info: as W3
            return super().postings_reader(dbfile, terminfo, format_, term=term, scorer=scorer)
        offset, length = terminfo.extent()
        return ArchiveLeafMatcher(dbfile, offset, length, format_, term=term, scorer=scorer)
