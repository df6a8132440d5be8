"""check and export: proof that nothing is lost, and an export that re-imports unchanged (backup: test_backup.py)."""

from __future__ import annotations

import io
import json
import os
import time
from pathlib import Path
from typing import Any

from sqlalchemy import select

from archive.models import House
from archive.services import SYSTEM
from archive.services.houses import get_house
from archive.services.photos import record_photo, stage_upload
from archive.state import ArchiveState
from tests.conftest import make_house, make_record
from tests.unit.media.conftest import make_picture


def add_photo(state: ArchiveState) -> str:
    buffer = io.BytesIO()
    make_picture((400, 300), 3).save(buffer, "JPEG")
    buffer.seek(0)
    staged = stage_upload(state.store, state.derivatives_dir, buffer, "正门.jpg")
    with state.transaction() as db:
        record_photo(db, SYSTEM, get_house(db, "KP-1"), staged)
    return staged.blob.sha256


def test_check_finds_a_corrupted_original(state: ArchiveState, runner: Any) -> None:
    make_house(state, "KP-1")
    sha256 = add_photo(state)
    ok = runner.invoke(["check"])
    assert ok.exit_code == 0 and "check: OK: 1 originals verified, 0 problems" in ok.output
    path = state.store.local_path(sha256)
    assert path is not None
    path.chmod(0o644)
    path.write_bytes(path.read_bytes()[:-10] + b"0123456789")
    bad = runner.invoke(["check"])
    assert bad.exit_code == 1 and f"original {sha256} is corrupt" in bad.output


def test_check_fails_on_missing_garbage_or_wrong_size_derivatives(state: ArchiveState, runner: Any) -> None:
    make_house(state, "KP-1")
    sha256 = add_photo(state)
    folder = state.derivatives_dir / sha256[:2]
    thumb, medium, large = (folder / f"{sha256}-{name}.jpg" for name in ("thumb", "medium", "large"))
    thumb.unlink()
    medium.write_bytes(b"garbage")
    shrunk = io.BytesIO()
    make_picture((100, 75), 1).save(shrunk, "JPEG")
    large.write_bytes(shrunk.getvalue())  # a sound JPEG, but not the size the rules make from 400 x 300
    bad = runner.invoke(["check"])
    assert bad.exit_code == 1
    assert f"derivative thumb of {sha256} is missing" in bad.output
    assert f"derivative medium of {sha256} is not jpeg" in bad.output
    assert f"derivative large of {sha256} is wrong size" in bad.output
    assert "3 derivatives missing or bad" in bad.output
    remade = runner.invoke(["derivatives", "--missing"])
    assert remade.exit_code == 0 and "derivatives: 1 photos processed, 0 failed" in remade.output
    assert medium.read_bytes()[:3] == b"\xff\xd8\xff" and thumb.is_file()
    assert runner.invoke(["check"]).exit_code == 0


def test_check_handles_an_unreadable_original(state: ArchiveState, runner: Any) -> None:
    make_house(state, "KP-1")
    sha256 = add_photo(state)
    path = state.store.path_for(sha256)
    path.unlink()
    path.mkdir()  # a folder in its place: EISDIR on open, even for root
    result = runner.invoke(["check"])
    assert result.exit_code == 1 and f"original {sha256} is unreadable" in result.output
    remade = runner.invoke(["derivatives", "--all"])
    assert remade.exit_code == 1 and "the original is unreadable" in remade.output  # nothing made from it


def test_check_repair_removes_stale_temporary_files_and_keeps_young_ones(state: ArchiveState, runner: Any) -> None:
    make_house(state, "KP-1")
    sha256 = add_photo(state)
    temporary = state.store.root / ".tmp"
    temporary.mkdir(exist_ok=True)
    stale, young = temporary / "put-killed.part", temporary / "put-running.part"
    stale_derivative = state.derivatives_dir / sha256[:2] / ".tmp-killed.part"
    stale_index = state.index_dir / "staff" / "killedwriter.tmp"  # a search index writer's private folder
    stale_index.mkdir(parents=True)
    (stale_index / "segment_1.pst").write_bytes(b"postings")
    two_days_ago = time.time() - 2 * 24 * 3600
    for path in (stale, young, stale_derivative):
        path.write_bytes(b"half an upload")
    for path in (stale, stale_derivative, stale_index):
        os.utime(path, (two_days_ago, two_days_ago))
    found = runner.invoke(["check"])
    assert found.exit_code == 1
    assert f"temporary file {stale} is older than a day" in found.output
    assert "4 temporary files (3 older than a day)" in found.output
    repaired = runner.invoke(["check", "--repair"])
    assert repaired.exit_code == 0, repaired.output
    assert "4 temporary files (3 older than a day, 3 removed)" in repaired.output
    assert not stale.exists() and not stale_derivative.exists() and not stale_index.exists()
    assert young.read_bytes() == b"half an upload"
    assert runner.invoke(["check"]).exit_code == 0  # a young one is no problem: it may be an upload under way


def test_exported_sheet_reimports_unchanged(state: ArchiveState, runner: Any, tmp_path: Path) -> None:
    make_house(state, "KP-1", owner="方先生", destinations=["美国旧金山", "加拿大"], storeys=4, lat=22.3, lon=112.5)
    make_house(state, "KP-2", name_zh="=HYPERLINK(\"x\")", published=False, current_use="-", family="－",
               owner="'-")
    make_record(state, "KP-1", title="方润文寄家书", date_text="民国三十年", kind="letter")
    sheet = tmp_path / "export.xlsx"
    exported = runner.invoke(["export", "sheet", str(sheet)])
    assert exported.exit_code == 0 and "2 houses and 1 records" in exported.output
    again = runner.invoke(["import", "sheet", str(sheet), "--lang", "en"])
    assert again.exit_code == 0, again.output
    assert "0 created, 0 updated, 3 unchanged" in again.output
    with state.db.session(write=False) as db:  # a stored dash is text, not the clear marker
        kept = db.scalar(select(House).where(House.code == "KP-2"))
        assert kept is not None and (kept.current_use, kept.family, kept.owner) == ("-", "－", "'-")
    public = runner.invoke(["export", "json", str(tmp_path / "public.json"), "--public"])
    assert public.exit_code == 0
    data = json.loads((tmp_path / "public.json").read_text())
    assert [h["code"] for h in data] == ["KP-1"] and "owner" not in data[0]
