"""Replicas: every original copied to a second folder and an S3 bucket (a real S3 API server),
verified by hash; a replica that is down never fails an upload, and nothing is lost."""

from __future__ import annotations

import contextlib
import hashlib
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, update

from archive import create_app
from archive.db import utcnow
from archive.models import AuditEvent, Photo
from archive.models.replica import DONE, WAITING, ReplicaCopy
from archive.services.replication import _claim, drain_replication, replication_backlog
from archive.services.users import create_token
from archive.state import ArchiveState
from tests.conftest import CliRunner, add_user, make_house
from tests.functional.test_uploads import jpeg_bytes, upload
from tests.s3server import S3Server


@dataclass
class Archive:
    app: Flask
    state: ArchiveState
    client: FlaskClient
    runner: CliRunner
    token: str

    def upload(self, seed: int) -> str:
        """Upload a distinct photo to house KP-1; its sha256 (the answer must be 201)."""
        data = jpeg_bytes((320, 240), seed=seed)
        response = upload(self.client, self.token, data, f"photo-{seed}.jpg")
        assert response.status_code == 201, response.get_json()
        return hashlib.sha256(data).hexdigest()

    def rows(self, replica: str | None = None) -> dict[tuple[str, str], ReplicaCopy]:
        with self.state.db.session(write=False) as db:
            stmt = select(ReplicaCopy)
            if replica:
                stmt = stmt.where(ReplicaCopy.replica == replica)
            return {(row.replica, row.sha256): row for row in db.scalars(stmt)}

    def cli(self, *args: str) -> Any:
        return self.runner.invoke(list(args))


@pytest.fixture
def make_archive(app_config: dict[str, Any]) -> Iterator[Any]:
    """Apps over the test's database and data folder, with the replicas given (closed at the end)."""
    apps: list[Flask] = []

    def make(replicas: list[str], *, first: bool = True, **config: Any) -> Archive:
        app = create_app({**app_config, "REPLICAS": replicas, "REPLICATE_IN_BACKGROUND": False, **config})
        apps.append(app)
        state: ArchiveState = app.extensions["qiaofang"]
        if first:
            make_house(state, "KP-1")
            add_user(state, "ed", "editor")
        with state.transaction() as db:
            token = create_token(db, "ed")
        return Archive(app, state, app.test_client(), CliRunner(app), token)

    yield make
    for app in apps:
        app.extensions["qiaofang"].close()


def s3_objects(server: S3Server, bucket: str, prefix: str) -> dict[str, bytes]:
    """{sha256: bytes} of the bucket's objects under the prefix."""
    return {key.rsplit("/", 1)[1]: data for key, data in server.objects(bucket).items() if key.startswith(prefix + "/")}


def folder_copies(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.rglob("*") if p.is_file() and ".tmp" not in p.parts}


def originals(state: ArchiveState) -> dict[str, bytes]:
    return folder_copies(Path(state.store.root))


def test_uploads_land_in_a_folder_and_an_s3_replica_verified(make_archive: Any, s3: S3Server, tmp_path: Path) -> None:
    folder = tmp_path / "second-disk"
    folder.mkdir()
    bucket = s3.new_bucket()
    archive = make_archive([str(folder), f"s3://{bucket}/qiaofang"], S3_ENDPOINT_URL=s3.url)
    names = [replica.name for replica in archive.state.replicas]
    assert names == [str(folder), f"s3://{bucket}/qiaofang"]
    hashes = {archive.upload(seed) for seed in (1, 2, 3)}
    # Queued with the photo, in its transaction; nothing copied by the request itself.
    rows = archive.rows()
    assert {key for key, row in rows.items() if row.state == WAITING} == {(n, h) for n in names for h in hashes}
    assert folder_copies(folder) == {}
    result = archive.cli("replicate")
    assert result.exit_code == 0, result.output
    assert "replicate: 6 copied and verified, 0 damaged copies on a replica written again, 0 failed, 0 waiting" \
        in result.output
    stored = originals(archive.state)
    assert folder_copies(folder) == stored
    assert s3_objects(s3, bucket, "qiaofang") == stored
    assert all(row.state == DONE and row.copied_at is not None for row in archive.rows().values())
    check = archive.cli("check")
    assert check.exit_code == 0, check.output
    assert f"replica s3://{bucket}/qiaofang: every original replicated and verified" in check.output


