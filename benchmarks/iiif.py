"""IIIF tile speed: the archive's Image API against a naive Pillow baseline, in one run.

The workload is what a deep-zoom viewer asks for to show one 12 MP phone photo (4032 x 3024, stored
turned, EXIF orientation 6, about 4 MB) at every zoom level: every 512-pixel tile of the IIIF tile
pyramid advertised in its info.json (scale factors 1, 2, 4, 8: 65 tiles), each one request
``/iiif/3/<id>/x,y,w,h/w,/0/default.jpg``.

* ours, cold    through the real Flask app (test client, SQLite, a fresh data folder), with empty
                disk and memory caches: the photo query, the plan, the original's hash check
                (media.fixity.open_verified) and decode at reduced DCT scale when no decode kept in
                memory covers the tile, the exact crop-resize, the JPEG and the cache write
* ours, cached  the same requests again: the cache answers
* naive Pillow  per tile, no HTTP at all: open, full decode, exif_transpose, crop, LANCZOS resize,
                save as JPEG (quality 82), which is what a first IIIF server in Pillow often does

Each variant runs on one thread, one request after the other; requests per second is the number of
tiles over the total time. The machine may be shared: the load average is printed.

Run from the repository root:  python -m benchmarks.iiif [--repeat 3]
"""

from __future__ import annotations

import argparse
import io
import math
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PIL import Image, ImageOps

from benchmarks.derivatives import phone_exif, photo_like

QUALITY = 82


def make_photo(folder: Path) -> Path:
    path = folder / "phone-12mp.jpg"
    photo_like(4032, 3024, 1).save(path, quality=88, exif=phone_exif(1, 6))
    return path


def start_archive(data: Path, photo: Path) -> tuple[Any, int]:
    """A fresh archive with one published house and the photo, public; its app and the photo's id."""
    from archive import create_app
    from archive.services import SYSTEM
    from archive.services.houses import create_house, get_house
    from archive.services.photos import record_photo, stage_upload
    from archive.services.setup import initialise

    app = create_app({"DATA": data, "SECRET_KEY": "benchmark", "SEARCH_SYNC": True})
    state = app.extensions["qiaofang"]
    initialise(state)
    with state.transaction() as db:
        create_house(db, SYSTEM, {"code": "BM-1", "name_zh": "铭石楼", "published": True})
    with photo.open("rb") as stream:
        staged = stage_upload(state.store, state.derivatives_dir, stream, photo.name)
    with state.transaction() as db:
        photo_id: int = record_photo(db, SYSTEM, get_house(db, "BM-1"), staged, public=True).photo.id
    return app, photo_id


def tile_paths(info: dict[str, Any]) -> list[str]:
    """Every tile of the pyramid, coarse levels first as a viewer zooms in, in OpenSeadragon's form
    (region, then ``w,``)."""
    width, height = info["width"], info["height"]
    tile = info["tiles"][0]["width"]
    paths = []
    for factor in sorted(info["tiles"][0]["scaleFactors"], reverse=True):
        side = tile * factor
        for y in range(0, height, side):
            for x in range(0, width, side):
                w, h = min(side, width - x), min(side, height - y)
                paths.append(f"{x},{y},{w},{h}/{math.ceil(w / factor)},/0/default.jpg")
    return paths


def naive_tile(original: Path, path: str) -> bytes:
    region, size = path.split("/")[:2]
    x, y, w, h = (int(v) for v in region.split(","))
    out_w = int(size.rstrip(","))
    with Image.open(original) as opened:
        upright = ImageOps.exif_transpose(opened)
        cut = upright.crop((x, y, x + w, y + h))
        result = cut.resize((out_w, max(1, round(h * out_w / w))), Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        result.save(buffer, "JPEG", quality=QUALITY)
        return buffer.getvalue()


def timed(requests: list[Callable[[], object]]) -> dict[str, float]:
    latencies = []
    start = time.perf_counter()
    for request in requests:
        t0 = time.perf_counter()
        request()
        latencies.append(time.perf_counter() - t0)
    total = time.perf_counter() - start
    latencies.sort()
    return {"rps": len(requests) / total, "p50": statistics.median(latencies) * 1000,
            "p95": latencies[min(len(latencies) - 1, math.ceil(0.95 * len(latencies)) - 1)] * 1000}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each variant; the medians are shown")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="qf-iiif-bench-") as tmp:
        photo = make_photo(Path(tmp))
        app, photo_id = start_archive(Path(tmp) / "data", photo)
        client = app.test_client()
        info = client.get(f"/iiif/3/{photo_id}/info.json").get_json()
        paths = tile_paths(info)
        images = app.extensions["qiaofang_iiif"]

        def get(path: str) -> Callable[[], object]:
            def request() -> object:
                response = client.get(f"/iiif/3/{photo_id}/{path}")
                assert response.status_code == 200, response.get_data(as_text=True)
                return response.data
            return request

        runs: dict[str, list[dict[str, float]]] = {"ours, cold": [], "ours, cached": [], "naive Pillow": []}
        for _ in range(args.repeat):
            images.cache.clear()
            images.forget_decodes()  # a cold start: no decode kept in memory either
            decodes = images.decodes
            runs["ours, cold"].append(timed([get(p) for p in paths]))
            cold_decodes = images.decodes - decodes
            runs["ours, cached"].append(timed([get(p) for p in paths]))
            assert images.decodes - decodes == cold_decodes  # every second request was a hit
            runs["naive Pillow"].append(timed([lambda p=p: naive_tile(photo, p) for p in paths]))
        app.extensions["qiaofang"].close()

    print(f"{len(paths)} tiles of a {info['width']} x {info['height']} photo (12 MP JPEG, orientation 6), "
          f"median of {args.repeat} runs; load average {os.getloadavg()[0]:.2f}; "
          f"{cold_decodes} decodes of the original for the {len(paths)} cold requests")
    print(f"{'variant':<16}{'tiles/s':>10}{'p50 ms':>10}{'p95 ms':>10}")
    for name, results in runs.items():
        rps = statistics.median(r["rps"] for r in results)
        p50 = statistics.median(r["p50"] for r in results)
        p95 = statistics.median(r["p95"] for r in results)
        print(f"{name:<16}{rps:>10.1f}{p50:>10.1f}{p95:>10.1f}")


if __name__ == "__main__":
    main()
