"""Records (information items) and people: create, edit, publish, soft-delete, restore; audited."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from archive.db import utcnow
from archive.models import AuditEvent, House, Person, PersonRole, Record
from archive.services import Actor, NotFound, ServiceError
from archive.services.audit import diff, event_values, plain, record_event, snapshot
from archive.services.indexing import enqueue_house
from archive.services.vocab import cached_key_sets, is_term
from importers.dates import parse_date

RECORD_FIELDS = ("kind", "title", "body", "date_text", "source", "contributor", "public", "extra")
RECORD_AUDITED = (*RECORD_FIELDS, "date_from", "date_to", "deleted_at")
PERSON_FIELDS = ("name_zh", "names_romanised", "destinations", "dates_text", "notes", "public")
PERSON_AUDITED = (*PERSON_FIELDS, "deleted_at")


def get_record(db: Session, record_id: int, *, include_deleted: bool = False) -> Record:
    record = db.get(Record, record_id)
    if record is None or (record.deleted_at is not None and not include_deleted):
        raise NotFound("record", record_id)
    return record


def _record_house_id(record: Record) -> int | None:
    return record.houses[0].id if record.houses else None


def _check_record(db: Session, values: Mapping[str, Any]) -> None:
    if "title" in values and not (values["title"] or "").strip():
        raise ServiceError("required", "title")
    kind = values.get("kind")
    if kind is not None and kind not in cached_key_sets(db).get("record_kind", set()):
        raise ServiceError("unknown_term", "kind", value=kind)


def _record_columns(values: Mapping[str, Any]) -> dict[str, Any]:
    """The columns the given values set: the values themselves and the years of `date_text`."""
    for name in values:
        if name not in RECORD_FIELDS:
            raise ServiceError("unknown_field", name)
    columns = dict(values)
    if "date_text" in values:
        parsed = parse_date(values["date_text"]) if values["date_text"] else None
        columns["date_from"] = parsed.year_from if parsed else None
        columns["date_to"] = parsed.year_to if parsed else None
    return columns


def _apply_record(record: Record, values: Mapping[str, Any]) -> None:
    for name, value in _record_columns(values).items():
        setattr(record, name, value)


def new_record_columns(values: Mapping[str, Any]) -> dict[str, Any]:
    """The columns a new record gets from these values (the model's defaults fill in the rest)."""
    return {"extra": {}, **_record_columns(values)}


def new_record(houses: Sequence[House], values: Mapping[str, Any]) -> Record:
    """A record not yet added to a session."""
    return Record(houses=list(houses), **new_record_columns(values))


def create_record(
    db: Session, actor: Actor, houses: Sequence[House], values: Mapping[str, Any], *, batch_id: str | None = None
) -> Record:
    _check_record(db, values)
    record = new_record(houses, values)
    db.add(record)
    db.flush()
    audit_created_record(db, actor, record, batch_id=batch_id)
    return record


def audit_created_record(db: Session, actor: Actor, record: Record, *, batch_id: str | None = None) -> None:
    houses = record.houses
    stored = {name: getattr(record, name) for name in ("id", "title", *RECORD_AUDITED)}
    db.add(AuditEvent(**created_record_event(actor, stored, _record_house_id(record), batch_id=batch_id)))
    for house in houses:
        enqueue_house(db, house)


def created_record_event(
    actor: Actor, record: Mapping[str, Any], house_id: int | None, *, batch_id: str | None = None
) -> dict[str, Any]:
    """The audit event of a record just inserted, from its stored columns (with its id)."""
    after = {name: plain(record[name]) for name in RECORD_AUDITED}
    return event_values(actor, "create", "record", record["id"], label=record["title"], house_id=house_id,
                        changes={k: [None, v] for k, v in after.items() if v not in (None, {}, False)},
                        batch_id=batch_id)


def update_record(
    db: Session, actor: Actor, record: Record, values: Mapping[str, Any], *, batch_id: str | None = None
) -> dict[str, list[Any]]:
    _check_record(db, values)
    before = snapshot(record, RECORD_AUDITED)
    _apply_record(record, values)
    changes = diff(before, snapshot(record, RECORD_AUDITED))
    if changes:
        db.flush()
        record_event(db, actor, "update", record, label=record.title, house_id=_record_house_id(record),
                     changes=changes, batch_id=batch_id)
        for house in record.houses:
            enqueue_house(db, house)
    return changes


def set_record_deleted(db: Session, actor: Actor, record: Record, deleted: bool) -> None:
    if (record.deleted_at is not None) == deleted:
        return
    old = record.deleted_at
    record.deleted_at = utcnow() if deleted else None
    db.flush()
    record_event(db, actor, "delete" if deleted else "restore", record, label=record.title,
                 house_id=_record_house_id(record),
                 changes={"deleted_at": [old.isoformat() if old else None,
                                         record.deleted_at.isoformat() if record.deleted_at else None]})
    for house in record.houses:
        enqueue_house(db, house)


def get_person(db: Session, person_id: int, *, include_deleted: bool = False) -> Person:
    person = db.get(Person, person_id)
    if person is None or (person.deleted_at is not None and not include_deleted):
        raise NotFound("person", person_id)
    return person


def live_people() -> Select[Person]:
    """People not in the trash, by Chinese name (paged by the caller)."""
    return select(Person).where(Person.deleted_at.is_(None)).order_by(Person.name_zh, Person.id)


def _enqueue_person_houses(db: Session, person: Person) -> None:
    for role in person.roles:
        enqueue_house(db, role.house)


def save_person(db: Session, actor: Actor, person: Person | None, values: Mapping[str, Any]) -> Person:
    """Create (person=None) or update a person; audited on each house they are linked to."""
    if "name_zh" in values and not (values["name_zh"] or "").strip():
        raise ServiceError("required", "name_zh")
    creating = person is None
    if person is None:
        person = Person(destinations=[])
        db.add(person)
    before = {} if creating else snapshot(person, PERSON_AUDITED)
    for name, value in values.items():
        if name not in PERSON_FIELDS:
            raise ServiceError("unknown_field", name)
        setattr(person, name, value)
    db.flush()
    changes = diff(before, snapshot(person, PERSON_AUDITED))
    if changes:
        house_id = person.roles[0].house_id if person.roles else None
        record_event(db, actor, "create" if creating else "update", person, label=person.name_zh,
                     house_id=house_id, changes=changes)
        _enqueue_person_houses(db, person)
    return person


def set_person_deleted(db: Session, actor: Actor, person: Person, deleted: bool) -> None:
    if (person.deleted_at is not None) == deleted:
        return
    person.deleted_at = utcnow() if deleted else None
    db.flush()
    record_event(db, actor, "delete" if deleted else "restore", person, label=person.name_zh,
                 house_id=person.roles[0].house_id if person.roles else None,
                 changes={"deleted_at": [None, "now"] if deleted else ["deleted", None]})
    _enqueue_person_houses(db, person)


def link_person(db: Session, actor: Actor, person: Person, house: House, role: str, note: str | None = None) -> None:
    if not is_term(db, "person_role", role):
        raise ServiceError("unknown_term", "role", value=role)
    exists = db.scalar(select(PersonRole.id).where(
        PersonRole.person_id == person.id, PersonRole.house_id == house.id, PersonRole.role == role))
    if exists:
        return
    db.add(PersonRole(person=person, house=house, role=role, note=note))
    db.flush()
    record_event(db, actor, "link", person, label=person.name_zh, house_id=house.id,
                 changes={"role": [None, f"{role} @ {house.code}"]})
    enqueue_house(db, house)


def unlink_person(db: Session, actor: Actor, person: Person, link_id: int) -> None:
    """Remove one of a person's links to a house (the person stays); audited on that house."""
    link = db.get(PersonRole, link_id)
    if link is None or link.person_id != person.id:
        raise NotFound("link", link_id)
    house = link.house
    db.delete(link)
    db.flush()
    record_event(db, actor, "unlink", person, label=person.name_zh, house_id=house.id,
                 changes={"role": [f"{link.role} @ {house.code}", None]})
    enqueue_house(db, house)

