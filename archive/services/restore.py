"""Restore: a working archive rebuilt from a backup (archive.services.backup) into an empty target.

Order: the database (a verified copy of the SQLite snapshot, or pg_restore into the configured,
empty PostgreSQL database), the migrations to head when the backup is older than this code, every
original copied into the new store through the store's own ``put`` (which hashes the bytes and
refuses any that do not match their name), then the derivatives and both search indexes rebuilt
from those. A target that is not empty is refused before anything is written: a restore never
mixes a backup with another archive. What it does not bring back: the data folder's secret key
(a new one is made on first start, so everyone logs in again) and derivatives/indexes, which are
made anew from the originals and the database.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from archive import build_state
from archive.services.backup import (
    FORMAT,
    MANIFEST,
    ORIGINALS,
    RECORD,
    SNAPSHOTS,
    latest_snapshot,
    libpq_command_env,
    read_record,
)
from archive.services.maintenance import regenerate_derivatives
from archive.services.searching import reindex
from archive.services.setup import alembic_config, head_revision, initialise
from archive.state import ArchiveState
from media import LocalStore, MediaError, file_sha256
from media.durable import write_atomically

Echo = Callable[[str], None]


class RestoreError(Exception):
    """A restore that failed before writing anything (`refused`) or half-way (the target is incomplete)."""

    def __init__(self, message: str, *, refused: bool) -> None:
        super().__init__(message)
        self.refused = refused


@dataclass
class RestoreOutcome:
    snapshot: Path
    kind: str = ""
    revision: str | None = None
    upgraded_to: str | None = None
    originals: int = 0
    derivatives: int = 0
    documents: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)  # database, originals, derivatives, search

    def summary(self, data: Path) -> str:
        upgraded = f", upgraded to {self.upgraded_to}" if self.upgraded_to else ""
        return (f"restore: snapshot {self.snapshot.name} into {data}: {self.kind} database (revision "
                f"{self.revision}{upgraded}), {self.originals} originals verified, derivatives for "
                f"{self.derivatives} photos, {self.documents.get('public', 0)} public and "
                f"{self.documents.get('staff', 0)} staff search documents")


def find_snapshot(source: Path) -> tuple[Path, Path]:
    """(backup folder, snapshot): SOURCE is a backup folder (its latest snapshot) or one snapshot."""
    source = source.resolve()
    if (source / RECORD).is_file():
        if source.parent.name != SNAPSHOTS:
            raise RestoreError(f"{source} is not inside a backup's {SNAPSHOTS}/ folder", refused=True)
        return source.parent.parent, source
    snapshot = latest_snapshot(source)
    if snapshot is None:
        raise RestoreError(f"{source} holds no complete backup (no `latest` naming a snapshot with {RECORD})",
                           refused=True)
    return source, snapshot


def read_manifest(snapshot: Path) -> dict[str, str]:
    """path (relative to the backup folder) -> sha256, from the BagIt-style manifest."""
    entries: dict[str, str] = {}
    for line in (snapshot / MANIFEST).read_text(encoding="utf-8").splitlines():
        if line.strip():
            sha256, path = line.split("  ", 1)
            entries[path] = sha256
    return entries


def target_problems(config: Mapping[str, Any]) -> list[str]:
    """Why the configured data folder and database are not an empty target (nothing when they are)."""
    problems = []
    data = Path(config["DATA"])
    data_used = data.exists() and (not data.is_dir() or any(data.iterdir()))
    if data_used:
        problems.append(f"{data} is not empty")

    def reported(path: Path) -> bool:  # inside a data folder already named as not empty
        return data_used and data in path.parents

    for key in ("MEDIA_DIR", "DERIVATIVES_DIR", "INDEX_DIR"):
        folder = Path(config[key])
        if not reported(folder) and folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
            problems.append(f"{folder} is not empty")
    url = make_url(config["DATABASE_URL"])
    if url.get_backend_name() == "sqlite":
        if url.database and Path(url.database).exists() and not reported(Path(url.database)):
            problems.append(f"the database file {url.database} already exists")
    else:
        engine = create_engine(url)
        try:
            tables = inspect(engine).get_table_names()
        except SQLAlchemyError as exc:
            raise RestoreError(f"the database {url.render_as_string()} cannot be opened (create it empty first): "
                               f"{getattr(exc, 'orig', None) or exc}", refused=True) from None
        finally:
            engine.dispose()
        if tables:
            problems.append(f"the database {url.render_as_string()} already has tables ({', '.join(sorted(tables)[:5])}"
                            f"{', ...' if len(tables) > 5 else ''})")
    return problems


def _check_backup(record: dict[str, Any], config: Mapping[str, Any]) -> None:
    if record.get("format") != FORMAT:
        raise RestoreError(f"this backup has format {record.get('format')}; this qiaofang reads format {FORMAT}",
                           refused=True)
    kind = record["database"]["kind"]
    target_kind = "sqlite" if make_url(config["DATABASE_URL"]).get_backend_name() == "sqlite" else "postgresql"
    if kind != target_kind:
        raise RestoreError(f"the backup holds a {kind} database but the target is {target_kind}: "
                           + ("unset QIAOFANG_DATABASE_URL" if kind == "sqlite" else
                              "set QIAOFANG_DATABASE_URL to an empty PostgreSQL database"), refused=True)
    revision = record["database"]["revision"]
    try:
        ScriptDirectory.from_config(alembic_config(config["DATABASE_URL"])).get_revision(revision)
    except CommandError:
        raise RestoreError(f"the backup's schema revision {revision} is unknown to this version of qiaofang: "
                           "restore it with the version that made it (or newer)", refused=True) from None
    if kind == "postgresql" and shutil.which("pg_restore") is None:
        raise RestoreError("pg_restore is needed (apt-get install postgresql-client)", refused=True)


def restore(source: Path, config: Mapping[str, Any], *, echo: Echo = lambda _: None,
            workers: int | None = None) -> RestoreOutcome:
    """Rebuild a working archive from SOURCE into the empty target that ``config`` names; the
    derivatives are remade in ``workers`` processes (default: one per core)."""
    root, snapshot = find_snapshot(source)
    try:
        record = read_record(snapshot)
        _check_backup(record, config)
    except (OSError, ValueError, KeyError, TypeError) as exc:  # a backup.json damaged or from elsewhere
        raise RestoreError(f"{snapshot / RECORD} cannot be read: {exc!r}", refused=True) from None
    problems = target_problems(config)
    if problems:
        raise RestoreError("the target is not empty: " + "; ".join(problems), refused=True)
    outcome = RestoreOutcome(snapshot, kind=record["database"]["kind"], revision=record["database"]["revision"])
    try:
        _restore_everything(root, snapshot, record, config, outcome, echo, workers)
    except RestoreError:
        raise
    except Exception as exc:  # whatever broke, the operator must learn the target is half-done
        raise RestoreError(f"{type(exc).__name__}: {exc}", refused=False) from exc
    return outcome


def _restore_everything(root: Path, snapshot: Path, record: dict[str, Any], config: Mapping[str, Any],
                        outcome: RestoreOutcome, echo: Echo, workers: int | None) -> None:
    clock = time.perf_counter()
    for key in ("DATA", "MEDIA_DIR", "DERIVATIVES_DIR", "INDEX_DIR"):
        Path(config[key]).mkdir(parents=True, exist_ok=True)
    _restore_database(snapshot, record["database"], config)
    state = build_state(config)
    try:
        if outcome.revision != head_revision(state.db.url):
            # What `qiaofang init` does after an upgrade of the code: migrations to head, new seeds.
            initialise(state)
            outcome.upgraded_to = head_revision(state.db.url)
        echo(f"  database: {outcome.kind}, revision {outcome.revision}"
             + (f", upgraded to {outcome.upgraded_to}" if outcome.upgraded_to else ""))
        clock = _lap(outcome, "database", clock)
        outcome.originals = _restore_originals(state, root, read_manifest(snapshot), echo)
        clock = _lap(outcome, "originals", clock)
        done, failed = regenerate_derivatives(state, everything=False, workers=workers,
                                              echo=lambda line: echo(f"  derivatives: {line.strip()}"))
        if failed:
            raise RestoreError(f"derivatives failed for {failed} photos", refused=False)
        outcome.derivatives = done
        clock = _lap(outcome, "derivatives", clock)
        outcome.documents = reindex(state, echo=echo)
        _lap(outcome, "search", clock)
    finally:
        state.close()


def _lap(outcome: RestoreOutcome, phase: str, since: float) -> float:
    now = time.perf_counter()
    outcome.seconds[phase] = now - since
    return now


def _restore_database(snapshot: Path, database: dict[str, Any], config: Mapping[str, Any]) -> None:
    source = snapshot / database["file"]
    if database["kind"] == "sqlite":
        target = Path(make_url(config["DATABASE_URL"]).database or "")

        def copy_checked(out: BinaryIO) -> None:
            digest = hashlib.sha256()
            with open(source, "rb") as fh:
                while chunk := fh.read(1 << 20):
                    digest.update(chunk)
                    out.write(chunk)
            if digest.hexdigest() != database["sha256"]:  # raised before the rename: nothing named
                raise RestoreError(f"the database snapshot {source} is damaged (its sha256 is not the "
                                   "manifest's): restore an older snapshot", refused=False)

        write_atomically(target, copy_checked)
        return
    if file_sha256(source) != database["sha256"]:
        raise RestoreError(f"the database dump {source} is damaged (its sha256 is not the manifest's): "
                           "restore an older snapshot", refused=False)
    uri, env = libpq_command_env(config["DATABASE_URL"])
    done = subprocess.run(  # noqa: S603 - a fixed program, arguments from our own config
        ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",  # noqa: S607
         f"--dbname={uri}", str(source)], env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RestoreError(f"pg_restore failed: {done.stderr.strip()}", refused=False)


def _restore_originals(state: ArchiveState, root: Path, manifest: dict[str, str], echo: Echo) -> int:
    """Copy every original the snapshot lists into the new store, each verified by the store's put."""
    prefix = f"{ORIGINALS}/"
    hashes = sorted({sha for path, sha in manifest.items() if path.startswith(prefix)})
    with state.db.engine.connect() as conn:
        referenced = set(conn.scalars(text("SELECT DISTINCT sha256 FROM photo")))
    if referenced - set(hashes):
        raise RestoreError(f"the manifest lacks {len(referenced - set(hashes))} originals its database uses: "
                           "this snapshot is inconsistent; restore another one", refused=False)
    backup_store = LocalStore(root / ORIGINALS)
    problems = []
    for number, sha256 in enumerate(hashes, 1):
        try:
            with backup_store.open(sha256) as stream:
                state.store.put(stream, expected_sha256=sha256)
        except MediaError as exc:
            problems.append(f"{sha256}: {'missing' if exc.code == 'not_found' else 'damaged'} in the backup")
        if number % 50 == 0:
            echo(f"  originals: {number}/{len(hashes)}")
    for problem in problems[:20]:
        echo(f"  {problem}")
    if problems:
        raise RestoreError(f"{len(problems)} originals in the backup are missing or damaged; restore them from "
                           "another backup copy or a replica", refused=False)
    return len(hashes)
