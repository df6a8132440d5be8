"""Index lifecycle: health, saves, deletes, the writer lock, rebuild and its atomic swap."""

from __future__ import annotations

import gc
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from search_corpus import documents
from whoosh import index as whoosh_index

from search import DocumentError, IndexUnavailableError, SearchIndex, SearchQuery, load_aliases


def house_docs(code: str, body: str, title: str = "测试楼") -> list[dict[str, Any]]:
    common = {"house_code": code, "county": "台山", "style": "villa", "decade": 1920}
    return [
        dict(common, id=f"house:{code}", type="house", title=title, body=body, date_year=1925),
        dict(common, id=f"record:{code}:1", type="record", title="记录", body=body, record_kind="document"),
    ]


def codes(index: SearchIndex, text: str, **kwargs: Any) -> list[str]:
    return [hit.house_code for hit in index.search(SearchQuery(text, **kwargs)).hits]


@pytest.fixture
def index(tmp_path: Path) -> Iterator[SearchIndex]:
    idx = SearchIndex(tmp_path / "public")
    idx.rebuild(documents()[:60], procs=1)
    yield idx
    idx.close()


def current_dir(index: SearchIndex) -> Path:
    return index.path / (index.path / "current").readlink()


def test_health_missing_then_ok(tmp_path: Path) -> None:
    idx = SearchIndex(tmp_path / "staff")
    assert idx.health() == "missing"
    with pytest.raises(IndexUnavailableError):
        idx.search(SearchQuery("碉楼"))
    with pytest.raises(IndexUnavailableError):
        idx.replace_house("X-1", [])
    assert idx.rebuild([], procs=1) == 0
    assert idx.health() == "ok"
    assert idx.search(SearchQuery("碉楼")).total == 0
    idx.close()


def test_deleted_toc_is_reported_broken_and_rebuild_repairs(index: SearchIndex) -> None:
    assert index.health() == "ok"
    assert codes(index, "碉楼")
    for toc in current_dir(index).glob("*.toc"):
        toc.unlink()
    assert index.health() == "broken"
    with pytest.raises(IndexUnavailableError):
        index.search(SearchQuery("碉楼"))
    index.rebuild(documents(), procs=1)
    assert index.health() == "ok"
    assert "KP-TK-ZL-001" in codes(index, "碉楼")


def test_truncated_toc_is_reported_broken_and_left_closed(index: SearchIndex) -> None:
    """Whoosh leaves a table of contents open when reading it fails part-way; the index reads it
    whole, so no file stays open (an unclosed file would fail this test with a ResourceWarning)."""
    assert codes(index, "碉楼")
    for toc in current_dir(index).glob("*.toc"):
        toc.write_bytes(toc.read_bytes()[:40])
    index.close()
    assert index.health() == "broken"
    with pytest.raises(IndexUnavailableError):
        index.search(SearchQuery("碉楼"))
    with pytest.raises(IndexUnavailableError):  # a save is told to rebuild, not given an EOFError
        index.replace_house("NEW-001", house_docs("NEW-001", "屋顶铺琉璃瓦"), timeout=1)
    gc.collect()


def test_missing_link_target_and_garbage_files(index: SearchIndex) -> None:
    marker = current_dir(index) / "ARCHIVE_INDEX"
    marker.write_text('{"schema_version": -1}')
    assert index.health() == "broken"
    marker.unlink()
    assert index.health() == "broken"
    (index.path / "current").unlink()
    assert index.health() == "missing"


def test_replace_house_is_searchable_at_once(index: SearchIndex) -> None:
    assert codes(index, "琉璃瓦") == []
    assert index.replace_house("NEW-001", house_docs("NEW-001", "屋顶铺琉璃瓦"), timeout=1)
    assert codes(index, "琉璃瓦") == ["NEW-001"]
    assert index.replace_house("NEW-001", house_docs("NEW-001", "屋顶改铺青瓦"), timeout=1)
    assert codes(index, "琉璃瓦") == []
    result = index.search(SearchQuery("青瓦"))
    assert [h.house_code for h in result.hits] == ["NEW-001"]
    assert result.hits[0].item_count == 2  # the old documents are gone, not duplicated


def test_saved_house_is_searchable_at_once(index: SearchIndex) -> None:
    """How fast: benchmarks/search.py (save->searchable)."""
    index.search(SearchQuery("碉楼"))
    assert index.replace_house("NEW-002", house_docs("NEW-002", "新增的灰塑山花"))
    assert codes(index, "灰塑山花") == ["NEW-002"]


