"""Applying survey sheets: plan (dry run), apply as one undoable batch, and undo.

Importers turn a file into validated rows; this module matches them against the archive
(houses by code, records by house code + title + date as written), says row by row what would
be created, updated or left unchanged, and applies all of it in the caller's transaction.
Every change is recorded in an ImportChange with the values before it, so `import_undo.undo_batch`
can remove what the batch created and restore what it updated.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.db import utcnow
from archive.models import AuditEvent, House, ImportBatch, ImportChange, Record, record_houses
from archive.services import Actor, ServiceError
from archive.services.audit import snapshot
from archive.services.bulk import insert_returning_ids, insert_rows
from archive.services.houses import (
    AUDITED_FIELDS,
    COORD_DECIMALS,
    check_house_values,
    created_house_event,
    new_house_columns,
    update_house,
)
from archive.services.indexing import enqueue_houses
from archive.services.records import RECORD_AUDITED, created_record_event, new_record_columns, update_record
from importers.rows import HouseRow, RecordRow, SurveyResult

HOUSE_ROW_FIELDS = (
    "name_zh", "name_en", "aliases", "province", "city", "county", "township", "village", "address", "lat",
    "lon", "builder", "family", "destinations", "style", "materials", "storeys", "protection_level",
    "condition", "current_use", "custody", "owner", "owner_contact", "summary_zh", "summary_en",
    "location_public",
)


@dataclass
class RowPlan:
    """What one row does (or would do): created, updated (with the changes), unchanged."""

    kind: str  # "house" | "record" | "photo"
    row: int | None
    key: str
    action: str
    changes: dict[str, list[Any]] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)  # a new row's filled-in fields, for the preview


@dataclass
class ImportOutcome:
    plans: list[RowPlan]
    batch_id: str | None = None

    def count(self, action: str) -> int:
        return sum(1 for p in self.plans if p.action == action)


def house_values(row: HouseRow) -> dict[str, Any]:
    """Every field of a new house from its row (fields without a column take their defaults)."""
    values: dict[str, Any] = {name: getattr(row, name) for name in HOUSE_ROW_FIELDS}
    values["code"] = row.code
    values["built_text"] = row.built.text if row.built else None
    values["published"] = row.public
    values["extra"] = dict(row.extra)
    if row.lat is not None and row.coord_system.lower() == "gcj02":
        # Read off a Chinese web map (converted from GCJ-02): less exact than a surveyed point.
        values["location_precision"] = "approximate"
    return values


def record_values(row: RecordRow) -> dict[str, Any]:
    return {"kind": row.kind, "title": row.title, "body": row.body,
            "date_text": row.date.text if row.date else None, "source": row.source, "public": row.public,
            "extra": dict(row.extra)}


# The sheet column each stored value comes from, where the two names differ.
_SOURCE_COLUMN = {"built_text": "built", "published": "public", "location_precision": "lat", "date_text": "date"}


def given_values(values: dict[str, Any], row: HouseRow | RecordRow, current_extra: dict[str, Any] | None
                 ) -> dict[str, Any]:
    """The values an update may change: those the row fills in or clears with a lone `-`.

    A sheet without an owner column, or an empty owner cell, leaves the stored owner alone; `-`
    clears it. Unknown columns are merged the same way: the row's values replace stored extras of
    the same name, `-` removes one, and the others stay.
    """
    if row.columns is None:
        return values
    kept = {k: v for k, v in values.items() if k != "extra" and _SOURCE_COLUMN.get(k, k) in row.columns}
    kept["extra"] = {k: v for k, v in (current_extra or {}).items() if k not in row.extra_columns} | values["extra"]
    return kept


def update_values(row: HouseRow, house: House) -> dict[str, Any]:
    values = given_values(house_values(row), row, house.extra)
    values["code"] = row.code  # the key column is always there; the archive's spelling
    for name in ("lat", "lon"):
        stored, given = getattr(house, name), values.get(name)
        if stored is not None and given is not None and same_as_shown(stored, given):
            # Copied from the house page, which shows fewer decimals than are stored: not a change.
            values[name] = stored
    return values


def same_as_shown(stored: float, given: float) -> bool:
    """Whether two coordinates read the same at the precision the archive shows them."""
    return f"{stored:.{COORD_DECIMALS}f}" == f"{given:.{COORD_DECIMALS}f}"


def record_update_values(rec: RecordRow, record: Record) -> dict[str, Any]:
    return given_values(record_values(rec), rec, record.extra)


def _changes(current: dict[str, Any], values: dict[str, Any]) -> dict[str, list[Any]]:
    return {k: [current.get(k), v] for k, v in values.items() if current.get(k) != v}


RecordKey = tuple[int, str, str | None]


@dataclass
class Existing:
    """The archive's rows an import touches, read in a few queries instead of one per row."""

    houses: dict[str, House]
    records: dict[RecordKey, Record]
    by_title: dict[tuple[int, str], list[Record]] = field(default_factory=dict)
    # Code -> id of every house the import touches, the ones it creates included.
    house_ids: dict[str, int] = field(default_factory=dict)

    def record_for(self, rec: RecordRow) -> Record | None:
        """The stored record a row updates: same house, title and date as written.

        A row without a date (no date column, an empty date cell, or `-` to clear it) matches the
        record of that title without a date, or else the one stored record of that title when there
        is exactly one (otherwise the row is a new record).
        """
        house = self.houses.get(rec.house_code)
        if house is None:
            return None
        date_text = (rec.date.text if rec.date else None) or None
        exact = self.records.get((house.id, rec.title, date_text))
        if exact is not None or date_text is not None or rec.columns is None:
            return exact
        same_title = self.by_title.get((house.id, rec.title), [])
        return same_title[0] if len(same_title) == 1 else None