def test_replica_down_during_uploads_loses_nothing(make_archive: Any, s3: S3Server, tmp_path: Path) -> None:
    """The issue's test: both replicas go down between uploads; every upload still answers 201, the
    copies wait in the queue, check says so; once the replicas are back everything is copied."""
    folder, unmounted = tmp_path / "second-disk", tmp_path / "second-disk-unmounted"
    folder.mkdir()
    server = S3Server.start(tmp_path / "own-s3.log")
    try:
        bucket = server.new_bucket()
        archive = make_archive([str(folder), f"s3://{bucket}/originals"], S3_ENDPOINT_URL=server.url)
        s3_name = f"s3://{bucket}/originals"
        before = {archive.upload(seed) for seed in (1, 2)}
        assert archive.cli("replicate").exit_code == 0

        server.stop()  # the S3 server is down...
        folder.rename(unmounted)  # ...and the second disk is not mounted
        during = {archive.upload(seed) for seed in (3, 4, 5, 6)}  # every one answered 201
        failed = archive.cli("replicate")
        assert failed.exit_code == 1
        assert "0 copied and verified" in failed.output and "8 waiting" in failed.output
        waiting = {key for key, row in archive.rows().items() if row.state == WAITING}
        assert waiting == {(name, sha) for name in (str(folder), s3_name) for sha in during}
        assert not folder.exists()  # the missing folder was not created on the system disk
        check = archive.cli("check")
        assert f"replica {folder}: 4 originals not yet replicated; 4 queued" in check.output
        assert f"replica {s3_name}: 4 originals not yet replicated; 4 queued" in check.output
        assert "the replica folder does not exist" in check.output and "Could not connect" in check.output
        assert check.exit_code == 0  # waiting for minutes, not yet overdue

        unmounted.rename(folder)
        server = S3Server.start(tmp_path / "own-s3.log", port=server.port)  # back, but empty (in memory)
        server.new_bucket(bucket)
        back = archive.cli("replicate")
        assert back.exit_code == 0, back.output
        assert "8 copied and verified" in back.output and "0 waiting" in back.output
        stored = originals(archive.state)
        assert set(stored) == before | during  # nothing lost in the store
        assert folder_copies(folder) == stored
        # The restarted server lost the copies made before it went down: --all finds them missing.
        assert set(s3_objects(server, bucket, "originals")) == during
        again = archive.cli("replicate", "--all")
        assert again.exit_code == 0, again.output
        assert f"replica {s3_name}: 2 originals queued" in again.output
        assert f"replica {folder}: 0 originals queued" in again.output
        assert s3_objects(server, bucket, "originals") == stored
        check = archive.cli("check")
        assert check.exit_code == 0, check.output
        assert check.output.count("every original replicated and verified") == 2
        with archive.state.db.session(write=False) as db:
            assert db.scalar(select(func.count()).select_from(Photo)) == 6
    finally:
        server.stop()


def test_background_thread_copies_right_after_the_upload(make_archive: Any, tmp_path: Path) -> None:
    folder = tmp_path / "second-disk"
    folder.mkdir()
    archive = make_archive([str(folder)], REPLICATE_IN_BACKGROUND=True)
    sha256 = archive.upload(7)
    deadline = time.monotonic() + 60
    while archive.rows()[(str(folder), sha256)].state != DONE:
        assert time.monotonic() < deadline, "the background copy did not happen"
        time.sleep(0.05)
    assert folder_copies(folder) == originals(archive.state)
    copier: threading.Thread = archive.state.replicator._thread
    assert copier.is_alive()
    archive.state.close()  # the copier's thread ends with the state
    assert not copier.is_alive()


