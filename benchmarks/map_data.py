"""Map data for a province: GET /map/houses.json for tens of thousands of public houses.

What it measures, in one process and one run: the wall time (median of --repeat) and the size
(raw and gzip -6, as a server's compression would send it) of `/map/houses.json` (compact rows,
what the map page loads) against the same run's `/data/houses.geojson` (the open-data GeoJSON of
the same houses, the baseline: same positions and privacy rule, one Feature object per house).
Also the unfiltered and a one-county request, and how many rows are approximate (village) positions.

How: `qiaofang --data D init`, then houses bulk-inserted with SQLAlchemy core
(benchmarks.gallery.fill: eight counties, every house published), one in ten location-private,
into a temporary SQLite data folder removed at the end.

    python -m benchmarks.map_data                  # 20,000 houses
    python -m benchmarks.map_data --houses 50000
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import text, update


def prepare(data: Path, houses: int) -> None:
    from archive.db import make_engine
    from archive.models import House
    from benchmarks.gallery import fill
    from benchmarks.upload_throughput import qiaofang

    qiaofang(data, "init")
    engine = make_engine(f"sqlite:///{data / 'qiaofang.db'}")
    fill(engine, houses)
    with engine.begin() as conn:
        conn.execute(update(House).where(text("house.id % 10 = 0")).values(location_public=False))
    engine.dispose()


def measure(client: Any, url: str, repeat: int) -> dict[str, float]:
    times, body = [], b""
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        body = response.get_data()
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    return {"seconds": statistics.median(times), "bytes": len(body), "gzip": len(gzip.compress(body, 6))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--houses", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from archive import create_app

    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder)
        prepare(data, args.houses)
        app = create_app({"DATA": data, "SEARCH_SYNC": True})
        client = app.test_client()
        rows = client.get("/map/houses.json").get_json()["houses"]
        print(f"{args.houses} houses; map rows {len(rows)}, approximate {sum(r[5] for r in rows)}")
        for name, url in (("map json", "/map/houses.json"), ("map json, one county", "/map/houses.json?county=台山市"),
                          ("geojson (baseline)", "/data/houses.geojson")):
            got = measure(client, url, args.repeat)
            print(f"{name:22} {got['seconds']:7.2f} s  {got['bytes'] / 1e6:7.2f} MB  gzip {got['gzip'] / 1e6:6.2f} MB")
        app.extensions["qiaofang"].close()


if __name__ == "__main__":
    main()
