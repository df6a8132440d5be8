"""The demo data set loads through the importers, and loading it twice changes nothing."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import func, select

from archive.models import House, Person, PersonRole, Photo, Record
from archive.state import ArchiveState
from tests.conftest import login
from tests.functional.test_imports import dump


def count(state: ArchiveState, model: Any, *where: Any) -> int:
    with state.db.session(write=False) as db:
        return db.scalar(select(func.count()).select_from(model).where(*where)) or 0


def stored_in_clear(state: ArchiveState, secrets: Any) -> list[str]:
    """Files of the data folder (the SQLite database included) holding any of the secrets as text."""
    wanted = [s.encode() for s in secrets]
    return [str(path) for path in Path(state.config["DATA"]).rglob("*")
            if path.is_file() and any(w in path.read_bytes() for w in wanted)]


def test_demo_loads_through_importers_and_twice_changes_nothing(state: ArchiveState, runner: Any,
                                                                client: FlaskClient) -> None:
    first = runner.invoke(["demo", "--no-serve"])
    assert first.exit_code == 0, first.output
    assert "survey: 758 created" in first.output and "DEMONSTRATION DATA" in first.output
    assert count(state, House) == 86 and count(state, Record) == 672
    assert count(state, House, House.published.is_(True)) == 75
    photos = count(state, Photo)
    assert photos > 200
    # People linked to houses (a builder and an owner for each, informants for some) and captions.
    assert "people: 214 linked to houses" in first.output
    assert count(state, Person) == 214
    assert count(state, PersonRole, PersonRole.role == "builder") == 86
    assert count(state, PersonRole, PersonRole.role == "owner") == 86
    assert count(state, PersonRole, PersonRole.role == "informant") == 42
    assert count(state, Photo, Photo.caption_zh.like("%（示范数据）")) == photos
    with state.db.session(write=False) as db:
        notes = list(db.scalars(select(Person.notes)))
        abroad = [d for d in db.scalars(select(Person.destinations)) if d]
    assert len(abroad) > 172  # every builder and owner, and the informants who went abroad
    assert all(n and "示范数据" in n for n in notes)
    assert "demo login: demo-editor / " in first.output
    logins = dict(re.findall(r"demo login: (\S+) / (\S+) ", first.output))
    assert set(logins) == {"demo-admin", "demo-editor", "demo-researcher"}
    assert not stored_in_clear(state, logins.values())
    login(client, "demo-admin", logins["demo-admin"])  # the printed password is the stored one
    with state.db.session(write=False) as db:
        summaries = list(db.scalars(select(House.summary_zh)))
    assert all(s and "示范数据" in s for s in summaries)
    before = dump(state)

    second = runner.invoke(["demo", "--no-serve"])
    assert second.exit_code == 0, second.output
    assert "survey: 0 created, 0 updated, 758 unchanged" in second.output
    assert "demo login:" not in second.output and "printed when the demo was first loaded" in second.output
    assert f"photos: 0 created, {photos} already there" in second.output
    assert "people: 0 linked to houses; captions: 0 photos" in second.output
    assert dump(state) == before
