"""Results: malformed queries, facets, grouping, snippets, fallback, paging and sorting."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from search_corpus import HOUSES, documents

from search import FACETS, SearchIndex, SearchQuery
from search.text import fold_key


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchIndex]:
    idx = SearchIndex(Path(tmp_path_factory.mktemp("results")) / "public")
    docs = documents()
    house = next(d for d in docs if d["id"] == "house:KP-SK-NC-001")
    common = {k: house[k] for k in ("house_code", "house_name", "county", "township", "village", "style",
                                    "protection_level", "condition", "destination_countries", "decade")}
    docs.append(dict(common, id="record:html", type="record", title="<b>标记</b>",
                     body="楼主写道：<script>alert(1)</script> & 碉楼的“更楼”"))  # fmt: skip
    idx.rebuild(docs, procs=1)
    yield idx
    idx.close()


MALFORMED = ['"unbalanced 碉楼', "碉楼 :", ":", "AND OR (", "name:", "name: 碉楼", "(((", '""', "-", "--x",
             "OR 碉楼", "碉楼 OR", "NOT", "county:", "foo:bar", "x" * 10_000, "碉" * 10_000, "\x00\u200b",
             "kind:nothing", "name:\"司徒", '\\"', "%_*?", "a:b:c:d", "碉楼 -碉楼", "-碉楼"]  # fmt: skip


@pytest.mark.parametrize("text", MALFORMED, ids=range(len(MALFORMED)))
def test_malformed_queries_never_raise(index: SearchIndex, text: str) -> None:
    started = time.perf_counter()
    results = index.search(SearchQuery(text))
    assert (results.total >= 0 and results.total == len({h.house_code for h in results.hits})) or results.hits
    assert time.perf_counter() - started < 2.0


def test_malformed_queries_still_search_what_they_can(index: SearchIndex) -> None:
    unbalanced = index.search(SearchQuery('"碉楼与村落'))
    assert "unbalanced_quote" in unbalanced.query_notes
    assert unbalanced.total >= 1
    assert index.search(SearchQuery("name: 碉楼")).total >= 1
    empty = index.search(SearchQuery("AND OR ("))
    assert empty.total == 0 and "empty_query" in empty.query_notes
    assert "empty_field:name" in index.search(SearchQuery("name:")).query_notes
    long = index.search(SearchQuery("碉楼 " + "x" * 10_000))
    assert "truncated" in long.query_notes
    assert index.search(SearchQuery("碉楼 -碉楼")).total == 0
    assert "unknown_filter:colour" in index.search(SearchQuery("碉楼", filters={"colour": ["red"]})).query_notes


def test_and_falls_back_to_or_and_says_so(index: SearchIndex) -> None:
    strict = index.search(SearchQuery("碉楼 马降龙"))
    assert not strict.fallback_used
    assert [h.house_code for h in strict.hits] == ["KP-BH-MJ-001"]
    loose = index.search(SearchQuery("马降龙 鼓浪屿"))
    assert loose.fallback_used and "fallback_or" in loose.query_notes
    assert {"KP-BH-MJ-001", "XM-GL-HB-001"} <= {h.house_code for h in loose.hits}
    assert index.search(SearchQuery("马降龙 OR 鼓浪屿")).fallback_used is False


def test_facet_counts_count_houses(index: SearchIndex) -> None:
    results = index.search(SearchQuery("", per_page=5))
    assert results.total == len(HOUSES)
    expected_counties = Counter(fold_key(house[2]) for house in HOUSES.values())
    assert dict(results.facets["county"]) == expected_counties
    assert dict(results.facets["county"])["开平"] == 6  # 開平 and 开平 are one value
    expected_styles = Counter(house[5] for house in HOUSES.values())
    assert dict(results.facets["style"]) == expected_styles
    expected_dest = Counter(d for house in HOUSES.values() for d in house[8])
    assert dict(results.facets["destination_country"]) == expected_dest
    assert set(results.facets) == set(FACETS)
    assert results.facets["county"][0][1] >= results.facets["county"][-1][1]  # most frequent first


def test_facet_counts_follow_the_query_and_other_filters(index: SearchIndex) -> None:
    results = index.search(SearchQuery("碉楼", filters={"county": ["开平"]}))
    assert {h.house_code for h in results.hits} == {"KP-TK-ZL-001", "KP-BH-MJ-001", "KP-SK-NC-001"}
    # The county facet ignores its own filter, so other counties stay selectable...
    assert dict(results.facets["county"])["开平"] == 3
    # ...and the other facets count only the filtered houses.
    assert sum(count for _, count in results.facets["condition"]) == 3
    kinds = dict(index.search(SearchQuery("侨批")).facets["record_kind"])
    assert kinds.get("remittance_letter") == 1


def test_results_are_grouped_by_house(index: SearchIndex) -> None:
    results = index.search(SearchQuery("Wong", items_per_house=2))
    codes = [h.house_code for h in results.hits]
    assert len(codes) == len(set(codes)) == results.total
    tower = next(h for h in results.hits if h.house_code == "KP-BH-MJ-001")
    assert tower.item_count == 3  # the house, the oral history and the person all mention 黄/Wong
    assert len(tower.items) == 2
    assert tower.house_name == "天禄楼 Tin Luk Tower"
    assert {i.type for i in tower.items} <= {"house", "record", "person"}
    assert tower.score == max(i.score for i in tower.items)
    assert results.total_items == sum(h.item_count for h in results.hits)


def test_snippets_keep_the_script_of_the_text(index: SearchIndex) -> None:
    results = index.search(SearchQuery("侨房"))
    snippets = {i.id: i.snippet for h in results.hits for i in h.items}
    assert "<mark>僑房</mark>" in snippets["house:KP-TK-ZL-002"]
    assert "<mark>侨房</mark>" in snippets["house:EP-SJ-TL-001"]
    english = index.search(SearchQuery("黄"))
    snippets = {i.id: i.snippet for h in english.hits for i in h.items}
    assert "<mark>Wong</mark> Sun Yuen" in snippets["record:TS-DS-FS-001:0"]
    annotated = index.search(SearchQuery("华侨"))
    snippets = {i.id: i.snippet for h in annotated.hits for i in h.items}
    assert "<mark>华(huá)侨</mark>" in snippets["house:EP-SJ-TL-001"]


def test_snippets_are_escaped(index: SearchIndex) -> None:
    results = index.search(SearchQuery("更楼"))
    item = next(i for h in results.hits for i in h.items if i.id == "record:html")
    assert "<script>" not in item.snippet
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp;" in item.snippet
    assert "<mark>更楼</mark>" in item.snippet
    assert item.title == "<b>标记</b>"  # plain text: the caller escapes it like any other value


def test_paging(index: SearchIndex) -> None:
    first = index.search(SearchQuery("", per_page=7, page=1))
    second = index.search(SearchQuery("", per_page=7, page=2))
    last = index.search(SearchQuery("", per_page=7, page=first.pages))
    beyond = index.search(SearchQuery("", per_page=7, page=first.pages + 1))
    assert first.pages == -(-len(HOUSES) // 7)
    assert not {h.house_code for h in first.hits} & {h.house_code for h in second.hits}
    assert 1 <= len(last.hits) <= 7 and beyond.hits == []
    pages = [index.search(SearchQuery("楼", per_page=4, page=p)).hits for p in range(1, 4)]
    codes = [h.house_code for page in pages for h in page]
    assert len(codes) == len(set(codes)) == 12


def test_sort_by_date(index: SearchIndex) -> None:
    results = index.search(SearchQuery("Wong", sort="date"))
    years = [min(i.date_year for i in h.items if i.date_year) for h in results.hits]
    assert years == sorted(years)
    newest = index.search(SearchQuery("Wong", sort="date_desc"))
    assert newest.hits[0].house_code != results.hits[0].house_code


def test_highlight_and_facets_can_be_turned_off(index: SearchIndex) -> None:
    results = index.search(SearchQuery("碉楼", facets=False, highlight=False))
    assert results.facets == {}
    assert results.hits and all(i.snippet == "" for h in results.hits for i in h.items)


def test_type_filter_and_type_query(index: SearchIndex) -> None:
    photos = index.search(SearchQuery("", filters={"type": ["photo"]}, items_per_house=10))
    assert photos.hits and all(i.type == "photo" for h in photos.hits for i in h.items)
    assert "type" not in photos.facets  # type filters but is not counted
    assert {h.house_code for h in index.search(SearchQuery("type:person Wong")).hits} == {
        "KP-BH-MJ-001", "TS-DS-FS-001"
    }  # fmt: skip
