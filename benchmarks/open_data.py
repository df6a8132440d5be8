"""Open-data exports of 100,000 houses: peak memory and time, streamed against the old exports.

What it measures: each export runs in a fresh child process, which reports its wall time, the
bytes written, its resident memory just before the export and the most it reached during it
(read from /proc/self/statm every 20 ms by a thread), and the difference: what the export itself
held. The process's lifetime peak (ru_maxrss) is also shown: building the app (jieba, the search
schema) can take more than a streamed export, which then does not raise it at all.

- `csv_http`, `geojson_http`: GET /data/houses.csv and /data/houses.geojson (the download buttons,
  whole archive), read chunk by chunk from Flask's test client as a client would;
- `sitemap_http`: GET /sitemap-1.xml (50,000 URLs, the largest page a sitemap may have);
- `oai_http`: ListRecords, first page and the page a resumption token 90,000 items in points to;
- `export_csv`: `export sheet FILE.csv` (houses and records CSV, staff view);
- baselines from before this work, in the same run: `export_json` (`export json`, whose query
  loads every house before writing) and `export_xlsx` (`export sheet FILE.xlsx`, openpyxl keeps
  the whole workbook in memory).

How: `qiaofang --data D init`, then the houses (benchmarks.gallery.house_rows: eight counties,
realistic Chinese rows, every house published, location public for 90%) and their OAI rows are
bulk-inserted with SQLAlchemy core into a SQLite data folder, which is removed at the end.

Run from the repository root, in the virtualenv:

    python -m benchmarks.open_data                  # 100,000 houses
    python -m benchmarks.open_data --houses 20000   # quick
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, text, update

KINDS = ("idle", "csv_http", "geojson_http", "sitemap_http", "oai_http", "export_csv", "export_json", "export_xlsx")
BASELINES = ("export_json", "export_xlsx")


def prepare(data: Path, houses: int) -> None:
    from archive.db import make_engine
    from archive.models import House, OaiItem
    from archive.services.oai_sets import county_set
    from benchmarks.gallery import COUNTIES, fill
    from benchmarks.upload_throughput import qiaofang

    qiaofang(data, "init")
    engine = make_engine(f"sqlite:///{data / 'qiaofang.db'}")
    fill(engine, houses)
    with engine.begin() as conn:
        # One house in ten keeps its location private (shown at its village's position).
        conn.execute(update(House).where(text("house.id % 10 = 0")).values(location_public=False))
        conn.execute(insert(OaiItem).from_select(
            ["code", "house_id", "set_name", "datestamp", "deleted", "digest"],
            select(House.code, House.id, House.county, House.updated_at, text("0"), text("''"))))
        for _province, _city, county, _prefix, _townships in COUNTIES:
            spec, _name = county_set(county)
            conn.execute(update(OaiItem).where(OaiItem.set_name == county).values(set_spec=spec))
    engine.dispose()


def drain(client: Any, url: str) -> int:
    """GET `url` and read the body as it streams; returns its size (nothing kept)."""
    response = client.get(url, buffered=False)
    assert response.status_code == 200, (url, response.status_code)
    size = sum(len(chunk) for chunk in response.iter_encoded())
    response.close()
    return size


def measure(kind: str, data: Path) -> dict[str, Any]:
    """One export in this process: its time, bytes and this process's peak memory."""
    from archive import create_app

    app = create_app({"DATA": str(data), "SEARCH_SYNC": False, "OAI_PAGE_SIZE": 100})
    client = app.test_client()
    drain(client, "/robots.txt")
    gc.collect()
    sampler = RssSampler()
    started = time.perf_counter()
    size = run_kind(kind, app, client, data)
    seconds = time.perf_counter() - started
    sampler.stop()
    lifetime_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"kind": kind, "seconds": round(seconds, 2), "bytes": size, "before_mb": round(sampler.before, 1),
            "peak_mb": round(sampler.peak, 1), "lifetime_peak_mb": round(lifetime_mb, 1)}


