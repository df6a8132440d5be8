"""Worker processes for the CPU-bound media work: the photo-folder import and derivative regeneration.

Decoding and resizing images holds the GIL for most of their time, so threads would not help; a
process pool does. The work functions touch no database (the caller reads what they need first
and records what they return afterwards), and their per-process state (folders, known hashes) is
set once by an initializer, so each task sends only its own small arguments to the workers.

With one worker the same functions run in this process, in order: no pool, nothing pickled, the
same results, which is also how a machine with one core runs.
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


def run_in_workers(work: Callable[[Task], Result], tasks: Sequence[Task], *, workers: int | None,
                   initializer: Callable[..., None], initargs: tuple[Any, ...] = (),
                   chunksize: int = 1) -> Iterator[Result]:
    """``work`` applied to each task, results in the tasks' order, in ``workers`` processes (default:
    one per core, never more than there are tasks). ``work`` and ``initializer`` must be module-level
    functions (they are pickled by name). An exception raised by ``work`` is raised here, as ``map``
    would; work that may fail per task should return its failure instead, so the others go on."""
    count = min(worker_count(workers), max(1, len(tasks)))
    if count <= 1:
        initializer(*initargs)
        yield from map(work, tasks)
        return
    with ProcessPoolExecutor(max_workers=count, initializer=initializer, initargs=initargs) as pool:
        yield from pool.map(work, tasks, chunksize=chunksize)
