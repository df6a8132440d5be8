"""`qiaofang backup` and `restore`: copies (never links) in the store's layout, manifests, increments,
a backup killed half-way, damaged copies, refusals.

These run on a SQLite archive of their own whatever QIAOFANG_TEST_DATABASE_URL says: what they test
is file work, the same for both databases (and `qiaofang backup` must run as a real subprocess
against the very database the test wrote). The PostgreSQL path (pg_dump inside an exported
snapshot, pg_restore) is proven by the restore drill in test_restore_drill.py.
"""

from __future__ import annotations

import fcntl
import io
import json
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from click.testing import CliRunner as ClickRunner
from flask import Flask
from sqlalchemy import select

from archive import build_state, create_app
from archive.cli import cli as qiaofang_cli
from archive.config import load_config
from archive.models import Photo
from archive.services import SYSTEM
from archive.services.backup import backup, latest_snapshot
from archive.services.houses import get_house
from archive.services.photos import record_photo, stage_upload
from archive.services.setup import alembic_config, current_revision, head_revision, initialise
from archive.state import ArchiveState
from media import LocalStore, file_sha256
from tests.conftest import CliRunner, make_house
from tests.unit.media.conftest import make_picture

QIAOFANG = str(Path(sys.executable).with_name("qiaofang"))


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QIAOFANG_")}
    return {**env, **extra}


@pytest.fixture(scope="module")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("backup-template")
    app = create_app({"DATA": data, "DATABASE_URL": f"sqlite:///{data / 'qiaofang.db'}", "SECRET_KEY": "t"})
    initialise(app.extensions["qiaofang"])
    app.extensions["qiaofang"].close()
    return data


@pytest.fixture
def archive(tmp_path: Path, sqlite_template: Path) -> Iterator[Flask]:
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(sqlite_template / "qiaofang.db", data / "qiaofang.db")
    app = create_app({"DATA": data, "DATABASE_URL": f"sqlite:///{data / 'qiaofang.db'}", "SECRET_KEY": "t",
                      "SEARCH_SYNC": True, "TESTING": True})
    make_house(app.extensions["qiaofang"], "KP-1")
    yield app
    app.extensions["qiaofang"].close()


@pytest.fixture
def live(archive: Flask) -> ArchiveState:
    state: ArchiveState = archive.extensions["qiaofang"]
    return state


@pytest.fixture
def cli(archive: Flask) -> CliRunner:
    return CliRunner(archive)


def add_photo(state: ArchiveState, seed: int = 3) -> str:
    buffer = io.BytesIO()
    make_picture((400, 300), seed).save(buffer, "JPEG")
    buffer.seek(0)
    staged = stage_upload(state.store, state.derivatives_dir, buffer, f"photo-{seed}.jpg")
    with state.transaction() as db:
        record_photo(db, SYSTEM, get_house(db, "KP-1"), staged)
    return staged.blob.sha256


def add_raw_originals(state: ArchiveState, count: int, size: int) -> list[str]:
    """Many large originals fast: random bytes stored and recorded (no derivatives; backup needs none)."""
    hashes = []
    with state.transaction() as db:
        house = get_house(db, "KP-1")
        for _ in range(count):
            blob = state.store.put(io.BytesIO(os.urandom(size)))
            db.add(Photo(house=house, sha256=blob.sha256, original_name="raw.bin", mime="image/jpeg", size=size))
            hashes.append(blob.sha256)
    return sorted(hashes)


def run_backup(cli: CliRunner, dest: Path, *args: str) -> str:
    result = cli.invoke(["backup", str(dest), *args])
    assert result.exit_code == 0, result.output
    output: str = result.output
    return output


def snapshot_of(dest: Path) -> Path:
    return dest / "snapshots" / (dest / "latest").read_text().strip()