class RssSampler:
    """The process's resident memory now, and the most it reaches until `stop` (sampled every 20 ms)."""

    def __init__(self) -> None:
        self.before = self.peak = rss_mb()
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._done.wait(0.02):
            self.peak = max(self.peak, rss_mb())

    def stop(self) -> None:
        self._done.set()
        self._thread.join()
        self.peak = max(self.peak, rss_mb())


def rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        pages = int(fh.read().split()[1])
    return pages * resource.getpagesize() / 2**20


def run_kind(kind: str, app: Any, client: Any, data: Path) -> int:
    if kind == "idle":
        return 0
    if kind in ("csv_http", "geojson_http", "sitemap_http"):
        url = {"csv_http": "/data/houses.csv", "geojson_http": "/data/houses.geojson",
               "sitemap_http": "/sitemap-1.xml"}[kind]
        return drain(client, url)
    if kind == "oai_http":
        return oai_pages(app, client)
    from archive.services.export import export_json, export_sheet, export_sheet_csv, records_csv_path
    from archive.services.searching import STAFF

    target = data / {"export_csv": "out.csv", "export_json": "out.json", "export_xlsx": "out.xlsx"}[kind]
    writer = {"export_csv": export_sheet_csv, "export_json": export_json, "export_xlsx": export_sheet}[kind]
    with app.app_context(), app.extensions["qiaofang"].db.session(write=False) as db:
        writer(db, STAFF, target)
    extra = records_csv_path(target) if kind == "export_csv" else None
    return target.stat().st_size + (extra.stat().st_size if extra else 0)


def oai_pages(app: Any, client: Any) -> int:
    """The first ListRecords page, then the page 90% of the way through (a token made for it)."""
    from archive.services.oai import Selection, _make_token
    from archive.web.oai import repository

    size = drain(client, "/oai?verb=ListRecords&metadataPrefix=oai_dc")
    with app.test_request_context("/oai"):
        repo = repository()
        from archive.models import OaiItem

        with app.extensions["qiaofang"].db.session(write=False) as db:
            total = db.scalar(select(text("count(*)")).select_from(OaiItem)) or 0
        token = _make_token(repo, Selection("ListRecords", "oai_dc", None, None, None), total * 9 // 10,
                            total * 9 // 10, total)
    return size + drain(client, f"/oai?verb=ListRecords&resumptionToken={token}")


def child(kind: str, data: Path) -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-m", "benchmarks.open_data", "--measure", kind, "--data", str(data)],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{kind} failed:\n{done.stdout}\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--houses", type=int, default=100_000)
    parser.add_argument("--measure", choices=KINDS, help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        print(json.dumps(measure(args.measure, args.data)))
        return 0
    with tempfile.TemporaryDirectory(prefix="qf-open-data-") as work:
        data = Path(work) / "data"
        started = time.perf_counter()
        prepare(data, args.houses)
        print(f"{args.houses:,} houses inserted in {time.perf_counter() - started:.1f} s", flush=True)
        results = [child(kind, data) for kind in KINDS]
    print(f"\n{'export':<14}{'seconds':>9}{'MB written':>12}{'RSS before':>12}{'peak during':>13}"
          f"{'export held':>13}{'lifetime peak':>15}")
    for r in results:
        label = r["kind"] + (" *" if r["kind"] in BASELINES else "")
        print(f"{label:<14}{r['seconds']:>9.2f}{r['bytes'] / 1e6:>12.1f}{r['before_mb']:>12.1f}{r['peak_mb']:>13.1f}"
              f"{r['peak_mb'] - r['before_mb']:>13.1f}{r['lifetime_peak_mb']:>15.1f}")
    print("memory in MB (2^20 bytes); 'export held' = peak during the export - RSS before it")
    print("* baseline: the exports as they were before the streamed open-data doors")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
