"""The lean writer and codec write exactly what Whoosh's own writer and W3 codec write.

These differential tests are the contract of the storage fence (:mod:`search.storage`): whatever
changes inside it, an upgrade of the pinned Whoosh fork included, must keep them passing."""

from __future__ import annotations

import pickle
import zlib
from pathlib import Path
from typing import Any

import pytest
from search_corpus import documents
from whoosh import index as whoosh_index

from search.schema import to_whoosh
from search.segment import terms
from search.storage.analysis import PART_GAP
from search.storage.codec import BLOCK_LIMIT, INLINE_LIMIT, PACK_MIN, ArchiveCodec, stored_zlib
from search.storage.postings import decode_positions, term_positions, term_postings, term_weights
from search.storage.schema import build_schema
from search.storage.writer import ArchiveWriter, frequent_words

# Words whose adjacent pairs both writers index (the lean one from the same analysis as ``text``,
# the stock one through PairText.index): every word of the corpus.
PAIR_WORDS = frequent_words([to_whoosh(doc) for doc in documents()])


def _build(path: Path, lean: bool, copies: int = 1, codec: Any = None) -> whoosh_index.FileIndex:
    """The corpus indexed by our writer (``lean``) or by Whoosh's own, with Whoosh's codec or,
    given ``codec``, with ours (Whoosh's writer then hands it postings one by one: add_postings)."""
    path.mkdir()
    ix = whoosh_index.create_in(str(path), build_schema())
    if lean:
        writer = ArchiveWriter(ix, pair_words=PAIR_WORDS)
    else:
        writer = ix.writer(codec=codec) if codec is not None else ix.writer()
        writer.schema["pairs"].words = PAIR_WORDS
    for copy in range(copies):
        for i, doc in enumerate(documents()):
            if copies > 1 and i == 0:  # a word in 10 documents, another in 1
                doc = {**doc, "body": doc["body"] + (" rarebird" if copy < 10 else "") + (" loneword" if not copy else "")}
            fields = to_whoosh({**doc, "id": f"{doc['id']}#{copy}"} if copy else doc)
            if lean:
                writer.add_document(**fields)
            else:
                writer.add_document(**fields, pairs=fields["text"])
    writer.commit()
    return ix


@pytest.mark.parametrize("stock_codec", [None, ArchiveCodec()], ids=["whoosh-codec", "archive-codec"])
def test_lean_writer_matches_whoosh(tmp_path: Path, stock_codec: Any) -> None:
    stock, lean = _build(tmp_path / "stock", False, codec=stock_codec), _build(tmp_path / "lean", True)
    with stock.reader() as a, lean.reader() as b:
        assert a.doc_count() == b.doc_count()
        for fieldname in ("text", "name", "id", "house_code", "pairs"):
            terms = list(a.lexicon(fieldname))
            assert terms == list(b.lexicon(fieldname))
            for term in terms:
                assert list(a.postings(fieldname, term).all_items()) == list(b.postings(fieldname, term).all_items())
                assert a.doc_frequency(fieldname, term) == b.doc_frequency(fieldname, term)
            assert a.field_length(fieldname) == b.field_length(fieldname)
        for docnum in range(a.doc_count_all()):
            assert a.stored_fields(docnum) == b.stored_fields(docnum)
            assert a.doc_field_length(docnum, "text") == b.doc_field_length(docnum, "text")


def test_block_reader_agrees_with_the_matcher(tmp_path: Path) -> None:
    ix = _build(tmp_path / "lean", True)
    with ix.reader() as reader:
        for term in ["碉楼", "开平", "wong", "的"]:
            ids, weights = term_postings(reader, "text", term)
            m = reader.postings("text", term)
            expected = []
            while m.is_active():
                expected.append((m.id(), m.weight()))
                assert len(decode_positions(m.value())) == m.weight()  # frequency = number of positions
                m.next()
            assert expected == list(zip(ids, weights, strict=True))
            assert expected
        assert term_postings(reader, "text", "不存在的词") == ([], [])


def test_parts_are_separated_by_a_position_gap(tmp_path: Path) -> None:
    ix = _build(tmp_path / "lean", True)
    doc = next(d for d in documents() if d["id"] == "house:KP-TK-ZL-001")
    title, names, body = (terms(doc[key]) for key in ("title", "names", "body"))
    with ix.searcher() as searcher:
        docnum = searcher.document_number(id="house:KP-TK-ZL-001")
        index, word = next((i, w) for i, w in enumerate(body) if w not in title and w not in names)
        m = searcher.reader().postings("text", word)
        m.skip_to(docnum)
        assert m.id() == docnum
        assert decode_positions(m.value())[0] == len(title) + PART_GAP + len(names) + PART_GAP + index


def test_packed_and_inlined_posting_lists_read_back_as_whoosh_wrote_them(tmp_path: Path) -> None:
    """Long lists (several packed blocks), short ones (W3 tuples) and inlined ones: ids, weights
    (term frequencies and pair weights) and positions as the stock W3 writer stores them."""
    copies = 40
    stock, lean = _build(tmp_path / "stock", False, copies), _build(tmp_path / "lean", True, copies)
    seen = {"blocks": 0, "small": 0, "inlined": 0, "pairs": 0}
    with stock.reader() as a, lean.reader() as b:
        for fieldname in ("text", "pairs", "name", "id"):
            for term in list(a.lexicon(fieldname)):
                expected = []
                m = a.postings(fieldname, term)
                while m.is_active():
                    expected.append((m.id(), m.weight(), m.value()))
                    m.next()
                got = []
                m = b.postings(fieldname, term)
                while m.is_active():
                    got.append((m.id(), m.weight(), m.value()))
                    m.next()
                assert got == expected, (fieldname, term)
                ids, weights = term_postings(b, fieldname, term.decode("utf-8"))
                assert list(zip(ids, weights, strict=True)) == [(d, w) for d, w, _ in expected]
                wanted = set(ids[::7])
                assert term_weights(b, fieldname, term.decode("utf-8"), wanted) == {
                    d: w for d, w, _ in expected if d in wanted}
                if fieldname in ("text", "name"):
                    assert term_positions(b, fieldname, term.decode("utf-8"), wanted) == {
                        d: decode_positions(v) for d, _, v in expected if d in wanted}
                seen["pairs"] += fieldname == "pairs"
                n = len(expected)
                key = "inlined" if n < INLINE_LIMIT else "small" if n < PACK_MIN else "blocks" if n > BLOCK_LIMIT else ""
                if key:
                    seen[key] += 1
    assert all(seen.values()), seen


def test_stored_fields_are_zlib_streams_written_without_compressing() -> None:
    """Any zlib reader (Whoosh's stored-fields column among them) reads them; small ones are kept
    as they are (header, stored block, checksum), large ones compressed."""
    small = pickle.dumps({"id": "KP-TK-ZL-001#record-12", "house_code": "KP-TK-ZL-001"}, 2)
    for data in (b"", small, bytes(range(256)) * 256, b"x" * 70_000):
        assert zlib.decompress(stored_zlib(data)) == data
    assert len(stored_zlib(small)) == len(small) + 11
    assert len(stored_zlib(b"x" * 70_000)) < 1000
