"""Fixity in media/: checking a blob, replacing a damaged one from a good copy, stray files,
and the cheap test that keeps a broken derivative from being served."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest

from media import MediaError, derivative_path, derivative_problem, process_original
from media.fixity import check_blob, open_verified, repair_blob, stray_files
from media.store import LocalStore, MemoryStore
from tests.unit.media.conftest import Samples, make_picture

DATA = b"original bytes of a photo " * 1000
SHA = hashlib.sha256(DATA).hexdigest()


@pytest.fixture
def store(tmp_path: Path) -> LocalStore:
    store = LocalStore(tmp_path / "media")
    store.put(io.BytesIO(DATA))
    return store


def test_check_blob_tells_each_fault_apart(store: LocalStore) -> None:
    path = store.path_for(SHA)
    assert check_blob(store, SHA, len(DATA)).problem is None
    flipped = bytearray(DATA)
    flipped[100] ^= 0x01
    path.write_bytes(bytes(flipped))
    assert check_blob(store, SHA, len(DATA)).problem == "changed"
    assert check_blob(store, SHA, len(DATA), quick=True).problem is None  # same size: quick cannot see it
    path.write_bytes(DATA[:-5])
    assert check_blob(store, SHA, len(DATA), quick=True).problem == "changed"
    path.unlink()
    assert check_blob(store, SHA, len(DATA)).problem == "missing"
    path.mkdir()  # a folder where the file was: open() fails with EISDIR even for root
    assert check_blob(store, SHA, len(DATA)).problem == "unreadable"
    assert check_blob(store, SHA, len(DATA), quick=True).problem == "unreadable"
    with pytest.raises(MediaError) as refused:
        open_verified(store, SHA)
    assert refused.value.code == "unreadable"


def test_a_symlink_loop_is_unreadable_and_repair_sets_it_aside(store: LocalStore) -> None:
    path = store.path_for(SHA)
    path.unlink()
    path.symlink_to(path.name)  # points at itself: ELOOP on open and stat, for root too
    assert check_blob(store, SHA, len(DATA)).problem == "unreadable"
    assert check_blob(store, SHA, len(DATA), quick=True).problem == "unreadable"
    good = MemoryStore()
    good.put(io.BytesIO(DATA))
    assert repair_blob(store, SHA, [("good", good)]).source == "good"
    assert path.read_bytes() == DATA and not path.is_symlink()
    [aside] = (store.root / ".quarantine").iterdir()
    assert aside.is_symlink()


def test_open_verified_refuses_changed_bytes(store: LocalStore) -> None:
    stream, size = open_verified(store, SHA)
    with stream:
        assert stream.read() == DATA and size == len(DATA)
    store.path_for(SHA).write_bytes(DATA[:-1] + b"!")
    with pytest.raises(MediaError) as refused:
        open_verified(store, SHA)
    assert refused.value.code == "hash_mismatch"


def test_repair_takes_the_first_good_copy_and_skips_a_bad_one(store: LocalStore, tmp_path: Path) -> None:
    path = store.path_for(SHA)
    path.write_bytes(b"garbage")
    bad = LocalStore(tmp_path / "bad")
    bad.put(io.BytesIO(DATA))
    bad.path_for(SHA).write_bytes(DATA[:-1] + b"?")
    good = MemoryStore()
    good.put(io.BytesIO(DATA))
    outcome = repair_blob(store, SHA, [("empty", MemoryStore()), ("bad", bad), ("good", good)])
    assert outcome.source == "good"
    assert outcome.tried == ("empty: no copy", "bad: hash_mismatch")
    assert path.read_bytes() == DATA
    assert store.temporary_files() == []


def test_repair_moves_a_folder_in_the_way_aside(store: LocalStore) -> None:
    path = store.path_for(SHA)
    path.unlink()
    path.mkdir()
    (path / "inside").write_bytes(b"kept")
    good = MemoryStore()
    good.put(io.BytesIO(DATA))
    assert repair_blob(store, SHA, [("good", good)]).source == "good"
    assert path.read_bytes() == DATA
    [aside] = (store.root / ".quarantine").iterdir()
    assert (aside / "inside").read_bytes() == b"kept"


def test_repair_without_a_good_copy_leaves_the_file(store: LocalStore) -> None:
    store.path_for(SHA).write_bytes(b"garbage")
    outcome = repair_blob(store, SHA, [("none", MemoryStore())])
    assert outcome.source is None and outcome.tried == ("none: no copy",)
    assert store.path_for(SHA).read_bytes() == b"garbage"


def test_stray_files_are_the_ones_no_blob_name_explains(store: LocalStore) -> None:
    folder = store.path_for(SHA).parent
    (folder / "photo.jpg").write_bytes(b"x")
    wrong = "f" * 64
    (folder / wrong).write_bytes(b"y")  # a hash name in the wrong folder
    (store.root / ".tmp").mkdir(exist_ok=True)
    (store.root / ".tmp" / "put-1.part").write_bytes(b"z")
    rel = folder.relative_to(store.root).as_posix()
    assert list(stray_files(store)) == [f"{rel}/{wrong}", f"{rel}/photo.jpg"]


def test_derivative_problem_catches_garbage_truncation_and_wrong_size(tmp_path: Path) -> None:
    original = tmp_path / "o.jpg"
    make_picture((800, 600), 2).save(original, "JPEG")
    sha = hashlib.sha256(original.read_bytes()).hexdigest()
    made = process_original(original, tmp_path / "d", sha)
    medium = derivative_path(tmp_path / "d", sha, "medium")
    assert {name: derivative_problem(d.path, name, (800, 600)) for name, d in made.derivatives.items()} == {
        "thumb": None, "medium": None, "large": None}
    good = medium.read_bytes()
    medium.write_bytes(b"garbage")
    assert derivative_problem(medium, "medium", (800, 600)) == "not_jpeg"
    medium.write_bytes(good[: len(good) // 2])
    assert derivative_problem(medium, "medium", (800, 600)) == "truncated"
    medium.write_bytes(good)
    assert derivative_problem(medium, "medium", (1600, 1200)) == "wrong_size"  # should be 1024 wide
    assert derivative_problem(medium, "thumb", (800, 600)) == "wrong_size"  # not square
    medium.unlink()
    assert derivative_problem(medium, "medium", (800, 600)) == "missing"


@pytest.mark.parametrize(("size", "orientation"), [
    ((4032, 3024), 1),  # a phone photo: the large view comes straight from the half-scale decode (DCT slack)
    ((3024, 4032), 6),  # upright only once turned
    ((8000, 1000), 1),  # a panorama
    ((333, 1999), 1),  # odd sizes, rounding
    ((200, 100), 1),  # smaller than every box: nothing enlarged
])
def test_every_derivative_the_pipeline_makes_passes_the_size_test(
    tmp_path: Path, samples: Samples, size: tuple[int, int], orientation: int,
) -> None:
    """The test that check and the web apply must accept whatever process_original writes."""
    src = samples.save(samples.picture(size), "p.jpg", format="JPEG", exif=samples.exif(orientation=orientation))
    sha = hashlib.sha256(src.read_bytes()).hexdigest()
    made = process_original(src, tmp_path / "d", sha)
    displayed = (made.info.width, made.info.height)
    assert {name: derivative_problem(d.path, name, displayed) for name, d in made.derivatives.items()} == {
        "thumb": None, "medium": None, "large": None}
