"""Replication lag under the upload benchmark: how long after an upload is answered its copy is verified.

What it measures: the setup of benchmarks/upload_throughput.py (`qiaofang serve`, gunicorn, 12 MP
phone photos POSTed to `/api/houses/BM-1/photos` by concurrent clients over keep-alive HTTP), run
with each replica configuration in turn, round by round:

- `none`: no replica (the same run's baseline for upload speed);
- `folder`: QIAOFANG_REPLICAS = a folder (on the same disk here: the figure is the pipeline's, not
  a second disk's);
- `s3`: an `s3://bucket/prefix` replica on moto's standalone S3 server (a subprocess on 127.0.0.1
  started by this script; not a production S3, so the figure is the pipeline plus boto3 plus moto);
- `folder+s3`: both;
- `s3-down`: an S3 replica whose endpoint is a port nobody listens on (uploads must not suffer).

For every photo: lag = the time the replica_copy row says the copy was verified (`copied_at`,
written by the serving process's background copier after reading the copy back and hashing it)
minus the time the client had read the 201 answer, both from this machine's clock. It reports
the p50, p95 and max lag per replica, the uploads' photos/s and p50/p95 latency per variant, and
checks that each replica holds exactly the originals (folder: file bytes hashed; S3: listed keys).

Run from the repository root, in the virtualenv (moto[server] is in the test extras):

    python -m benchmarks.replication                         # 2 rounds x 5 variants x 40 photos
    python -m benchmarks.replication --photos 12 --rounds 1  # quick

Everything it writes lives in a temporary folder that is removed at the end.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.upload_throughput import (
    Server,
    free_port,
    make_photos,
    make_template,
    percentile,
    post_photo,
    process_cpu_seconds,
    upload_all,
)

VARIANTS = ("none", "folder", "s3", "folder+s3", "s3-down")
S3_ENV = {"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench-secret", "AWS_DEFAULT_REGION": "us-east-1",
          "AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull}


@dataclass
class S3:
    process: subprocess.Popen[bytes]
    url: str

    @classmethod
    def start(cls, log: Path) -> S3:
        port = free_port()
        with open(log, "wb") as out:
            process = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                                       stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/")
                conn.getresponse().read()
                return cls(process, f"http://127.0.0.1:{port}")
            except OSError:
                time.sleep(0.2)
        process.kill()
        raise SystemExit(f"moto's server did not start:\n{log.read_text()}")

    def client(self) -> object:
        import boto3

        return boto3.client("s3", endpoint_url=self.url, region_name="us-east-1", aws_access_key_id="bench",
                            aws_secret_access_key="bench-secret")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=15)


@dataclass
class Answered:
    sha256: str
    status: int
    seconds: float
    at: float  # time.time() when the client had read the answer


@dataclass
class Run:
    variant: str
    uploads: list[Answered]
    seconds: float
    lags: dict[str, list[float]] = field(default_factory=dict)  # replica name -> seconds per photo
    unfinished: dict[str, int] = field(default_factory=dict)  # replica name -> copies not verified
    verified: dict[str, str] = field(default_factory=dict)  # replica name -> "40/40 ok" or a problem
    server_cpu: float = 0.0  # seconds, the archive's processes, uploads until every copy was verified
    s3_cpu: float = 0.0  # seconds, moto's server in the same time (it shares this machine's cores)

    @property
    def created(self) -> int:
        return sum(1 for u in self.uploads if u.status == 201)


def timed_uploads(port: int, token: str, photos: Sequence[Path], hashes: dict[Path, str],
                  clients: int) -> tuple[list[Answered], float]:
    queue = iter(photos)
    lock = threading.Lock()
    done: list[Answered] = []

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        while True:
            with lock:
                path = next(queue, None)
            if path is None:
                break
            result = post_photo(conn, path, token)
            with lock:
                done.append(Answered(hashes[path], result.status, result.seconds, time.time()))
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return done, time.perf_counter() - started


def copied_at(database: Path, wanted: int, names: list[str], timeout: float) -> dict[tuple[str, str], float]:
    """{(replica, sha256): verified-at epoch seconds}, once `wanted` copies are done or at the timeout."""
    deadline = time.monotonic() + timeout
    while True:
        with sqlite3.connect(database, timeout=30) as conn:
            rows = conn.execute("SELECT replica, sha256, copied_at FROM replica_copy WHERE state = 'done'").fetchall()
        if len(rows) >= wanted or time.monotonic() > deadline:
            return {(r, s): _epoch(at) for r, s, at in rows if r in names}
        time.sleep(0.1)


def _epoch(text: str) -> float:
    moment = datetime.fromisoformat(text)
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()


def verify_folder(folder: Path, hashes: set[str]) -> str:
    found = {p.name: p for p in folder.rglob("*") if p.is_file() and ".tmp" not in p.parts}
    bad = [name for name, path in found.items() if hashlib.sha256(path.read_bytes()).hexdigest() != name]
    return f"{len(set(found) & hashes)}/{len(hashes)} present, {len(bad)} damaged"


def verify_bucket(s3: S3, bucket: str, prefix: str, hashes: set[str]) -> str:
    keys = [entry["Key"] for page in s3.client().get_paginator("list_objects_v2")  # type: ignore[attr-defined]
            .paginate(Bucket=bucket, Prefix=prefix + "/") for entry in page.get("Contents", [])]
    present = {key.rsplit("/", 1)[1] for key in keys} & hashes
    return f"{len(present)}/{len(hashes)} present (listed; the copier read each back and hashed it)"


def one_run(variant: str, work: Path, template: Path, token: str, photos: list[Path], warm_up: list[Path],
            hashes: dict[Path, str], s3: S3, threads: int, clients: int, number: int) -> Run:
    import shutil

    data = work / f"data-{number}"
    shutil.copytree(template, data, symlinks=True)
    env: dict[str, str] = {}
    targets: list[str] = []
    folder, bucket = work / f"replica-{number}", f"bench-{uuid.uuid4().hex[:10]}"
    if "folder" in variant:
        folder.mkdir()
        targets.append(str(folder))
    if variant.startswith("s3") or "+s3" in variant:
        targets.append(f"s3://{bucket}/originals")
        env.update(S3_ENV)
        env["QIAOFANG_S3_ENDPOINT_URL"] = s3.url if variant != "s3-down" else f"http://127.0.0.1:{free_port()}"
        if variant != "s3-down":
            s3.client().create_bucket(Bucket=bucket)  # type: ignore[attr-defined]
    if targets:
        env["QIAOFANG_REPLICAS"] = " ".join(targets)
    server = Server.start(data, threads, token, work / f"data-{number}.log", env)
    try:
        upload_all(server.port, token, warm_up, 1)
        cpu, s3_cpu = server.cpu_seconds(), process_cpu_seconds(s3.process.pid)
        uploads, seconds = timed_uploads(server.port, token, photos, hashes, clients)
        run = Run(variant, uploads, seconds)
        names = [str(folder)] * ("folder" in variant) + [f"s3://{bucket}/originals"] * ("s3" in variant)
        live = [n for n in names if variant != "s3-down"]
        wanted = len(live) * (len(photos) + len(warm_up))
        done = copied_at(data / "qiaofang.db", wanted, live, timeout=300) if live else {}
        run.server_cpu = server.cpu_seconds() - cpu
        run.s3_cpu = process_cpu_seconds(s3.process.pid) - s3_cpu
        for name in live:
            lags = [done[(name, u.sha256)] - u.at for u in uploads if (name, u.sha256) in done]
            run.lags[name.split("://")[0] if "://" in name else "folder"] = lags
            run.unfinished[name] = len(uploads) - len(lags)
        every = {hashes[p] for p in photos} | {hashes[p] for p in warm_up}
        if "folder" in variant:
            run.verified["folder"] = verify_folder(folder, every)
        if variant in ("s3", "folder+s3"):
            run.verified["s3"] = verify_bucket(s3, bucket, "originals", every)
        if variant == "s3-down":
            with sqlite3.connect(data / "qiaofang.db") as conn:
                waiting = conn.execute("SELECT count(*) FROM replica_copy WHERE state = 'waiting'").fetchone()[0]
            run.verified["s3"] = f"{waiting} copies waiting in the queue (replica down), 0 lost"
    finally:
        server.stop()
        shutil.rmtree(data, ignore_errors=True)
        shutil.rmtree(folder, ignore_errors=True)
    return run


def report(runs: list[Run]) -> None:
    print(f"\n{'variant':>10} {'201s':>7} {'photos/s':>9} {'p50 ms':>7} {'p95 ms':>7} {'CPU ms/photo':>13}   "
          "replication lag (s): p50 / p95 / max per replica; copies on the replica")
    for variant in VARIANTS:
        group = [r for r in runs if r.variant == variant]
        if not group:
            continue
        created = sum(r.created for r in group)
        sent = sum(len(r.uploads) for r in group)
        rate = statistics.median(r.created / r.seconds for r in group)
        latencies = [u.seconds * 1000 for r in group for u in r.uploads if u.status == 201]
        lags: dict[str, list[float]] = {}
        for run in group:
            for name, values in run.lags.items():
                lags.setdefault(name, []).extend(values)
        lag_text = "; ".join(f"{name} {percentile(v, 0.5):.2f} / {percentile(v, 0.95):.2f} / {max(v):.2f}"
                             for name, v in lags.items() if v)
        unfinished = sum(sum(r.unfinished.values()) for r in group)
        checks = "; ".join(f"{k}: {v}" for k, v in group[-1].verified.items())
        cpu = statistics.median(r.server_cpu / max(1, r.created) * 1000 for r in group)
        s3_cpu = statistics.median(r.s3_cpu / max(1, r.created) * 1000 for r in group)
        print(f"{variant:>10} {f'{created}/{sent}':>7} {rate:9.2f} {percentile(latencies, 0.5):7.0f} "
              f"{percentile(latencies, 0.95):7.0f} {f'{cpu:.0f} ({s3_cpu:.0f})':>13}   {lag_text or '-'}"
              f"{f'; {unfinished} not copied' if unfinished else ''}  [{checks or 'no replica'}]")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--photos", type=int, default=40, help="distinct photos per run (default 40)")
    parser.add_argument("--rounds", type=int, default=2, help="rounds over all variants (default 2)")
    parser.add_argument("--threads", type=int, default=8, help="server threads per process (default 8)")
    parser.add_argument("--clients", type=int, default=4, help="concurrent clients (default 4)")
    parser.add_argument("--variants", default=",".join(VARIANTS), help=f"subset of {','.join(VARIANTS)}")
    args = parser.parse_args(argv)
    variants = [v for v in args.variants.split(",") if v in VARIANTS]
    print("command: python -m benchmarks.replication", *(argv if argv is not None else sys.argv[1:]))
    print("load average before: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()), f"({os.cpu_count()} cores)")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="replication-bench-") as tmp:
        work = Path(tmp)
        photos = [work / "photos" / f"IMG_20240501_{i:06d}.jpg" for i in range(args.photos)]
        warm_up = [work / "photos" / f"warm-up-{i}.jpg" for i in range(2)]
        size = make_photos([*photos, *warm_up], workers=os.cpu_count() or 1)
        hashes = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in [*photos, *warm_up]}
        print(f"generated {len(hashes)} photos ({size / 1e6:.0f} MB) in {time.perf_counter() - started:.0f} s")
        template = work / "template"
        token = make_template(template)
        s3 = S3.start(work / "moto.log")
        runs: list[Run] = []
        try:
            number = 0
            for round_no in range(args.rounds):
                shift = round_no % len(variants)
                for variant in variants[shift:] + variants[:shift]:
                    number += 1
                    run = one_run(variant, work, template, token, photos, warm_up, hashes, s3, args.threads,
                                  args.clients, number)
                    runs.append(run)
                    print(f"  round {round_no + 1}: {variant}: {run.created / run.seconds:.2f} photos/s, "
                          f"{run.created}/{len(run.uploads)} created", flush=True)
        finally:
            s3.stop()
        print(f"\n{args.photos} photos per run (about {size / len(hashes) / 1e6:.1f} MB each), {args.threads} threads "
              f"x gunicorn's default workers, {args.clients} clients; lag = copy verified on the replica minus "
              "upload answered; CPU = the archive's processes until every copy was verified (moto's S3 "
              "server, on the same cores)")
        report(runs)
    print("load average after: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()),
          f"; total {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
