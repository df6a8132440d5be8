"""The demonstration set's people and photo captions, loaded through the people and photo services.

The survey workbook has no people sheet and the photo folder no captions, so `load_demo` adds them
here after the imports, audited like any editor's change. Loading again changes nothing: a person
already linked to the house in that role is left alone, and a caption already there is not rewritten.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.demo.linked import DemoCaption, DemoPerson
from archive.models import House, Person, PersonRole, Photo
from archive.services import Actor
from archive.services.photos import update_photo
from archive.services.records import link_person, save_person


def load_people(db: Session, actor: Actor, planned: list[DemoPerson]) -> int:
    """Create and link each planned person not yet linked to the house in that role; returns how many."""
    houses = {h.code: h for h in db.scalars(select(House).where(House.code.in_({p.house_code for p in planned})))}
    linked = set(db.execute(select(PersonRole.house_id, PersonRole.role, Person.name_zh).join(Person)))
    added = 0
    for plan in planned:
        house = houses.get(plan.house_code)
        if house is None or (house.id, plan.role, plan.name_zh) in linked:
            continue
        person = save_person(db, actor, None, {
            "name_zh": plan.name_zh, "names_romanised": plan.names_romanised,
            "destinations": list(plan.destinations), "dates_text": plan.dates_text, "notes": plan.notes,
            "public": plan.public})
        link_person(db, actor, person, house, plan.role)
        added += 1
    return added


def load_captions(db: Session, actor: Actor, captions: list[DemoCaption]) -> int:
    """Set the caption of each demonstration photo that has none; returns how many were set."""
    wanted = {(c.house_code, c.file_name): c for c in captions}
    stmt = (select(Photo, House.code).join(House, Photo.house_id == House.id)
            .where(Photo.deleted_at.is_(None), Photo.caption_zh.is_(None)))
    done = 0
    for photo, code in db.execute(stmt):
        caption = wanted.get((code, photo.original_name))
        if caption is not None:
            update_photo(db, actor, photo, {"caption_zh": caption.caption_zh, "caption_en": caption.caption_en})
            done += 1
    return done