def load_existing(db: Session, result: SurveyResult) -> Existing:
    codes = sorted({row.code for row in result.houses} | {rec.house_code for rec in result.records})
    houses: dict[str, House] = {}
    for start in range(0, len(codes), 500):
        for house in db.scalars(select(House).where(House.code.in_(codes[start:start + 500]))):
            houses[house.code] = house
    records: dict[RecordKey, Record] = {}
    ids = [h.id for h in houses.values()]
    for start in range(0, len(ids), 500):
        stmt = (select(record_houses.c.house_id, Record)
                .join(Record, Record.id == record_houses.c.record_id)
                .where(record_houses.c.house_id.in_(ids[start:start + 500]), Record.deleted_at.is_(None)))
        for house_id, record in db.execute(stmt):
            records.setdefault((house_id, record.title, record.date_text or None), record)
    by_title: dict[tuple[int, str], list[Record]] = {}
    for (house_id, title, _), record in records.items():
        by_title.setdefault((house_id, title), []).append(record)
    return Existing(houses, records, by_title, {code: house.id for code, house in houses.items()})


def _filled(values: dict[str, Any]) -> dict[str, Any]:
    """The fields a new row gives a value (its code is the row's key; defaults left out)."""
    return {name: value for name, value in values.items()
            if name not in ("code", "location_precision") and value not in (None, "", [], {})}


def plan_survey(db: Session, result: SurveyResult, existing: Existing | None = None) -> list[RowPlan]:
    """Row by row, what applying the result would do; reads only."""
    existing = existing or load_existing(db, result)
    plans: list[RowPlan] = []
    for row in result.houses:
        house = existing.houses.get(row.code)
        if house is None:
            plans.append(RowPlan("house", row.row, row.code, "created", values=_filled(house_values(row))))
            continue
        values = update_values(row, house)
        current = snapshot(house, (*values.keys(),))
        current["deleted"] = house.deleted_at is not None
        changes = _changes(current, {**values, "deleted": False})
        plans.append(RowPlan("house", row.row, row.code, "updated" if changes else "unchanged", changes))
    for rec in result.records:
        record = existing.record_for(rec)
        key = f"{rec.house_code} / {rec.title}"
        if record is None:
            plans.append(RowPlan("record", rec.row, key, "created", values=_filled(record_values(rec))))
            continue
        values = record_update_values(rec, record)
        changes = _changes(snapshot(record, values.keys()), values)
        plans.append(RowPlan("record", rec.row, key, "updated" if changes else "unchanged", changes))
    return plans


def new_batch(db: Session, actor: Actor, kind: str, source: str, file_name: str | None = None) -> ImportBatch:
    batch = ImportBatch(id=utcnow().strftime("%Y%m%d-%H%M%S-") + uuid.uuid4().hex[:6], kind=kind,
                        source=source[:500], file_name=file_name[:255] if file_name else None,
                        user_id=actor.user_id, actor=actor.name)
    db.add(batch)
    db.flush()
    return batch


