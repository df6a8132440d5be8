"""How long `qiaofang --help` takes to start, against Flask and SQLAlchemy alone, in one run.

Variants, each a fresh interpreter (`sys.executable`), interleaved round by round:

* baseline      python -c "import flask, sqlalchemy"  (what any Flask + SQLAlchemy CLI must load)
* help          python -m archive.cli --help
* import-help   python -m archive.cli import --help   (a command's own help)
* heavy         python -c "import archive.cli, search, media.derivatives, importers, archive.services.searching"
                (the search, image, spreadsheet and pinyin stacks `--help` no longer loads: what it
                cost before, for scale)

The table gives the median wall time and the median CPU time (user + sys of the child) in
milliseconds, and each median's ratio to the baseline's. The machine may be shared: compare the
ratios, and the CPU column more than the wall one.

Run from the repository root:
    python -m benchmarks.cli_start [--rounds 15]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VARIANTS = {
    "baseline": ["-c", "import flask, sqlalchemy"],
    "help": ["-m", "archive.cli", "--help"],
    "import-help": ["-m", "archive.cli", "import", "--help"],
    "heavy": ["-c", "import archive.cli, search, media.derivatives, importers, archive.services.searching"],
}


def run_once(args: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one fresh interpreter running ``args``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([sys.executable, *args], cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
                   env={**os.environ, "PYTHONPATH": str(ROOT)})
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=15)
    options = parser.parse_args()
    for args in VARIANTS.values():  # warm the file cache (.pyc) once, unmeasured
        run_once(args)
    walls: dict[str, list[float]] = {name: [] for name in VARIANTS}
    cpus: dict[str, list[float]] = {name: [] for name in VARIANTS}
    for _ in range(options.rounds):
        for name, args in VARIANTS.items():
            wall, cpu = run_once(args)
            walls[name].append(wall)
            cpus[name].append(cpu)
    base_wall = statistics.median(walls["baseline"])
    base_cpu = statistics.median(cpus["baseline"])
    print(f"{options.rounds} rounds, interleaved; load average {os.getloadavg()[0]:.2f}")
    print(f"{'variant':12} {'wall ms':>8} {'x base':>7} {'CPU ms':>8} {'x base':>7}")
    for name in VARIANTS:
        wall, cpu = statistics.median(walls[name]), statistics.median(cpus[name])
        print(f"{name:12} {wall * 1000:8.0f} {wall / base_wall:7.2f} {cpu * 1000:8.0f} {cpu / base_cpu:7.2f}")


if __name__ == "__main__":
    main()
