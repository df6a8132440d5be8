"""A house dossier's PDF drawn by WeasyPrint against the same PDF answered from DATA/dossier-cache.

On the demonstration data set (`qiaofang init` + `qiaofang demo --no-serve` in a temporary folder,
or an existing data folder with --data), for the public house with most public photos: each round
empties the cache, asks for `/houses/<code>/dossier.pdf` (drawn; WeasyPrint already imported by a
first request) and asks again (cached), through Flask's test client. Prints the medians and the
ratio, and the load average. Baselines to install: none.

    python -m benchmarks.dossier_cache [--rounds 7] [--data DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from archive import create_app
from benchmarks.upload_throughput import clean_env, qiaofang_command


def demo_folder(root: Path) -> Path:
    data = root / "demo"
    for args in (["init"], ["demo", "--no-serve"]):
        subprocess.run([qiaofang_command(), "--data", str(data), *args], check=True, capture_output=True,
                       env=clean_env())
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--data", type=Path, help="a data folder with photos (default: a fresh demo)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="dossier-bench-") as tmp:
        data = args.data or demo_folder(Path(tmp))
        with sqlite3.connect(data / "qiaofang.db") as db:
            code = db.execute(
                "SELECT h.code FROM house h JOIN photo p ON p.house_id = h.id WHERE h.published = 1 "
                "AND h.deleted_at IS NULL AND p.public = 1 GROUP BY h.code ORDER BY count(*) DESC, h.code LIMIT 1"
            ).fetchone()[0]
        app = create_app({"DATA": data})
        client = app.test_client()
        url = f"/houses/{code}/dossier.pdf"
        size = len(client.get(url).data)  # imports WeasyPrint
        drawn: list[float] = []
        cached: list[float] = []
        for _ in range(args.rounds):
            shutil.rmtree(data / "dossier-cache", ignore_errors=True)
            for times in (drawn, cached):
                started = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - started)
                assert response.status_code == 200 and len(response.data) == size
        app.extensions["qiaofang"].close()
    print(f"{url} ({size / 1000:,.0f} kB), medians of {args.rounds}; load average {os.getloadavg()[0]:.2f}")
    print(f"drawn (baseline)  {1000 * statistics.median(drawn):8.1f} ms")
    print(f"from the cache    {1000 * statistics.median(cached):8.1f} ms  "
          f"{statistics.median(cached) / statistics.median(drawn):.3f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
