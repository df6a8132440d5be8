"""`qiaofang derivatives --workers N`: every derivative remade by worker processes, each checked, and
an original whose bytes no longer hash to its name refused and reported without stopping the others."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from archive.services import SYSTEM
from archive.services.houses import get_house
from archive.services.maintenance import bad_derivatives, derivative_sources
from archive.services.photos import record_photo, stage_upload
from archive.state import ArchiveState
from media import DERIVATIVE_SIZES, derivative_path
from tests.conftest import make_house
from tests.unit.media.conftest import make_picture

GARBAGE = b"not a picture"


def add_photos(state: ArchiveState, count: int) -> list[str]:
    hashes = []
    for seed in range(count):
        buffer = io.BytesIO()
        make_picture((400 + 10 * seed, 300), seed).save(buffer, "JPEG")
        buffer.seek(0)
        staged = stage_upload(state.store, state.derivatives_dir, buffer, f"photo-{seed}.jpg")
        with state.transaction() as db:
            record_photo(db, SYSTEM, get_house(db, "KP-1"), staged)
        hashes.append(staged.blob.sha256)
    return hashes


def derivative_files(state: ArchiveState, sha256: str) -> list[Path]:
    return [derivative_path(state.derivatives_dir, sha256, name) for name in DERIVATIVE_SIZES]


def test_all_with_two_workers_remakes_every_derivative(state: ArchiveState, runner: Any) -> None:
    make_house(state, "KP-1")
    hashes = add_photos(state, 5)
    for sha256 in hashes:  # every derivative spoilt: only a remake can make them sound again
        for path in derivative_files(state, sha256):
            path.write_bytes(GARBAGE)
    result = runner.invoke(["derivatives", "--all", "--workers", "2"])
    assert result.exit_code == 0, result.output
    assert "derivatives: 5 photos processed, 0 failed" in result.output
    sources = derivative_sources(state)
    for sha256 in hashes:
        assert all(path.is_file() and path.read_bytes() != GARBAGE for path in derivative_files(state, sha256))
        assert bad_derivatives(state, sha256, sources[sha256]) == {}
    assert runner.invoke(["check"]).exit_code == 0


def test_a_bad_original_is_refused_and_reported_the_others_remade(state: ArchiveState, runner: Any) -> None:
    make_house(state, "KP-1")
    hashes = add_photos(state, 4)
    bad = hashes[1]
    original = state.store.path_for(bad)
    original.chmod(0o644)
    original.write_bytes(original.read_bytes()[:-10] + b"0123456789")  # same size, other bytes
    for sha256 in hashes:
        for path in derivative_files(state, sha256):
            path.unlink()
    result = runner.invoke(["derivatives", "--missing", "--workers", "2"])
    assert result.exit_code == 1
    assert "derivatives: 3 photos processed, 1 failed" in result.output
    assert f"{bad[:12]}: the original is changed; run `qiaofang fixity --repair` first" in result.output
    assert not any(path.exists() for path in derivative_files(state, bad))  # nothing made from bad bytes
    sources = derivative_sources(state)
    for sha256 in hashes:
        if sha256 != bad:
            assert bad_derivatives(state, sha256, sources[sha256]) == {}


def test_workers_must_be_at_least_one(state: ArchiveState, runner: Any) -> None:
    result = runner.invoke(["derivatives", "--workers", "0"])
    assert result.exit_code == 2 and "--workers" in result.output
