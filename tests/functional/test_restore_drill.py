"""Restore drill, on SQLite and on PostgreSQL: back up while uploads go on, restore into an empty
target, and compare every row of every table and every original's hash with the live archive.

The live archive is a real one with committed data (PostgreSQL: a scratch database
`qf_drill_<pid>` and an empty `qf_drill_<pid>_restored` target, dropped afterwards; pg_dump cannot
see data in a test's rolled-back transaction or a schema other tests truncate). `qiaofang backup`
and `qiaofang restore` run as subprocesses; uploads go through the staff upload route in a thread
that starts before the backup starts and stops only after it ended, so rows are committed while
the database is dumped and while originals are copied.

"Every row from the snapshot time": the restored archive must hold exactly the live rows as they
were at the snapshot: every restored row equals its live row, every photo uploaded before the
backup started is there, and what live has beyond it is only photos (and their audit events)
uploaded during or after the backup. search_queue is left out: it is transient (drained by the
indexer at any moment, emptied by the restore's reindex).
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from archive import create_app
from archive.db import Base
from archive.services.setup import initialise
from archive.state import ArchiveState
from media import LocalStore, file_sha256
from tests.conftest import add_user, csrf_token, login, make_house, make_record
from tests.functional.test_backup import QIAOFANG, clean_env
from tests.unit.media.conftest import make_picture

PG_URL = os.environ.get("QIAOFANG_TEST_DATABASE_URL", "")
TRANSIENT = {"search_queue"}


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def databases(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str | None]]:
    """(live database URL, restore target URL or None for the target data folder's SQLite file)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'live' / 'qiaofang.db'}", None
        return
    if not PG_URL:
        pytest.skip("the PostgreSQL drill runs in the PostgreSQL pass (QIAOFANG_TEST_DATABASE_URL, as .ci/run sets)")
    # In the PostgreSQL pass a missing client is a failure, never a skip.
    assert shutil.which("pg_dump") and shutil.which("pg_restore"), "apt-get install postgresql-client"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    names = [f"qf_drill_{os.getpid()}", f"qf_drill_{os.getpid()}_restored"]
    with admin.connect() as conn:
        for name in names:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    base = make_url(PG_URL).set(query={})
    try:
        yield tuple(base.set(database=n).render_as_string(hide_password=False) for n in names)  # type: ignore[misc]
    finally:
        with admin.connect() as conn:
            for name in names:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


class Uploader:
    """Uploads distinct photos through the staff upload route, in a thread, until told to stop."""

    def __init__(self, app: Flask) -> None:
        self.client = app.test_client()
        login(self.client, "ed")
        self.token = csrf_token(self.client, "/staff/houses/KP-1/photos/upload")
        self.hashes: list[str] = []
        self.errors: list[str] = []
        self.limit: int | None = None
        self.thread = threading.Thread(target=self._run, daemon=True)

    def upload(self) -> None:
        picture = io.BytesIO()
        make_picture((320, 240), 1000 + len(self.hashes)).save(picture, "JPEG", quality=90)
        picture.seek(0)
        response = self.client.post("/staff/houses/KP-1/photos?lang=en", data={
            "file": (picture, f"upload-{len(self.hashes)}.jpg"), "csrf_token": self.token})
        if response.status_code != 201:
            raise AssertionError(response.get_data(as_text=True))
        self.hashes.append(response.get_json()["photo"]["sha256"])

    def _run(self) -> None:
        try:
            while self.limit is None or len(self.hashes) < self.limit:
                self.upload()
        except Exception as exc:  # reported by stop(): a thread's exception would be lost
            self.errors.append(repr(exc))

    def stop(self, after: int) -> None:
        """Stop after ``after`` more uploads (so some surely follow the backup)."""
        self.limit = len(self.hashes) + after
        self.thread.join(timeout=120)
        assert not self.thread.is_alive() and not self.errors, self.errors


def table_rows(url: str) -> dict[str, dict[tuple[Any, ...], tuple[Any, ...]]]:
    """Every row of every table, by primary key (alembic_version too)."""
    engine = create_engine(url)
    rows: dict[str, dict[tuple[Any, ...], tuple[Any, ...]]] = {}
    try:
        with engine.connect() as conn:
            for table in Base.metadata.sorted_tables:
                if table.name not in TRANSIENT:
                    key = [column.name for column in table.primary_key.columns]
                    rows[table.name] = {tuple(r._mapping[k] for k in key): tuple(r) for r in conn.execute(select(table))}
            rows["alembic_version"] = {tuple(r): tuple(r) for r in conn.execute(text("SELECT * FROM alembic_version"))}
    finally:
        engine.dispose()
    return rows


def run(*args: str, database_url: str | None) -> str:
    env = clean_env(**({"QIAOFANG_DATABASE_URL": database_url} if database_url else {}))
    done = subprocess.run([QIAOFANG, *args], env=env, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def make_live_archive(data: Path, url: str) -> Flask:
    app = create_app({"DATA": data, "DATABASE_URL": url, "SECRET_KEY": "drill", "SEARCH_SYNC": True,
                      "TESTING": True})
    state: ArchiveState = app.extensions["qiaofang"]
    initialise(state)
    make_house(state, "KP-1")
    make_house(state, "TS-1", name_zh="黄氏庐", name_en="Zebulon Villa", county="台山市", published=False)
    make_record(state, "KP-1", title="方润文口述", body="他在金山做洗衣馆。")
    add_user(state, "ed", "editor")
    return app


def test_restore_drill(databases: tuple[str, str | None], tmp_path: Path) -> None:
    live_url, target_url = databases
    data, dest, target = tmp_path / "live", tmp_path / "backup", tmp_path / "restored"
    app = make_live_archive(data, live_url)
    live: ArchiveState = app.extensions["qiaofang"]
    try:
        uploader = Uploader(app)
        for _ in range(3):
            uploader.upload()
        before = set(uploader.hashes)
        uploader.thread.start()
        backed_up = run("--data", str(data), "backup", str(dest), database_url=live_url if target_url else None)
        uploader.stop(after=2)
        assert "complete" in backed_up
        if target_url:  # a PostgreSQL database with tables is no empty target, whatever the folder
            env = clean_env(QIAOFANG_DATABASE_URL=live_url)
            refused = subprocess.run([QIAOFANG, "restore", str(dest), "--data", str(tmp_path / "other")], env=env,
                                     capture_output=True, text=True, timeout=600, check=False)
            assert refused.returncode == 1 and "already has tables" in refused.stderr, refused.stderr
            assert not (tmp_path / "other").exists()
        restored_out = run("restore", str(dest), "--data", str(target), "--workers", "2", database_url=target_url)
        assert "originals verified" in restored_out

        live_rows = table_rows(live_url)
        restored_url = target_url or f"sqlite:///{target / 'qiaofang.db'}"
        restored_rows = table_rows(restored_url)
        compare_rows(live_rows, restored_rows, before, set(uploader.hashes))
        compare_originals(live, LocalStore(target / "media"), restored_rows)
        check = run("--data", str(target), "check", database_url=target_url)
        assert "check: OK" in check, check
        assert_searches(target, target_url)
    finally:
        live.close()


def compare_rows(live: dict[str, Any], restored: dict[str, Any], before: set[str], uploaded: set[str]) -> None:
    assert set(restored) == set(live)
    changed = [(name, key) for name, rows in restored.items() for key, row in rows.items()
               if live[name].get(key) != row]
    assert not changed, f"restored rows that differ from the live ones: {changed[:10]}"
    grown = {name for name in live if set(live[name]) != set(restored[name])}
    assert grown <= {"photo", "audit_event"}, grown  # only uploads happened after the snapshot
    sha_column = list(Base.metadata.tables["photo"].columns.keys()).index("sha256")
    restored_photos = {row[sha_column] for row in restored["photo"].values()}
    live_photos = {row[sha_column] for row in live["photo"].values()}
    assert before <= restored_photos  # committed before the backup started: in the backup
    assert restored_photos < live_photos  # uploads went on after the snapshot ...
    assert live_photos - restored_photos <= uploaded - before  # ... and only they are missing


def compare_originals(live: ArchiveState, restored: LocalStore, rows: dict[str, Any]) -> None:
    sha_column = list(Base.metadata.tables["photo"].columns.keys()).index("sha256")
    hashes = sorted({row[sha_column] for row in rows["photo"].values()})
    assert list(restored.iter_hashes()) == hashes
    for sha256 in hashes:
        copy, original = restored.path_for(sha256), live.store.path_for(sha256)
        assert file_sha256(copy) == sha256 == file_sha256(original)
        assert copy.stat().st_ino != original.stat().st_ino


def assert_searches(target: Path, target_url: str | None) -> None:
    app = create_app({"DATA": target, "DATABASE_URL": target_url, "SECRET_KEY": "drill", "TESTING": True})
    try:
        client = app.test_client()
        found: Any = client.get("/api/search", query_string={"q": "洗衣馆"}).get_json()
        assert [hit["house_code"] for hit in found["hits"]] == ["KP-1"]
        hidden: Any = client.get("/api/search", query_string={"q": "Zebulon"}).get_json()
        assert hidden["hits"] == []  # the unpublished house stays out of the public index ...
        login(client, "ed")  # ... and is in the staff one (the accounts came back too)
        staff: Any = client.get("/api/search", query_string={"q": "Zebulon"}).get_json()
        assert [hit["house_code"] for hit in staff["hits"]] == ["TS-1"]
    finally:
        app.extensions["qiaofang"].close()
