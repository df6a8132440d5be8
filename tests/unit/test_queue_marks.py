"""The search queue's per-index high-water mark: gaps, late commits, staleness, the folder lock."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from archive.services import queue_marks
from archive.services.queue_marks import QueueMark, folder_lock, load_mark, save_mark


def test_contiguous_rows_move_the_mark() -> None:
    mark = QueueMark(through=10)
    mark.advance({11, 12, 13}, now=100.0)
    assert (mark.through, mark.applied, mark.gap_since) == (13, set(), None)


def test_a_gap_is_waited_for_and_closed_by_a_late_commit() -> None:
    mark = QueueMark(through=10)
    mark.advance({12, 13}, now=100.0)  # 11 is not committed yet
    assert (mark.through, mark.applied, mark.gap_since) == (10, {12, 13}, 100.0)
    mark.advance(set(), now=100.0 + queue_marks.GAP_SECONDS / 2)
    assert mark.through == 10
    mark.advance({11}, now=100.0 + queue_marks.GAP_SECONDS / 2)
    assert (mark.through, mark.applied, mark.gap_since, mark.recheck) == (13, set(), None, {})


def test_an_old_gap_is_stepped_over_but_its_id_still_watched() -> None:
    mark = QueueMark(through=10)
    mark.advance({13}, now=100.0)
    mark.advance(set(), now=100.0 + queue_marks.GAP_SECONDS)
    assert mark.through == 13 and mark.applied == set()
    assert mark.recheck == {11: 100.0 + queue_marks.GAP_SECONDS, 12: 100.0 + queue_marks.GAP_SECONDS}
    mark.advance({12}, now=200.0)  # a slow commit after all: applied, no longer watched
    assert mark.recheck == {11: 100.0 + queue_marks.GAP_SECONDS} and mark.through == 13
    mark.forget_old_rechecks(now=100.0 + queue_marks.GAP_SECONDS + queue_marks.RECHECK_SECONDS)
    assert mark.recheck == {}


def test_two_gaps_each_wait_their_turn() -> None:
    mark = QueueMark(through=0)
    mark.advance({2, 4}, now=0.0)
    mark.advance(set(), now=queue_marks.GAP_SECONDS)
    assert (mark.through, mark.applied) == (2, {4})  # the gap at 3 starts its own wait
    mark.advance(set(), now=2 * queue_marks.GAP_SECONDS)
    assert (mark.through, mark.applied, set(mark.recheck)) == (4, set(), {1, 3})


def test_stale_after_the_retention() -> None:
    mark = QueueMark(synced_at=1000.0)
    assert not mark.stale(1000.0 + queue_marks.RETENTION_SECONDS - 1)
    assert mark.stale(1000.0 + queue_marks.RETENTION_SECONDS)


def test_saved_and_loaded(tmp_path: Path) -> None:
    assert load_mark(tmp_path, "public") is None
    mark = QueueMark(through=7, applied={9}, gap_since=5.0, recheck={3: 1.0}, synced_at=6.0)
    save_mark(tmp_path, "public", mark)
    assert load_mark(tmp_path, "public") == mark
    assert load_mark(tmp_path, "staff") is None
    (tmp_path / "public.queue.json").write_text("{not json")
    assert load_mark(tmp_path, "public") is None  # unreadable: the caller rebuilds


def test_folder_lock_excludes_other_holders(tmp_path: Path) -> None:
    held = threading.Event()
    release = threading.Event()

    def holder() -> None:
        with folder_lock(tmp_path, "public", wait=None) as got:
            assert got
            held.set()
            release.wait(10)

    thread = threading.Thread(target=holder)
    thread.start()
    assert held.wait(10)
    try:
        with folder_lock(tmp_path, "public", wait=0.1) as got:
            assert got is False
        with folder_lock(tmp_path, "staff", wait=0.1) as got:  # another index: its own lock
            assert got is True
    finally:
        release.set()
        thread.join()
    with folder_lock(tmp_path, "public", wait=0.1) as got:
        assert got is True


@pytest.mark.parametrize("ids", [set(), {1}])
def test_nothing_pending_leaves_no_gap(ids: set[int]) -> None:
    mark = QueueMark(through=0)
    mark.advance(ids, now=1.0)
    assert mark.gap_since is None and mark.applied == set()
