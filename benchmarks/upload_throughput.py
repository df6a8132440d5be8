"""Photo upload throughput over HTTP: `qiaofang serve` (gunicorn) taking 12 MP phone photos.

What it measures: end-to-end uploads through the JSON API, `POST /api/houses/BM-1/photos`
(multipart field `file`, `Authorization: Bearer TOKEN`), as field staff's phones or the staff
upload page send them: the server reads the body, stores the original (sha256, fsync), makes the
three derivatives, records the row, commits and updates the search index before it answers 201.
For each variant (server threads x concurrent clients) it reports photos/s, MB/s, the median and
p95 latency of one upload, the 201 count and the server's CPU (100 % = one core), and the CPU
ceiling (cores / CPU time per photo). A what-if variant (unless --no-what-if) runs the largest
configuration with QIAOFANG_SEARCH_SYNC=false, i.e. without the search index update in the
request, to show what that update costs. Goal (issue): at least 10 twelve-megapixel photos per
second on 2 cores (judged on the shipped configuration only).

How: one data folder is made with the real commands (`qiaofang init`, `user add ed --role
editor`, `token create ed`, `import sheet` of a one-row CSV creating house BM-1) and copied
afresh for every run, so every run starts from the same empty house; the server is
`qiaofang --data D serve --port P --threads T` in a subprocess; clients are threads using
`http.client` over keep-alive connections to 127.0.0.1 only. Two warm-up uploads precede each
timed batch (Pillow plugins, jieba's dictionary). Variants are interleaved round by round (the
order rotates) and medians over rounds are reported, because the machine is shared; the load
average is printed before and after. Photos are distinct 4032 x 3024 JPEGs (about 4.3 MB: the
texture of benchmarks/derivatives.py, shifted and drawn on per photo, EXIF with GPS, half with
orientation 6), generated once per run of this script into a temporary folder.

With `--profile` (or automatically when the goal is missed, unless `--no-profile`), one more run
(8 threads, 4 clients) is sampled with py-spy twice, once all active threads and once only the
thread holding the GIL, and the time is split into derivative work, hashing/copying the
original, fsync, database, search indexing, multipart parsing, HTTP I/O and the rest.

Baselines / tools: none to install for the measurement; the profile needs py-spy
(`pip install py-spy`; it attaches with ptrace, so root or kernel.yama.ptrace_scope=0).

Run from the repository root, in the virtualenv:

    python -m benchmarks.upload_throughput                      # 3 rounds x 5 variants x 40 photos
    python -m benchmarks.upload_throughput --photos 12 --rounds 1 --threads 8 --clients 2   # quick
    python -m benchmarks.upload_throughput --profile            # also profile the server

Everything it writes lives in a temporary folder that is removed at the end.
"""

from __future__ import annotations

import argparse
import collections
import http.client
import itertools
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw

from benchmarks.derivatives import phone_exif, photo_like

WIDTH, HEIGHT = 4032, 3024
HOUSE = "BM-1"
PASSWORD = "pw1234567890"
GOAL_PHOTOS_PER_SECOND = 10.0
WARM_UP = 2
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

# --------------------------------------------------------------------------------------------
# Photos


_bases: dict[int, Image.Image] = {}


def _base(number: int) -> Image.Image:
    """One of a few expensive textured pictures (0.7 s each), kept per process."""
    if number not in _bases:
        _bases[number] = photo_like(WIDTH, HEIGHT, 1000 + number)
    return _bases[number]


def _write_photo(job: tuple[Path, int, int]) -> int:
    """Write photo number `index`: a base picture shifted and drawn on, so every file differs."""
    path, index, bases = job
    rnd = random.Random(index)
    picture = ImageChops.offset(_base(index % bases), rnd.randrange(WIDTH), rnd.randrange(HEIGHT))
    draw = ImageDraw.Draw(picture)
    for _ in range(12):
        x, y = rnd.randrange(WIDTH), rnd.randrange(HEIGHT)
        colour = (rnd.randrange(256), rnd.randrange(256), rnd.randrange(256))
        draw.rectangle([x, y, x + rnd.randrange(20, 600), y + rnd.randrange(20, 600)], outline=colour, width=6)
    picture.save(path, "JPEG", quality=88, exif=phone_exif(index, 6 if index % 2 else 1))
    return path.stat().st_size


