"""The lean writer and codec write exactly what Whoosh's own writer and W3 codec write."""

from __future__ import annotations

from pathlib import Path

from search_corpus import documents
from whoosh import index as whoosh_index

from archive.search.analysis import PART_GAP
from archive.search.postings import decode_positions, term_postings
from archive.search.schema import build_schema, to_whoosh
from archive.search.segment import terms
from archive.search.writer import ArchiveWriter


def _build(path: Path, lean: bool) -> whoosh_index.FileIndex:
    path.mkdir()
    ix = whoosh_index.create_in(str(path), build_schema())
    writer = ArchiveWriter(ix) if lean else ix.writer()
    for doc in documents():
        writer.add_document(**to_whoosh(doc))
    writer.commit()
    return ix


def test_lean_writer_matches_whoosh(tmp_path: Path) -> None:
    stock, lean = _build(tmp_path / "stock", False), _build(tmp_path / "lean", True)
    with stock.reader() as a, lean.reader() as b:
        assert a.doc_count() == b.doc_count()
        for fieldname in ("text", "name", "id", "house_code"):
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
