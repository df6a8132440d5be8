"""What the login limit costs a login: its database bookkeeping against the password check, in one run.

A password login now does, besides checking the password hash (`users.authenticate`, the baseline):

* begin   one short write transaction: prune the window, insert a pending attempt, count the
          account's and the address's failures (services/login_limits.begin_attempt)
* finish  one short write transaction: mark the attempt failed or succeeded (and, for a failure,
          write the audit event)

Each variant runs `--logins` times, interleaved, on a fresh data folder with one user, on SQLite
(the data folder's database) or on PostgreSQL with `--database-url`. The table gives the median and
95th percentile in milliseconds and the bookkeeping's share of a login (begin + finish over
begin + finish + check). The window is kept full: a failure is recorded every round, from
names and addresses spread so no limit is reached, so the counts run over a table of realistic size.

Run from the repository root:
    python -m benchmarks.login_attempts [--logins 200] [--database-url postgresql+psycopg://...]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text

from archive.config import load_config
from archive.services import login_limits, users
from archive.services.setup import initialise
from archive.state import ArchiveState


def _ms(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    return statistics.median(ordered) * 1000, ordered[int(len(ordered) * 0.95) - 1] * 1000


@contextmanager
def scratch_schema(url: str | None) -> Iterator[str | None]:
    """On PostgreSQL, a schema of our own (dropped after), as the test suite does; SQLite: the data folder."""
    if not url:
        yield None
        return
    schema = f"qf_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def run(logins: int, database_url: str | None) -> None:
    with tempfile.TemporaryDirectory() as tmp, scratch_schema(database_url) as url:
        config = load_config({"DATA": Path(tmp), **({"DATABASE_URL": url} if url else {})})
        state = ArchiveState.from_config(config)
        initialise(state)
        limits = login_limits.LoginLimits.from_config(config)
        with state.transaction() as db:
            users.create_user(db, "bench", "correct horse", "editor")
        times: dict[str, list[float]] = {"check": [], "begin": [], "finish": []}
        for i in range(logins):
            address = f"10.{i % 250}.{i // 250}.1"  # spread: no limit reached, the table still fills
            t0 = time.perf_counter()
            with state.transaction() as db:
                attempt = login_limits.begin_attempt(db, limits, f"bench{i}", address)
            t1 = time.perf_counter()
            with state.db.session(write=False) as db:
                ok = users.authenticate(db, "bench", "correct horse" if i % 2 else "wrong password")
            t2 = time.perf_counter()
            assert attempt.id is not None
            with state.transaction() as db:
                login_limits.finish_attempt(db, attempt.id, succeeded=ok is not None)
                if ok is None:
                    users.record_failed_login(db, "bench", address)
            t3 = time.perf_counter()
            times["begin"].append(t1 - t0)
            times["check"].append(t2 - t1)
            times["finish"].append(t3 - t2)
        state.close()
    backend = "PostgreSQL" if database_url else "SQLite"
    print(f"{backend}, {logins} logins (half of them failures), load average {os.getloadavg()[0]:.2f}")
    print(f"{'step':34} {'median ms':>10} {'p95 ms':>10}")
    for name, label in (("check", "password check (baseline)"), ("begin", "limit: begin_attempt"),
                        ("finish", "limit: finish (+ audit if failed)")):
        median, p95 = _ms(times[name])
        print(f"{label:34} {median:10.2f} {p95:10.2f}")
    extra = statistics.median(times["begin"]) + statistics.median(times["finish"])
    share = extra / (extra + statistics.median(times["check"]))
    print(f"bookkeeping share of a login: {share:.0%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--logins", type=int, default=200)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    run(args.logins, args.database_url)


if __name__ == "__main__":
    main()