def make_photos(paths: Sequence[Path], *, first_index: int = 0, bases: int = 4, workers: int = 2) -> int:
    """Write distinct 12 MP phone-like JPEGs to `paths` (parent folders are created); total bytes."""
    for path in paths:
        path.parent.mkdir(parents=True, exist_ok=True)
    jobs = [(path, first_index + i, bases) for i, path in enumerate(paths)]
    # Grouped by base picture, so that each worker makes few of the expensive bases.
    jobs.sort(key=lambda job: job[1] % bases)
    if workers <= 1 or len(jobs) < 8:
        return sum(map(_write_photo, jobs))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return sum(pool.map(_write_photo, jobs, chunksize=max(1, len(jobs) // (workers * bases))))


# --------------------------------------------------------------------------------------------
# The archive: data folder, server


def qiaofang_command() -> str:
    beside = Path(sys.executable).with_name("qiaofang")
    found = str(beside) if beside.exists() else shutil.which("qiaofang")
    if not found:
        raise SystemExit("the qiaofang command is not installed: pip install -e . in the virtualenv")
    return found


def clean_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment without QIAOFANG_* settings (the data folder is given with --data), with
    this checkout first on PYTHONPATH: the installed `qiaofang` script may be an editable install
    of another checkout, and the benchmark measures the code beside it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("QIAOFANG_")}
    root = str(Path(__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join([root, *filter(None, [env.get("PYTHONPATH")])])
    env.update(extra or {})
    return env


def qiaofang(data: Path, *args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> str:
    command = [qiaofang_command(), "--data", str(data), *args]
    done = subprocess.run(command, input=stdin, capture_output=True, text=True, env=env or clean_env())
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done.stdout


def make_template(data: Path) -> str:
    """A data folder with an editor and house BM-1, made through the real commands; the token."""
    qiaofang(data, "init")
    qiaofang(data, "user", "add", "ed", "--role", "editor", stdin=PASSWORD + "\n")
    token = qiaofang(data, "token", "create", "ed").strip().splitlines()[-1].strip()
    sheet = data.parent / "house.csv"
    sheet.write_text(f"编号,名称\n{HOUSE},测试楼\n", encoding="utf-8")
    qiaofang(data, "import", "sheet", str(sheet))
    return token


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU so far of a process and its live children (gunicorn's worker processes)."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if stat.parent.name == str(pid) or fields[1] == str(pid):  # fields[1] is the parent's pid
            total += (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    return total


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    @classmethod
    def start(cls, data: Path, threads: int, token: str, log: Path, env: dict[str, str] | None = None) -> Server:
        port = free_port()
        command = [qiaofang_command(), "--data", str(data), "serve", "--host", "127.0.0.1", "--port", str(port),
                   "--threads", str(threads)]
        with open(log, "wb") as out:
            process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=clean_env(env))
        server = cls(process, port, log)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise SystemExit(f"the server exited ({process.returncode}):\n{log.read_text()}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", f"/api/houses/{HOUSE}", headers={"Authorization": f"Bearer {token}"})
                if conn.getresponse().status == 200:
                    conn.close()
                    return server
                conn.close()
            except OSError:
                pass
            time.sleep(0.2)
        server.stop()
        raise SystemExit(f"the server did not answer within 60 s:\n{log.read_text()}")

    @property
    def pid(self) -> int:
        return self.process.pid

    def cpu_seconds(self) -> float:
        return process_cpu_seconds(self.pid)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


# --------------------------------------------------------------------------------------------
# Clients


@dataclass
class Upload:
    status: int
    seconds: float
    size: int
    warnings: list[str]


def multipart(path: Path) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    head = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{path.name}"\r\n'
            "Content-Type: image/jpeg\r\n\r\n").encode()
    return head + path.read_bytes() + f"\r\n--{boundary}--\r\n".encode(), boundary


def post_photo(conn: http.client.HTTPConnection, path: Path, token: str) -> Upload:
    body, boundary = multipart(path)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": f"multipart/form-data; boundary={boundary}"}
    started = time.perf_counter()
    conn.request("POST", f"/api/houses/{HOUSE}/photos", body=body, headers=headers)
    response = conn.getresponse()
    payload = response.read()
    seconds = time.perf_counter() - started
    warnings: list[str] = []
    if response.status == 201:
        warnings = [w["code"] for w in json.loads(payload).get("warnings", [])]
    elif response.status >= 400:
        print(f"  {path.name}: {response.status} {payload[:200]!r}", file=sys.stderr)
    return Upload(response.status, seconds, len(body), warnings)


def upload_all(port: int, token: str, photos: Sequence[Path], clients: int) -> tuple[list[Upload], float]:
    """Send every photo once with `clients` concurrent connections; the uploads and the wall time."""
    queue = iter(photos)
    lock = threading.Lock()
    done: list[Upload] = []

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        while True:
            with lock:
                path = next(queue, None)
            if path is None:
                break
            try:
                result = post_photo(conn, path, token)
            except (OSError, http.client.HTTPException) as exc:
                print(f"  {path.name}: {exc!r}", file=sys.stderr)
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
                result = Upload(0, 0.0, 0, [])
            with lock:
                done.append(result)
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return done, time.perf_counter() - started


# --------------------------------------------------------------------------------------------
# Runs


@dataclass
class Run:
    threads: int
    clients: int
    uploads: list[Upload]
    seconds: float
    cpu_seconds: float  # the server's
    client_cpu_seconds: float = 0.0
    search_sync: bool = True  # as shipped: the search index is updated before the answer

    @property
    def key(self) -> tuple[int, int, bool]:
        return self.threads, self.clients, self.search_sync

    @property
    def created(self) -> int:
        return sum(1 for u in self.uploads if u.status == 201)

    @property
    def photos_per_second(self) -> float:
        return self.created / self.seconds

    @property
    def megabytes_per_second(self) -> float:
        return sum(u.size for u in self.uploads if u.status == 201) / 1e6 / self.seconds


@dataclass
class Bench:
    work: Path
    template: Path
    token: str
    photos: list[Path]
    warm_up: list[Path]
    runs: list[Run] = field(default_factory=list)
    counter: itertools.count[int] = field(default_factory=itertools.count)

    def fresh_data(self) -> Path:
        data = self.work / f"data-{next(self.counter)}"
        shutil.copytree(self.template, data, symlinks=True)  # index/*/current is a symlink
        return data

    def serve(self, threads: int, search_sync: bool = True) -> tuple[Server, Path]:
        data = self.fresh_data()
        env = {} if search_sync else {"QIAOFANG_SEARCH_SYNC": "false"}
        server = Server.start(data, threads, self.token, data.parent / f"{data.name}.log", env)
        warm = upload_all(server.port, self.token, self.warm_up, 1)[0]
        if any(u.status != 201 for u in warm):
            server.stop()
            raise SystemExit(f"warm-up upload failed; server log:\n{server.log.read_text()}")
        return server, data

    def run(self, threads: int, clients: int, search_sync: bool = True) -> Run:
        server, data = self.serve(threads, search_sync)
        try:
            cpu, client_cpu = server.cpu_seconds(), time.process_time()
            uploads, seconds = upload_all(server.port, self.token, self.photos, clients)
            run = Run(threads, clients, uploads, seconds, server.cpu_seconds() - cpu,
                      time.process_time() - client_cpu, search_sync)
        finally:
            server.stop()
            shutil.rmtree(data, ignore_errors=True)
        self.runs.append(run)
        return run


def percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def report(runs: list[Run], photos: int, megabytes: float) -> dict[tuple[int, int, bool], float]:
    print(f"\n{photos} distinct photos per run, 4032 x 3024, median {megabytes:.1f} MB; medians over rounds "
          "(min-max); latency pooled over rounds; CPU: 100 % = one core, ms/photo = server (client)")
    header = (f"{'threads':>7} {'clients':>7} {'runs':>4} {'201s':>7} {'photos/s':>17} {'MB/s':>6} "
              f"{'p50 ms':>7} {'p95 ms':>7} {'server CPU':>10} {'CPU ms/photo':>13}")
    print(header)
    print("-" * len(header))
    medians: dict[tuple[int, int, bool], float] = {}
    for key in sorted({r.key for r in runs}, key=lambda k: (not k[2], -k[0], k[1])):
        group = [r for r in runs if r.key == key]
        rates = [r.photos_per_second for r in group]
        latencies = [u.seconds * 1000 for r in group for u in r.uploads if u.status == 201]
        created = sum(r.created for r in group)
        sent = sum(len(r.uploads) for r in group)
        cpu_share = statistics.median(r.cpu_seconds / r.seconds * 100 for r in group)
        cpu_ms = statistics.median(r.cpu_seconds / max(1, r.created) * 1000 for r in group)
        client_ms = statistics.median(r.client_cpu_seconds / max(1, r.created) * 1000 for r in group)
        medians[key] = statistics.median(rates)
        spread = f"{medians[key]:5.2f} ({min(rates):4.1f}-{max(rates):4.1f})"
        print(f"{key[0]:>7} {key[1]:>7} {len(group):>4} {f'{created}/{sent}':>7} {spread:>17} "
              f"{statistics.median(r.megabytes_per_second for r in group):6.1f} "
              f"{percentile(latencies, 0.5):7.0f} {percentile(latencies, 0.95):7.0f} {cpu_share:9.0f}% "
              f"{f'{cpu_ms:.0f} ({client_ms:.0f})':>13}{'' if key[2] else '  what if: SEARCH_SYNC=false'}")
    warnings = collections.Counter(w for r in runs for u in r.uploads for w in u.warnings)
    if warnings:
        print("warnings in 201 answers:", dict(warnings))
    shipped = [r for r in runs if r.search_sync]
    server_ms = statistics.median(r.cpu_seconds / max(1, r.created) * 1000 for r in shipped)
    client_ms = statistics.median(r.client_cpu_seconds / max(1, r.created) * 1000 for r in shipped)
    cores = os.cpu_count() or 1
    print(f"CPU ceiling: {cores} cores / ({server_ms:.0f} ms server + {client_ms:.0f} ms client per photo) = "
          f"{cores * 1000 / (server_ms + client_ms):.1f} photos/s if this benchmark had the machine to itself "
          f"and the server used every core; server alone: {cores * 1000 / server_ms:.1f} photos/s")
    return medians


# --------------------------------------------------------------------------------------------
# Profile

OTHER = "other (Flask, routing, auth, JSON)"
CATEGORIES: list[tuple[str, re.Pattern[str]]] = [
    ("fsync (original, derivatives, folders)", re.compile(r"\b(flush_to_disk|fsync_directory|make_directories)\b")),
    ("sha256 + copy of the original (store.put)", re.compile(r"\b_copy_hashing\b")),
    ("derivatives (decode, resize, encode, phash)", re.compile(r"\bprocess_original\b")),
    ("search index update (drain_queue)", re.compile(r"\bdrain_(search_)?queue\b")),
    ("multipart parsing (werkzeug)", re.compile(r"werkzeug/(formparser|sansio/multipart)|\b_load_form_data\b")),
    ("database (SQLAlchemy, sqlite3, commit)", re.compile(r"sqlalchemy/|sqlite3|\bfinish_request\b")),
    ("HTTP I/O (waitress)", re.compile(r"waitress/")),
]
DERIVATIVE_STEPS: list[tuple[str, re.Pattern[str]]] = [
    ("decode", re.compile(r"ImageFile\.load|JpegImagePlugin|\bdraft\b|load_pixels")),
    ("resize", re.compile(r"Image\.(resize|reduce)")),
    ("encode", re.compile(r"_encode_tile|_save_jpeg|Image\.save")),
    ("transpose", re.compile(r"Image\.transpose")),
    ("phash", re.compile(r"dhash")),
]


def categorise(stack: str, table: list[tuple[str, re.Pattern[str]]] = CATEGORIES, other: str = OTHER) -> str:
    for label, pattern in table:
        if pattern.search(stack):
            return label
    return other


def read_collapsed(path: Path) -> list[tuple[str, int]]:
    """py-spy's raw (collapsed) output: one `frame;frame;... count` line per distinct stack."""
    stacks: list[tuple[str, int]] = []
    if path.exists():
        for line in path.read_text(errors="replace").splitlines():
            stack, _sep, count = line.rpartition(" ")
            if count.isdigit():
                stacks.append((stack, int(count)))
    return stacks


def is_main_thread(stack: str) -> bool:
    """Waitress's one I/O thread (reads every request body, writes every answer) runs the module."""
    return stack.startswith("<module>")


def is_idle(stack: str) -> bool:
    leaf = stack.rsplit(";", 1)[-1]
    return ("handler_thread" in stack and leaf.startswith("Condition.wait")) or leaf.startswith("poll (waitress")


@dataclass
class Profile:
    """Samples of one profiled run, turned into milliseconds per uploaded photo."""

    stacks: list[tuple[str, int]]
    rate: int
    photos: int

    def ms(self, samples: int) -> float:
        return samples * 1000 / self.rate / max(1, self.photos)

    def by(self, keep: Callable[[str], bool], table: list[tuple[str, re.Pattern[str]]] = CATEGORIES,
           other: str = OTHER) -> collections.Counter[str]:
        counts: collections.Counter[str] = collections.Counter()
        for stack, count in self.stacks:
            if keep(stack):
                counts[categorise(stack, table, other)] += count
        return counts

    def leaves(self, keep: Callable[[str], bool], top: int) -> list[tuple[str, int]]:
        counts: collections.Counter[str] = collections.Counter()
        for stack, count in self.stacks:
            if keep(stack):
                counts[stack.rsplit(";", 1)[-1]] += count
        return counts.most_common(top)


def profiled_run(bench: Bench, threads: int, clients: int, rate: int, mode: str) -> tuple[Profile, Run]:
    """One more run with `py-spy record` attached to the server: mode "--idle" or "--gil"."""
    py_spy = shutil.which("py-spy")
    assert py_spy is not None
    server, data = bench.serve(threads)
    out = bench.work / f"profile{mode}.txt"
    command = [py_spy, "record", "--pid", str(server.pid), "--rate", str(rate), "--format", "raw",
               "--output", str(out), mode]
    sampler = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        time.sleep(1.0)  # let py-spy attach; the idle second is not counted (only request stacks are)
        cpu = server.cpu_seconds()
        uploads, seconds = upload_all(server.port, bench.token, bench.photos, clients)
        run = Run(threads, clients, uploads, seconds, server.cpu_seconds() - cpu)
        sampler.send_signal(signal.SIGINT)
        _out, err = sampler.communicate(timeout=60)
        if not out.exists():
            print(f"py-spy failed: {err.decode(errors='replace')[-500:]}", file=sys.stderr)
    finally:
        if sampler.poll() is None:
            sampler.kill()
            sampler.wait()
        server.stop()
        shutil.rmtree(data, ignore_errors=True)
    return Profile(read_collapsed(out), rate, run.created), run


def profile(bench: Bench, threads: int, clients: int, rate: int = 100) -> None:
    """Where an upload's time goes: wall time on worker threads, the I/O thread, and the GIL."""
    if shutil.which("py-spy") is None:
        print("\nprofile skipped: py-spy is not installed (pip install py-spy)")
        return
    print(f"\nprofile: py-spy on the server ({threads} threads, {clients} clients, {len(bench.photos)} photos, "
          f"{rate} samples/s); milliseconds per uploaded photo")
    wall, run_w = profiled_run(bench, threads, clients, rate, "--idle")
    gil, run_g = profiled_run(bench, threads, clients, rate, "--gil")
    if not wall.stacks or not gil.stacks:
        print("  no samples (could py-spy attach? it needs ptrace rights)")
        return
    worker = wall.by(lambda s: not is_main_thread(s) and not is_idle(s))
    held = gil.by(lambda s: True)
    print(f"  (sampled runs: {run_w.photos_per_second:.1f} and {run_g.photos_per_second:.1f} photos/s; "
          f"server CPU {run_w.cpu_seconds / max(1, run_w.created) * 1000:.0f} ms/photo)")
    print(f"  {'':44} {'worker wall':>11} {'GIL held':>9}")
    for label in [label for label, _p in CATEGORIES] + [OTHER]:
        print(f"  {label:44} {wall.ms(worker[label]):11.0f} {gil.ms(held[label]):9.0f}")
    gil_ms = gil.ms(sum(held.values()))
    print(f"  {'total':44} {wall.ms(sum(worker.values())):11.0f} {gil_ms:9.0f}")
    cpu_ms = run_w.cpu_seconds / max(1, run_w.created) * 1000
    cores = os.cpu_count() or 1
    print(f"  ceilings: holding the GIL {gil_ms:.0f} ms/photo allows {1000 / max(gil_ms, 1e-9):.1f} photos/s; "
          f"{cpu_ms:.0f} CPU ms/photo allow {cores * 1000 / max(cpu_ms, 1e-9):.1f} photos/s on {cores} idle cores")
    steps = wall.by(lambda s: not is_main_thread(s) and categorise(s) == CATEGORIES[2][0],
                    DERIVATIVE_STEPS, "other")
    print("  derivatives, worker wall ms/photo: "
          + ", ".join(f"{name} {wall.ms(count):.0f}" for name, count in steps.most_common()))
    main_busy = sum(c for s, c in wall.stacks if is_main_thread(s) and not is_idle(s))
    main_all = sum(c for s, c in wall.stacks if is_main_thread(s))
    print(f"  waitress I/O thread (reads bodies into its buffers): busy {wall.ms(main_busy):.0f} ms/photo, "
          f"{main_busy / max(1, main_all) * 100:.0f} % of its time")
    print("  hottest functions on worker threads (own wall time, ms/photo):")
    for frame, count in wall.leaves(lambda s: not is_main_thread(s) and not is_idle(s), 10):
        print(f"    {wall.ms(count):6.1f}  {frame}")
    print("  hottest functions while holding the GIL (ms/photo):")
    for frame, count in gil.leaves(lambda s: True, 10):
        print(f"    {gil.ms(count):6.1f}  {frame}")


# --------------------------------------------------------------------------------------------


def int_list(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--photos", type=int, default=40, help="distinct photos per run (default 40)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds over all variants (default 3)")
    parser.add_argument("--threads", type=int_list, default=[8, 4], help="server threads, e.g. 8,4 (default)")
    parser.add_argument("--clients", type=int_list, default=[2, 4], help="concurrent clients, e.g. 2,4 (default)")
    parser.add_argument("--profile", action="store_true", help="profile the server with py-spy (see above)")
    parser.add_argument("--no-profile", action="store_true", help="do not profile even when the goal is missed")
    parser.add_argument("--no-what-if", action="store_true",
                        help="skip the extra variant without synchronous search indexing (QIAOFANG_SEARCH_SYNC=false)")
    args = parser.parse_args(argv)
    print("command: python -m benchmarks.upload_throughput", *(argv if argv is not None else sys.argv[1:]))
    print("load average before: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()), f"({os.cpu_count()} cores)")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="upload-bench-") as tmp:
        work = Path(tmp)
        photos = [work / "photos" / f"IMG_20240501_{i:06d}.jpg" for i in range(args.photos)]
        warm_up = [work / "photos" / f"warm-up-{i}.jpg" for i in range(WARM_UP)]
        size = make_photos([*photos, *warm_up], workers=os.cpu_count() or 1)
        print(f"generated {len(photos) + WARM_UP} photos ({size / 1e6:.0f} MB)"
              f" in {time.perf_counter() - started:.0f} s")
        template = work / "template"
        bench = Bench(work, template, make_template(template), photos, warm_up)
        variants = [(t, c, True) for t in args.threads for c in args.clients]
        if not args.no_what_if:
            variants.append((max(args.threads), max(args.clients), False))
        for round_no in range(args.rounds):
            shift = round_no % len(variants)
            for threads, clients, sync in variants[shift:] + variants[:shift]:  # rotated: load hits all alike
                run = bench.run(threads, clients, sync)
                print(f"  round {round_no + 1}: {threads} threads, {clients} clients"
                      f"{'' if sync else ', SEARCH_SYNC=false'}: {run.photos_per_second:.2f} photos/s, "
                      f"{run.created}/{len(run.uploads)} created", flush=True)
        megabytes = statistics.median(p.stat().st_size for p in photos) / 1e6
        medians = report(bench.runs, len(photos), megabytes)
        best_key = max((k for k in medians if k[2]), key=lambda k: medians[k])
        met = medians[best_key] >= GOAL_PHOTOS_PER_SECOND
        print(f"\ngoal: >= {GOAL_PHOTOS_PER_SECOND:.0f} twelve-MP photos/s on {os.cpu_count()} cores: "
              f"{'met' if met else 'MISSED'} (best: {medians[best_key]:.2f} photos/s with {best_key[0]} threads, "
              f"{best_key[1]} clients)")
        if args.profile or (not met and not args.no_profile):
            profile(bench, max(args.threads), max(args.clients))
    print("load average after: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()),
          f"; total {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
