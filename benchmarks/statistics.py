"""The statistics page and the house dossier at 20,000-100,000 houses, against the gallery page in the same run.

What it measures: the p50/p95 latency, through Flask's test client (the whole view: queries, labels,
SVG geometry, template), of
  - `/statistics` cold (its 30 s cache dropped before every request, as after a change) and cached,
  - `/statistics?county=X` cold (one county of eight),
  - the baseline: the gallery `/` cold (its filter-count cache dropped before every request too),
  - `/houses/<code>/dossier` and `/houses/<code>/dossier.pdf` (WeasyPrint; a house without photos,
    its township's public points on the locator map),
and, beside the pages, `house_statistics` called directly for the public and for staff (the SQL
and the summing, without the page). Ratios to the gallery page are printed per database and size.

How: the houses of benchmarks/gallery.py (`house_rows`: eight counties, realistic rows, one
destination each) bulk-inserted into a fresh SQLite data folder and a fresh PostgreSQL schema
(VACUUM ANALYZEd), for each size in --sizes. Every URL is requested --rounds times after two
warm-up requests, interleaved across URLs and databases so background load hits all alike; the load
average is printed. Everything is removed at the end.

Run from the repository root, in the virtualenv:

    python -m benchmarks.statistics                                  # 20,000 and 100,000 houses, 10 rounds
    python -m benchmarks.statistics --sizes 20000 --rounds 5 --no-postgres    # quick
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
from urllib.parse import quote

from sqlalchemy import select

from archive.access import PUBLIC, Viewer
from archive.models import House
from archive.services.statistics import house_statistics
from benchmarks.gallery import (
    COUNTIES,
    DEFAULT_PG,
    Target,
    _nothing,
    postgres_available,
    postgres_target,
    sqlite_target,
)
from benchmarks.upload_throughput import percentile

STAFF = Viewer(user_id=None, username="bench", role="researcher")
BASELINE = "/ (gallery, cold)"


def time_get(target: Target, label: str, url: str, cold: bool) -> None:
    if cold:
        state = target.app.extensions["qiaofang"]
        state.statistics_cache.clear()
        state.facet_cache.clear()
    started = time.perf_counter()
    response = target.client.get(url)
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise SystemExit(f"{target.name} {url}: {response.status_code} {response.data[:300]!r}")
    target.times.setdefault(label, []).append(elapsed * 1000)


def time_service(target: Target, label: str, viewer: Viewer) -> None:
    session = target.app.extensions["qiaofang"].db.session(write=False)
    try:
        started = time.perf_counter()
        house_statistics(session, viewer)
        target.times.setdefault(label, []).append((time.perf_counter() - started) * 1000)
    finally:
        session.close()


def jobs_for(target: Target) -> list[Callable[[], None]]:
    with target.engine.connect() as conn:
        count = conn.scalar(select(House.id).order_by(House.id.desc()).limit(1)) or 1
        code = conn.scalar(select(House.code).order_by(House.code).offset(count // 2).limit(1))
    county = quote(COUNTIES[0][2])
    urls = [
        (BASELINE, "/", True),
        ("/statistics (cold)", "/statistics", True),
        ("/statistics (cached)", "/statistics", False),
        ("/statistics?county= (cold)", f"/statistics?county={county}", True),
        ("/houses/<code>/dossier", f"/houses/{code}/dossier", False),
        ("/houses/<code>/dossier.pdf", f"/houses/{code}/dossier.pdf", False),
    ]
    jobs: list[Callable[[], None]] = [
        functools.partial(time_get, target, label, url, cold) for label, url, cold in urls]
    jobs += [functools.partial(time_service, target, "house_statistics(public)", PUBLIC),
             functools.partial(time_service, target, "house_statistics(staff)", STAFF)]
    return jobs


def measure(targets: list[Target], rounds: int) -> None:
    jobs = [job for target in targets for job in jobs_for(target)]
    for job in jobs * 2:  # warm-up: template compilation, connection pools, WeasyPrint's import and fonts
        job()
    for target in targets:
        target.times.clear()
    for round_no in range(rounds):
        shift = (round_no * 3) % len(jobs)
        for job in jobs[shift:] + jobs[:shift]:
            job()


def report(targets: list[Target], houses: int, rounds: int) -> None:
    print(f"\n{houses:,} houses: latency in ms, p50 / p95 over {rounds} (x gallery p50 in brackets)")
    width = 30
    print(f"{'request':{width}} " + " ".join(f"{t.name:>28}" for t in targets))
    for label in targets[0].times:
        cells = []
        for target in targets:
            values = target.times[label]
            p50 = statistics.median(values)
            ratio = p50 / statistics.median(target.times[BASELINE])
            cells.append(f"{p50:8.1f} / {percentile(values, 0.95):7.1f} ({ratio:5.2f}x)")
        print(f"{label:{width}} " + " ".join(f"{c:>28}" for c in cells))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", default="20000,100000", help="house counts, comma-separated")
    parser.add_argument("--rounds", type=int, default=10, help="requests per URL and database (default 10)")
    parser.add_argument("--postgres-url", default=DEFAULT_PG)
    parser.add_argument("--no-postgres", action="store_true", help="measure SQLite only")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    print("command: python -m benchmarks.statistics", *(argv if argv is not None else sys.argv[1:]))
    print("load average before: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()), f"({os.cpu_count()} cores)")
    started = time.perf_counter()
    skip_pg = "--no-postgres" if args.no_postgres else postgres_available(args.postgres_url)
    if skip_pg:
        print(f"PostgreSQL skipped: {skip_pg}")
    for houses in sizes:
        with tempfile.TemporaryDirectory(prefix="statistics-bench-") as tmp, ExitStack() as stack:
            work = Path(tmp)
            targets = [stack.enter_context(sqlite_target(work, houses))]
            pg = stack.enter_context(postgres_target(work, houses, args.postgres_url) if not skip_pg else _nothing())
            if pg is not None:
                targets.append(pg)
            measure(targets, args.rounds)
            report(targets, houses, args.rounds)
    print("load average after: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()),
          f"; total {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
