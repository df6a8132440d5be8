"""The whole import path through the database: survey sheets and photo folders, into a fresh archive.

What it measures:

1. `qiaofang --data D import sheet FILE` as a user runs it (a subprocess: start-up, parse, apply in
   one transaction, commit, search indexing, printing the row-by-row report), in a fresh data
   folder, for the two CSV files (`import sheet houses.csv records.csv`, one command; and, for
   reference, outside the goal, as two commands, houses then records) and for the .xlsx workbook
   (both sheets, one command): rows per second for the whole command. The start-up of the command
   alone (`qiaofang import list` on the same folder) is given for reference.
2. The same work in-process, phase by phase, with the archive's own functions:
   `archive.services.sheets.read_survey_for_archive` (parse), `archive.services.imports.plan_survey`
   (plan, rolled back), `apply_survey` inside `state.transaction()` (apply: its own plan and the
   inserts, then the commit) and the search indexing the command runs after it (`_drain` of
   archive/commands_import.py); then a re-import of the same workbook (every row unchanged).
3. `qiaofang import photos DIR --workers 1` and `--workers 2`: 1,000 distinct 12 MP phone photos
   (generated as in benchmarks/upload_throughput.py, about 4.3 MB each) in folders named by house
   code, over 100 houses of the imported survey, each run into its own copy of the imported archive.

Goals: >= 2,000 sheet rows per second for the whole import; photo folder import >= 10 photos/s on
2 cores. When a goal is missed (or with --profile) the slow path is profiled with py-spy: the
sheet command on a survey of at most 2,000 houses (with its index-building worker processes),
split into start-up, parse, apply, commit, search indexing; and `import photos --workers 1` on
at most 100 photos, split into hashing, fsync, derivatives, recording rows and indexing.

The survey is made by `generate_survey` of benchmarks/import_sheets.py (10,000 houses and 80,000
records by default: Chinese in both scripts, dates as written, GCJ-02 coordinates, pinyin noise).
Runs are sequential (each full-size step takes minutes); with --repeat N each step runs N times,
interleaved, and medians are shown. The load average is printed before and after, since the
machine may be shared. Time at full size: about 12 minutes at the speeds measured in November 2026
(700-900 sheet rows/s; 6 and 13 photos/s), about 8 once the sheet goal is met; the quick sizes
below take about 5. Baselines to install: none (py-spy for the profiles: pip install py-spy).

Run from the repository root, in the virtualenv:

    python -m benchmarks.import_archive                                   # full size
    python -m benchmarks.import_archive --houses 2000 --records 16000 --photos 200     # quick
    python -m benchmarks.import_archive --skip-photos --profile            # sheets only, profiled

Everything is written to a temporary folder that is removed at the end.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from archive import create_app
from archive.services import Actor
from benchmarks.import_sheets import SurveyFiles, generate_survey
from benchmarks.upload_throughput import (
    CATEGORIES,
    categorise,
    clean_env,
    make_photos,
    qiaofang_command,
    read_collapsed,
)

GOAL_ROWS_PER_SECOND = 2000.0
# The goal is for one `import sheet` command holding the whole survey. The CSV pair imported by two
# commands (houses, then records) is shown for reference: each command ends by bringing the search
# indexes up to date, so the houses are indexed twice.
CSV_ONE = "csv pair (1 command)"
CSV_TWO = "csv pair (2 commands, reference)"
GOAL_PHOTOS_PER_SECOND = 10.0
SUMMARY = re.compile(r"(\d+) created, (\d+) updated, (\d+) unchanged, (\d+) skipped, (\d+) errors")


def load() -> str:
    return "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


@dataclass
class Command:
    """One finished `qiaofang` command: wall time, CPU of the process tree, its summary counts."""

    seconds: float
    cpu_seconds: float
    counts: dict[str, int]
    output: str


def run_qiaofang(data: Path, *args: str) -> Command:
    command = [qiaofang_command(), "--data", str(data), *args]
    before = os.times()
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=clean_env())
    seconds = time.perf_counter() - started
    after = os.times()
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n"
                         f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    found = SUMMARY.findall(done.stdout)
    names = ("created", "updated", "unchanged", "skipped", "errors")
    counts = dict(zip(names, map(int, found[-1]), strict=True)) if found else {}
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return Command(seconds, cpu, counts, done.stdout)


def copy_data(source: Path, target: Path) -> Path:
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target, symlinks=True)  # index/*/current is a symlink
    return target


# --------------------------------------------------------------------------------------------
# 1. The whole command


@dataclass
class SheetRun:
    label: str
    rows: int
    commands: list[Command]

    @property
    def seconds(self) -> float:
        return sum(c.seconds for c in self.commands)

    @property
    def cpu_seconds(self) -> float:
        return sum(c.cpu_seconds for c in self.commands)


def cli_imports(work: Path, template: Path, files: SurveyFiles, repeat: int) -> tuple[list[SheetRun], Path, float]:
    """CSV pair, workbook and re-import of the workbook, `repeat` times, interleaved; also the
    start-up time of the command; returns the runs, a data folder holding the imported survey,
    and the start-up seconds."""
    rows = files.houses + files.records
    runs: list[SheetRun] = []
    startups: list[float] = []
    imported = work / "imported"
    for round_no in range(repeat):
        csv_data = copy_data(template, work / "cli-csv")
        startups.append(run_qiaofang(csv_data, "import", "list").seconds)
        csv_one = run_qiaofang(csv_data, "import", "sheet", str(files.houses_csv), str(files.records_csv))
        check_counts("csv pair, one command", [csv_one], created=rows)
        runs.append(SheetRun(CSV_ONE, rows, [csv_one]))
        shutil.rmtree(csv_data)
        csv_data = copy_data(template, work / "cli-csv")
        csv_pair = [run_qiaofang(csv_data, "import", "sheet", str(files.houses_csv)),
                    run_qiaofang(csv_data, "import", "sheet", str(files.records_csv))]
        check_counts("csv pair", csv_pair, created=rows)
        runs.append(SheetRun(CSV_TWO, rows, csv_pair))
        print(f"  round {round_no + 1}: csv pair {csv_one.seconds:.1f} s in one command, "
              f"{sum(c.seconds for c in csv_pair):.1f} s in two", flush=True)
        shutil.rmtree(csv_data)
        xlsx_data = copy_data(template, imported)
        xlsx = run_qiaofang(xlsx_data, "import", "sheet", str(files.xlsx))
        check_counts("xlsx", [xlsx], created=rows)
        runs.append(SheetRun("xlsx (1 command)", rows, [xlsx]))
        again = run_qiaofang(xlsx_data, "import", "sheet", str(files.xlsx))
        check_counts("xlsx re-import", [again], unchanged=rows)
        runs.append(SheetRun("xlsx re-import (all unchanged)", rows, [again]))
        print(f"  round {round_no + 1}: xlsx {xlsx.seconds:.1f} s, re-import {again.seconds:.1f} s", flush=True)
    return runs, imported, statistics.median(startups)


def check_counts(label: str, commands: list[Command], **expected: int) -> None:
    totals = Counter[str]()
    for command in commands:
        totals.update(command.counts)
    for name, value in expected.items():
        if totals[name] != value:
            raise SystemExit(f"{label}: expected {value} {name}, the commands said {dict(totals)}")


def report_cli(runs: list[SheetRun], startup: float) -> float:
    print(f"\n1. `qiaofang import sheet`, whole command (subprocess), median of "
          f"{len(runs) // len({r.label for r in runs})} run(s); "
          f"start-up of the command alone: {startup:.1f} s")
    print(f"{'file':34} {'rows':>7} {'seconds':>8} {'rows/s':>8} {'CPU s':>7}")
    rates: dict[str, float] = {}
    for label in dict.fromkeys(r.label for r in runs):
        group = [r for r in runs if r.label == label]
        seconds = statistics.median(r.seconds for r in group)
        rates[label] = group[0].rows / seconds
        print(f"{label:34} {group[0].rows:7,} {seconds:8.1f} {rates[label]:8,.0f} "
              f"{statistics.median(r.cpu_seconds for r in group):7.1f}")
    return min(v for k, v in rates.items() if "re-import" not in k and k != CSV_TWO)


# --------------------------------------------------------------------------------------------
# 2. In-process phases


@dataclass
class Phases:
    label: str
    rows: int
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def total(self) -> float:
        """Everything the command does, once: the separately timed plan is also inside apply."""
        return sum(v for k, v in self.seconds.items() if not k.startswith("plan ("))

    def add(self, phase: str, seconds: float) -> None:
        self.seconds[phase] = self.seconds.get(phase, 0.0) + seconds


@contextmanager
def timed(phases: Phases, phase: str) -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        phases.add(phase, time.perf_counter() - started)


def in_process(data: Path, files: Sequence[Path], label: str, rows: int) -> Phases:
    """Parse, plan, apply + commit each file in turn, then index, as `import sheet` does."""
    import archive.cli  # noqa: F401 - registers the commands (importing commands_import first is circular)
    from archive.commands_import import _drain
    from archive.services.imports import apply_survey, plan_survey
    from archive.services.sheets import read_survey_for_archive

    phases = Phases(label, rows)
    app = create_app({"DATA": str(data)})
    state = app.extensions["qiaofang"]
    actor = Actor("benchmark")
    try:
        for path in files:
            with timed(phases, "parse"):
                result = read_survey_for_archive(state, [path])
            if result.errors:
                raise SystemExit(f"{path.name}: {len(result.errors)} errors, e.g. {result.errors[:2]}")
            with timed(phases, "plan (read-only, rolled back)"), state.transaction() as db:
                plan_survey(db, result)
                db.rollback()
            with state.transaction() as db:
                with timed(phases, "apply (its own plan + writes)"):
                    apply_survey(db, actor, result, source=str(path))
                started = time.perf_counter()
            phases.add("commit", time.perf_counter() - started)
        with timed(phases, "search indexing (as the command)"), app.app_context():
            _drain()
    finally:
        state.db.dispose()
    return phases


def report_phases(runs: list[Phases]) -> None:
    print("\n2. in-process phases: seconds (share of the total); the plan alone is also part of apply")
    labels = list(dict.fromkeys(r.label for r in runs))
    names = list(dict.fromkeys(name for r in runs for name in r.seconds))
    print(f"{'phase':34} " + " ".join(f"{label:>22}" for label in labels))
    for name in names:
        cells = []
        for label in labels:
            group = [r for r in runs if r.label == label]
            value = statistics.median(r.seconds.get(name, 0.0) for r in group)
            share = value / statistics.median(r.total for r in group) * 100
            cells.append(f"{value:8.2f} s ({share:3.0f} %)")
        print(f"{name:34} " + " ".join(f"{c:>22}" for c in cells))
    cells = []
    for label in labels:
        group = [r for r in runs if r.label == label]
        total = statistics.median(r.total for r in group)
        cells.append(f"{total:8.2f} s {group[0].rows / total:6,.0f}/s")
    print(f"{'total, rows/s':34} " + " ".join(f"{c:>22}" for c in cells))


MAIN_PHASES: list[tuple[str, re.Pattern[str]]] = [
    ("start-up (imports, app, schema check)", re.compile(r"^(?!.*\bimport_sheet\b)")),
    ("parse (read_survey_for_archive)", re.compile(r"\bread_survey_for_archive\b")),
    ("index: documents from the database", re.compile(r"\b_drain\b.*\b(all_documents|house_documents)\b")),
    ("index: waiting for the index workers", re.compile(r"\b_drain\b.*(poll|select|acquire|Queue\.put|_recv|wait)"
                                                        r" \([^;]*$")),
    ("index: main process, other", re.compile(r"\b_drain\b")),
    ("apply (plan + inserts, apply_survey)", re.compile(r"\bapply_survey\b")),
    ("printing the row-by-row report", re.compile(r"\bshow_plans\b|\bshow_problems\b|\bsummary\b")),
    ("commit", re.compile(r"\bcommit\b|\btransaction\b")),
]
WORKER_STEPS: list[tuple[str, re.Pattern[str]]] = [
    ("loading jieba's dictionary (per worker)", re.compile(r"Tokenizer\.initialize")),
    ("segmentation (jieba, search/segment.py)", re.compile(r"segment\.py|jieba/")),
    ("analysis (folding, pinyin, aliases)", re.compile(r"search/(storage/analysis|text|pinyin|aliases)\.py")),
    ("writing postings (codec, whoosh)", re.compile(r"search/storage/codec\.py|whoosh/")),
]
IDLE_LEAF = re.compile(r"^(poll|select|_recv|_recv_bytes|recv|SemLock|Condition\.wait|wait|Event\.wait|acquire)\b"
                       r"|\.(poll|select|_recv|_recv_bytes|wait|acquire|get|__enter__) \(")


PROFILE_RATE = 100  # py-spy samples per second


def have_py_spy(what: str) -> bool:
    if shutil.which("py-spy") is None:
        print(f"\n{what} profile skipped: py-spy is not installed (pip install py-spy)")
        return False
    return True


def py_spy_record(
    what: str, args: list[str], out: Path, *, subprocesses: bool = False
) -> tuple[list[tuple[str, int]], float] | None:
    """``qiaofang ARGS`` under py-spy (idle time included) into ``out``: the collapsed stacks and
    the seconds it ran, or None (said why) when it failed."""
    command = [shutil.which("py-spy") or "py-spy", "record", "--rate", str(PROFILE_RATE), "--format", "raw",
               "--output", str(out), "--idle", *(["--subprocesses"] if subprocesses else []), "--",
               qiaofang_command(), *args]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=clean_env())
    seconds = time.perf_counter() - started
    stacks = read_collapsed(out)
    if done.returncode != 0 or not stacks:
        print(f"\n{what} profile failed: {done.stderr[-500:]}")
        return None
    return stacks, seconds


def profile_sheets(template: Path, work: Path, houses: int, records: int) -> None:
    """py-spy (with the index workers) around `qiaofang import sheet` of a workbook: where time goes."""
    if not have_py_spy("sheet import"):
        return
    files = generate_survey(work / "profile-survey", houses=houses, records=records, seed=7)
    data = copy_data(template, work / "profile-sheets")
    rate = PROFILE_RATE
    profiled = py_spy_record("sheet import", ["--data", str(data), "import", "sheet", str(files.xlsx)],
                             work / "profile-sheets.txt", subprocesses=True)
    shutil.rmtree(data)
    if profiled is None:
        return
    stacks, seconds = profiled
    main: Counter[str] = Counter()
    workers: Counter[str] = Counter()
    worker_leaves: Counter[str] = Counter()
    main_leaves: Counter[str] = Counter()
    for stack, samples in stacks:
        frames = stack.split(";")
        if len(frames) < 2:
            continue
        if frames[1].startswith("process "):  # an index worker (multiprocessing child)
            if not IDLE_LEAF.search(frames[-1]):
                workers[categorise(stack, WORKER_STEPS, "other")] += samples
                worker_leaves[frames[-1]] += samples
        elif frames[1].startswith("<module>"):  # the command's main thread
            body = ";".join(frames[1:])
            main[categorise(body, MAIN_PHASES, "other")] += samples
            main_leaves[frames[-1]] += samples
    rows = files.houses + files.records
    print(f"\nprofile (py-spy, `import sheet survey.xlsx` of {files.houses:,} houses + {files.records:,} records, "
          f"{seconds:.0f} s under the sampler; {rows / seconds:,.0f} rows/s)")
    total = sum(main.values()) or 1
    print("  the command's main thread, wall time:")
    for label, samples in main.most_common():
        print(f"    {samples / rate:7.1f} s {samples / total * 100:5.1f}%  {label}")
    busy = sum(workers.values()) or 1
    print(f"  index build workers, busy CPU time ({busy / rate:.1f} s in all):")
    for label, samples in workers.most_common():
        print(f"    {samples / rate:7.1f} s {samples / busy * 100:5.1f}%  {label}")
    print("  hottest functions, main thread (own wall time):")
    for frame, samples in [(f, n) for f, n in main_leaves.most_common(14) if not IDLE_LEAF.search(f)][:10]:
        print(f"    {samples / rate:7.2f} s  {frame}")
    print("  hottest functions, index workers (own time):")
    for frame, samples in worker_leaves.most_common(8):
        print(f"    {samples / rate:7.2f} s  {frame}")


# --------------------------------------------------------------------------------------------
# 3. Photo folders


def make_photo_folder(folder: Path, codes: Sequence[str], count: int) -> int:
    """`count` photos over `codes`, in a folder per house as cameras and phones export them."""
    paths = [folder / codes[i % len(codes)] / f"IMG_{20240501 + i // len(codes)}_{i:05d}.jpg" for i in range(count)]
    return make_photos(paths, first_index=100_000, workers=os.cpu_count() or 1)


@dataclass
class PhotoRun:
    workers: int
    photos: int
    command: Command

    @property
    def rate(self) -> float:
        return self.photos / self.command.seconds


def photo_imports(imported: Path, work: Path, folder: Path, photos: int, workers: Sequence[int],
                  repeat: int) -> list[PhotoRun]:
    runs: list[PhotoRun] = []
    for _ in range(repeat):
        for count in workers:
            data = copy_data(imported, work / "photo-import")
            command = run_qiaofang(data, "import", "photos", str(folder), "--workers", str(count))
            check_counts(f"photos --workers {count}", [command], created=photos)
            runs.append(PhotoRun(count, photos, command))
            print(f"  --workers {count}: {photos} photos in {command.seconds:.1f} s", flush=True)
            shutil.rmtree(data)
    return runs


def report_photos(runs: list[PhotoRun], megabytes: float) -> float:
    print(f"\n3. `qiaofang import photos DIR` (whole command), {runs[0].photos} photos of median {megabytes:.1f} MB")
    print(f"{'workers':>7} {'runs':>4} {'seconds':>8} {'photos/s':>9} {'MB/s':>6} {'CPU s':>7} {'CPU ms/photo':>12}")
    best = 0.0
    for count in dict.fromkeys(r.workers for r in runs):
        group = [r for r in runs if r.workers == count]
        seconds = statistics.median(r.command.seconds for r in group)
        cpu = statistics.median(r.command.cpu_seconds for r in group)
        rate = group[0].photos / seconds
        best = max(best, rate)
        print(f"{count:7} {len(group):4} {seconds:8.1f} {rate:9.2f} {rate * megabytes:6.1f} {cpu:7.1f} "
              f"{cpu / group[0].photos * 1000:12.0f}")
    cpu_ms = min(statistics.median(r.command.cpu_seconds for r in runs if r.workers == count) / runs[0].photos * 1000
                 for count in {r.workers for r in runs})
    cores = os.cpu_count() or 1
    print(f"CPU ceiling: {cores} cores / {cpu_ms:.0f} CPU ms per photo = {cores * 1000 / cpu_ms:.1f} photos/s "
          "on an idle machine with every core busy")
    return best


PHOTO_CATEGORIES = [
    ("sha256 of each file first (file_sha256)", re.compile(r"\bfile_sha256\b")),
    *CATEGORIES[:3],
    ("recording rows (record_photo, commit)", re.compile(r"\b_record\b|\brecord_photo\b")),
    ("search index update (drain_queue)", re.compile(r"\b_drain\b|\bdrain_queue\b|\breindex\b")),
    ("scanning the folder", re.compile(r"\bscan_folder\b|\bscan_photo_folder\b")),
]


def profile_photos(imported: Path, work: Path, folder: Path, count: int) -> None:
    """py-spy around `import photos --workers 1` on the first `count` photos: where the time goes."""
    if not have_py_spy("photo import"):
        return
    subset = work / "photos-subset"
    for path in sorted(folder.rglob("*.jpg"))[:count]:
        target = subset / path.parent.name / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        os.link(path, target)
    data = copy_data(imported, work / "photo-profile")
    profiled = py_spy_record("photo import", ["--data", str(data), "import", "photos", str(subset), "--workers", "1"],
                             work / "photo-profile.txt")
    shutil.rmtree(data)
    shutil.rmtree(subset)
    if profiled is None:
        return
    stacks, seconds = profiled
    by: Counter[str] = Counter()
    leaves: Counter[str] = Counter()
    for stack, samples in stacks:
        by[categorise(stack, PHOTO_CATEGORIES, "other (start-up, imports, ...)")] += samples
        leaves[stack.rsplit(";", 1)[-1]] += samples
    print(f"\nprofile (py-spy, `import photos --workers 1`, {count} photos, {seconds:.0f} s sampled; "
          "wall ms per photo)")
    for label, samples in by.most_common():
        print(f"    {samples * 10 / count:7.0f}  {label}")
    print("  hottest functions (own wall time, ms per photo):")
    for frame, samples in [(f, n) for f, n in leaves.most_common(13) if f.strip()][:12]:
        print(f"    {samples * 10 / count:7.1f}  {frame}")


# --------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--houses", type=int, default=10_000, help="houses in the survey (default 10,000)")
    parser.add_argument("--records", type=int, default=80_000, help="records in the survey (default 80,000)")
    parser.add_argument("--photos", type=int, default=1000, help="photos in the folder (default 1,000)")
    parser.add_argument("--photo-houses", type=int, default=100, help="houses the photos belong to (default 100)")
    parser.add_argument("--workers", default="1,2", help="--workers values for import photos (default 1,2)")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each step, interleaved (default 1)")
    parser.add_argument("--skip-photos", action="store_true", help="sheets only")
    parser.add_argument("--phases-csv", action="store_true", help="also time the in-process phases of the csv pair")
    parser.add_argument("--skip-sheets-cli", action="store_true", help="no subprocess sheet imports (phases only)")
    parser.add_argument("--profile", action="store_true", help="profile even when the goals are met")
    parser.add_argument("--no-profile", action="store_true", help="do not profile when a goal is missed")
    args = parser.parse_args(argv)
    print("command: python -m benchmarks.import_archive", *(argv if argv is not None else sys.argv[1:]))
    print(f"load average before: {load()} ({os.cpu_count()} cores)")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="import-bench-") as tmp:
        work = Path(tmp)
        files = generate_survey(work / "survey", houses=args.houses, records=args.records)
        rows = files.houses + files.records
        print(f"survey: {files.houses:,} houses + {files.records:,} records generated "
              f"in {time.perf_counter() - started:.0f} s", flush=True)
        template = work / "template"
        subprocess.run([qiaofang_command(), "--data", str(template), "init"], check=True, capture_output=True,
                       env=clean_env())

        sheet_rate = float("nan")
        imported = work / "imported"
        if not args.skip_sheets_cli:
            cli_runs, imported, startup = cli_imports(work, template, files, args.repeat)
            sheet_rate = report_cli(cli_runs, startup)

        phase_runs: list[Phases] = []
        for _ in range(args.repeat):
            variants = [("csv pair", [files.houses_csv, files.records_csv])] if args.phases_csv else []
            for label, paths in [*variants, ("xlsx", [files.xlsx])]:
                data = copy_data(template, work / f"phases-{label.replace(' ', '-')}")
                phase_runs.append(in_process(data, paths, label, rows))
                if label == "xlsx" and args.skip_sheets_cli:
                    copy_data(data, imported)
                if label == "xlsx":
                    phase_runs.append(in_process(data, paths, "xlsx re-import", rows))
                shutil.rmtree(data)
        report_phases(phase_runs)
        if args.skip_sheets_cli:
            totals = [r for r in phase_runs if r.label != "xlsx re-import"]
            sheet_rate = min(r.rows / r.total for r in totals)
        sheets_met = sheet_rate >= GOAL_ROWS_PER_SECOND
        print(f"\ngoal: >= {GOAL_ROWS_PER_SECOND:,.0f} sheet rows/s for the whole import: "
              f"{'met' if sheets_met else 'MISSED'} (slowest: {sheet_rate:,.0f} rows/s"
              f"{' in-process, without start-up' if args.skip_sheets_cli else ''})")
        if args.profile or (not sheets_met and not args.no_profile):
            size = min(1.0, 2000 / max(1, args.houses))
            profile_sheets(template, work, max(1, round(args.houses * size)), max(1, round(args.records * size)))

        if not args.skip_photos:
            folder = work / "photos"
            codes = files.house_codes[: args.photo_houses]
            gen_started = time.perf_counter()
            size = make_photo_folder(folder, codes, args.photos)
            print(f"\nphotos: {args.photos} generated over {len(codes)} houses ({size / 1e6:,.0f} MB) "
                  f"in {time.perf_counter() - gen_started:.0f} s", flush=True)
            workers = [int(w) for w in args.workers.split(",") if w.strip()]
            photo_runs = photo_imports(imported, work, folder, args.photos, workers, args.repeat)
            best = report_photos(photo_runs, size / args.photos / 1e6)
            photos_met = best >= GOAL_PHOTOS_PER_SECOND
            print(f"\ngoal: >= {GOAL_PHOTOS_PER_SECOND:.0f} photos/s for a photo folder on {os.cpu_count()} cores: "
                  f"{'met' if photos_met else 'MISSED'} (best: {best:.2f} photos/s)")
            if args.profile or (not photos_met and not args.no_profile):
                profile_photos(imported, work, folder, min(args.photos, 100))
    print(f"load average after: {load()}; total {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
