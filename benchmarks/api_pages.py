"""JSON API pages on 100,000 houses: a deep keyset page (`after=`) against page 1, with OFFSET as the baseline.

What it measures: the median and p95 latency, through Flask's test client (the whole view: cursor
parsing, the query, the access projection, JSON), of `/api/houses` at page 1 and at the house after
the 99,000th, two ways in the same run:

- keyset: `/api/houses?after=&per_page=24` (page 1) and `/api/houses?after=<code of the 99,000th
  house>&per_page=24` (the deep page): the answer has no `total`; the query reads 25 rows from the
  unique index on code, starting after the cursor;
- OFFSET (the baseline, the API's numbered pages): `/api/houses?per_page=24` and
  `/api/houses?page=4126&per_page=24` (offset 99,000): the query skips 99,000 rows, and every page
  also counts all the houses for `total`.

Beside the pages it times the page's SQL alone (keyset vs OFFSET, 25 rows), and checks that the
deep keyset page holds exactly the houses of the deep numbered page. Done when the deep keyset page
is within 1.5x of page 1 on PostgreSQL.

How: as benchmarks/gallery.py (whose loader it reuses): `qiaofang init` on a fresh PostgreSQL
schema, 100,000 published houses bulk-inserted in random code order (eight counties), VACUUM
ANALYZE; each URL is requested `--rounds` times after two warm-up rounds, interleaved and rotated
so background load hits all alike; the load average is printed. `--sqlite` measures a SQLite data
folder as well. The schema and the folder are removed at the end.

Run from the repository root, in the virtualenv (PostgreSQL on 127.0.0.1:5432, database `test`):

    python -m benchmarks.api_pages                      # 100,000 houses, 30 rounds, PostgreSQL
    python -m benchmarks.api_pages --houses 20000 --rounds 10 --sqlite    # quick, both databases
"""

from __future__ import annotations

import argparse
import functools
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from sqlalchemy import select

from archive.access import PUBLIC, house_filter
from archive.models import House
from benchmarks.gallery import (
    DEFAULT_PG,
    Target,
    postgres_available,
    postgres_target,
    sqlite_target,
    time_get,
    time_sql,
)
from benchmarks.upload_throughput import percentile

PER_PAGE = 24
GOAL_RATIO = 1.5


def deep_cursor(target: Target, depth: int) -> str:
    """The code of the `depth`-th visible house (1-based): the cursor of the page after it."""
    with target.engine.connect() as conn:
        code = conn.scalar(select(House.code).where(house_filter(PUBLIC)).order_by(House.code)
                           .offset(depth - 1).limit(1))
    if code is None:
        raise SystemExit(f"{target.name}: fewer than {depth:,} houses")
    return code


def urls(depth: int, cursor: str) -> list[tuple[str, str]]:
    page = depth // PER_PAGE + 1  # the numbered page that starts right after the depth-th house
    assert (page - 1) * PER_PAGE == depth, "depth must be a multiple of per_page"
    return [
        ("keyset page 1", f"/api/houses?after=&per_page={PER_PAGE}"),
        (f"keyset after house {depth:,}", f"/api/houses?after={cursor}&per_page={PER_PAGE}"),
        ("offset page 1 (with total)", f"/api/houses?per_page={PER_PAGE}"),
        (f"offset page {page:,} (offset {depth:,})", f"/api/houses?page={page}&per_page={PER_PAGE}"),
    ]


def statements(depth: int, cursor: str) -> list[tuple[str, Any]]:
    visible = [house_filter(PUBLIC)]
    rows = PER_PAGE + 1  # what the API reads: one more row tells whether a next page exists
    return [
        ("keyset page 1", select(House).where(*visible).order_by(House.code).limit(rows)),
        ("keyset deep", select(House).where(*visible, House.code > cursor).order_by(House.code).limit(rows)),
        ("offset page 1", select(House).where(*visible).order_by(House.code).limit(PER_PAGE)),
        ("offset deep", select(House).where(*visible).order_by(House.code).limit(PER_PAGE).offset(depth)),
    ]


def same_houses(target: Target, pages: list[tuple[str, str]]) -> None:
    keyset = target.client.get(pages[1][1]).get_json()["houses"]
    numbered = target.client.get(pages[3][1]).get_json()["houses"]
    if [h["code"] for h in keyset] != [h["code"] for h in numbered] or len(keyset) != PER_PAGE:
        raise SystemExit(f"{target.name}: the deep keyset page differs from the numbered page")


