"""Fixity: each fault injected on real files (bit flip, truncation, deletion, extra file, unreadable
file), found by `qiaofang fixity`, recorded, repaired from a good copy, and never served."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from archive import create_app
from archive.models import AuditEvent, FixityFinding, FixityRun, Photo
from archive.services import SYSTEM
from archive.services.houses import get_house
from archive.services.photos import record_photo, stage_upload
from archive.services.replication import drain_replication
from archive.state import ArchiveState
from media import LocalStore
from tests.conftest import CliRunner, add_user, login, make_house
from tests.s3server import S3Server
from tests.unit.media.conftest import make_picture

EN = {"Accept-Language": "en"}


def add_photo(state: ArchiveState, seed: int, house: str = "KP-1") -> str:
    buffer = io.BytesIO()
    make_picture((400, 300), seed).save(buffer, "JPEG")
    buffer.seek(0)
    staged = stage_upload(state.store, state.derivatives_dir, buffer, f"门{seed}.jpg")
    with state.transaction() as db:
        record_photo(db, SYSTEM, get_house(db, house), staged, replicas=[r.name for r in state.replicas])
    return staged.blob.sha256


def blob(state: ArchiveState, sha256: str) -> Path:
    path = state.store.path_for(sha256)
    path.chmod(0o644)
    return path


def flip_bit(path: Path, offset: int = 1000) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x04
    path.write_bytes(bytes(data))


def make_unreadable(path: Path) -> None:
    """A folder where the file was: open() fails with EISDIR even for root (chmod 000 would not)."""
    path.unlink()
    path.mkdir()


def fetch(client: FlaskClient, url: str, headers: dict[str, str] | None = None) -> Any:
    """GET and close (a streamed file stays open until its response is closed, as a server does)."""
    response = client.get(url, headers=headers or EN)
    response.get_data()
    response.close()
    return response


def findings(state: ArchiveState, run_id: int | None = None) -> dict[str, set[str]]:
    with state.db.session(write=False) as db:
        run_id = run_id or db.scalar(select(FixityRun.id).order_by(FixityRun.id.desc()).limit(1))
        rows = db.scalars(select(FixityFinding).where(FixityFinding.run_id == run_id))
        out: dict[str, set[str]] = {}
        for row in rows:
            out.setdefault(row.kind, set()).add(row.sha256)
        return out


def last_run(state: ArchiveState) -> FixityRun:
    with state.db.session(write=False) as db:
        run = db.scalar(select(FixityRun).order_by(FixityRun.id.desc()).limit(1))
        assert run is not None
        return run


def test_a_clean_archive_passes_and_the_run_is_recorded(state: ArchiveState, runner: Any) -> None:
    make_house(state, "KP-1")
    hashes = [add_photo(state, seed) for seed in (1, 2)]
    result = runner.invoke(["fixity"])
    assert result.exit_code == 0, result.output
    assert "fixity (full): OK: 2 originals checked" in result.output
    run = last_run(state)
    sizes = sum(state.store.path_for(h).stat().st_size for h in hashes)
    assert (run.mode, run.originals, run.bytes_read, run.changed, run.finished_at is not None) == (
        "full", 2, sizes, 0, True)
    assert findings(state) == {}


def test_each_injected_fault_is_found_and_recorded(state: ArchiveState, runner: Any) -> None:
    make_house(state, "KP-1")
    flipped, truncated, deleted, unreadable, fine = (add_photo(state, seed) for seed in range(1, 6))
    flip_bit(blob(state, flipped))
    path = blob(state, truncated)
    path.write_bytes(path.read_bytes()[:-100])
    blob(state, deleted).unlink()
    make_unreadable(blob(state, unreadable))
    extra = state.store.put(io.BytesIO(b"bytes that no photo row names")).sha256
    (state.store.path_for(fine).parent / "notes.txt").write_text("a stray")
    result = runner.invoke(["fixity"])
    assert result.exit_code == 1
    assert "2 changed, 1 missing, 1 unreadable, 2 untracked" in result.output
    found = findings(state)
    stray = state.store.path_for(fine).parent.relative_to(state.store.root).as_posix() + "/notes.txt"
    assert f"untracked: {stray} (no photo uses this file; left in place)" in result.output
    assert found == {"changed": {flipped, truncated}, "missing": {deleted}, "unreadable": {unreadable},
                     "untracked": {extra, stray}}
    assert state.store.path_for(extra).read_bytes() == b"bytes that no photo row names"  # reported, not deleted
    quick = runner.invoke(["fixity", "--quick"])
    assert quick.exit_code == 1
    # Quick compares sizes: the truncated file shows, the flipped bit (same size) cannot.
    assert findings(state)["changed"] == {truncated}
    assert last_run(state).mode == "quick"


def test_repair_from_a_folder_replica_and_a_backup_folder(state: ArchiveState, runner: Any, tmp_path: Path) -> None:
    make_house(state, "KP-1")
    flipped, deleted, unreadable = (add_photo(state, seed) for seed in (1, 2, 3))
    good = {sha: state.store.path_for(sha).read_bytes() for sha in (flipped, deleted, unreadable)}
    replica = LocalStore(tmp_path / "replica")
    replica.put(io.BytesIO(good[flipped]))
    assert runner.invoke(["backup", str(tmp_path / "backups")]).exit_code == 0
    (tmp_path / "backups" / "media" / flipped[:2] / flipped[2:4] / flipped).unlink()  # only the replica has it
    flip_bit(blob(state, flipped))
    blob(state, deleted).unlink()
    make_unreadable(blob(state, unreadable))
    assert runner.invoke(["fixity"]).exit_code == 1
    result = runner.invoke(["fixity", "--repair", "--from", str(replica.root), "--from", str(tmp_path / "backups")])
    assert result.exit_code == 0, result.output
    assert "fixity (full): REPAIRED: 3 originals checked" in result.output and "3 repaired, 0 unrepaired" in result.output
    assert {sha: state.store.path_for(sha).read_bytes() for sha in good} == good
    assert findings(state)["repaired"] == {flipped, deleted, unreadable}
    with state.db.session(write=False) as db:
        open_alarms = db.scalars(select(FixityFinding).where(FixityFinding.resolved_at.is_(None),
                                                             FixityFinding.kind == "changed")).all()
        event = db.scalar(select(AuditEvent).where(AuditEvent.action == "repair"))
    assert open_alarms == []
    assert event is not None and event.changes["repaired"][1] == sorted(good)
    assert runner.invoke(["fixity"]).exit_code == 0


def test_repair_says_what_it_could_not_repair(state: ArchiveState, runner: Any, tmp_path: Path) -> None:
    make_house(state, "KP-1")
    flipped, deleted = add_photo(state, 1), add_photo(state, 2)
    damaged_copy = LocalStore(tmp_path / "copy")
    damaged_copy.put(io.BytesIO(state.store.path_for(flipped).read_bytes()))
    flip_bit(damaged_copy.path_for(flipped), 2000)  # the only other copy is bad too
    flip_bit(blob(state, flipped))
    damaged = state.store.path_for(flipped).read_bytes()
    blob(state, deleted).unlink()
    result = runner.invoke(["fixity", "--repair", "--from", str(damaged_copy.root)])
    assert result.exit_code == 1
    assert f"NOT repaired: {flipped}: {damaged_copy.root}: hash_mismatch" in result.output
    assert f"NOT repaired: {deleted}: {damaged_copy.root}: no copy" in result.output
    assert findings(state)["unrepaired"] == {flipped, deleted}
    assert state.store.path_for(flipped).read_bytes() == damaged  # left as it was, not replaced by worse
    assert runner.invoke(["fixity", "--from", str(tmp_path)]).exit_code == 1  # --from without --repair


def test_a_corrupt_original_is_never_served(state: ArchiveState, editor: FlaskClient, runner: Any,
                                             tmp_path: Path) -> None:
    make_house(state, "KP-1")
    sha256 = add_photo(state, 1)
    with state.db.session(write=False) as db:
        photo_id = db.scalar(select(Photo.id).where(Photo.sha256 == sha256))
    good = state.store.path_for(sha256).read_bytes()
    ok = fetch(editor, f"/media/original/{photo_id}")
    assert ok.status_code == 200 and ok.data == good and ok.headers["ETag"] == f'"{sha256}"'
    shutil.copytree(state.store.root, tmp_path / "copy", ignore=shutil.ignore_patterns(".tmp"))
    flip_bit(blob(state, sha256))
    bad = state.store.path_for(sha256).read_bytes()
    for _ in range(2):
        refused = fetch(editor, f"/media/original/{photo_id}")
        assert refused.status_code == 409
        assert bad not in refused.data and good[:200] not in refused.data
        assert "failed its integrity check" in refused.get_data(as_text=True)
    with state.db.session(write=False) as db:
        alarms = db.scalars(select(FixityFinding).join(FixityRun).where(FixityRun.mode == "read")).all()
    assert [(a.sha256, a.kind, a.resolved_at) for a in alarms] == [(sha256, "changed", None)]  # one, not two
    dashboard = editor.get("/staff/", headers=EN).get_data(as_text=True)
    assert 'data-fixity-alarms="1"' in dashboard and sha256 in dashboard
    assert runner.invoke(["fixity", "--repair", "--from", str(tmp_path / "copy")]).exit_code == 0
    assert fetch(editor, f"/media/original/{photo_id}").data == good
    assert 'data-fixity-alarms' not in editor.get("/staff/", headers=EN).get_data(as_text=True)


def test_missing_or_unreadable_originals_are_withheld_too(state: ArchiveState, editor: FlaskClient) -> None:
    make_house(state, "KP-1")
    missing, unreadable = add_photo(state, 1), add_photo(state, 2)
    blob(state, missing).unlink()
    make_unreadable(blob(state, unreadable))
    with state.db.session(write=False) as db:
        ids = {p.sha256: p.id for p in db.scalars(select(Photo))}
    assert fetch(editor, f"/media/original/{ids[missing]}").status_code == 409
    response = fetch(editor, f"/media/original/{ids[unreadable]}", {**EN, "Accept": "application/json"})
    assert response.status_code == 409 and response.json["error"]["code"] == "original_damaged"
    with state.db.session(write=False) as db:
        kinds = {(f.sha256, f.kind) for f in db.scalars(select(FixityFinding))}
    assert kinds == {(missing, "missing"), (unreadable, "unreadable")}


def test_a_garbage_derivative_is_remade_or_refused(state: ArchiveState, client: FlaskClient) -> None:
    make_house(state, "KP-1")
    sha256 = add_photo(state, 1)
    with state.transaction() as db:
        for photo in db.scalars(select(Photo)):
            photo.public = True
    medium = state.derivatives_dir / sha256[:2] / f"{sha256}-medium.jpg"
    medium.write_bytes(b"garbage")  # 7 bytes
    response = fetch(client, f"/media/d/{sha256}/medium.jpg")
    assert response.status_code == 200 and response.data[:3] == b"\xff\xd8\xff" and response.data[-2:] == b"\xff\xd9"
    assert medium.read_bytes() == response.data  # remade on disk too
    good = medium.read_bytes()
    medium.write_bytes(good[: len(good) // 2])  # cut short, and the original is damaged: nothing to remake it from
    flip_bit(blob(state, sha256))
    refused = fetch(client, f"/media/d/{sha256}/medium.jpg")
    assert refused.status_code == 404 and good[:100] not in refused.data


@pytest.fixture
def replicated_app(app_config: dict[str, Any], tmp_path: Path) -> Any:
    """An archive with one folder replica configured (REPLICAS), as an operator would set it."""
    (tmp_path / "replica").mkdir()  # a replica folder must exist (an unmounted disk must not fill up the mount point)
    app = create_app({**app_config, "REPLICAS": str(tmp_path / "replica"), "REPLICATE_IN_BACKGROUND": False})
    yield app
    app.extensions["qiaofang"].close()


def test_repair_from_an_s3_replica_refuses_a_damaged_object(app_config: dict[str, Any], s3: S3Server) -> None:
    bucket = s3.new_bucket()
    app = create_app({**app_config, "REPLICAS": f"s3://{bucket}/originals", "S3_ENDPOINT_URL": s3.url,
                      "REPLICATE_IN_BACKGROUND": False})
    try:
        state: ArchiveState = app.extensions["qiaofang"]
        runner = CliRunner(app)
        make_house(state, "KP-1")
        lost, damaged = add_photo(state, 1), add_photo(state, 2)
        assert drain_replication(state, force=True).copied == 2
        good = state.store.path_for(lost).read_bytes()
        blob(state, lost).unlink()
        flip_bit(blob(state, damaged))
        with contextlib.closing(s3.client()) as client:  # the replica's copy of the other one is bad too
            client.put_object(Bucket=bucket, Key=f"originals/{damaged[:2]}/{damaged[2:4]}/{damaged}", Body=b"rot")
        result = runner.invoke(["fixity", "--repair"])
        assert result.exit_code == 1
        assert f"repaired: {lost} from s3://{bucket}/originals" in result.output
        assert f"NOT repaired: {damaged}: s3://{bucket}/originals: hash_mismatch" in result.output
        assert state.store.path_for(lost).read_bytes() == good
    finally:
        app.extensions["qiaofang"].close()


def test_configured_replicas_are_repair_sources_and_unreplicated_originals_are_found(replicated_app: Flask) -> None:
    state: ArchiveState = replicated_app.extensions["qiaofang"]
    runner = CliRunner(replicated_app)
    make_house(state, "KP-1")
    copied = add_photo(state, 1)
    assert drain_replication(state, force=True).copied == 1
    waiting = add_photo(state, 2)  # queued for the replica, not copied yet
    good = state.store.path_for(copied).read_bytes()
    flip_bit(blob(state, copied))
    result = runner.invoke(["fixity", "--repair"])
    # A copy waiting in the queue within its time is reported, not a failure.
    assert result.exit_code == 0, result.output
    assert f"repaired: {copied} from {state.replicas[0].name}" in result.output
    assert state.store.path_for(copied).read_bytes() == good
    assert findings(state) == {"changed": {copied}, "repaired": {copied}, "not_replicated": {waiting}}


def test_the_dashboard_shows_the_last_run_to_editors_only(state: ArchiveState, runner: Any, client: FlaskClient) -> None:
    make_house(state, "KP-1")
    add_photo(state, 1)
    add_user(state, "editor1", "editor")
    add_user(state, "researcher1", "researcher")
    login(client, "editor1")
    assert "No fixity check has run yet" in client.get("/staff/", headers=EN).get_data(as_text=True)
    assert runner.invoke(["fixity"]).exit_code == 0
    page = client.get("/staff/", headers=EN).get_data(as_text=True)
    assert "Full check of 1 originals" in page and "no problems left" in page and "data-fixity-alarms" not in page
    researcher = client.application.test_client()
    login(researcher, "researcher1")
    assert "data-fixity" not in researcher.get("/staff/", headers=EN).get_data(as_text=True)


def test_a_killed_run_is_recorded_as_unfinished(state: ArchiveState, runner: Any, client: FlaskClient) -> None:
    """`qiaofang fixity` as a real subprocess, SIGKILLed after its first finding: the run it began is on
    record with no end, and the dashboard says so, until a later run finishes."""
    make_house(state, "KP-1")
    with state.transaction() as db:
        house = get_house(db, "KP-1")
        for _ in range(300):
            stored = state.store.put(io.BytesIO(os.urandom(64 * 1024)))
            db.add(Photo(house=house, sha256=stored.sha256, original_name="raw.bin", mime="image/jpeg",
                         size=64 * 1024))
    first = min(state.store.iter_hashes())  # checked first: its finding is printed at once
    flip_bit(blob(state, first))
    env = {k: v for k, v in os.environ.items() if not k.startswith("QIAOFANG_")}
    env["QIAOFANG_DATABASE_URL"] = state.config["DATABASE_URL"]
    process = subprocess.Popen([str(Path(sys.executable).with_name("qiaofang")), "--data", str(state.config["DATA"]),
                                "fixity"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    assert process.stdout is not None
    seen = []
    for line in process.stdout:
        seen.append(line)
        if f"changed: {first}" in line:
            process.send_signal(signal.SIGKILL)
            break
    assert process.wait() == -signal.SIGKILL, "".join(seen)
    process.stdout.close()
    killed = last_run(state)
    assert killed.finished_at is None and killed.mode == "full"
    add_user(state, "editor1", "editor")
    login(client, "editor1")
    assert "data-fixity-unfinished" in client.get("/staff/", headers=EN).get_data(as_text=True)

    assert runner.invoke(["fixity"]).exit_code == 1
    finished = last_run(state)
    assert finished.id != killed.id and finished.finished_at is not None
    assert (finished.originals, finished.changed) == (300, 1)
    page = client.get("/staff/", headers=EN).get_data(as_text=True)
    assert "data-fixity-unfinished" not in page and 'data-fixity-alarms="1"' in page
