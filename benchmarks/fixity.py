"""Fixity throughput: `qiaofang fixity` against `sha256sum` over the same files, in one run.

A fresh data folder is filled with originals of photo sizes (2-40 MB each, random bytes, so
nothing compresses or dedupes; about 1.5 GB in all by default) recorded as photo rows, then three
variants hash every one of them, interleaved round by round (A B C A B C ...):

* fixity core      ``media.fixity.check_blob`` over every original, in this process: the loop a
                   full run makes, without start-up or the database
* qiaofang fixity  the whole command in a subprocess (interpreter and app start-up, the query
                   for the photo rows, untracked-file walk, the run recorded in the database)
* sha256sum        GNU coreutils ``sha256sum`` with every file on one command line: the yardstick

Throughput is bytes hashed / wall seconds, in MB/s (10^6 bytes). The ratio is taken round by
round (ours / sha256sum of the same round) and its median is reported with the medians of
each variant; the goal is a ratio >= 0.9.

Page cache: ``--cache warm`` (default) reads every file once before the rounds and the files fit
in memory, so all variants hash from RAM and the figure is the hashing speed. ``--cache cold``
drops each file's pages (posix_fadvise DONTNEED, which touches only these files) before every
variant's pass, so each pass reads from disk. On a shared machine the cold figures follow the
disk and the neighbours more than the hashing.

Run from the repository root:  python -m benchmarks.fixity [--total-mb 1536] [--rounds 5] [--cache warm]
Everything is made in a temporary folder (``--dir`` to choose its parent) and removed at the end.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import insert

from archive import create_app
from archive.models import House, Photo
from archive.services.setup import initialise
from media.fixity import BUFFER_SIZE, check_blob
from media.store import LocalStore


def make_originals(store: LocalStore, total_mb: int, seed: int = 7) -> list[tuple[str, int]]:
    """Random files of 2-40 MB (like 12-50 MP photos) until ``total_mb`` is reached."""
    rnd = random.Random(seed)
    made: list[tuple[str, int]] = []
    written = 0
    while written < total_mb * 1_000_000:
        size = rnd.randint(2_000_000, 40_000_000)
        data = rnd.randbytes(size)
        blob = store.put(_Reader(data), expected_sha256=hashlib.sha256(data).hexdigest())
        made.append((blob.sha256, blob.size))
        written += blob.size
    return made


class _Reader:
    """A stream over bytes without copying them into a BytesIO first."""

    def __init__(self, data: bytes) -> None:
        self.view = memoryview(data)
        self.offset = 0

    def read(self, size: int = -1) -> bytes:
        end = len(self.view) if size < 0 else self.offset + size
        chunk = bytes(self.view[self.offset:end])
        self.offset += len(chunk)
        return chunk


def make_archive(data: Path, total_mb: int) -> tuple[LocalStore, list[tuple[str, int]]]:
    app = create_app({"DATA": data, "SECRET_KEY": "benchmark"})
    state = app.extensions["qiaofang"]
    initialise(state)
    originals = make_originals(state.store, total_mb)
    with state.transaction() as db:
        house_id = db.execute(insert(House).values(code="BM-1", name_zh="基准楼").returning(House.id)).scalar_one()
        db.execute(insert(Photo), [
            {"house_id": house_id, "sha256": sha, "original_name": f"{n}.jpg", "mime": "image/jpeg", "size": size}
            for n, (sha, size) in enumerate(originals)])
    state.close()
    return state.store, originals


def drop_cache(paths: list[Path]) -> None:
    for path in paths:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)


def run_core(store: LocalStore, originals: list[tuple[str, int]]) -> float:
    buffer = bytearray(BUFFER_SIZE)
    start = time.perf_counter()
    for sha, size in originals:
        result = check_blob(store, sha, size, buffer=buffer)
        assert result.problem is None, result
    return time.perf_counter() - start


def run_command(data: Path) -> float:
    start = time.perf_counter()
    command = Path(sys.executable).with_name("qiaofang")  # the console script of this virtualenv
    done = subprocess.run([str(command), "--data", str(data), "fixity"],
                          capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    assert done.returncode == 0 and "fixity (full): OK" in done.stdout, done.stdout + done.stderr
    return seconds


def run_sha256sum(paths: list[Path], originals: list[tuple[str, int]]) -> float:
    start = time.perf_counter()
    done = subprocess.run(["sha256sum", *map(str, paths)], capture_output=True, text=True, check=True)
    seconds = time.perf_counter() - start
    assert [line.split()[0] for line in done.stdout.splitlines()] == [sha for sha, _ in originals]
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--total-mb", type=int, default=1536)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--cache", choices=["warm", "cold"], default="warm")
    parser.add_argument("--dir", type=Path, default=None, help="parent of the temporary data folder")
    args = parser.parse_args()
    print("load average before: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()), f"({os.cpu_count()} cores)")
    with tempfile.TemporaryDirectory(prefix="qf-fixity-", dir=args.dir) as folder:
        data = Path(folder)
        store, originals = make_archive(data, args.total_mb)
        paths = [store.path_for(sha) for sha, _ in originals]
        total = sum(size for _, size in originals)
        print(f"{len(originals)} originals, {total / 1e6:.0f} MB, page cache: {args.cache}")
        variants: dict[str, Callable[[], float]] = {
            "fixity core": lambda: run_core(store, originals),
            "qiaofang fixity": lambda: run_command(data),
            "sha256sum": lambda: run_sha256sum(paths, originals),
        }
        if args.cache == "warm":
            run_sha256sum(paths, originals)  # read once: every variant then hashes from memory
        rates: dict[str, list[float]] = {name: [] for name in variants}
        for _ in range(args.rounds):
            for name, run in variants.items():
                if args.cache == "cold":
                    drop_cache(paths)
                rates[name].append(total / 1e6 / run())
        print(f"{'variant':<18}{'median MB/s':>12}{'min':>9}{'max':>9}{'ratio to sha256sum (median of rounds)':>40}")
        for name, values in rates.items():
            ratio = statistics.median(a / b for a, b in zip(values, rates["sha256sum"], strict=True))
            print(f"{name:<18}{statistics.median(values):>12.0f}{min(values):>9.0f}{max(values):>9.0f}{ratio:>40.2f}")
    print("load average after: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


if __name__ == "__main__":
    main()