def run(targets: list[Target], depth: int, rounds: int) -> dict[str, list[tuple[str, str]]]:
    jobs: list[Callable[[], None]] = []
    plan: dict[str, list[tuple[str, str]]] = {}
    for target in targets:
        cursor = deep_cursor(target, depth)
        plan[target.name] = urls(depth, cursor)
        same_houses(target, plan[target.name])
        jobs += [functools.partial(time_get, target, label, url) for label, url in plan[target.name]]
        jobs += [functools.partial(time_sql, target, label, stmt) for label, stmt in statements(depth, cursor)]
    for job in jobs * 2:  # warm-up: caches, connection pools
        job()
    for target in targets:
        target.times.clear()
    for round_no in range(rounds):
        shift = (round_no * 3) % len(jobs)
        for job in jobs[shift:] + jobs[:shift]:
            job()
    return plan


def report(targets: list[Target], plan: dict[str, list[tuple[str, str]]], rounds: int) -> bool:
    met = True
    for target in targets:
        times = target.times
        labels = [label for label, _url in plan[target.name]]
        print(f"\n{target.name}: ms over {rounds} requests (Flask test client, whole view; SQL alone below)")
        print(f"{'request':40} {'median':>8} {'p95':>8}")
        for label in (*labels, "sql: keyset page 1", "sql: keyset deep", "sql: offset page 1", "sql: offset deep"):
            print(f"{label:40} {statistics.median(times[label]):8.2f} {percentile(times[label], 0.95):8.2f}")
        med = {label: statistics.median(times[label]) for label in times}
        keyset_ratio = med[labels[1]] / med[labels[0]]
        offset_ratio = med[labels[3]] / med[labels[2]]
        sql_keyset = med["sql: keyset deep"] / med["sql: keyset page 1"]
        sql_offset = med["sql: offset deep"] / med["sql: offset page 1"]
        print(f"deep page / page 1 (medians): keyset {keyset_ratio:.2f}x, OFFSET {offset_ratio:.2f}x; "
              f"SQL alone: keyset {sql_keyset:.2f}x, OFFSET {sql_offset:.2f}x; "
              f"deep keyset page vs deep OFFSET page: {med[labels[1]] / med[labels[3]]:.2f}x the time")
        ok = keyset_ratio <= GOAL_RATIO
        print(f"goal (deep keyset page within {GOAL_RATIO}x of page 1): {'met' if ok else 'MISSED'}")
        met = met and (ok or target.name != "PostgreSQL")
    return met


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--houses", type=int, default=100_000, help="houses to load (default 100,000)")
    parser.add_argument("--depth", type=int, default=0,
                        help="the deep page starts after this many houses (default: 99,000, or 99%% of --houses)")
    parser.add_argument("--rounds", type=int, default=30, help="requests per URL (default 30)")
    parser.add_argument("--postgres-url", default=DEFAULT_PG, help=f"PostgreSQL (default {DEFAULT_PG})")
    parser.add_argument("--sqlite", action="store_true", help="measure a SQLite data folder too")
    args = parser.parse_args(argv)
    depth = args.depth or (99_000 if args.houses >= 100_000 else args.houses * 99 // 100)
    depth -= depth % PER_PAGE
    print("command: python -m benchmarks.api_pages", *(argv if argv is not None else sys.argv[1:]))
    print("load average before: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()), f"({os.cpu_count()} cores)")
    started = time.perf_counter()
    if (why := postgres_available(args.postgres_url)) is not None:
        raise SystemExit(f"PostgreSQL is needed: {why}")
    with tempfile.TemporaryDirectory(prefix="api-pages-bench-") as tmp, ExitStack() as stack:
        work = Path(tmp)
        targets = [stack.enter_context(postgres_target(work, args.houses, args.postgres_url))]
        if args.sqlite:
            targets.append(stack.enter_context(sqlite_target(work, args.houses)))
        plan = run(targets, depth, args.rounds)
        met = report(targets, plan, args.rounds)
    print("load average after: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()),
          f"; total {time.perf_counter() - started:.0f} s")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