def test_backup_is_a_verified_copy_in_the_store_layout(live: ArchiveState, cli: CliRunner, tmp_path: Path) -> None:
    hashes = sorted([add_photo(live, 1), add_photo(live, 2)])
    dest = tmp_path / "backup"
    output = run_backup(cli, dest)
    assert "2 originals (2 copied" in output
    copies = LocalStore(dest / "media")
    assert list(copies.iter_hashes()) == hashes  # the store's own layout: ab/cd/<sha256>
    for sha256 in hashes:
        live_path, copy = live.store.path_for(sha256), copies.path_for(sha256)
        assert copy.stat().st_ino != live_path.stat().st_ino and copy.stat().st_nlink == 1
        assert file_sha256(copy) == sha256
    # A bit flipped in the live file leaves the backup whole.
    live_path = live.store.path_for(hashes[0])
    live_path.chmod(0o644)
    damaged = bytearray(live_path.read_bytes())
    damaged[100] ^= 0x01
    live_path.write_bytes(bytes(damaged))
    assert file_sha256(copies.path_for(hashes[0])) == hashes[0]

    snapshot = snapshot_of(dest)
    lines = (snapshot / "manifest-sha256.txt").read_text().splitlines()
    database_line, *original_lines = lines
    assert database_line == f"{file_sha256(snapshot / 'qiaofang.db')}  snapshots/{snapshot.name}/qiaofang.db"
    assert original_lines == [f"{h}  media/{h[:2]}/{h[2:4]}/{h}" for h in hashes]
    record = json.loads((snapshot / "backup.json").read_text())
    assert [o["sha256"] for o in record["originals"]] == hashes
    assert record["database"]["kind"] == "sqlite" and record["database"]["revision"]


def test_second_backup_copies_only_the_new_photo(live: ArchiveState, cli: CliRunner, tmp_path: Path) -> None:
    add_photo(live, 1)
    dest = tmp_path / "backup"
    run_backup(cli, dest)
    again = run_backup(cli, dest)
    assert "1 originals (0 copied, 0 damaged copies replaced, 0 verified by hash, 1 unchanged" in again
    new = add_photo(live, 2)
    third = run_backup(cli, dest)
    assert "2 originals (1 copied, 0 damaged copies replaced, 0 verified by hash, 1 unchanged" in third
    assert file_sha256(LocalStore(dest / "media").path_for(new)) == new
    assert len(list((dest / "snapshots").iterdir())) == 3
    # Without `latest` (a run killed just before it, a copy of the folder) the newest complete one counts.
    newest = snapshot_of(dest)
    (dest / "latest").unlink()
    assert latest_snapshot(dest) == newest


def test_damaged_copy_in_the_backup_is_copied_again(live: ArchiveState, cli: CliRunner, tmp_path: Path) -> None:
    sha256 = add_photo(live, 1)
    dest = tmp_path / "backup"
    run_backup(cli, dest)
    copy = LocalStore(dest / "media").path_for(sha256)
    good = copy.read_bytes()
    stat = copy.stat()
    copy.chmod(0o644)
    copy.write_bytes(good[:50] + bytes([good[50] ^ 0x10]) + good[51:])
    # A rewrite changes the mtime: the last manifest no longer vouches for the copy, it is hashed.
    assert "1 damaged copies replaced" in run_backup(cli, dest)
    assert copy.read_bytes() == good
    # Silent damage (same size, same mtime, as bit rot on the disk) passes the fast check;
    # --verify hashes every copy and finds it.
    copy.write_bytes(good[:50] + bytes([good[50] ^ 0x10]) + good[51:])
    os.utime(copy, ns=(copy.stat().st_atime_ns, json.loads(
        (snapshot_of(dest) / "backup.json").read_text())["originals"][0]["mtime_ns"]))
    assert "1 unchanged since the last backup" in run_backup(cli, dest)
    assert "1 damaged copies replaced" in run_backup(cli, dest, "--verify")
    assert copy.read_bytes() == good and stat.st_size == len(good)


