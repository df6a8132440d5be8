"""Quoted phrases are exact: checked against a brute-force scan of every document's words.

Phrases in ``text`` are answered from the ``pairs`` field and pair frequencies, reading positions
only where frequencies cannot decide (see :mod:`search.docsets`). A small vocabulary
makes words repeat within documents, so every branch is taken: pairs that chain, pairs present
but apart ("alpha bravo" and "bravo charlie" without "alpha bravo charlie"), inner words that
occur again elsewhere.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from search import SearchIndex, SearchQuery, docsets
from search.storage import analysis, part_terms, writer

WORDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot"]
RARE = ["golf", "hotel"]  # in a few documents each: with a share of 0.3, no pairs are indexed for them


def make_docs(rnd: random.Random, count: int, prefix: str) -> list[dict[str, Any]]:
    docs = []
    for n in range(count):
        words = rnd.choices(WORDS[: rnd.randint(3, len(WORDS))], k=rnd.randint(3, 30))
        if n % 10 == 0:
            words[rnd.randrange(len(words))] = rnd.choice(RARE)
        code = f"{prefix}-{n}"
        docs.append({"id": f"record:{code}", "type": "record", "house_code": code, "title": "",
                     "body": " ".join(words)})  # fmt: skip
    return docs


def has_phrase(body: str, phrase: list[str]) -> bool:
    terms, wanted = list(part_terms(body)), list(part_terms(" ".join(phrase)))
    return any(terms[i : i + len(wanted)] == wanted for i in range(len(terms) - len(wanted) + 1))


def found(index: SearchIndex, phrase: list[str]) -> set[str]:
    res = index.search(SearchQuery(f'"{" ".join(phrase)}"', per_page=100, facets=False, highlight=False))
    assert res.total <= 100
    return {hit.house_code for hit in res.hits}


@pytest.fixture(params=[writer.PAIR_WORD_SHARE, 0.3], ids=["all-words-frequent", "some-words-rare"])
def index(
    tmp_path: Path, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[SearchIndex, dict[str, str]]]:
    monkeypatch.setattr(writer, "PAIR_WORD_SHARE", request.param)
    rnd = random.Random(11)
    docs = make_docs(rnd, 90, "A")
    idx = SearchIndex(tmp_path / "idx", recent_results=0)
    idx.rebuild(docs, procs=1)
    bodies = {d["house_code"]: d["body"] for d in docs}
    # Later saves: more segments, and deleted documents in the first one.
    for doc in make_docs(rnd, 10, "A")[:10]:
        assert idx.replace_house(doc["house_code"], [doc])
        bodies[doc["house_code"]] = doc["body"]
    yield idx, bodies
    idx.close()


def test_phrases_match_exactly_the_documents_that_contain_them(index: tuple[SearchIndex, dict[str, str]]) -> None:
    idx, bodies = index
    rnd = random.Random(5)
    checked = 0
    for _ in range(300):
        phrase = rnd.choices(WORDS[:4] + RARE, weights=[5, 5, 5, 5, 1, 1], k=rnd.randint(2, 4))
        expected = {code for code, body in bodies.items() if has_phrase(body, phrase)}
        assert found(idx, phrase) == expected, phrase
        checked += bool(expected)
    assert checked > 50  # most phrases are found somewhere, so both outcomes are exercised


def test_pairs_apart_are_not_a_phrase(tmp_path: Path) -> None:
    idx = SearchIndex(tmp_path / "idx", recent_results=0)
    docs = [
        {"id": "record:apart", "type": "record", "house_code": "APART", "body": "alpha bravo echo bravo charlie"},
        {"id": "record:chain", "type": "record", "house_code": "CHAIN", "body": "echo alpha bravo charlie"},
        {"id": "record:again", "type": "record", "house_code": "AGAIN",
         "body": "bravo echo alpha bravo charlie bravo"},
    ]  # fmt: skip
    idx.rebuild(docs, procs=1)
    assert found(idx, ["alpha", "bravo", "charlie"]) == {"CHAIN", "AGAIN"}
    assert found(idx, ["alpha", "bravo"]) == {"APART", "CHAIN", "AGAIN"}
    assert found(idx, ["bravo", "alpha"]) == set()
    idx.close()


def test_phrases_are_answered_from_the_pairs_field(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The index holds adjacent pairs with their counts, and a two-word phrase reads no positions."""
    idx = SearchIndex(tmp_path / "idx", recent_results=0)
    idx.rebuild([{"id": "record:1", "type": "record", "house_code": "P-1", "body": "开平碉楼 alpha bravo alpha bravo"},
                 {"id": "record:2", "type": "record", "house_code": "P-2", "body": "echo bravo delta bravo foxtrot"},
                 {"id": "record:3", "type": "record", "house_code": "P-3", "body": "bravo delta alpha bravo echo bravo delta"},
                 {"id": "record:4", "type": "record", "house_code": "P-4", "body": "bravo delta alpha bravo delta"}],
                procs=1)  # fmt: skip
    view = idx._view()
    segment = view.leaves[0][0]
    pairs = {}
    for term in segment.lexicon("pairs"):
        ids, weights = segment.postings("pairs", term)
        found_in = [(doc, int(w) % 1024, int(w) // 1024 - 1) for doc, w in zip(ids, weights, strict=True) if doc < 2]
        if found_in:
            pairs[term] = found_in
    assert pairs == {  # (document, count, first position) in the first two documents
        "开平\x1f碉楼": [(0, 1, 0)], "碉楼\x1falpha": [(0, 1, 1)], "alpha\x1fbravo": [(0, 2, 2)],
        "bravo\x1falpha": [(0, 1, 3)], "echo\x1fbravo": [(1, 1, 0)], "bravo\x1fdelta": [(1, 1, 1)],
        "delta\x1fbravo": [(1, 1, 2)], "bravo\x1ffoxtrot": [(1, 1, 3)],
    }
    read: list[str] = []

    def spy(*args: Any) -> set[int]:
        read.append("positions")
        return verify(*args)

    verify = docsets._verify
    monkeypatch.setattr(docsets, "_verify", spy)
    assert found(idx, ["开平", "碉楼"]) == {"P-1"}
    assert found(idx, ["alpha", "bravo", "alpha"]) == {"P-1"}
    assert read == []
    assert found(idx, ["alpha", "bravo", "alpha", "bravo"]) == {"P-1"}
    assert found(idx, ["echo", "bravo", "foxtrot"]) == set()  # each pair once, not adjacent
    assert found(idx, ["alpha", "bravo", "delta"]) == {"P-4"}  # P-4 by counts, P-3 read:
    assert read == ["positions"]
    idx.close()


def test_phrases_rank_by_how_often_the_phrase_occurs(tmp_path: Path) -> None:
    """A document with the phrase three times outranks one that has it once but its words more
    often (which wins when phrases score as their words): phrases score by their indexed pairs."""
    idx = SearchIndex(tmp_path / "idx", recent_results=0)
    filler = [{"id": f"record:F-{n}", "type": "record", "house_code": f"F-{n}", "title": "",
               "body": "alpha bravo charlie delta"} for n in range(20)]  # fmt: skip
    often = {"id": "record:OFTEN", "type": "record", "house_code": "OFTEN", "title": "",
             "body": "alpha bravo echo alpha bravo echo alpha bravo echo"}  # fmt: skip
    scattered = {"id": "record:SCATTERED", "type": "record", "house_code": "SCATTERED", "title": "",
                 "body": "alpha alpha alpha alpha bravo bravo bravo bravo"}  # fmt: skip
    idx.rebuild([often, scattered, *filler], procs=1)
    res = idx.search(SearchQuery('"alpha bravo"', per_page=30, facets=False, highlight=False))
    codes = [hit.house_code for hit in res.hits]
    assert codes[0] == "OFTEN" and codes.index("SCATTERED") > 0 and len(codes) == 22
    idx.close()


def combine(first: float, second: float) -> float:
    """Reference: the pair weight of two forms' occurrences in one document."""
    unit = analysis.PAIR_POSITION_UNIT
    count = min(analysis.PAIR_COUNT_CAP, first % unit + second % unit)
    starts = [w // unit for w in (first, second) if w >= unit]
    return count + (unit * min(starts) if len(starts) == 2 else 0)


def test_several_forms_of_a_pair_combine_as_the_reference_does(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A phrase's edge words also match longer words (开平 -> 开平市), so one pair of a phrase can
    have several forms: the numpy combination of their postings (counts added, the earliest first
    position only when every form recorded one) equals the dict-based reference. First positions
    past 8 go unrecorded here (past 16,000 in use), so both cases occur."""
    monkeypatch.setattr(analysis, "PAIR_MAX_POSITION", 8)
    idx = SearchIndex(tmp_path / "idx", recent_results=0)
    idx.rebuild(make_docs(random.Random(11), 90, "A"), procs=1)
    view = idx._view()
    ev = docsets.DocsetEvaluator(view)
    rnd = random.Random(3)
    pairs = [f"{a}\x1f{b}" for a in WORDS for b in WORDS]
    checked = 0
    for leaf in range(len(view.leaves)):
        for _ in range(30):
            terms = rnd.sample(pairs, rnd.randint(2, 4))
            docs, weights = ev._pair_arrays(leaf, terms)
            expected: dict[int, float] = {}
            for term in terms:
                for doc, weight in zip(*view.leaves[leaf][0].postings("pairs", term), strict=True):
                    expected[doc] = combine(expected[doc], weight) if doc in expected else weight
            assert dict(zip(docs.tolist(), weights.tolist(), strict=True)) == expected
            checked += len(expected)
    assert checked > 500
    idx.close()
