"""People and families as the public (or staff) may see them: person pages and lineage families.

A person is shown with their roles on the houses this viewer may see and the records of those
houses that name them (their Chinese name, in either script, or one of their romanised names in
the title or text: records have no link to people, so the name written in the record is the link).
A public person linked only to houses the public cannot see is not shown to the public at all: the
person would otherwise appear beside an unpublished house's story.

A family is a lineage surname in a village (House.family + House.village): the houses it built
there and the people on them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pypinyin import lazy_pinyin
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from archive import access
from archive.models import House, Person, PersonRole, Record, RomanisationAlias
from archive.services import NotFound
from archive.services.gazetteer import to_hans, to_hant


@dataclass
class PersonPage:
    person: dict[str, Any]
    names: list[str]  # romanised forms, one per entry
    roles: list[tuple[dict[str, Any], str, str | None]]  # (house data, role, note), houses visible to the viewer
    records: list[dict[str, Any]]  # visible records of those houses that name the person
    families: list[tuple[str, str]]  # (surname, village) of the houses' families


def romanised_names(person: Person) -> list[str]:
    return [n.strip() for n in (person.names_romanised or "").replace("；", ";").split(";") if n.strip()]


def _names_record(person: Person, record: Record) -> bool:
    text = f"{record.title}\n{record.body or ''}"
    folded = to_hans(text)
    if person.name_zh and (to_hans(person.name_zh) in folded or to_hant(person.name_zh) in text):
        return True
    lowered = text.casefold()
    return any(name.casefold() in lowered for name in romanised_names(person))


def person_page(db: Session, viewer: access.Viewer, person_id: int) -> PersonPage:
    """The person's page for this viewer; NotFound when the viewer may not see them."""
    person = db.scalar(select(Person).where(Person.id == person_id, access.person_filter(viewer))
                       .options(selectinload(Person.roles).selectinload(PersonRole.house)
                                .selectinload(House.records).selectinload(Record.houses)))
    if person is None:
        raise NotFound("person", person_id)
    links = sorted((r for r in person.roles if access.house_visible(viewer, r.house)),
                   key=lambda r: (r.house.code, r.role))
    if not links and not viewer.sees_private:
        raise NotFound("person", person_id)
    records: dict[int, Record] = {}
    for link in links:
        for record in link.house.records:
            if access.record_visible(viewer, record) and _names_record(person, record):
                records[record.id] = record
    ordered = sorted(records.values(), key=lambda r: (r.date_from or 9999, r.id))
    families = sorted({(r.house.family, r.house.village) for r in links
                       if r.house.family is not None and r.house.village is not None})
    return PersonPage(
        person=access.person_data(viewer, person), names=romanised_names(person),
        roles=[(access.house_data(viewer, r.house), r.role, r.note) for r in links],
        records=[access.record_data(viewer, r) for r in ordered], families=families)


# Surnames whose characters pypinyin reads otherwise as a word (曾 ceng, 单 dan, 区 qu).
SURNAME_READINGS = {
    "曾": "Zeng", "单": "Shan", "区": "Ou", "仇": "Qiu", "解": "Xie", "查": "Zha", "朴": "Piao", "盖": "Ge",
    "翟": "Zhai", "乐": "Yue", "缪": "Miao", "覃": "Qin", "尉迟": "Yuchi", "万俟": "Moqi", "那": "Na",
}


def surname_en(surname: str) -> str:
    """The pinyin of a lineage surname as a name (Guan, Situ, Ouyang), for English pages."""
    text = to_hans(surname.strip())
    if text in SURNAME_READINGS:
        return SURNAME_READINGS[text]
    reading = "".join(lazy_pinyin(text, errors=lambda chars: chars))
    return reading[:1].upper() + reading[1:]


def surname_spellings(db: Session, surname: str) -> list[str]:
    """Spellings used abroad for the surname (黄: Wong, Huang, Hwang), from the researchers' alias table."""
    return list(db.scalars(select(RomanisationAlias.spelling).where(
        RomanisationAlias.chinese == to_hans(surname), RomanisationAlias.kind == "surname")
        .order_by(RomanisationAlias.id)))