def test_corrupt_live_original_fails_the_backup_and_marks_nothing_complete(
    live: ArchiveState, cli: CliRunner, tmp_path: Path,
) -> None:
    sha256 = add_photo(live, 1)
    path = live.store.path_for(sha256)
    path.chmod(0o644)
    path.write_bytes(path.read_bytes()[:-10] + b"0123456789")
    result = cli.invoke(["backup", str(tmp_path / "backup")])
    assert result.exit_code == 1
    assert f"original {sha256} in the store is corrupt" in result.output
    assert "no snapshot is marked complete" in result.output
    assert not (tmp_path / "backup" / "latest").exists()
    assert not list((tmp_path / "backup").glob("snapshots/*/backup.json"))
    assert not LocalStore(tmp_path / "backup" / "media").exists(sha256)


TOTAL = 400


def test_backup_killed_mid_copy_loses_nothing(live: ArchiveState, cli: CliRunner, tmp_path: Path) -> None:
    hashes = add_raw_originals(live, TOTAL, 64 * 1024)
    dest = tmp_path / "backup"
    process = subprocess.Popen([QIAOFANG, "--data", str(live.config["DATA"]), "backup", str(dest)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=clean_env())
    assert process.stdout is not None
    seen = []
    for line in process.stdout:  # progress comes every 50 originals: kill at the first (350 to go)
        seen.append(line)
        if f"originals: 50/{TOTAL}" in line:
            process.send_signal(signal.SIGKILL)
            break
    assert process.wait() == -signal.SIGKILL, "".join(seen)
    process.stdout.close()
    # Nothing marked complete, nothing half-written under a final name.
    assert not (dest / "latest").exists()
    assert not list(dest.glob("snapshots/*/backup.json")) and list(dest.glob("snapshots/*/qiaofang.db"))
    copies = LocalStore(dest / "media")
    left = list(copies.iter_hashes())
    assert 50 <= len(left) < TOTAL, "".join(seen)
    assert all(file_sha256(copies.path_for(h)) == h for h in left)

    output = run_backup(cli, dest)
    assert "removed incomplete snapshot" in output
    # The killed run's copies are hashed (no manifest vouches for them), the rest copied.
    assert f"{TOTAL} originals ({TOTAL - len(left)} copied, 0 damaged copies replaced, {len(left)} verified by hash" \
        in output, output
    snapshot = snapshot_of(dest)
    assert [p.name for p in (dest / "snapshots").iterdir()] == [snapshot.name]
    listed = [line.split("  ")[0] for line in (snapshot / "manifest-sha256.txt").read_text().splitlines()[1:]]
    assert listed == hashes
    assert all(file_sha256(copies.path_for(h)) == h for h in hashes)
    assert not list((dest / "media" / ".tmp").iterdir())


def test_backup_folder_is_one_backup_at_a_time_and_only_a_backup(
    live: ArchiveState, cli: CliRunner, tmp_path: Path,
) -> None:
    add_photo(live, 1)
    dest = tmp_path / "backup"
    dest.mkdir()
    with open(dest / ".lock", "w") as held:  # as a running backup holds it
        fcntl.flock(held, fcntl.LOCK_EX)
        result = cli.invoke(["backup", str(dest)])
    assert result.exit_code == 1 and "another backup into" in result.output
    assert not (dest / "snapshots").exists()
    run_backup(cli, dest)  # the lock gone, it runs
    (tmp_path / "papers").mkdir()
    (tmp_path / "papers" / "thesis.docx").write_bytes(b"mine")
    elsewhere = cli.invoke(["backup", str(tmp_path / "papers")])
    assert elsewhere.exit_code == 1 and "not a qiaofang backup's" in elsewhere.output
    assert [p.name for p in (tmp_path / "papers").iterdir()] == ["thesis.docx"]


def test_restore_refuses_a_target_that_is_not_empty(live: ArchiveState, cli: CliRunner, tmp_path: Path) -> None:
    add_photo(live, 1)
    dest = tmp_path / "backup"
    run_backup(cli, dest)
    target = tmp_path / "target"
    target.mkdir()
    (target / "notes.txt").write_text("keep me")
    result = cli.invoke(["restore", str(dest), "--data", str(target)])
    assert result.exit_code == 1
    assert f"the target is not empty: {target} is not empty; nothing was written" in result.output
    assert [p.name for p in target.iterdir()] == ["notes.txt"]
    missing = cli.invoke(["restore", str(tmp_path / "target"), "--data", str(tmp_path / "elsewhere")])
    assert missing.exit_code == 1 and "holds no complete backup" in missing.output
    assert not (tmp_path / "elsewhere").exists()


def test_restore_from_a_damaged_backup_fails_and_says_what_to_do(
    live: ArchiveState, cli: CliRunner, tmp_path: Path,
) -> None:
    sha256 = add_photo(live, 1)
    dest = tmp_path / "backup"
    run_backup(cli, dest)
    copy = LocalStore(dest / "media").path_for(sha256)
    copy.chmod(0o644)
    copy.write_bytes(copy.read_bytes()[:-1] + b"\x00")
    target = tmp_path / "target"
    result = cli.invoke(["restore", str(snapshot_of(dest)), "--data", str(target)])
    assert result.exit_code == 1
    assert f"{sha256}: damaged in the backup" in result.output
    assert "the restore failed half-way" in result.output and f"empty {target}" in result.output
    assert not LocalStore(target / "media").exists(sha256)


def photo_hashes(state: ArchiveState) -> list[str]:
    with state.db.session(write=False) as db:
        return sorted(set(db.scalars(select(Photo.sha256))))


def test_restore_rebuilds_a_working_archive(live: ArchiveState, cli: CliRunner, tmp_path: Path) -> None:
    hashes = sorted([add_photo(live, 1), add_photo(live, 2)])
    dest = tmp_path / "backup"
    run_backup(cli, dest)
    target = tmp_path / "restored"
    result = cli.invoke(["restore", str(dest), "--data", str(target), "--workers", "2"])
    assert result.exit_code == 0, result.output
    assert "2 originals verified, derivatives for 2 photos" in result.output
    restored = create_app({"DATA": target, "SECRET_KEY": "t", "TESTING": True, "DATABASE_URL": None})
    state: ArchiveState = restored.extensions["qiaofang"]
    try:
        assert photo_hashes(state) == hashes
        assert [file_sha256(state.store.path_for(h)) for h in hashes] == hashes
        checked = CliRunner(restored).invoke(["check"])
        assert checked.exit_code == 0 and "check: OK: 2 originals verified" in checked.output, checked.output
        found: Any = restored.test_client().get("/api/search", query_string={"q": "铭石楼"}).get_json()
        assert [hit["house_code"] for hit in found["hits"]] == ["KP-1"]
    finally:
        state.close()


def test_restore_of_an_older_backup_runs_the_migrations(tmp_path: Path) -> None:
    (tmp_path / "old").mkdir()
    url = f"sqlite:///{tmp_path / 'old' / 'qiaofang.db'}"
    state = build_state(load_config({"DATA": tmp_path / "old", "DATABASE_URL": url, "SECRET_KEY": "t"}))
    head = head_revision(url)
    older = ScriptDirectory.from_config(alembic_config(url)).get_revision(head).down_revision
    assert isinstance(older, str)
    config = alembic_config(url)
    with state.db.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, older)
    backup(state, tmp_path / "backup")  # the service: the command itself backs up only a current schema
    state.close()
    result = ClickRunner().invoke(qiaofang_cli, ["restore", str(tmp_path / "backup"), "--data", str(tmp_path / "new")])
    assert result.exit_code == 0, result.output
    assert f"database (revision {older}, upgraded to {head})" in result.output
    restored = build_state(load_config({"DATA": tmp_path / "new", "SECRET_KEY": "t"}))
    try:
        assert current_revision(restored) == head
    finally:
        restored.close()

