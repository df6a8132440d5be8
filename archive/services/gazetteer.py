"""The gazetteer: English and 繁體 forms of every place and destination the catalogue holds.

Each (kind, name) the data uses gets a row: the name as stored (简体, the key and the value in
URLs), its 繁體 form and its English form. English comes from the table of established names
(Taishan (Toishan), United States, San Francisco) or is generated from pinyin with the rules in
``generate_en``; 繁體 comes from OpenCC ``s2tw`` (characters only: 台山 stays 台山, and s2twp's
Taiwan phrases would rename places, 社区 -> 社群). A refresh fills in names the data has gained and
regenerates rows that came from code; rows staff edited are never touched again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from opencc import OpenCC
from pypinyin import lazy_pinyin
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from archive.models import House, Person, PersonRole, PlaceName
from archive.models.gazetteer import PLACE_KINDS
from archive.services import Actor, NotFound, ServiceError
from archive.services.audit import record_event
from archive.services.destinations import COUNTRIES, SAME_AS, country_of
from archive.services.gazetteer_names import ESTABLISHED, MORE_COUNTRIES, SUFFIXES, UPPER_KINDS

HOUSE_LEVELS = ("province", "city", "county", "township", "village")
_HAN = re.compile(r"[\u3400-\u9fff]")
_s2tw = OpenCC("s2tw")
_t2s = OpenCC("t2s")


@lru_cache(maxsize=20000)
def to_hant(text: str) -> str:
    """Descriptive text and place names in traditional script (cached: a page converts many strings)."""
    return _s2tw.convert(text)


@lru_cache(maxsize=20000)
def to_hans(text: str) -> str:
    return _t2s.convert(text)


def _pinyin(text: str) -> str:
    """Toneless pinyin of a name, one word, with the apostrophe before a, o, e (Xi'an, Nan'an)."""
    out = ""
    for syllable in lazy_pinyin(text, errors=lambda chars: chars):
        if out and syllable[:1] in "aoe" and syllable.isascii():
            out += "'"
        out += syllable.replace("v", "ü")
    return out[:1].upper() + out[1:]


@lru_cache(maxsize=20000)
def generate_en(name: str, kind: str) -> str:
    """English for a name not in the established table: pinyin of the stem plus its suffix's word."""
    text = name.strip()
    if not _HAN.search(text):
        return text  # already Latin (Gold Mountain)
    if text in ESTABLISHED:
        return ESTABLISHED[text]
    if kind in ("country", "destination"):
        return _destination_en(text)
    for suffix, word in SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix) + 1:
            stem = text[: -len(suffix)]
            if kind in UPPER_KINDS and suffix in ("市", "县", "省"):
                word = ""
            return (ESTABLISHED.get(stem) or _pinyin(stem)) + word
    return _pinyin(text)


def _destination_en(text: str) -> str:
    """美国旧金山 -> San Francisco, United States; a bare city or country by itself."""
    for country in sorted((*COUNTRIES, *MORE_COUNTRIES), key=len, reverse=True):
        if text.startswith(country) and len(text) > len(country):
            rest = text[len(country):].strip(" ·、，,")
            country_en = ESTABLISHED.get(SAME_AS.get(country, country), _pinyin(country))
            return f"{ESTABLISHED.get(rest) or _pinyin(rest)}, {country_en}"
    return _pinyin(text)


def source_of(name: str) -> str:
    return "established" if name.strip() in ESTABLISHED else "generated"


@dataclass
class RefreshResult:
    added: int = 0
    regenerated: int = 0
    kept: int = 0  # staff-edited rows left alone


def data_places(db: Session, house_ids: Iterable[int] | None = None) -> set[tuple[str, str]]:
    """(kind, name) of every place and destination in the data (or in the given houses and their people)."""
    houses = select(House.province, House.city, House.county, House.township, House.village,
                    House.destinations)
    people = select(Person.destinations)
    if house_ids is not None:
        ids = list(house_ids)
        houses = houses.where(House.id.in_(ids))
        people = people.join(PersonRole).where(PersonRole.house_id.in_(ids))
    found: set[tuple[str, str]] = set()
    destinations: set[str] = set()
    for row in db.execute(houses):
        for kind, value in zip(HOUSE_LEVELS, row[:5], strict=True):
            if value and value.strip():
                found.add((kind, value.strip()))
        destinations.update(d.strip() for d in row[5] or [] if d and d.strip())
    for (dests,) in db.execute(people):
        destinations.update(d.strip() for d in dests or [] if d and d.strip())
    for destination in destinations:
        found.add(("destination", destination))
        if (country := country_of(destination)) is not None:
            found.add(("country", country))  # the search's destination facet shows countries
    return found


