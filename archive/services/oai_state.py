"""The OAI-PMH view of each house, and keeping `oai_item` in step with it in every transaction.

A house's OAI metadata is a list of Dublin Core statements projected through `archive.access`
with the public viewer. Its sha256 is kept on the house's `oai_item` row; a transaction that
queued houses for the search index (every change to a house, its photos, records or people does,
in `services.indexing`) recomputes their statements just before it commits, and a different
digest, a house that became public, or one that stopped being public moves the row's datestamp.
So datestamps change exactly when what a harvester would receive changes, in the same commit as
the change itself.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import event, or_, select
from sqlalchemy.orm import Session, selectinload

from archive import access
from archive.db import utcnow
from archive.models import House, OaiItem, Record
from archive.services.oai_sets import county_set
from archive.services.vocab import labels

BATCH = 500
# Derivative shown to harvesters as the photo's URL (a 1024 px JPEG).
PHOTO_SIZE = "medium"


@dataclass(frozen=True, slots=True)
class Statement:
    """One Dublin Core element: its name, value and language (None: not language-specific).

    A value starting with '/' is a path on this site, made absolute when the XML is written.
    """

    element: str
    value: str
    lang: str | None = None


def now_stamp() -> datetime:
    """The current time at the protocol's granularity (whole UTC seconds)."""
    return utcnow().replace(microsecond=0)


def house_statements(house: House, vocab: dict[str, dict[str, dict[str, str]]]) -> list[Statement]:
    """The oai_dc statements of a public house, from what the public viewer may see only."""
    data = access.house_data(access.PUBLIC, house)
    out: list[Statement] = []

    def add(element: str, value: Any, lang: str | None = None) -> None:
        if value not in (None, ""):
            out.append(Statement(element, str(value), lang))

    add("title", data["name_zh"], "zh")
    add("title", data["name_en"], "en")
    for alias in data["aliases"] or []:
        add("title", alias, "zh")
    add("creator", data["builder"])
    for name in ("style", "protection_level"):
        key = data[name]
        if key:
            for lang, locale in (("zh", "zh_Hans"), ("en", "en")):
                add("subject", vocab[locale].get(name, {}).get(key, key), lang)
    add("subject", f"{data['family']}氏" if data["family"] else None, "zh")
    for element, zh, en in (("description", "summary_zh", "summary_en"), ("description", "history_zh", "history_en")):
        add(element, data[zh], "zh")
        add(element, data[en], "en")
    add("date", data["built_text"])
    if data["built_from"]:
        to = data["built_to"]
        add("date", data["built_from"] if not to or to == data["built_from"] else f"{data['built_from']}/{to}")
    add("type", "PhysicalObject")
    add("type", "侨房", "zh")
    add("type", "Overseas Chinese house", "en")
    place = "".join(data[k] or "" for k in ("province", "city", "county", "township", "village"))
    add("coverage", place, "zh")
    for destination in data["destinations"] or []:
        add("coverage", destination, "zh")
    if data.get("lat") is not None and data.get("lon") is not None:
        # DCMI Point: only present when the house's location is public.
        add("coverage", f"east={data['lon']:.5f}; north={data['lat']:.5f}")
    add("identifier", f"/houses/{house.code}")
    add("identifier", house.code)
    add("language", "zh")
    for record in sorted(house.records, key=lambda r: r.id):
        if access.record_visible_under(access.PUBLIC, record, house):
            add("relation", f"/records/{record.id}")
    for photo in house.photos:
        if access.photo_visible(access.PUBLIC, photo) and not photo.damaged:
            add("relation", f"/media/d/{photo.sha256}/{PHOTO_SIZE}.jpg")
            add("rights", photo.rights)
    return out


def digest(statements: Iterable[Statement], set_spec: str | None) -> str:
    payload = json.dumps([set_spec, *[(s.element, s.value, s.lang) for s in statements]], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def vocab_labels(db: Session) -> dict[str, dict[str, dict[str, str]]]:
    return {locale: labels(db, locale) for locale in ("zh_Hans", "en")}


def load_houses(db: Session, ids: Iterable[int]) -> Iterator[House]:
    """Houses with what their statements read (photos and records) loaded.

    Of the records, only what `access.record_visible_under` reads: a survey import syncs
    thousands of houses with eight records each before it commits, and their texts are not
    statements.
    """
    records = selectinload(House.records).load_only(Record.id, Record.public, Record.deleted_at)
    stmt = select(House).where(House.id.in_(list(ids))).options(selectinload(House.photos), records)
    yield from db.scalars(stmt)


def sync_houses(db: Session, queued: Iterable[tuple[int, str]]) -> int:
    """Bring the OAI rows of these (house id, code at change time) pairs up to date; returns rows moved."""
    pairs = list(queued)
    moved = 0
    vocab = vocab_labels(db)
    for start in range(0, len(pairs), BATCH):
        moved += _sync_batch(db, pairs[start:start + BATCH], vocab)
    return moved


def _sync_batch(db: Session, pairs: list[tuple[int, str]], vocab: dict[str, Any]) -> int:
    ids = {house_id for house_id, _code in pairs}
    houses = {house.id: house for house in load_houses(db, ids)}
    codes = {code for _id, code in pairs} | {house.code for house in houses.values()}
    items = {item.code: item for item in db.scalars(
        select(OaiItem).where(or_(OaiItem.house_id.in_(ids), OaiItem.code.in_(codes))))}
    stamp, moved, live = now_stamp(), 0, set()
    for house in houses.values():
        if not access.house_visible(access.PUBLIC, house):
            continue
        live.add(house.code)
        spec, name = county_set(house.county)
        new_digest = digest(house_statements(house, vocab), spec)
        item = items.get(house.code)
        if item is None:
            db.add(OaiItem(code=house.code, house_id=house.id, set_spec=spec, set_name=name,
                           datestamp=stamp, deleted=False, digest=new_digest))
            moved += 1
        elif item.deleted or item.digest != new_digest or item.house_id != house.id:
            item.house_id, item.set_spec, item.set_name = house.id, spec, name
            item.datestamp, item.deleted, item.digest = stamp, False, new_digest
            moved += 1
    for item in items.values():
        # Rows of these houses whose code is no longer public: deleted, renamed, unpublished.
        if item.code not in live and not item.deleted and (item.house_id in ids or item.house_id is None):
            item.deleted, item.datestamp, item.digest = True, stamp, ""
            moved += 1
    return moved


def sync_all(db: Session) -> int:
    """Check every house and every row (after an upgrade, or as a repair); returns rows moved."""
    pairs = [(house_id, code) for house_id, code in db.execute(select(House.id, House.code))]
    known = {house_id for house_id, _code in pairs}
    orphans = [(item.house_id or 0, item.code) for item in db.scalars(
        select(OaiItem).where(OaiItem.deleted.is_(False))) if item.house_id not in known]
    return sync_houses(db, pairs + orphans)


@event.listens_for(Session, "before_commit")
def _sync_before_commit(session: Session) -> None:
    """Houses this transaction queued for reindexing may look different to harvesters now."""
    queued = session.info.get("queued_houses")
    if queued:
        sync_houses(session, set(queued))
