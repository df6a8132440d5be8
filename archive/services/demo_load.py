"""Loading the demonstration data set through the importers, exactly as field staff would.

The generator writes a survey workbook and a photo folder (the formats of spec/survey-sheet.md);
they go through `import sheet` and `import photos` logic, not a private path. Loading twice
changes nothing: the sheet re-import is all "unchanged" and photos already stored are skipped.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select

from archive.models import User
from archive.services import Actor, ServiceError
from archive.services.imports import apply_survey
from archive.services.photo_import import import_photo_folder
from archive.services.sheets import read_survey_for_archive
from archive.services.users import create_user

if TYPE_CHECKING:
    from archive.state import ArchiveState

DEMO_ACTOR = Actor("demo-loader")


@dataclass
class DemoLoad:
    created: int
    unchanged: int
    photos_created: int
    photos_skipped: int
    logins: list[tuple[str, str, str]]


def load_demo(state: ArchiveState, echo: Callable[[str], None]) -> DemoLoad:
    from archive.demo import write_demo_source

    source = write_demo_source(state.config["DATA"] / "demo-source")
    echo(f"demo source written: {source.house_count} houses, {source.record_count} records, "
         f"{source.photo_count} photos in {source.sheet.parent}")
    result = read_survey_for_archive(state, [source.sheet])
    if result.errors:
        from importers.problems import render

        raise ServiceError("demo_invalid", None, detail="; ".join(render(p) for p in result.errors[:5]))
    with state.transaction() as db:
        outcome = apply_survey(db, DEMO_ACTOR, result, source="demo: " + source.sheet.name)
    echo(f"survey: {outcome.count('created')} created, {outcome.count('updated')} updated, "
         f"{outcome.count('unchanged')} unchanged")
    photos = import_photo_folder(state, DEMO_ACTOR, source.photos, public=True)
    created = sum(1 for p in photos.plans if p.action == "created")
    skipped = sum(1 for p in photos.plans if p.action == "skipped")
    echo(f"photos: {created} created, {skipped} already there")
    people, captions = _load_linked(state)
    echo(f"people: {people} linked to houses; captions: {captions} photos")
    return DemoLoad(outcome.count("created"), outcome.count("unchanged"), created, skipped, demo_logins(state))


def _load_linked(state: ArchiveState) -> tuple[int, int]:
    """People (builders, owners, informants) and photo captions: no import format carries them."""
    from archive.demo.dataset import SEED, demo_rows
    from archive.demo.linked import demo_captions, demo_people
    from archive.services.demo_people import load_captions, load_people

    houses, _ = demo_rows()
    with state.transaction() as db:
        people = load_people(db, DEMO_ACTOR, demo_people(houses, SEED))
        captions = load_captions(db, DEMO_ACTOR, demo_captions(houses, SEED + 1))
    return people, captions


def demo_logins(state: ArchiveState) -> list[tuple[str, str, str]]:
    """One account per role on first load, passwords random: returned to be printed once, then
    known only as hashes. Later loads return none (`qiaofang user reset-password` makes new ones).
    """
    # Older versions wrote the passwords here in clear text; nothing should keep them.
    (state.config["DATA"] / "demo-logins.txt").unlink(missing_ok=True)
    with state.transaction() as db:
        if db.scalar(select(User.id).limit(1)) is not None:
            return []
        logins = [(f"demo-{role}", secrets.token_urlsafe(9), role) for role in ("admin", "editor", "researcher")]
        for name, password, role in logins:
            create_user(db, name, password, role, actor=DEMO_ACTOR)
    return logins
