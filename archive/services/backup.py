"""Backups: a consistent copy of the database and every original, with a manifest that proves it."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.engine import make_url

from archive.db import utcnow
from archive.models import Photo
from media import file_sha256

if TYPE_CHECKING:
    from archive.state import ArchiveState


class BackupError(Exception):
    pass


def _copy_database(state: ArchiveState, target: Path) -> str:
    url = make_url(state.db.url)
    if url.get_backend_name() == "sqlite":
        # SQLite's online backup API: a consistent snapshot even while the archive is serving.
        source = sqlite3.connect(url.database or "")
        dest = sqlite3.connect(target / "qiaofang.db")
        with dest:
            source.backup(dest)
        source.close()
        dest.close()
        return "qiaofang.db"
    if shutil.which("pg_dump") is None:
        raise BackupError("pg_dump is needed to back up a PostgreSQL database (apt-get install postgresql-client)")
    dump = target / "qiaofang.pgdump"
    plain = url.set(drivername="postgresql").render_as_string(hide_password=False)
    subprocess.run(["pg_dump", "--format=custom", f"--file={dump}", plain], check=True)  # noqa: S603,S607
    return dump.name


def backup(state: ArchiveState, dest: Path, echo: Callable[[str], None]) -> Path:
    """Write DEST/qiaofang-backup-<time>/ with the database, the originals and manifest.json."""
    target = dest / f"qiaofang-backup-{utcnow().strftime('%Y%m%d-%H%M%S')}"
    (target / "media").mkdir(parents=True)
    database = _copy_database(state, target)
    with state.db.session(write=False) as db:
        hashes = sorted(set(db.scalars(select(Photo.sha256))))
    originals = []
    for number, sha256 in enumerate(hashes, 1):
        source = state.store.local_path(sha256)
        if source is None or not source.exists():
            raise BackupError(f"original {sha256} is missing from the store; run `qiaofang check`")
        copy = target / "media" / sha256[:2] / sha256
        copy.parent.mkdir(exist_ok=True)
        try:
            os.link(source, copy)  # originals never change, so a hard link is a safe, free copy
        except OSError:
            shutil.copy2(source, copy)
        if file_sha256(copy) != sha256:
            raise BackupError(f"the copy of {sha256} does not match its hash")
        originals.append({"sha256": sha256, "size": copy.stat().st_size})
        if number % 200 == 0:
            echo(f"  {number}/{len(hashes)} originals")
    manifest = {"created": utcnow().isoformat(), "database": database, "originals": originals}
    (target / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return target