def test_many_houses_change_in_one_commit(index: SearchIndex) -> None:
    """What the queue drain does: several houses replaced, one removed, in a single commit."""
    generation = whoosh_index.open_dir(str(current_dir(index))).latest_generation()
    assert "KP-TK-ZL-001" in codes(index, "铭石楼")
    changes = {f"BATCH-{n}": house_docs(f"BATCH-{n}", f"批量保存{n}号") for n in range(5)}
    assert index.replace_houses({**changes, "KP-TK-ZL-001": []})
    assert whoosh_index.open_dir(str(current_dir(index))).latest_generation() == generation + 1
    assert sorted(codes(index, "批量保存")) == sorted(changes)
    assert "KP-TK-ZL-001" not in codes(index, "铭石楼")
    with pytest.raises(DocumentError):  # a document filed under another house: nothing written
        index.replace_houses({"BATCH-0": house_docs("BATCH-0", "改"), "BATCH-1": house_docs("OTHER", "改")})
    assert sorted(codes(index, "批量保存")) == sorted(changes)


def test_delete_house(index: SearchIndex) -> None:
    assert "KP-TK-ZL-001" in codes(index, "铭石楼")
    assert index.delete_house("KP-TK-ZL-001")
    assert "KP-TK-ZL-001" not in codes(index, "铭石楼")
    assert "KP-TK-ZL-001" not in codes(index, "")


def test_locked_writer_gives_up(index: SearchIndex) -> None:
    lock = whoosh_index.open_dir(str(current_dir(index))).lock("WRITELOCK")
    assert lock.acquire(blocking=False)
    try:
        assert index.replace_house("NEW-003", house_docs("NEW-003", "锁住了"), timeout=0.3) is False
        assert index.delete_house("KP-TK-ZL-001", timeout=0.2) is False
        assert codes(index, "\"锁住了\"") == []
        assert codes(index, "碉楼")  # searching is not blocked by the lock
    finally:
        lock.release()
    assert index.replace_house("NEW-003", house_docs("NEW-003", "锁住了"), timeout=0.3)
    assert codes(index, "\"锁住了\"") == ["NEW-003"]


def test_rebuild_swaps_generations_atomically(index: SearchIndex) -> None:
    first = current_dir(index)
    assert codes(index, "碉楼")  # this thread now holds a searcher on the first generation
    seen: list[int] = []
    count = index.rebuild(house_docs("ONLY-001", "唯一的房屋"), progress=seen.append, procs=1)
    assert count == 2
    second = current_dir(index)
    assert second != first and first.exists()  # the previous generation is kept for other readers
    assert codes(index, "碉楼") == []
    assert codes(index, "唯一") == ["ONLY-001"]
    index.rebuild(house_docs("ONLY-002", "第三代"), procs=1)
    assert not first.exists() and second.exists()
    assert sorted(p.name for p in index.path.iterdir() if p.name.startswith("current")) == ["current"]


def test_failed_rebuild_leaves_the_index_alone(index: SearchIndex) -> None:
    before = current_dir(index)

    def docs() -> Any:
        yield from house_docs("GOOD-001", "好的")
        yield {"id": "record:bad", "type": "record"}  # no house_code

    with pytest.raises(DocumentError):
        index.rebuild(docs(), procs=1)
    assert current_dir(index) == before
    assert index.health() == "ok"
    assert sorted(p for p in index.path.glob("gen-*")) == [before]


def test_parallel_rebuild(tmp_path: Path) -> None:
    idx = SearchIndex(tmp_path / "parallel")
    docs = documents()
    assert idx.rebuild(docs, procs=2) == len(docs)
    assert idx.health() == "ok"
    result = idx.search(SearchQuery("", per_page=100))
    assert result.total_items == len(docs)
    assert "KP-TK-ZL-002" in codes(idx, "僑房")
    idx.close()


def test_document_contract_is_enforced(index: SearchIndex) -> None:
    bad: list[dict[str, Any]] = [
        {"id": "house:A", "type": "villa", "house_code": "A"},
        {"id": "house:A", "type": "house", "house_code": "A", "colour": "red"},
        {"id": "house:A", "type": "house", "house_code": "A", "title": 3},
        {"id": "house:A", "type": "house", "house_code": "A", "decade": "1920s"},
        {"id": "house:A", "type": "house", "house_code": "A", "destination_countries": "美国"},
    ]
    for doc in bad:
        with pytest.raises(DocumentError):
            index.replace_house("A", [doc])
    with pytest.raises(DocumentError):
        index.replace_house("A", house_docs("B", "别的房子"))
    assert codes(index, "别的房子") == []


def test_alias_edits_apply_without_reindexing(index: SearchIndex) -> None:
    index.replace_house("NEW-004", house_docs("NEW-004", "余氏兄弟合建"))
    assert "NEW-004" not in codes(index, "Jee")
    index.set_aliases(load_aliases([("余", "Jee", "surname")], jyutping=False))
    assert "NEW-004" in codes(index, "Jee")


