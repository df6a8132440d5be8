"""What loading the shared tables before the fork saves each worker, in one run.

`qiaofang serve` forks its gunicorn workers after `archive.services.workers.preload_web_workers`
has loaded the search analysis tables (jieba's dictionary, OpenCC folding, pinyin and Cantonese
readings) and Pillow's plugins; the photo import and derivative pools fork after
`preload_images`. This measures, for each kind of worker, with and without the preload:

* child CPU ms   CPU time a forked worker spends getting ready: for a web worker, analysing a
                 line of text and decoding a JPEG and a PNG (what its first search and first
                 upload need); for an image-pool worker, decoding the two images
* private MB     the worker's private memory afterwards (Private_Clean + Private_Dirty of
                 /proc/PID/smaps_rollup): what it does not share with the master
* master CPU ms  what the preload costs the master, once

Each round runs every variant in a fresh interpreter (`python -m benchmarks.worker_preload
--variant ...`) that imports what the real master has imported (the web app's modules, the
search package, media), preloads or not, then forks `--workers` children (multiprocessing
"fork", as gunicorn and the pools do on Linux). Medians over rounds and children.

Run from the repository root:
    python -m benchmarks.worker_preload [--rounds 5] [--workers 2]
"""

from __future__ import annotations

import argparse
import io
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
VARIANTS = ("web", "web+preload", "images", "images+preload")


def private_mb() -> float:
    total = 0
    with open("/proc/self/smaps_rollup") as fh:
        for line in fh:
            if line.startswith(("Private_Clean:", "Private_Dirty:")):
                total += int(line.split()[1])
    return total / 1024


def child(kind: str, pictures: list[str], out: Any) -> None:
    started = time.process_time()
    if kind == "web":
        from search.pinyin import syllable_chars
        from search.segment import terms

        terms("台山黄氏庐 Wong Fong 開平碉楼")
        syllable_chars()
    from PIL import Image

    for path in pictures:
        with Image.open(path) as image:
            image.load()
    out.send({"cpu": time.process_time() - started, "private": private_mb()})
    out.close()


def run_variant(variant: str, workers: int, pictures: list[str]) -> dict[str, Any]:
    """In this (fresh) interpreter: import as the master does, maybe preload, fork and measure."""
    import archive.web.public  # noqa: F401  (the master has created an app: every view is imported)
    import media.derivatives  # noqa: F401
    import search  # noqa: F401
    from archive.services.workers import preload_images, preload_web_workers

    kind = variant.split("+")[0]
    started = time.process_time()
    if variant == "web+preload":
        preload_web_workers()
    elif variant == "images+preload":
        preload_images()
    master = time.process_time() - started
    context = multiprocessing.get_context("fork")
    results = []
    for _ in range(workers):
        receive, send = context.Pipe(duplex=False)
        process = context.Process(target=child, args=(kind, pictures, send))
        process.start()
        results.append(receive.recv())
        process.join()
    return {"master": master, "children": results}


def make_pictures(folder: Path) -> list[str]:
    from PIL import Image

    paths = []
    for name, fmt in (("photo.jpg", "JPEG"), ("scan.png", "PNG")):
        buffer = io.BytesIO()
        Image.new("RGB", (1200, 900), (120, 90, 60)).save(buffer, fmt)
        (folder / name).write_bytes(buffer.getvalue())
        paths.append(str(folder / name))
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--variant", choices=VARIANTS, help=argparse.SUPPRESS)
    parser.add_argument("--pictures", nargs="*", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.variant:
        print(json.dumps(run_variant(options.variant, options.workers, options.pictures)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        pictures = make_pictures(Path(tmp))
        masters: dict[str, list[float]] = {v: [] for v in VARIANTS}
        cpus: dict[str, list[float]] = {v: [] for v in VARIANTS}
        privates: dict[str, list[float]] = {v: [] for v in VARIANTS}
        for _ in range(options.rounds):
            for variant in VARIANTS:
                done = subprocess.run(
                    [sys.executable, "-m", "benchmarks.worker_preload", "--variant", variant,
                     "--workers", str(options.workers), "--pictures", *pictures],
                    cwd=ROOT, capture_output=True, text=True, check=True,
                    env={**os.environ, "PYTHONPATH": str(ROOT)})
                result = json.loads(done.stdout.strip().splitlines()[-1])
                masters[variant].append(result["master"])
                cpus[variant].extend(c["cpu"] for c in result["children"])
                privates[variant].extend(c["private"] for c in result["children"])
    print(f"{options.rounds} rounds x {options.workers} forked workers; load average {os.getloadavg()[0]:.2f}")
    print(f"{'variant':16} {'child CPU ms':>13} {'private MB':>11} {'master CPU ms':>14}")
    for variant in VARIANTS:
        print(f"{variant:16} {statistics.median(cpus[variant]) * 1000:13.0f} "
              f"{statistics.median(privates[variant]):11.1f} {statistics.median(masters[variant]) * 1000:14.0f}")
    for kind in ("web", "images"):
        plain, pre = statistics.median(cpus[kind]), statistics.median(cpus[f"{kind}+preload"])
        print(f"{kind}: each worker {plain * 1000:.0f} -> {pre * 1000:.0f} ms CPU to get ready "
              f"({plain / pre if pre else float('inf'):.1f}x less); "
              f"private memory {statistics.median(privates[kind]):.0f} -> "
              f"{statistics.median(privates[f'{kind}+preload']):.0f} MB")


if __name__ == "__main__":
    main()
