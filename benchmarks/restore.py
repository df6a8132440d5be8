"""Restore time of the demo archive: `qiaofang restore` end to end, against a plain copy as the floor.

What it measures: the demo data set is loaded once with the real command (`qiaofang --data D demo
--no-serve`) into a temporary folder and backed up (`qiaofang --data D backup B`; the full first
backup and a second, incremental one are timed too). Then, round by round, two variants run
interleaved (the order alternates, because the machine is shared):

* restore   `qiaofang restore B --data R` into a new empty folder: wall time of the process
            (interpreter start-up included, as an archivist runs it), split into the phases the
            command reports on its `time:` line (database, originals, derivatives, search), and
            its CPU time (user + system, steadier than wall time on a shared machine); the
            derivatives are remade in one worker process per core (the default);
* restore --workers 1   the same with the derivatives remade in this one process, one photo after
            another (how restore worked before the worker pool): the same-run baseline;
* cp -r     `cp -r B C`: copying the backup folder once, bytes only: the floor under any restore
            (no hashing, no fsync, no derivatives, no index).

Medians over the rounds are printed (and the ratio of the two restores), with the load average
before and after. The restored
archive of the first round is checked with `qiaofang check` (it must pass, else the figures mean
nothing). Run from the repository root in the virtualenv:

    python -m benchmarks.restore              # 3 rounds
    python -m benchmarks.restore --rounds 5

Everything it writes lives in a temporary folder that is removed at the end.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PHASES = ("database", "originals", "derivatives", "search")
LAST_CPU = [0.0]  # CPU seconds (user + system) of the last qiaofang process: steadier than wall on a shared machine


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def qiaofang(*args: str) -> tuple[str, float]:
    """Run the command; its output and wall seconds (its CPU seconds go to LAST_CPU)."""
    command = [str(Path(sys.executable).with_name("qiaofang")), *args]
    env = {k: v for k, v in os.environ.items() if not k.startswith("QIAOFANG_")}
    cpu, start = children_cpu(), time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    elapsed = time.perf_counter() - start
    LAST_CPU[0] = children_cpu() - cpu
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done.stdout, elapsed


def folder_size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def phases(output: str) -> dict[str, float]:
    line = next(line for line in output.splitlines() if line.strip().startswith("time:"))
    return {name: float(value) for name, value in re.findall(r"(\w+) ([\d.]+) s", line)}


def timed_copy(source: Path, target: Path) -> float:
    start = time.perf_counter()
    subprocess.run(["cp", "-r", str(source), str(target)], check=True)
    return time.perf_counter() - start


VARIANTS = {"restore": (), "restore --workers 1": ("--workers", "1")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()}")
    with tempfile.TemporaryDirectory(prefix="qf-restore-bench-") as temporary:
        work = Path(temporary)
        demo, backup = work / "demo", work / "backup"
        _, load_seconds = qiaofang("--data", str(demo), "demo", "--no-serve")
        _, full_backup = qiaofang("--data", str(demo), "backup", str(backup))
        _, incremental = qiaofang("--data", str(demo), "backup", str(backup))
        files, size = folder_size(backup)
        print(f"demo loaded in {load_seconds:.1f} s; backup folder: {files} files, {size / 1e6:.1f} MB; "
              f"first backup {full_backup:.1f} s, second (incremental) {incremental:.1f} s")
        copies: list[float] = []
        walls: dict[str, list[float]] = {variant: [] for variant in VARIANTS}
        cpus: dict[str, list[float]] = {variant: [] for variant in VARIANTS}
        split: dict[str, dict[str, list[float]]] = {variant: {name: [] for name in PHASES} for variant in VARIANTS}
        order = [*VARIANTS, "cp"]
        for number in range(args.rounds):
            copy = work / f"copy-{number}"
            for variant in order[number % len(order):] + order[:number % len(order)]:  # rotated each round
                if variant == "cp":
                    copies.append(timed_copy(backup, copy))
                    shutil.rmtree(copy)
                    continue
                target = work / f"restored-{number}"
                output, wall = qiaofang("restore", str(backup), "--data", str(target), *VARIANTS[variant])
                walls[variant].append(wall)
                cpus[variant].append(LAST_CPU[0])
                for name, seconds in phases(output).items():
                    split[variant][name].append(seconds)
                if number == 0:
                    check, _ = qiaofang("--data", str(target), "check")
                    print(f"{variant}: {check.strip().splitlines()[-1]}")
                shutil.rmtree(target)
        report(args.rounds, walls, cpus, split, copies)
    print(f"load average after: {os.getloadavg()}")


def report(rounds: int, walls: dict[str, list[float]], cpus: dict[str, list[float]],
           split: dict[str, dict[str, list[float]]], copies: list[float]) -> None:
    print(f"\nmedians over {rounds} rounds, {os.cpu_count()} cores")
    print(f"{'':<24}" + "".join(f"{variant:>22}" for variant in VARIANTS))
    rows = {"wall": walls, "CPU (user+sys)": cpus} | {
        f"  {name}": {variant: split[variant][name] for variant in VARIANTS} for name in PHASES}
    for label, values in rows.items():
        print(f"{label:<24}" + "".join(f"{statistics.median(values[variant]):>22.2f}" for variant in VARIANTS))
    print(f"{'cp -r (floor)':<24}{statistics.median(copies):>22.2f}")
    one, default = statistics.median(walls["restore --workers 1"]), statistics.median(walls["restore"])
    derivatives_one = statistics.median(split["restore --workers 1"]["derivatives"])
    derivatives_default = statistics.median(split["restore"]["derivatives"])
    print(f"ratio --workers 1 / default: wall {one / default:.2f}, "
          f"derivatives {derivatives_one / derivatives_default:.2f}")
    for variant in VARIANTS:
        print(f"all rounds, {variant}: {[round(w, 2) for w in walls[variant]]}")
    print(f"all rounds, cp: {[round(c, 2) for c in copies]}")


if __name__ == "__main__":
    main()
