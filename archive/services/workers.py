"""Worker processes for the CPU-bound media work: the photo-folder import and derivative regeneration.

Decoding and resizing images holds the GIL for most of their time, so threads would not help; a
process pool does. The work functions touch no database (the caller reads what they need first
and records what they return afterwards), and their per-process state (folders, known hashes) is
set once by an initializer, so each task sends only its own small arguments to the workers.

With one worker the same functions run in this process, in order: no pool, nothing pickled, the
same results, which is also how a machine with one core runs.

What every worker needs and does not depend on the task (Pillow's format plugins, libheif) is
loaded once in this process before the pool forks (`preload_images`), and the web server's
workers are forked after `preload_web_workers` has loaded the search analysis tables (jieba's
dictionary, OpenCC folding, pinyin and Cantonese readings): the workers share those pages
instead of each building its own (benchmarks/worker_preload.py).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

Task = TypeVar("Task")
Result = TypeVar("Result")


def worker_count(requested: int | None = None) -> int:
    """The workers to use: ``requested``, or one per core this process may run on."""
    if requested is not None:
        return max(1, requested)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def preload_images() -> None:
    """Pillow's plugins and the HEIF opener, loaded before the fork (else each worker loads them)."""
    from media.images import load_plugins

    load_plugins()


def preload_web_workers() -> float:
    """Load in the server's master process what each web worker would otherwise load after the
    fork: the search analysis tables (jieba's dictionary above all) and the image plugins.
    Returns the seconds it took. Nothing here opens a file that stays open, a connection or a
    thread, so it is safe to fork after it."""
    import time

    from search.pinyin import syllable_chars
    from search.segment import terms

    started = time.perf_counter()
    terms("開平碉楼 铭石楼 Wong Fong Taishan")  # jieba's dictionary, OpenCC folding, readings
    syllable_chars()
    preload_images()
    return time.perf_counter() - started


def run_in_workers(work: Callable[[Task], Result], tasks: Sequence[Task], *, workers: int | None,
                   initializer: Callable[..., None], initargs: tuple[Any, ...] = (),
                   chunksize: int = 1, preload: Callable[[], None] | None = preload_images) -> Iterator[Result]:
    """``work`` applied to each task, results in the tasks' order, in ``workers`` processes (default:
    one per core, never more than there are tasks). ``work`` and ``initializer`` must be module-level
    functions (they are pickled by name). ``preload`` runs here once before the workers are forked
    (default: the image plugins). An exception raised by ``work`` is raised here, as ``map``
    would; work that may fail per task should return its failure instead, so the others go on."""
    count = min(worker_count(workers), max(1, len(tasks)))
    if count <= 1:
        initializer(*initargs)
        yield from map(work, tasks)
        return
    if preload is not None:
        preload()
    with ProcessPoolExecutor(max_workers=count, initializer=initializer, initargs=initargs) as pool:
        yield from pool.map(work, tasks, chunksize=chunksize)