def test_damaged_copy_on_a_replica_is_detected_and_written_again(make_archive: Any, s3: S3Server,
                                                                 tmp_path: Path) -> None:
    folder = tmp_path / "second-disk"
    folder.mkdir()
    bucket = s3.new_bucket()
    archive = make_archive([str(folder), f"s3://{bucket}/p"], S3_ENDPOINT_URL=s3.url)
    data = jpeg_bytes((320, 240), seed=11)
    sha256 = hashlib.sha256(data).hexdigest()
    # Under the right names, bytes that are not the original (a bad sector, a cut-off object).
    damaged = folder / sha256[:2] / sha256[2:4] / sha256
    damaged.parent.mkdir(parents=True)
    damaged.write_bytes(data[:-100])
    with contextlib.closing(s3.client()) as client:
        client.put_object(Bucket=bucket, Key=f"p/{sha256[:2]}/{sha256[2:4]}/{sha256}", Body=b"X" + data[1:])
    assert archive.upload(11) == sha256
    result = archive.cli("replicate")
    assert result.exit_code == 0, result.output
    assert "2 copied and verified, 2 damaged copies on a replica written again" in result.output
    assert damaged.read_bytes() == data
    assert s3_objects(s3, bucket, "p") == {sha256: data}
    with archive.state.db.session(write=False) as db:
        events = list(db.scalars(select(AuditEvent).where(AuditEvent.action == "replica_rewrite")))
    assert sorted(event.label for event in events) == sorted(f"{name}: {sha256}" for name in (str(folder),
                                                                                              f"s3://{bucket}/p"))


def test_originals_from_before_a_replica_are_queued_by_replicate_all(make_archive: Any, tmp_path: Path) -> None:
    plain = make_archive([])
    hashes = {plain.upload(seed) for seed in (21, 22)}
    assert plain.rows() == {}
    no_replica = plain.cli("replicate")
    assert no_replica.exit_code == 1 and "no replica is configured" in no_replica.output
    folder = tmp_path / "new-disk"
    folder.mkdir()
    archive = make_archive([str(folder)], first=False)
    check = archive.cli("check")
    assert check.exit_code == 1
    assert f"replica {folder}: 2 originals not yet replicated; 2 never queued (qiaofang replicate --all)" \
        in check.output
    assert "0 copied" in archive.cli("replicate").output
    result = archive.cli("replicate", "--all")
    assert result.exit_code == 0, result.output
    assert f"replica {folder}: 2 originals queued" in result.output and "2 copied and verified" in result.output
    assert set(folder_copies(folder)) == hashes
    assert archive.cli("check").exit_code == 0


def test_photo_folder_import_queues_copies(make_archive: Any, tmp_path: Path) -> None:
    folder = tmp_path / "second-disk"
    folder.mkdir()
    archive = make_archive([str(folder)])
    photos = tmp_path / "photos" / "KP-1"
    photos.mkdir(parents=True)
    for seed in (31, 32, 33):
        (photos / f"{seed}.jpg").write_bytes(jpeg_bytes((320, 240), seed=seed))
    result = archive.cli("import", "photos", str(photos.parent), "--workers", "1")
    assert result.exit_code == 0, result.output
    assert [row.state for row in archive.rows().values()] == [WAITING] * 3
    assert archive.cli("replicate").exit_code == 0
    assert folder_copies(folder) == originals(archive.state)


def test_a_claimed_copy_is_left_to_its_claimant_until_the_claim_runs_out(make_archive: Any, tmp_path: Path) -> None:
    folder = tmp_path / "second-disk"
    folder.mkdir()
    archive = make_archive([str(folder)])
    sha256 = archive.upload(41)
    [row] = archive.rows().values()
    assert [claimed[1] for claimed in _claim(archive.state, [row.id])] == [sha256]  # another worker copies it
    assert _claim(archive.state, [row.id]) == []
    assert drain_replication(archive.state, force=True).copied == 0
    with archive.state.transaction() as db:  # that worker was killed: its claim runs out
        db.execute(update(ReplicaCopy).values(claimed_until=utcnow() - timedelta(seconds=1)))
    assert drain_replication(archive.state).copied == 1
    assert folder_copies(folder) == originals(archive.state)