def test_optimize_merges_segments(index: SearchIndex) -> None:
    for n in range(5):
        assert index.replace_house(f"SEG-{n}", house_docs(f"SEG-{n}", f"分段{n}号"))
    assert index.optimize()
    ix = whoosh_index.open_dir(str(current_dir(index)))
    with ix.searcher() as searcher:
        assert len(searcher.reader().leaf_readers()) == 1
    assert codes(index, "分段3号") == ["SEG-3"]


def test_segment_count_stays_low(index: SearchIndex) -> None:
    for n in range(12):
        assert index.replace_house(f"MANY-{n}", house_docs(f"MANY-{n}", "很多次保存"))
    ix = whoosh_index.open_dir(str(current_dir(index)))
    with ix.searcher() as searcher:
        assert len(searcher.reader().leaf_readers()) <= 5  # the first segment and one tier of small ones
    assert index.search(SearchQuery("很多次保存")).total == 12


def test_warm_up(index: SearchIndex) -> None:
    assert index.warm_up() > 0
    assert codes(index, "碉楼")


def test_vanished_generation_is_unavailable_not_a_crash(index: SearchIndex) -> None:
    assert codes(index, "碉楼")  # a searcher is open on the current generation
    shutil.rmtree(current_dir(index))
    assert index.health() == "missing"
    with pytest.raises(IndexUnavailableError):
        index.search(SearchQuery("碉楼"))
    index.rebuild(documents()[:10], procs=1)
    assert index.health() == "ok"
    assert index.search(SearchQuery("")).total_items == 10


def test_another_page_of_the_same_query_reuses_the_match(index: SearchIndex) -> None:
    first = index.search(SearchQuery("楼", per_page=3))
    second = index.search(SearchQuery("楼", per_page=3, page=2))
    assert first.total == second.total and first.facets == second.facets
    assert not {h.house_code for h in first.hits} & {h.house_code for h in second.hits}
    assert index.replace_house("NEW-005", house_docs("NEW-005", "新楼"))
    assert index.search(SearchQuery("楼", per_page=3)).total == first.total + 1


def test_threads_search_while_another_saves(index: SearchIndex) -> None:
    errors: list[BaseException] = []

    def search() -> None:
        try:
            for _ in range(20):
                assert index.search(SearchQuery("碉楼 OR Wong")).total >= 1
        except BaseException as exc:  # collected and re-raised in the main thread
            errors.append(exc)

    threads = [threading.Thread(target=search) for _ in range(3)]
    for thread in threads:
        thread.start()
    for n in range(5):
        assert index.replace_house(f"T-{n}", house_docs(f"T-{n}", "并发保存碉楼"), timeout=5)
    for thread in threads:
        thread.join()
    assert errors == []
    assert index.search(SearchQuery("并发保存")).total == 5


@pytest.mark.parametrize("procs", [1, 2])
def test_rebuild_indexes_in_one_pass_equals_one_rebuild_each(tmp_path: Path, procs: int) -> None:
    """Two indexes built together from jobs that workers load: each holds exactly its documents,
    answers as if rebuilt on its own, and a failing job leaves both as they were."""
    from search import rebuild_indexes

    docs = documents()
    public_ids = {d["id"] for d in docs[::3]}
    jobs = [list(range(start, min(start + 7, len(docs)))) for start in range(0, len(docs), 7)]

    def load(job: list[int]) -> Iterator[tuple[str, dict[str, Any]]]:
        for i in job:
            yield "staff", docs[i]
            if docs[i]["id"] in public_ids:
                yield "public", docs[i]

    together = {name: SearchIndex(tmp_path / f"together-{name}") for name in ("public", "staff")}
    counts = rebuild_indexes(together, jobs, load, procs=procs)
    assert counts == {"public": len(public_ids), "staff": len(docs)}
    alone = SearchIndex(tmp_path / "alone-public")
    alone.rebuild([d for d in docs if d["id"] in public_ids], procs=1)
    for query in ("僑房", "碉楼", "Wong", '"开平碉楼"'):
        found = together["public"].search(SearchQuery(query, per_page=100))
        assert {h.id for hit in found.hits for h in hit.items} <= public_ids
        assert codes(together["public"], query) == codes(alone, query)
    assert together["staff"].search(SearchQuery("", per_page=100)).total_items == len(docs)

    before = {name: current_dir(index) for name, index in together.items()}

    def failing(job: list[int]) -> Iterator[tuple[str, dict[str, Any]]]:
        yield from load(job)
        if job[0] > 20:
            yield "staff", {"id": "record:bad", "type": "record"}  # no house_code

    with pytest.raises((DocumentError, RuntimeError)):
        rebuild_indexes(together, jobs, failing, procs=procs)
    assert {name: current_dir(index) for name, index in together.items()} == before
    assert all(index.health() == "ok" for index in together.values())
    for index in (*together.values(), alone):
        index.close()
