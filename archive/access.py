"""Who may see what: the single place where the public / researcher / editor rules live.

Every channel (pages, JSON, search documents, map data, exports, error pages) projects records
through these functions instead of reading model attributes directly, so a private field cannot
reach the public by a template or serializer forgetting a check.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, select

from archive.models import House, Person, PersonRole, Photo, Record, record_houses

EDIT_ROLES = frozenset({"admin", "editor"})
STAFF_ROLES = frozenset({"admin", "editor", "researcher"})


@dataclass(frozen=True)
class Viewer:
    """The person asking: a role, or None for the anonymous public."""

    user_id: int | None = None
    username: str | None = None
    role: str | None = None

    @property
    def sees_private(self) -> bool:
        """Researchers, editors and admins see everything, including unpublished and private data."""
        return self.role in STAFF_ROLES

    @property
    def can_edit(self) -> bool:
        return self.role in EDIT_ROLES


PUBLIC = Viewer()

# Fields every viewer of a visible house may see.
HOUSE_PUBLIC_FIELDS = (
    "code", "name_zh", "name_en", "aliases", "province", "city", "county", "township", "village",
    "built_text", "built_from", "built_to", "builder", "family", "destinations", "style", "materials",
    "storeys", "protection_level", "condition", "current_use", "custody", "summary_zh", "summary_en",
    "history_zh", "history_en",
)
# Fields only staff see unless the house's field visibility opens them.
HOUSE_LOCATION_FIELDS = ("address", "lat", "lon", "location_precision")
HOUSE_STAFF_ONLY_FIELDS = (
    "owner", "owner_contact", "published", "owner_public", "contact_public", "location_public", "extra",
)


def house_filter(viewer: Viewer) -> ColumnElement[bool]:
    """SQL condition for the houses a viewer may list or open."""
    if viewer.sees_private:
        return House.deleted_at.is_(None)
    return and_(House.deleted_at.is_(None), House.published.is_(True))


def house_visible(viewer: Viewer, house: House) -> bool:
    if house.deleted_at is not None:
        return False
    return viewer.sees_private or house.published


def house_location_visible(viewer: Viewer, house: House) -> bool:
    return viewer.sees_private or house.location_public


def house_data(viewer: Viewer, house: House) -> dict[str, Any]:
    """The fields of a (visible) house that this viewer may see, as plain values."""
    data: dict[str, Any] = {name: getattr(house, name) for name in HOUSE_PUBLIC_FIELDS}
    if house_location_visible(viewer, house):
        data.update({name: getattr(house, name) for name in HOUSE_LOCATION_FIELDS})
    if viewer.sees_private or house.owner_public:
        data["owner"] = house.owner
    if viewer.sees_private or house.contact_public:
        data["owner_contact"] = house.owner_contact
    if viewer.sees_private:
        data.update({name: getattr(house, name) for name in HOUSE_STAFF_ONLY_FIELDS})
    return data


def photo_filter(viewer: Viewer) -> ColumnElement[bool]:
    if viewer.sees_private:
        return Photo.deleted_at.is_(None)
    return and_(Photo.deleted_at.is_(None), Photo.public.is_(True))


def photo_visible(viewer: Viewer, photo: Photo) -> bool:
    if photo.deleted_at is not None or not house_visible(viewer, photo.house):
        return False
    return viewer.sees_private or photo.public


def original_visible(viewer: Viewer, photo: Photo) -> bool:
    """Originals (with their EXIF and GPS) go to staff and researchers only, never the public."""
    return viewer.sees_private and photo.deleted_at is None


def photo_data(viewer: Viewer, photo: Photo) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": photo.id, "caption_zh": photo.caption_zh, "caption_en": photo.caption_en,
        "photographer": photo.photographer, "rights": photo.rights, "width": photo.width,
        "height": photo.height, "position": photo.position,
    }
    if viewer.sees_private:
        data.update({
            "original_name": photo.original_name, "sha256": photo.sha256, "size": photo.size,
            "mime": photo.mime, "taken_at": photo.taken_at.isoformat() if photo.taken_at else None,
            "lat": photo.lat, "lon": photo.lon, "camera": photo.camera, "public": photo.public,
            "damaged": photo.damaged, "damage_reason": photo.damage_reason,
        })
    return data


def record_visible(viewer: Viewer, record: Record) -> bool:
    if record.deleted_at is not None:
        return False
    if viewer.sees_private:
        return True
    return record.public and any(house_visible(viewer, h) for h in record.houses)


def record_visible_under(viewer: Viewer, record: Record, house: House) -> bool:
    """:func:`record_visible` for a record listed under one of its houses: when the viewer sees
    that house, the record's other houses do not matter (so they need not be loaded)."""
    if not house_visible(viewer, house) or record.deleted_at is not None:
        return False
    return viewer.sees_private or record.public


def record_data(viewer: Viewer, record: Record) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": record.id, "kind": record.kind, "title": record.title, "body": record.body,
        "date_text": record.date_text, "date_from": record.date_from, "date_to": record.date_to,
        "source": record.source,
    }
    if viewer.sees_private:
        data.update({"public": record.public, "contributor": record.contributor, "extra": record.extra})
    return data


def person_filter(viewer: Viewer) -> ColumnElement[bool]:
    if viewer.sees_private:
        return Person.deleted_at.is_(None)
    return and_(Person.deleted_at.is_(None), Person.public.is_(True))


def person_visible(viewer: Viewer, person: Person) -> bool:
    return person.deleted_at is None and (viewer.sees_private or person.public)


def person_data(viewer: Viewer, person: Person) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": person.id, "name_zh": person.name_zh, "names_romanised": person.names_romanised,
        "destinations": person.destinations, "dates_text": person.dates_text,
    }
    if viewer.sees_private:
        data.update({"notes": person.notes, "public": person.public})
    return data



# SQL twins of the rules above for lists that reach records, people and photos directly (the JSON
# API's /api/records, /api/people, /api/photos), not through a house page.


def record_filter(viewer: Viewer) -> ColumnElement[bool]:
    """record_visible as SQL: a public record counts only when a house the viewer sees holds it."""
    if viewer.sees_private:
        return Record.deleted_at.is_(None)
    on_visible_house = (
        select(record_houses.c.record_id)
        .join(House, House.id == record_houses.c.house_id)
        .where(record_houses.c.record_id == Record.id, house_filter(viewer))
        .exists()
    )
    return and_(Record.deleted_at.is_(None), Record.public.is_(True), on_visible_house)


def listed_photo_filter(viewer: Viewer) -> ColumnElement[bool]:
    """photo_visible as SQL: the photo's own flags and its house's."""
    house_seen = select(House.id).where(House.id == Photo.house_id, house_filter(viewer)).exists()
    return and_(photo_filter(viewer), house_seen)


def listed_person_filter(viewer: Viewer) -> ColumnElement[bool]:
    """The people a viewer may list: the public reaches a person only through a house it may see
    (a public person linked to unpublished houses alone is not listed); staff see every live one."""
    if viewer.sees_private:
        return person_filter(viewer)
    on_visible_house = (
        select(PersonRole.id)
        .join(House, House.id == PersonRole.house_id)
        .where(PersonRole.person_id == Person.id, house_filter(viewer))
        .exists()
    )
    return and_(person_filter(viewer), on_visible_house)