def test_failed_copies_wait_longer_each_time(make_archive: Any, tmp_path: Path) -> None:
    archive = make_archive([str(tmp_path / "never-mounted")])
    archive.upload(51)
    for attempts in (1, 2, 3):
        outcome = drain_replication(archive.state, force=True)
        assert outcome.failed == 1 and "does not exist" in outcome.errors[0]
        [row] = archive.rows().values()
        assert row.attempts == attempts and row.state == WAITING
        wait = row.next_attempt_at.replace(tzinfo=None) - utcnow().replace(tzinfo=None)
        assert timedelta(seconds=30 * 2 ** (attempts - 1) - 5) < wait <= timedelta(seconds=30 * 2 ** (attempts - 1))
    assert drain_replication(archive.state).failed == 0  # not due yet: the background pass leaves it
    with archive.state.db.session(write=False) as db:
        [backlog] = replication_backlog(db, [str(tmp_path / "never-mounted")])
    assert (backlog.not_replicated, backlog.waiting, backlog.failing) == (1, 1, 1)


def test_replicas_from_the_environment(monkeypatch: pytest.MonkeyPatch, app_config: dict[str, Any],
                                       tmp_path: Path) -> None:
    monkeypatch.setenv("QIAOFANG_REPLICAS", f"{tmp_path}/a, s3://bucket/prefix/\n{tmp_path}/b")
    app = create_app(app_config)
    try:
        names = [replica.name for replica in app.extensions["qiaofang"].replicas]
        assert names == [f"{tmp_path}/a", "s3://bucket/prefix", f"{tmp_path}/b"]
    finally:
        app.extensions["qiaofang"].close()
    inside = str(Path(app_config["DATA"]) / "media" / "copy")
    with pytest.raises(ValueError, match="must not be inside the media store"):
        create_app({**app_config, "REPLICAS": [inside]})


def test_a_queued_original_that_nothing_uses_any_more_is_dropped(make_archive: Any, tmp_path: Path) -> None:
    folder = tmp_path / "second-disk"
    folder.mkdir()
    archive = make_archive([str(folder)])
    kept = archive.upload(61)
    gone = hashlib.sha256(b"bytes an undone import took away").hexdigest()
    with archive.state.transaction() as db:  # queued, then its photo and its bytes went (import undo)
        db.add(ReplicaCopy(sha256=gone, replica=str(folder)))
    outcome = drain_replication(archive.state)
    assert (outcome.copied, outcome.dropped, outcome.failed) == (1, 1, 0)
    assert set(archive.rows()) == {(str(folder), kept)}


def test_a_replica_found_down_is_tried_once_per_pass_and_can_be_skipped(make_archive: Any, tmp_path: Path) -> None:
    good, down = tmp_path / "second-disk", tmp_path / "unmounted"
    good.mkdir()
    archive = make_archive([str(good), str(down)])
    for seed in (71, 72, 73):
        archive.upload(seed)
    outcome = drain_replication(archive.state)
    assert (outcome.copied, outcome.failed, outcome.down) == (3, 1, {str(down)})
    rows = archive.rows(str(down)).values()
    assert sorted(row.attempts for row in rows) == [0, 0, 1]  # one attempt; the others were given back
    assert all(row.claim is None for row in rows)
    skipped = drain_replication(archive.state, force=True, skip={str(down)})  # as the thread does until its next poll
    assert (skipped.copied, skipped.failed) == (0, 0)
    assert sorted(row.attempts for row in archive.rows(str(down)).values()) == [0, 0, 1]
