"""Destinations abroad for a province: GET /destinations.json against /map/houses.json in the same run.

Both read every public house a batch at a time and place it by the same village rule; the
destinations data also parses each house's destinations and groups houses by (village, place).
The map data is the baseline: the ratio says what the grouping costs, whatever the machine's load.

How: the map benchmark's houses (`benchmarks.map_data.prepare`: eight counties, one in ten
location-private) with one to three destinations each and a year built, in a temporary SQLite
data folder removed at the end.

    python -m benchmarks.destinations                 # 20,000 houses
    python -m benchmarks.destinations --houses 50000 --repeat 5
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from sqlalchemy import text

from benchmarks.map_data import measure, prepare

PLACES = ("美国旧金山", "加拿大温哥华", "美国", "马来西亚吉隆坡", "澳大利亚悉尼", "秘鲁利马", "古巴哈瓦那",
          "新加坡", "缅甸仰光", "三藩市", "域多利", "南洋")


def add_destinations(data: Path) -> None:
    from archive.db import make_engine

    engine = make_engine(f"sqlite:///{data / 'qiaofang.db'}")
    with engine.begin() as conn:
        ids = [row[0] for row in conn.execute(text("SELECT id FROM house"))]
        conn.execute(text("UPDATE house SET destinations = :d, built_from = :y WHERE id = :id"), [
            {"id": i, "y": 1880 + i % 70,
             "d": json.dumps([PLACES[(i * k) % len(PLACES)] for k in range(1, 2 + i % 3)], ensure_ascii=False)}
            for i in ids])
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--houses", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from archive import create_app

    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder)
        prepare(data, args.houses)
        add_destinations(data)
        app = create_app({"DATA": data, "SEARCH_SYNC": True})
        client = app.test_client()
        found = client.get("/destinations.json").get_json()
        print(f"{args.houses} houses; {len(found['destinations'])} places, {len(found['villages'])} villages, "
              f"{len(found['lines'])} lines")
        results = {}
        for name, url in (("map json (baseline)", "/map/houses.json"), ("destinations json", "/destinations.json"),
                          ("destinations, 1920s", "/destinations.json?from=1920&to=1920"),
                          ("destinations page", "/destinations")):
            results[name] = got = measure(client, url, args.repeat)
            print(f"{name:22} {got['seconds']:7.2f} s  {got['bytes'] / 1e3:8.1f} kB")
        ratio = results["destinations json"]["seconds"] / results["map json (baseline)"]["seconds"]
        print(f"destinations json / map json: {ratio:.2f}x")
        app.extensions["qiaofang"].close()


if __name__ == "__main__":
    main()