def refresh(db: Session, house_ids: Iterable[int] | None = None) -> RefreshResult:
    """Add rows for names the data has gained; regenerate rows from code; never touch staff rows."""
    wanted = data_places(db, house_ids)
    existing = {(p.kind, p.name): p for p in db.scalars(select(PlaceName))} if house_ids is None else {
        (p.kind, p.name): p for p in db.scalars(
            select(PlaceName).where(PlaceName.name.in_({name for _kind, name in wanted})))}
    result = RefreshResult()
    for kind, name in sorted(wanted):
        en, hant, source = generate_en(name, kind), to_hant(name), source_of(name)
        row = existing.get((kind, name))
        if row is None:
            db.add(PlaceName(kind=kind, name=name, zh_hant=hant, en=en, source=source))
            result.added += 1
        elif row.source == "staff":
            result.kept += 1
        elif (row.en, row.zh_hant, row.source) != (en, hant, source):
            row.en, row.zh_hant, row.source = en, hant, source
            result.regenerated += 1
    db.flush()
    return result


def entries(db: Session, kind: str | None = None) -> list[PlaceName]:
    stmt = select(PlaceName).order_by(PlaceName.kind, PlaceName.name)
    if kind:
        stmt = stmt.where(PlaceName.kind == kind)
    return list(db.scalars(stmt))


def edit_entry(db: Session, actor: Actor, entry_id: int, *, en: str, zh_hant: str) -> PlaceName:
    """Staff correct an entry; it is marked "staff" so no refresh overwrites it."""
    row = db.get(PlaceName, entry_id)
    if row is None:
        raise NotFound("place_name", entry_id)
    en, zh_hant = en.strip(), zh_hant.strip()
    for field, value in (("en", en), ("zh_hant", zh_hant)):
        if not value:
            raise ServiceError("required", field)
        if len(value) > 200:
            raise ServiceError("username_too_long", field, max=200)  # "At most %(max)d characters."
    before = {"en": row.en, "zh_hant": row.zh_hant, "source": row.source}
    row.en, row.zh_hant, row.source, row.updated_by = en, zh_hant, "staff", actor.name
    after = {"en": en, "zh_hant": zh_hant, "source": "staff"}
    changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if changes:
        record_event(db, actor, "update", row, label=f"{row.kind} {row.name}", house_id=None, changes=changes)
    db.flush()
    return row


def labels(db: Session, locale: str) -> dict[tuple[str, str], str]:
    """{(kind, name): label in locale} for a page; names missing from the table are generated on the fly.

    Plain rows, not ORM objects: a page reads the whole table, and 简体 needs none of it (the
    stored name is the 简体 label).
    """
    if locale.startswith("zh") and not locale.startswith("zh_Hant"):
        return {}
    column = PlaceName.zh_hant if locale.startswith("zh_Hant") else PlaceName.en
    return {(kind, name): text or name for kind, name, text in db.execute(
        select(PlaceName.kind, PlaceName.name, column))}


def label(table: dict[tuple[str, str], str], locale: str, name: str, kind: str) -> str:
    """One place's label; a destination falls back to its country's row and then to generation."""
    if not name:
        return ""
    for key in ((kind, name), ("country", name), ("destination", name)):
        if key in table:
            return table[key]
    if locale.startswith("zh_Hant"):
        return to_hant(name)
    if locale.startswith("zh"):
        return name
    return generate_en(name, kind if kind in PLACE_KINDS else "village")


@event.listens_for(Session, "before_commit")
def _refresh_before_commit(session: Session) -> None:
    """Houses saved or imported in this transaction may bring new places: give them entries now."""
    queued = session.info.get("queued_houses")
    if queued and not session.info.get("gazetteer_refreshing"):
        session.info["gazetteer_refreshing"] = True
        try:
            refresh(session, {house_id for house_id, _code in queued})
        finally:
            session.info.pop("gazetteer_refreshing", None)
