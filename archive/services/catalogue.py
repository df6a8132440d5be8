"""What the JSON API reads: houses after a cursor, one house with what hangs on it, and the records,
people and photos a viewer may see, each list in keyset pages.

Every statement filters through the SQL conditions of archive/access.py, so a list never holds a
row its viewer could not open by itself, and the houses, records and photos named inside an item
are only those the viewer sees too (a private house's code never appears in a public answer).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from archive import access
from archive.models import House, Person, PersonRole, Photo, Record, record_houses
from archive.services import NotFound, ServiceError
from archive.services.houses import HouseFilters, get_house
from archive.services.paging import KeysetPage, keyset_page
from archive.services.vocab import is_term

# A house code is at most this long (models/house.py); a longer cursor can name no house.
MAX_CODE = 64
# Ids are INTEGER columns: a larger number names no row (and SQLite cannot even bind it).
MAX_ID = 2**31 - 1


def houses_after(
    db: Session, viewer: access.Viewer, filters: HouseFilters, after: str, per_page: int
) -> KeysetPage[House]:
    """Houses in code order after the code `after` ("" = from the first): the unique index on
    code serves every depth alike, where OFFSET walks past every house before the page."""
    where = [access.house_filter(viewer), *(getattr(House, k) == v for k, v in filters.values.items())]
    if after:
        where.append(House.code > after)
    stmt = select(House).where(*where).order_by(House.code)
    return keyset_page(db, stmt, per_page, lambda house: house.code)


def visible_house(db: Session, viewer: access.Viewer, code: str) -> House:
    """The house with this code, if this viewer may open it; NotFound otherwise (whether or not it exists)."""
    house = get_house(db, code)
    if not access.house_visible(viewer, house):
        raise NotFound("house", code)
    return house


def find_visible_house(db: Session, viewer: access.Viewer, code: str) -> House | None:
    """:func:`visible_house`, or None (for page parts that show nothing rather than a 404)."""
    try:
        return visible_house(db, viewer, code)
    except NotFound:
        return None


def cover_photos(db: Session, viewer: access.Viewer, house_ids: list[int]) -> dict[str, Photo]:
    """The first visible photo of each house, keyed by house code."""
    if not house_ids:
        return {}
    stmt = (select(Photo).where(Photo.house_id.in_(house_ids), access.photo_filter(viewer))
            .order_by(Photo.house_id, Photo.position, Photo.id))
    covers: dict[str, Photo] = {}
    for photo in db.scalars(stmt):
        covers.setdefault(photo.house.code, photo)
    return covers


@dataclass
class HouseDetail:
    house: House
    photos: list[Photo]
    records: list[Record]
    roles: list[PersonRole]


def house_detail(db: Session, viewer: access.Viewer, code: str) -> HouseDetail:
    house = visible_house(db, viewer, code)
    roles = db.scalars(select(PersonRole).join(Person).options(joinedload(PersonRole.person))
                       .where(PersonRole.house_id == house.id, access.person_filter(viewer))
                       .order_by(PersonRole.id))
    return HouseDetail(
        house,
        [p for p in house.photos if access.photo_visible(viewer, p)],
        [r for r in house.records if access.record_visible(viewer, r)],
        list(roles),
    )


# --- records -----------------------------------------------------------------------------------


def records_after(
    db: Session, viewer: access.Viewer, after: int, per_page: int, *, house: House | None = None,
    kind: str | None = None,
) -> KeysetPage[Record]:
    if kind and not is_term(db, "record_kind", kind):
        raise ServiceError("unknown_term", "kind", value=kind)
    where = [access.record_filter(viewer), Record.id > after]
    if house is not None:
        where.append(Record.id.in_(select(record_houses.c.record_id).where(record_houses.c.house_id == house.id)))
    if kind:
        where.append(Record.kind == kind)
    stmt = select(Record).where(*where).order_by(Record.id)
    return keyset_page(db, stmt, per_page, lambda record: str(record.id))


def record_houses_seen(db: Session, viewer: access.Viewer, record_ids: list[int]) -> dict[int, list[House]]:
    """The houses each record is linked to that the viewer may see, in code order."""
    if not record_ids:
        return {}
    stmt = (select(record_houses.c.record_id, House).join(House, House.id == record_houses.c.house_id)
            .where(record_houses.c.record_id.in_(record_ids), access.house_filter(viewer))
            .order_by(House.code))
    out: dict[int, list[House]] = defaultdict(list)
    for record_id, house in db.execute(stmt):
        out[record_id].append(house)
    return out


def visible_record(db: Session, viewer: access.Viewer, record_id: int) -> tuple[Record, list[Photo]]:
    """A record the viewer may open, with its linked photos (scans) that the viewer may see."""
    record = db.get(Record, record_id) if 0 < record_id <= MAX_ID else None
    if record is None or not access.record_visible(viewer, record):
        raise NotFound("record", record_id)
    return record, sorted((p for p in record.photos if access.photo_visible(viewer, p)), key=lambda p: p.id)


# --- people ------------------------------------------------------------------------------------


def people_after(
    db: Session, viewer: access.Viewer, after: int, per_page: int, *, house: House | None = None
) -> KeysetPage[Person]:
    where = [access.listed_person_filter(viewer), Person.id > after]
    if house is not None:
        where.append(Person.id.in_(select(PersonRole.person_id).where(PersonRole.house_id == house.id)))
    stmt = select(Person).where(*where).order_by(Person.id)
    return keyset_page(db, stmt, per_page, lambda person: str(person.id))


def person_roles_seen(db: Session, viewer: access.Viewer, person_ids: list[int]) -> dict[int, list[PersonRole]]:
    """Each person's roles on houses the viewer may see (a role on a private house is left out)."""
    if not person_ids:
        return {}
    stmt = (select(PersonRole).join(House, House.id == PersonRole.house_id)
            .options(joinedload(PersonRole.house))
            .where(PersonRole.person_id.in_(person_ids), access.house_filter(viewer))
            .order_by(PersonRole.id))
    out: dict[int, list[PersonRole]] = defaultdict(list)
    for role in db.scalars(stmt):
        out[role.person_id].append(role)
    return out


