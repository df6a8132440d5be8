"""The content-addressed store: what ends up on disk, and what never does."""

from __future__ import annotations

import hashlib
import io
import os
import threading
import time
from pathlib import Path

import pytest

from media import LocalStore, MediaError, MemoryStore, StoredBlob

DATA = b"\xff\xd8\xff photo bytes " * 1000
SHA = hashlib.sha256(DATA).hexdigest()


def final_files(root: Path) -> list[Path]:
    """Every file under the store except its temporary folder."""
    return sorted(p for p in root.rglob("*") if p.is_file() and ".tmp" not in p.parts)


def disk_full(*args: object) -> None:
    raise OSError(28, "No space left on device")


def temporary_files(root: Path) -> list[Path]:
    folder = root / ".tmp"
    return sorted(folder.iterdir()) if folder.is_dir() else []


@pytest.fixture(params=["local", "memory"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> LocalStore | MemoryStore:
    return LocalStore(tmp_path / "store") if request.param == "local" else MemoryStore()


class FailingStream(io.RawIOBase):
    """Yields some bytes, then fails as a dropped connection would."""

    def __init__(self) -> None:
        self.calls = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        self.calls += 1
        if self.calls > 2:
            raise OSError("connection reset")
        return b"x" * 1000


def test_put_writes_the_bytes_under_their_sha256(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    blob = store.put(io.BytesIO(DATA))
    assert blob == StoredBlob(SHA, len(DATA), created=True)
    path = tmp_path / SHA[:2] / SHA[2:4] / SHA
    assert path.read_bytes() == DATA
    assert final_files(tmp_path) == [path]
    assert store.local_path(SHA) == path
    assert temporary_files(tmp_path) == []


def test_same_bytes_twice_are_stored_once(store: LocalStore | MemoryStore) -> None:
    first = store.put(io.BytesIO(DATA))
    second = store.put(io.BytesIO(DATA))
    assert first.created and not second.created
    assert second.sha256 == first.sha256 and second.size == len(DATA)
    assert list(store.iter_hashes()) == [SHA]


def test_concurrent_uploads_of_the_same_bytes_create_it_once(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    results: list[StoredBlob] = []
    threads = [threading.Thread(target=lambda: results.append(store.put(io.BytesIO(DATA)))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r.created for r in results) == [False] * 7 + [True]
    assert len(final_files(tmp_path)) == 1
    assert temporary_files(tmp_path) == []


def test_open_returns_the_original_bytes(store: LocalStore | MemoryStore) -> None:
    store.put(io.BytesIO(DATA))
    with store.open(SHA) as stream:
        assert stream.read() == DATA


@pytest.mark.parametrize(
    ("content", "kwargs", "code"),
    [
        (b"", {}, "empty"),
        (DATA, {"max_bytes": len(DATA) - 1}, "too_large"),
        (DATA, {"expected_sha256": "0" * 64}, "hash_mismatch"),
        (DATA, {"expected_sha256": "not-a-hash"}, "invalid_hash"),
    ],
)
def test_refused_uploads_leave_nothing_behind(
    store: LocalStore | MemoryStore, tmp_path: Path, content: bytes, kwargs: dict[str, object], code: str
) -> None:
    with pytest.raises(MediaError) as raised:
        store.put(io.BytesIO(content), **kwargs)  # type: ignore[arg-type]
    assert raised.value.code == code
    assert list(store.iter_hashes()) == []
    assert final_files(tmp_path) == []
    assert temporary_files(tmp_path / "store") == []


def test_max_bytes_equal_to_the_size_and_an_uppercase_expected_hash_are_accepted(
    store: LocalStore | MemoryStore,
) -> None:
    blob = store.put(io.BytesIO(DATA), expected_sha256=SHA.upper(), max_bytes=len(DATA))
    assert blob.sha256 == SHA
    assert store.exists(SHA)


def test_too_large_stops_reading_early() -> None:
    stream = io.BytesIO(b"x" * (10 * 1024 * 1024))
    with pytest.raises(MediaError, match="larger than"):
        MemoryStore().put(stream, max_bytes=1024)
    assert stream.tell() < 3 * 1024 * 1024


def test_a_stream_that_fails_midway_leaves_nothing_behind(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    with pytest.raises(OSError, match="connection reset"):
        store.put(FailingStream())  # type: ignore[arg-type]
    assert final_files(tmp_path) == []
    assert temporary_files(tmp_path) == []


@pytest.mark.parametrize("step", ["media.store.flush_to_disk", "os.link"])
def test_a_failure_while_finishing_leaves_nothing_under_a_final_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    earlier = LocalStore(tmp_path).put(io.BytesIO(b"an earlier photo")).sha256  # so the failure is late
    monkeypatch.setattr(step, disk_full)
    with pytest.raises(OSError, match="No space left"):
        LocalStore(tmp_path).put(io.BytesIO(DATA))
    monkeypatch.undo()
    assert [p.name for p in final_files(tmp_path)] == [earlier]
    assert temporary_files(tmp_path) == []


def test_a_failure_after_the_link_leaves_only_complete_verified_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The folder fsync comes after the link, when another upload of the same bytes may already
    # rely on the file; so the file stays, and it is whole.
    LocalStore(tmp_path).put(io.BytesIO(b"an earlier photo"))
    monkeypatch.setattr("media.store.fsync_directory", disk_full)
    with pytest.raises(OSError, match="No space left"):
        LocalStore(tmp_path).put(io.BytesIO(DATA))
    monkeypatch.undo()
    for path in final_files(tmp_path):
        assert hashlib.sha256(path.read_bytes()).hexdigest() == path.name
    assert temporary_files(tmp_path) == []


def test_delete_removes_only_that_blob_and_tolerates_absence(store: LocalStore | MemoryStore) -> None:
    other = store.put(io.BytesIO(b"other photo")).sha256
    store.put(io.BytesIO(DATA))
    store.delete(SHA)
    store.delete(SHA)
    assert not store.exists(SHA)
    assert list(store.iter_hashes()) == [other]
    with pytest.raises(MediaError) as raised:
        store.open(SHA)
    assert raised.value.code == "not_found"


def test_iter_hashes_skips_strays_and_temporary_files(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    hashes = sorted(store.put(io.BytesIO(bytes([i]) * 10)).sha256 for i in range(5))
    (tmp_path / ".tmp" / "put-leftover.part").write_bytes(b"half")
    (tmp_path / "README").write_text("not a blob")
    (tmp_path / hashes[0][:2] / hashes[0][2:4] / "notes.txt").write_text("stray")
    assert list(store.iter_hashes()) == hashes


@pytest.mark.parametrize("bad", ["../../etc/passwd", "a" * 63, "g" * 64, "", SHA + "/.."])
def test_malformed_hashes_never_become_paths(store: LocalStore | MemoryStore, bad: str) -> None:
    for call in (store.open, store.exists, store.delete, store.local_path):
        with pytest.raises(MediaError) as raised:
            call(bad)
        assert raised.value.code == "invalid_hash"


def test_local_path_is_none_for_absent_blobs_and_for_memory_stores(tmp_path: Path) -> None:
    assert LocalStore(tmp_path).local_path(SHA) is None
    memory = MemoryStore()
    memory.put(io.BytesIO(DATA))
    assert memory.local_path(SHA) is None


def test_stale_temporary_files_are_removed_and_fresh_ones_kept(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    store.put(io.BytesIO(DATA))
    stale, fresh = tmp_path / ".tmp" / "put-a.part", tmp_path / ".tmp" / "put-b.part"
    stale.write_bytes(b"x")
    fresh.write_bytes(b"y")
    old = time.time() - 3 * 24 * 3600
    os.utime(stale, (old, old))
    assert store.remove_stale_temporary_files() == 1
    assert temporary_files(tmp_path) == [fresh]
    assert store.exists(SHA)
