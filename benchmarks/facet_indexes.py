"""The gallery's village and condition counts at 100,000 houses, with and without their indexes.

What it measures: the SQL statement `facet_counts` runs for the village and the condition filter
(GROUP BY over the houses the public may see, archive/services/houses.py), p50 over `--rounds`
runs, on a fresh SQLite database made by `qiaofang init` (so it has the indexes of migration
0009, ix_house_visible_village and ix_house_visible_condition) and filled with the houses of
benchmarks/gallery.py; then the same after dropping those two indexes, in the same run. The
other facets (county, township, style, protection level) are shown for reference.

    python -m benchmarks.facet_indexes [--houses 100000] [--rounds 20]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.orm import Session

from archive.access import PUBLIC
from archive.db import make_engine
from archive.services.houses import FILTER_FIELDS, HouseFilters, facet_counts
from benchmarks.gallery import fill
from benchmarks.upload_throughput import qiaofang

NEW_INDEXES = {"village": "ix_house_visible_village", "condition": "ix_house_visible_condition"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--houses", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args(argv)
    print(f"load average before: {'{:.2f} {:.2f} {:.2f}'.format(*os.getloadavg())}")
    with tempfile.TemporaryDirectory(prefix="facet-bench-") as tmp:
        data = Path(tmp) / "data"
        qiaofang(data, "init")
        engine = make_engine(f"sqlite:///{data / 'qiaofang.db'}")
        fill(engine, args.houses)
        timings: dict[tuple[str, str], float] = {}
        for stage in ("with the indexes", "without"):
            if stage == "without":
                with engine.begin() as conn:
                    for index in NEW_INDEXES.values():
                        conn.execute(text(f"DROP INDEX {index}"))
            with Session(engine) as db:
                for name in FILTER_FIELDS:
                    facet_counts(db, PUBLIC, name, HouseFilters())  # warm-up
                    runs = []
                    for _ in range(args.rounds):
                        started = time.perf_counter()
                        facet_counts(db, PUBLIC, name, HouseFilters())
                        runs.append((time.perf_counter() - started) * 1000)
                    timings[(stage, name)] = statistics.median(runs)
        engine.dispose()
    print(f"facet counts on {args.houses:,} houses, SQLite, ms p50 of {args.rounds}:")
    print(f"{'facet':18} {'with the indexes':>17} {'without':>9}")
    for name in FILTER_FIELDS:
        mark = " (migration 0009)" if name in NEW_INDEXES else ""
        print(f"{name:18} {timings[('with the indexes', name)]:17.1f} {timings[('without', name)]:9.1f}{mark}")
    print(f"load average after: {'{:.2f} {:.2f} {:.2f}'.format(*os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
