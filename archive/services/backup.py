"""Backups: a copy (never a link) of the database and every original, with manifests that prove it.

Layout of a backup folder DEST (one folder serves every run; see README "Backup and restore"):

    DEST/media/ab/cd/<sha256>          originals in the store's own layout (``LocalStore(DEST/media)``
                                       opens it; `fixity --repair --from DEST` reads it), shared by all
                                       runs: content-addressed, so a second run copies only new photos
    DEST/snapshots/<UTC time>/         one per run: qiaofang.db (SQLite) or qiaofang.pgdump (pg_dump
        manifest-sha256.txt            --format=custom); BagIt-style "<sha256>  <path>" lines (RFC 8493
                                       section 2.1.3), paths relative to DEST, database first;
        backup.json                    the JSON record, written LAST: a snapshot without it is incomplete
    DEST/latest                        the name of the newest complete snapshot, replaced atomically

Consistency while uploads continue: the database is snapshotted first (SQLite's online backup API;
pg_dump run inside an exported REPEATABLE READ snapshot, so the list of originals is read from the
very state it dumps), then exactly the originals that snapshot references are copied; photos added
later belong to the next backup. No database lock is held while files are copied (a SQLite read in
WAL mode never blocks writers, and the PostgreSQL transaction only reads).

Incremental: a copy DEST already holds is not read again when the last complete snapshot's
backup.json vouches for it, i.e. it recorded the copy's size and mtime (nanoseconds) right after
hashing it, and both are unchanged (any rewrite through the file system changes the mtime). Copies
nobody vouches for (left by a killed run, changed since) are hashed, and copied again when damaged.
`--verify` hashes every copy, the slow honest way that also finds silent bit rot.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from sqlalchemy import text
from sqlalchemy.engine import make_url

from archive.db import utcnow
from media import LocalStore, MediaError, file_sha256
from media.durable import fsync_directory, write_atomically

if TYPE_CHECKING:
    from archive.state import ArchiveState

FORMAT = 1
ORIGINALS = "media"
SNAPSHOTS = "snapshots"
RECORD = "backup.json"
MANIFEST = "manifest-sha256.txt"
LATEST = "latest"
PROGRESS_EVERY = 50
Echo = Callable[[str], None]


class BackupError(Exception):
    pass


@dataclass
class DatabaseSnapshot:
    file: str
    kind: str  # "sqlite" or "postgresql"
    revision: str | None
    hashes: list[str]


@dataclass
class BackupOutcome:
    snapshot: Path
    originals: int = 0
    copied: int = 0  # not in DEST before
    recopied: int = 0  # in DEST but damaged: replaced
    rehashed: int = 0  # in DEST, not vouched for: hashed and found intact
    vouched: int = 0  # in DEST, vouched for by the last snapshot: not read
    bytes_copied: int = 0
    removed: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"backup: snapshot {self.snapshot.name} complete: {self.originals} originals "
                f"({self.copied} copied, {self.recopied} damaged copies replaced, {self.rehashed} verified by "
                f"hash, {self.vouched} unchanged since the last backup), {self.bytes_copied / 1e6:.1f} MB copied; "
                f"in {self.snapshot.parent.parent}")


def backup(state: ArchiveState, dest: Path, *, verify: bool = False, echo: Echo = lambda _: None) -> BackupOutcome:
    """Write a new complete snapshot into DEST; BackupError (nothing marked complete) on any problem."""
    dest = dest.resolve()
    for live in {state.store.root.resolve(), Path(state.config["DATA"]).resolve()}:
        if dest == live or live in dest.parents or dest in live.parents:
            # A backup inside the data folder dies with it (and a restore target must be empty).
            raise BackupError(f"the backup folder {dest} must be outside the data folder {live}")
    ours = {ORIGINALS, SNAPSHOTS, LATEST, ".lock"}
    if dest.is_dir() and any(entry.name not in ours for entry in dest.iterdir()):
        raise BackupError(f"{dest} holds files that are not a qiaofang backup's: choose an empty or a backup folder")
    dest.mkdir(parents=True, exist_ok=True)
    with _locked(dest):
        copies = LocalStore(dest / ORIGINALS)
        _remove_leftovers(dest, copies, echo)
        vouched = {} if verify else _vouched_copies(dest)
        started = utcnow()
        folder = _new_snapshot_folder(dest, started.strftime("%Y%m%dT%H%M%SZ"))
        database = snapshot_database(state, folder)
        echo(f"  database: {database.file} ({database.kind}, revision {database.revision}), "
             f"{len(database.hashes)} originals to back up")
        outcome = BackupOutcome(folder, len(database.hashes))
        entries = _copy_originals(state, copies, database.hashes, vouched, outcome, echo)
        _write_manifests(dest, folder, database, entries, started.isoformat())
        _write_text(dest / LATEST, f"{folder.name}\n")
    return outcome


@contextmanager
def _locked(dest: Path) -> Iterator[None]:
    """One backup at a time per folder: leftovers may then be removed without hurting a live run.
    flock is released by the kernel when a killed process's descriptors close."""
    fd = os.open(dest / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BackupError(f"another backup into {dest} is running; wait for it to finish") from None
        yield
    finally:
        os.close(fd)


def _remove_leftovers(dest: Path, copies: LocalStore, echo: Echo) -> None:
    """Temporary copies and snapshot folders without a record are what killed or failed runs left."""
    # Under the lock every temporary file in DEST is a leftover: no copy into DEST is under way.
    removed = 0
    for path in copies.temporary_files():
        path.unlink(missing_ok=True)
        removed += 1
    if removed:
        echo(f"  removed {removed} unfinished copies left by an interrupted backup")
    for folder in snapshot_folders(dest):
        if not (folder / RECORD).is_file():
            shutil.rmtree(folder)
            echo(f"  removed incomplete snapshot {folder.name} (an interrupted or failed backup)")


def snapshot_folders(dest: Path) -> list[Path]:
    root = dest / SNAPSHOTS
    return sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else []


def _new_snapshot_folder(dest: Path, stamp: str) -> Path:
    root = dest / SNAPSHOTS
    root.mkdir(exist_ok=True)
    for suffix in ["", *(f"-{n}" for n in range(2, 1000))]:
        folder = root / f"{stamp}{suffix}"
        try:
            folder.mkdir()
        except FileExistsError:
            continue
        fsync_directory(root)
        return folder
    raise BackupError(f"too many snapshots named {stamp} in {root}")


def read_record(snapshot: Path) -> dict[str, Any]:
    record: dict[str, Any] = json.loads((snapshot / RECORD).read_text(encoding="utf-8"))
    return record


def latest_snapshot(dest: Path) -> Path | None:
    """The complete snapshot `latest` names; else (a run killed between its record and `latest`, a
    copy of the folder without that file) the newest complete one; None when there is none."""
    try:
        name = (dest / LATEST).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        name = ""
    folder = dest / SNAPSHOTS / name
    if name and (folder / RECORD).is_file():
        return folder
    complete = [f for f in snapshot_folders(dest) if (f / RECORD).is_file()]
    return max(complete, key=_snapshot_order) if complete else None


def _snapshot_order(folder: Path) -> tuple[str, int]:
    """Time stamp, then the -N suffix of a second run in the same second (-10 after -9)."""
    stamp, _, number = folder.name.partition("-")
    return stamp, int(number) if number.isdigit() else 1


def _vouched_copies(dest: Path) -> dict[str, dict[str, int]]:
    snapshot = latest_snapshot(dest)
    if snapshot is None:
        return {}
    return {o["sha256"]: o for o in read_record(snapshot)["originals"]}


# Database --------------------------------------------------------------------------------------


def snapshot_database(state: ArchiveState, folder: Path) -> DatabaseSnapshot:
    """Copy the database into ``folder`` and list the originals this very copy references."""
    url = make_url(state.db.url)
    if url.get_backend_name() == "sqlite":
        return _snapshot_sqlite(Path(url.database or ""), folder / "qiaofang.db")
    return _snapshot_postgresql(state, folder / "qiaofang.pgdump")


def _snapshot_sqlite(source_path: Path, target: Path) -> DatabaseSnapshot:
    source = sqlite3.connect(source_path, timeout=30)
    copy = sqlite3.connect(target)
    try:
        # One step (pages=-1): a consistent read of one moment; in WAL mode writers go on meanwhile.
        source.backup(copy)
        # A self-contained file: no -wal/-shm beside it in the backup; the archive sets WAL again.
        copy.execute("PRAGMA journal_mode=DELETE")
        hashes = [row[0] for row in copy.execute("SELECT DISTINCT sha256 FROM photo ORDER BY sha256")]
        revision = copy.execute("SELECT version_num FROM alembic_version").fetchone()
    finally:
        copy.close()
        source.close()
    _fsync_file(target)
    return DatabaseSnapshot(target.name, "sqlite", revision[0] if revision else None, hashes)


def libpq_command_env(database_url: str) -> tuple[str, dict[str, str]]:
    """A libpq URI for pg_dump/pg_restore, the password passed in the environment (not in `ps`)."""
    url = make_url(database_url)
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    return plain, env


def _snapshot_postgresql(state: ArchiveState, target: Path) -> DatabaseSnapshot:
    if shutil.which("pg_dump") is None:
        raise BackupError("pg_dump is needed to back up a PostgreSQL database (apt-get install postgresql-client)")
    uri, env = libpq_command_env(state.db.url)
    with state.db.engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn, conn.begin():
        # pg_dump joins this transaction's snapshot, so it dumps exactly the rows the list below sees.
        snapshot_id = conn.scalar(text("SELECT pg_export_snapshot()"))
        hashes = list(conn.scalars(text("SELECT DISTINCT sha256 FROM photo ORDER BY sha256")))
        revision = conn.scalar(text("SELECT version_num FROM alembic_version"))
        done = subprocess.run(  # noqa: S603 - a fixed program, arguments from our own config
            ["pg_dump", "--format=custom", f"--snapshot={snapshot_id}", f"--file={target}", f"--dbname={uri}"],  # noqa: S607
            env=env, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
    _fsync_file(target)
    return DatabaseSnapshot(target.name, "postgresql", revision, hashes)


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# Originals -------------------------------------------------------------------------------------


def _copy_originals(state: ArchiveState, copies: LocalStore, hashes: list[str],
                    vouched: dict[str, dict[str, int]], outcome: BackupOutcome, echo: Echo) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    problems: list[str] = []
    for number, sha256 in enumerate(hashes, 1):
        try:
            entries.append(_ensure_copy(state, copies, sha256, vouched.get(sha256), outcome))
        except MediaError as exc:
            problems.append(f"original {sha256} " + ("is missing from the store" if exc.code == "not_found" else
                                                     f"in the store is corrupt (its bytes hash to "
                                                     f"{exc.params.get('actual')})"))
        if number % PROGRESS_EVERY == 0:
            echo(f"  originals: {number}/{len(hashes)} ({outcome.copied + outcome.recopied} copied)")
    if problems:
        for problem in problems:
            echo(f"  {problem}")
        raise BackupError(f"{len(problems)} originals could not be backed up (run `qiaofang check`); the "
                          "others are copied, and no snapshot is marked complete")
    return entries


def _ensure_copy(state: ArchiveState, copies: LocalStore, sha256: str, vouched: dict[str, int] | None,
                 outcome: BackupOutcome) -> dict[str, Any]:
    path = copies.path_for(sha256)
    damaged = False
    if path.is_file():
        stat = path.stat()
        if vouched is not None and (stat.st_size, stat.st_mtime_ns) == (vouched["size"], vouched["mtime_ns"]):
            outcome.vouched += 1
            return {"sha256": sha256, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
        if file_sha256(path) == sha256:
            outcome.rehashed += 1
            return {"sha256": sha256, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
        damaged = True
    with state.store.open(sha256) as source:
        # Streamed through a temporary file, hashed on the way, fsynced, renamed over the damaged
        # copy only when the bytes hash to their name: never a link, never a partial file.
        outcome.bytes_copied += copies.replace(source, sha256).size
    if damaged:
        outcome.recopied += 1
    else:
        outcome.copied += 1
    stat = path.stat()
    return {"sha256": sha256, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def _write_manifests(dest: Path, folder: Path, database: DatabaseSnapshot, entries: list[dict[str, Any]],
                     started: str) -> None:
    database_path = folder / database.file
    database_sha256 = file_sha256(database_path)
    lines = [f"{database_sha256}  {database_path.relative_to(dest).as_posix()}"]
    lines += [f"{e['sha256']}  {ORIGINALS}/{e['sha256'][:2]}/{e['sha256'][2:4]}/{e['sha256']}" for e in entries]
    _write_text(folder / MANIFEST, "\n".join(lines) + "\n", sync_folder=False)
    record = {
        "format": FORMAT, "started": started, "finished": utcnow().isoformat(),
        "database": {"file": database.file, "kind": database.kind, "revision": database.revision,
                     "sha256": database_sha256, "size": database_path.stat().st_size},
        "originals": entries,
    }
    # Last, after everything it vouches for is fsynced: its presence is what marks the snapshot complete.
    _write_text(folder / RECORD, json.dumps(record, indent=1))


def _write_text(path: Path, content: str, *, sync_folder: bool = True) -> None:
    def write(out: BinaryIO) -> None:
        out.write(content.encode("utf-8"))

    write_atomically(path, write, sync_folder=sync_folder)
