"""archive.services.workers: the pool shared by the photo import and derivative regeneration."""

from __future__ import annotations

import os

import pytest

from archive.services.workers import run_in_workers, worker_count

_offset = 0


def _set_offset(offset: int) -> None:
    global _offset
    _offset = offset


def _work(number: int) -> tuple[int, int]:
    if number < 0:
        raise ValueError(f"negative: {number}")
    return number + _offset, os.getpid()


def test_results_come_back_in_order_from_other_processes() -> None:
    results = list(run_in_workers(_work, list(range(20)), workers=2, initializer=_set_offset, initargs=(100,)))
    assert [value for value, _pid in results] == list(range(100, 120))  # the initializer ran in each worker
    assert os.getpid() not in {pid for _value, pid in results}


def test_one_worker_runs_here() -> None:
    results = list(run_in_workers(_work, [1, 2], workers=1, initializer=_set_offset, initargs=(10,)))
    assert results == [(11, os.getpid()), (12, os.getpid())]


def test_an_exception_in_a_worker_is_raised_to_the_caller() -> None:
    with pytest.raises(ValueError, match="negative: -1"):
        list(run_in_workers(_work, [1, -1, 2], workers=2, initializer=_set_offset, initargs=(0,)))


def test_default_is_one_worker_per_core() -> None:
    assert worker_count(None) == len(os.sched_getaffinity(0))
    assert worker_count(3) == 3 and worker_count(0) == 1