def apply_survey(db: Session, actor: Actor, result: SurveyResult, *, source: str,
                 file_name: str | None = None) -> ImportOutcome:
    """Apply every valid row in one batch (the caller decides whether errors allow that).

    `source` is where the file is kept; `file_name` the name it had when a person uploaded it.
    New houses and records, their audit events and the batch's import changes are inserted in
    bulk (`archive.services.bulk`); updated rows go through the same services as an edit.
    """
    existing = load_existing(db, result)
    plans = plan_survey(db, result, existing)
    if not any(p.action != "unchanged" for p in plans):
        return ImportOutcome(plans)
    batch = new_batch(db, actor, "sheet", source, file_name)
    house_plans, record_plans = plans[: len(result.houses)], plans[len(result.houses):]
    created = [row for row, plan in zip(result.houses, house_plans, strict=True) if plan.action == "created"]
    # The import changes in the order undo reverses: created houses, updated houses, updated
    # records, created records (undo removes the records before their houses).
    changes = _create_houses(db, actor, batch, created, existing)
    for row, plan in zip(result.houses, house_plans, strict=True):
        if plan.action == "updated":
            changes.append(_update_house(db, actor, batch, row, existing.houses[row.code]))
    created_records = []
    for rec, plan in zip(result.records, record_plans, strict=True):
        if plan.action == "created":
            created_records.append(rec)
        elif plan.action == "updated":
            record = existing.record_for(rec)
            assert record is not None  # the plan found it
            changes.append(_update_record(db, actor, batch, rec, record))
    db.flush()  # the updates' audit events before the new records' ones
    changes += _create_records(db, actor, batch, created_records, existing)
    insert_rows(db, ImportChange, changes)
    batch.summary = {a: sum(1 for p in plans if p.action == a) for a in ("created", "updated", "unchanged")}
    if result.errors:  # rows left out because they had errors ("import only the valid rows")
        batch.summary["errors"] = len({p.row for p in result.errors})
    db.flush()
    return ImportOutcome(plans, batch.id)


def _change(batch: ImportBatch, entity_type: str, entity_id: int, action: str,
            before: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"batch_id": batch.id, "entity_type": entity_type, "entity_id": entity_id, "action": action,
            "before": before}


def _create_houses(
    db: Session, actor: Actor, batch: ImportBatch, rows: list[HouseRow], existing: Existing
) -> list[dict[str, Any]]:
    """Insert the new houses, their audit events and queue entries in a few statements; return
    their import changes."""
    houses = []
    for row in rows:
        values = house_values(row)
        # The plan found no house with this code and the importer refuses duplicates in a file.
        check_house_values(db, values, check_duplicate=False)
        houses.append(new_house_columns(actor, values))
    ids = insert_returning_ids(db, House, houses)
    for house, house_id in zip(houses, ids, strict=True):
        house["id"] = house_id
        existing.house_ids[house["code"]] = house_id
    insert_rows(db, AuditEvent, [created_house_event(actor, house, batch_id=batch.id) for house in houses])
    enqueue_houses(db, [(house["id"], house["code"]) for house in houses])
    return [_change(batch, "house", house["id"], "created") for house in houses]


def _update_house(db: Session, actor: Actor, batch: ImportBatch, row: HouseRow, house: House) -> dict[str, Any]:
    before = snapshot(house, (*AUDITED_FIELDS, "updated_at"))
    house.deleted_at = None
    update_house(db, actor, house, update_values(row, house), batch_id=batch.id)
    return _change(batch, "house", house.id, "updated", before)


def _create_records(
    db: Session, actor: Actor, batch: ImportBatch, rows: list[RecordRow], existing: Existing
) -> list[dict[str, Any]]:
    """Insert the new records, their links to their houses, audit events and queue entries in a
    few statements; return their import changes."""
    records = []
    house_ids = []
    for rec in rows:
        house_id = existing.house_ids.get(rec.house_code)
        if house_id is None:
            raise ServiceError("unknown_house", "house_code", code=rec.house_code)
        records.append(new_record_columns(record_values(rec)))
        house_ids.append(house_id)
    ids = insert_returning_ids(db, Record, records)
    insert_rows(db, record_houses, [{"record_id": record_id, "house_id": house_id}
                                    for record_id, house_id in zip(ids, house_ids, strict=True)])
    for record, record_id in zip(records, ids, strict=True):
        record["id"] = record_id
    insert_rows(db, AuditEvent, [created_record_event(actor, record, house_id, batch_id=batch.id)
                                 for record, house_id in zip(records, house_ids, strict=True)])
    codes = {house_id: code for code, house_id in existing.house_ids.items()}
    enqueue_houses(db, [(house_id, codes[house_id]) for house_id in house_ids])
    return [_change(batch, "record", record["id"], "created") for record in records]


def _update_record(db: Session, actor: Actor, batch: ImportBatch, rec: RecordRow, record: Record) -> dict[str, Any]:
    before = snapshot(record, (*RECORD_AUDITED, "updated_at"))
    update_record(db, actor, record, record_update_values(rec, record), batch_id=batch.id)
    return _change(batch, "record", record.id, "updated", before)
