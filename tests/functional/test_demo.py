"""The demo data set loads through the importers, and loading it twice changes nothing."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from archive.models import House, Photo, Record
from archive.state import ArchiveState
from tests.functional.test_imports import dump


def count(state: ArchiveState, model: Any, *where: Any) -> int:
    with state.db.session(write=False) as db:
        return db.scalar(select(func.count()).select_from(model).where(*where)) or 0


def test_demo_loads_through_importers_and_twice_changes_nothing(state: ArchiveState, runner: Any) -> None:
    first = runner.invoke(["demo", "--no-serve"])
    assert first.exit_code == 0, first.output
    assert "survey: 758 created" in first.output and "DEMONSTRATION DATA" in first.output
    assert count(state, House) == 86 and count(state, Record) == 672
    assert count(state, House, House.published.is_(True)) == 75
    photos = count(state, Photo)
    assert photos > 200
    assert "demo login: demo-editor / " in first.output
    with state.db.session(write=False) as db:
        summaries = list(db.scalars(select(House.summary_zh)))
    assert all(s and "示范数据" in s for s in summaries)
    before = dump(state)

    second = runner.invoke(["demo", "--no-serve"])
    assert second.exit_code == 0, second.output
    assert "survey: 0 created, 0 updated, 758 unchanged" in second.output
    assert f"photos: 0 created, {photos} already there" in second.output
    assert dump(state) == before
