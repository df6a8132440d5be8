"""check and export: proof that nothing is lost, and an export that re-imports unchanged (backup: test_backup.py)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

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


def test_exported_sheet_reimports_unchanged(state: ArchiveState, runner: Any, tmp_path: Path) -> None:
    make_house(state, "KP-1", owner="方先生", destinations=["美国旧金山", "加拿大"], storeys=4, lat=22.3, lon=112.5)
    make_house(state, "KP-2", name_zh="=HYPERLINK(\"x\")", published=False)
    make_record(state, "KP-1", title="方润文寄家书", date_text="民国三十年", kind="letter")
    sheet = tmp_path / "export.xlsx"
    exported = runner.invoke(["export", "sheet", str(sheet)])
    assert exported.exit_code == 0 and "2 houses and 1 records" in exported.output
    again = runner.invoke(["import", "sheet", str(sheet), "--lang", "en"])
    assert again.exit_code == 0, again.output
    assert "0 created, 0 updated, 3 unchanged" in again.output
    public = runner.invoke(["export", "json", str(tmp_path / "public.json"), "--public"])
    assert public.exit_code == 0
    data = json.loads((tmp_path / "public.json").read_text())
    assert [h["code"] for h in data] == ["KP-1"] and "owner" not in data[0]
