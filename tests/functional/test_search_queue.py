"""Several app servers on one database, each with its own index folder: every one applies every
change from the shared queue (archive/services/queue_marks.py). Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, insert, select, update

from archive import create_app
from archive.models import House, SearchQueue
from archive.services import SYSTEM, queue_marks
from archive.services.houses import get_house, update_house
from archive.services.indexing import enqueue_houses, newest_queue_id
from archive.services.queue_marks import load_mark
from archive.services.searching import STAFF, drain_queue, prune_queue, run_search
from archive.state import ArchiveState
from search import SearchQuery
from tests.conftest import make_house


@pytest.fixture
def other(app_config: dict[str, Any], tmp_path: Path) -> Iterator[ArchiveState]:
    """A second app server: the same database, its own data folder (so its own index folder)."""
    second: Flask = create_app({**app_config, "DATA": tmp_path / "second"})
    state: ArchiveState = second.extensions["qiaofang"]
    yield state
    state.close()


def found(state: ArchiveState, text: str) -> list[str]:
    results = run_search(state, STAFF, SearchQuery(text))
    assert results is not None, "the index is being rebuilt"
    return sorted({hit.house_code for hit in results.hits})


def newest(state: ArchiveState) -> int:
    with state.db.session(write=False) as db:
        return int(db.scalar(select(func.max(SearchQueue.id))) or 0)


def test_a_change_on_one_server_is_applied_on_the_other(state: ArchiveState, other: ArchiveState) -> None:
    assert state.index_dir != other.index_dir
    make_house(state, "KP-1", name_zh="铭石楼")  # drained on the first server only
    drain_queue(other)  # the second server's index is built from the database on first use
    assert found(other, "铭石楼") == ["KP-1"]

    with state.transaction() as db:
        update_house(db, SYSTEM, get_house(db, "KP-1"), {"summary_zh": "楼顶有燕子窝"})
    assert drain_queue(state) == 1
    assert found(state, "燕子窝") == ["KP-1"]
    assert found(other, "燕子窝") == []  # not yet applied there ...
    assert drain_queue(other) == 1  # ... the row was kept for it
    assert found(other, "燕子窝") == ["KP-1"]
    for server in (state, other):
        assert all(load_mark(server.index_dir, name).through == newest(state) for name in ("public", "staff"))
    assert drain_queue(other) == 0 and drain_queue(state) == 0

    with state.transaction() as db:  # a new code: the other server drops the old one's documents
        update_house(db, SYSTEM, get_house(db, "KP-1"), {"code": "KP-9"})
    drain_queue(state)
    drain_queue(other)
    assert found(other, "燕子窝") == ["KP-9"]


def test_a_late_commit_below_the_mark_is_still_applied(state: ArchiveState, monkeypatch: pytest.MonkeyPatch) -> None:
    """Row ids are taken at insert, not at commit: a row can appear below rows already applied."""
    first = make_house(state, "KP-1", name_zh="铭石楼")
    second = make_house(state, "KP-2", name_zh="云幻楼")
    top = newest(state)
    gap, after = top + 100, top + 101  # explicit ids, far above what the sequence hands out here

    def change(house_id: int, code: str, summary: str, queue_id: int) -> None:
        """A committed change whose queue row has the given id (as a transaction that took it earlier)."""
        with state.transaction() as db:
            db.execute(update(House).where(House.id == house_id).values(summary_zh=summary))
            db.execute(insert(SearchQueue).values(id=queue_id, house_id=house_id, house_code=code))

    # The ids between `top` and `gap` were never committed (rolled back) and were stepped over.
    marks = {name: load_mark(state.index_dir, name) for name in ("public", "staff")}
    for name, mark in marks.items():
        assert mark is not None
        mark.through = gap - 1
        queue_marks.save_mark(state.index_dir, name, mark)

    change(second, "KP-2", "门楣刻着对联", after)
    assert drain_queue(state) == 1
    assert found(state, "对联") == ["KP-2"]
    assert load_mark(state.index_dir, "staff").through == gap - 1  # the gap at `gap` is waited for

    change(first, "KP-1", "后院有一口古井", gap)  # the slow transaction commits
    assert drain_queue(state) == 1
    assert found(state, "古井") == ["KP-1"]
    assert load_mark(state.index_dir, "staff").through == after

    # A gap that stays open is stepped over after GAP_SECONDS, but its id is still watched.
    monkeypatch.setattr(queue_marks, "GAP_SECONDS", 0.0)
    change(second, "KP-2", "屋檐下挂着灯笼", after + 2)
    drain_queue(state)
    drain_queue(state)
    mark = load_mark(state.index_dir, "staff")
    assert mark.through == after + 2 and after + 1 in mark.recheck
    change(first, "KP-1", "墙上有弹孔", after + 1)  # later than the wait, still applied
    assert drain_queue(state) == 1
    assert found(state, "弹孔") == ["KP-1"]
    assert after + 1 not in load_mark(state.index_dir, "staff").recheck


def test_old_rows_are_pruned_but_never_the_newest(state: ArchiveState) -> None:
    make_house(state, "KP-1")
    make_house(state, "KP-2", name_zh="云幻楼")
    top = newest(state)
    assert prune_queue(state) == 0  # nothing is a week old
    assert prune_queue(state, older_than=-60) >= 1  # everything is "old" ...
    with state.db.session(write=False) as db:
        assert list(db.scalars(select(SearchQueue.id))) == [top]  # ... but the newest row stays
    make_house(state, "KP-3", name_zh="碧庐")
    assert newest(state) > top  # so ids keep growing (SQLite would reuse a deleted top id)
    assert found(state, "碧庐") == ["KP-3"]


def test_a_mark_beyond_the_queue_means_another_database(state: ArchiveState) -> None:
    """An index folder kept while the database was replaced (a restore): rebuilt, not trusted."""
    make_house(state, "KP-1")
    for name in ("public", "staff"):
        mark = load_mark(state.index_dir, name)
        mark.through = newest(state) + 1000
        queue_marks.save_mark(state.index_dir, name, mark)
    before = newest(state)
    with state.transaction() as db:
        db.execute(update(House).values(summary_zh="重新建的索引"))  # not queued: only a rebuild finds it
    assert newest(state) == before
    drain_queue(state, allow_rebuild=True)
    assert found(state, "重新建的索引") == ["KP-1"]
    assert load_mark(state.index_dir, "staff").through == newest(state)


def test_a_bulk_import_rebuilds_both_indexes_in_one_pass(state: ArchiveState, monkeypatch: pytest.MonkeyPatch) -> None:
    """More than REBUILD_THRESHOLD queued houses: a command's drain rebuilds the public and the staff
    index together (each house read and analysed once for both), and both marks cover the queue."""
    import search
    from archive.services import searching

    monkeypatch.setattr(searching, "REBUILD_THRESHOLD", 2)
    passes: list[list[str]] = []
    real = search.rebuild_indexes

    def counted(indexes: Any, *args: Any, **kwargs: Any) -> dict[str, int]:
        passes.append(sorted(indexes))
        return real(indexes, *args, **kwargs)

    monkeypatch.setattr(search, "rebuild_indexes", counted)
    with state.transaction() as db:  # written straight to the database and queued, as the bulk importer does
        houses = [House(code=f"KP-{n}", name_zh=f"第{n}楼", published=True) for n in range(5)]
        db.add_all(houses)
        db.flush()
        enqueue_houses(db, [(house.id, house.code) for house in houses])
    drain_queue(state, allow_rebuild=True)
    assert passes == [["public", "staff"]]
    assert found(state, "第3楼") == ["KP-3"]
    assert load_mark(state.index_dir, "public").through == load_mark(state.index_dir, "staff").through == newest(state)


def test_cached_counts_follow_a_change_made_on_another_server(state: ArchiveState, other: ArchiveState) -> None:
    """The gallery's filter counts and the statistics are cached per app server until the catalogue
    changes anywhere (the newest queue id moves), not for a fixed time, and not dropped by a
    drainer pass that found nothing new."""
    from archive.access import PUBLIC
    from archive.services.houses import HouseFilters, gallery_facets
    from archive.services.statistics import cached_statistics

    make_house(state, "KP-1", county="开平市")

    def counts() -> tuple[dict[str, int], dict[str, int]]:
        with other.db.session(write=False) as db:
            facets = gallery_facets(db, PUBLIC, HouseFilters(), other.facet_cache)
            stats = cached_statistics(db, PUBLIC, other.statistics_cache)
            return dict(facets["county"]), {str(county): n for county, n in stats.by_county}

    assert counts() == ({"开平市": 1}, {"开平市": 1})
    with state.transaction() as db:  # a change on the first server, past the other's cached counts
        db.execute(update(House).values(county="台山市"))
        enqueue_houses(db, [(h.id, h.code) for h in db.scalars(select(House))])
    assert counts() == ({"台山市": 1}, {"台山市": 1})
    drain_queue(other)  # nothing new for the cache: its entries stay (no recount on every poll)
    with other.db.session(write=False) as db:
        assert other.facet_cache.get((False, ()), newest_queue_id(db)) is not None