def visible_person(db: Session, viewer: access.Viewer, person_id: int) -> Person:
    stmt = select(Person).where(Person.id == person_id, access.listed_person_filter(viewer))
    person = db.scalar(stmt) if 0 < person_id <= MAX_ID else None
    if person is None:
        raise NotFound("person", person_id)
    return person


# --- photos ------------------------------------------------------------------------------------


def photos_after(
    db: Session, viewer: access.Viewer, after: int, per_page: int, *, house: House | None = None
) -> KeysetPage[Photo]:
    where = [access.listed_photo_filter(viewer), Photo.id > after]
    if house is not None:
        where.append(Photo.house_id == house.id)
    stmt = select(Photo).options(joinedload(Photo.house)).where(*where).order_by(Photo.id)
    return keyset_page(db, stmt, per_page, lambda photo: str(photo.id))


def visible_photo_by_sha256(db: Session, viewer: access.Viewer, sha256: str) -> Photo | None:
    """A photo of these bytes that this viewer may see, on a house they may see (the same bytes
    can be two photos: any visible one will do), or None."""
    stmt = (select(Photo).join(House)
            .where(Photo.sha256 == sha256, access.photo_filter(viewer), access.house_filter(viewer))
            .limit(1))
    return db.scalar(stmt)


def visible_photo(db: Session, viewer: access.Viewer, photo_id: int) -> Photo:
    photo = db.get(Photo, photo_id) if 0 < photo_id <= MAX_ID else None
    if photo is None or not access.photo_visible(viewer, photo):
        raise NotFound("photo", photo_id)
    return photo