@dataclass
class FamilyEntry:
    surname: str
    village: str
    counties: list[str]
    houses: int


def families(db: Session, viewer: access.Viewer, county: str | None = None) -> list[FamilyEntry]:
    """Every (surname, village) with a house the viewer may see, by county, village and surname."""
    stmt = (select(House.family, House.village, House.county, func.count())
            .where(access.house_filter(viewer), House.family.is_not(None), House.family != "",
                   House.village.is_not(None), House.village != "")
            .group_by(House.family, House.village, House.county))
    if county:
        stmt = stmt.where(House.county == county)
    found: dict[tuple[str, str], FamilyEntry] = {}
    for surname, village, place, count in db.execute(stmt):
        if surname is None or village is None:
            continue
        entry = found.setdefault((surname, village), FamilyEntry(surname, village, [], 0))
        entry.houses += count
        if place and place not in entry.counties:
            entry.counties.append(place)
    return sorted(found.values(), key=lambda e: (sorted(e.counties)[:1], e.village, e.surname))


@dataclass
class FamilyPage:
    surname: str
    village: str
    houses: list[dict[str, Any]]
    people: list[tuple[dict[str, Any], list[tuple[str, str]]]] = field(default_factory=list)  # person, (code, role)
    destinations: list[str] = field(default_factory=list)
    spellings: list[str] = field(default_factory=list)


def family_page(db: Session, viewer: access.Viewer, surname: str, village: str) -> FamilyPage:
    """The houses of a lineage in a village and the people on them, for this viewer."""
    houses = list(db.scalars(select(House).where(access.house_filter(viewer), House.family == surname,
                                                 House.village == village).order_by(House.code)))
    if not houses:
        raise NotFound("family", f"{surname}/{village}")
    page = FamilyPage(surname, village, [access.house_data(viewer, h) for h in houses])
    page.spellings = surname_spellings(db, surname)
    codes = {h.id: h.code for h in houses}
    roles = db.scalars(select(PersonRole).join(Person).where(
        PersonRole.house_id.in_(codes), access.person_filter(viewer)).order_by(Person.name_zh, PersonRole.id)
        .options(selectinload(PersonRole.person)))
    people: dict[int, tuple[dict[str, Any], list[tuple[str, str]]]] = {}
    for role in roles:
        entry = people.setdefault(role.person_id, (access.person_data(viewer, role.person), []))
        entry[1].append((codes[role.house_id], role.role))
    page.people = list(people.values())
    for house in houses:
        for destination in house.destinations or []:
            if destination not in page.destinations:
                page.destinations.append(destination)
    return page


def house_family_link(house: dict[str, Any]) -> tuple[str, str] | None:
    """(surname, village) of a house's family page, when the house names both."""
    if house.get("family") and house.get("village"):
        return str(house["family"]), str(house["village"])
    return None


def _public_people(db: Session) -> Any:
    """Ids of public people with a role on a published house: the person pages the public may open."""
    return (select(PersonRole.person_id).join(House, House.id == PersonRole.house_id)
            .where(access.house_filter(access.PUBLIC)))


def sitemap_entries(db: Session) -> Iterator[tuple[str, Any]]:
    """(path, last change) of the public person and family pages, and the destinations page."""
    yield "/destinations", None
    yield "/families", None
    stmt = (select(Person.id, Person.updated_at).where(access.person_filter(access.PUBLIC),
                                                       Person.id.in_(_public_people(db))).order_by(Person.id))
    for person_id, changed in db.execute(stmt):
        yield f"/people/{person_id}", changed
    for entry in families(db, access.PUBLIC):
        yield f"/families/{entry.surname}/{entry.village}", None


def sitemap_count(db: Session) -> int:
    people = db.scalar(select(func.count()).select_from(Person).where(
        access.person_filter(access.PUBLIC), Person.id.in_(_public_people(db)))) or 0
    return 2 + people + len(families(db, access.PUBLIC))
