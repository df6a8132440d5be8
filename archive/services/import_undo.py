"""Undoing and redoing an import batch, and saying beforehand what either would do.

Undo removes what the batch created and puts back what it updated (`ImportChange.before`). Its
audit events keep what it removed (every column of every removed row, and the houses a removed
record belonged to) and the values it replaced, so an undone batch can be redone: redo puts the
same rows back under the same ids and re-applies the values the batch had set. It refuses, and
changes nothing, when the archive has moved on since the undo (a code taken again, an updated row
edited since), rather than overwrite someone's later work.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import func, inspect, select
from sqlalchemy.orm import Session

from archive.db import utcnow
from archive.models import AuditEvent, House, ImportBatch, ImportChange, Photo, Record
from archive.services import Actor, ServiceError
from archive.services.audit import record_event, snapshot
from archive.services.indexing import enqueue_house
from archive.services.paging import Page, page_of

MODELS: dict[str, Any] = {"house": House, "record": Record, "photo": Photo}
UNDO_ACTIONS = ("undo-create", "undo-update")


def get_batch(db: Session, batch_id: str) -> ImportBatch:
    batch = db.get(ImportBatch, batch_id)
    if batch is None:
        raise ServiceError("unknown_batch", "batch", batch=batch_id)
    return batch


def batches(db: Session, limit: int = 100) -> list[ImportBatch]:
    return list(db.scalars(select(ImportBatch).order_by(ImportBatch.created_at.desc()).limit(limit)))


def batch_page(db: Session, page: int, per_page: int = 50) -> Page[ImportBatch]:
    """Import batches, newest first."""
    stmt = select(ImportBatch).order_by(ImportBatch.created_at.desc(), ImportBatch.id.desc())
    return page_of(db, stmt, page, per_page)


def batch_results(db: Session, batches: list[ImportBatch]) -> dict[str, dict[str, int]]:
    """Each batch's result: its summary, or for batches recorded without one (photo folders before
    results were kept) what its changes say it created and updated."""
    results = {b.id: dict(b.summary) for b in batches if b.summary}
    missing = [b.id for b in batches if not b.summary]
    if missing:
        stmt = (select(ImportChange.batch_id, ImportChange.action, func.count())
                .where(ImportChange.batch_id.in_(missing))
                .group_by(ImportChange.batch_id, ImportChange.action))
        for batch_id, action, count in db.execute(stmt):
            results.setdefault(batch_id, {})[action] = count
    return results


def batch_effect(db: Session, batch: ImportBatch) -> dict[str, dict[str, int]]:
    """How many rows of each kind the batch created and updated: {"created": {"house": 12}, ...}.

    Undo removes the created ones and restores the updated ones; redo does the opposite.
    """
    counts: dict[str, dict[str, int]] = {"created": {}, "updated": {}}
    stmt = (select(ImportChange.action, ImportChange.entity_type, func.count())
            .where(ImportChange.batch_id == batch.id)
            .group_by(ImportChange.action, ImportChange.entity_type))
    for action, kind, count in db.execute(stmt):
        counts.setdefault(action, {})[kind] = count
    return counts


def undo_batch(db: Session, actor: Actor, batch_id: str) -> dict[str, int]:
    """Restore the state before the batch: created rows removed, updated rows put back."""
    batch = get_batch(db, batch_id)
    if batch.status == "undone":
        raise ServiceError("already_undone", "batch", batch=batch_id)
    counts = {"removed": 0, "restored": 0}
    for change in reversed(batch.changes):
        obj = db.get(MODELS[change.entity_type], change.entity_id)
        if obj is None:
            continue
        if change.action == "created":
            _remove_created(db, actor, batch, obj)
            counts["removed"] += 1
        else:
            _restore(db, actor, batch, obj, change.before or {})
            counts["restored"] += 1
    batch.status, batch.undone_at = "undone", utcnow()
    db.flush()
    return counts


def redo_batch(db: Session, actor: Actor, batch_id: str) -> dict[str, int]:
    """Apply an undone batch again, from what its undo kept; refuse if the archive has moved on."""
    batch = get_batch(db, batch_id)
    if batch.status != "undone":
        raise ServiceError("not_undone", "batch", batch=batch_id)
    kept = _undo_events(db, batch)
    counts = {"recreated": 0, "reapplied": 0}
    for change in batch.changes:
        event = kept.get((change.entity_type, change.entity_id))
        if event is None:
            continue  # already gone when the undo ran: the undo did nothing to it
        if change.action == "created":
            _recreate(db, actor, batch, change, event)
            counts["recreated"] += 1
        else:
            _reapply(db, actor, batch, change, event)
            counts["reapplied"] += 1
    batch.status, batch.undone_at = "applied", None
    db.flush()
    return counts


def _undo_events(db: Session, batch: ImportBatch) -> dict[tuple[str, int], AuditEvent]:
    """The latest undo event of each row the batch touched (a batch may be undone, redone, undone)."""
    stmt = (select(AuditEvent).where(AuditEvent.batch_id == batch.id, AuditEvent.action.in_(UNDO_ACTIONS))
            .order_by(AuditEvent.id))
    events = {(e.entity_type, e.entity_id or 0): e for e in db.scalars(stmt)}
    if any(e.action == "undo-create" and not e.changes for e in events.values()):
        # Undone before undo kept the removed rows: there is nothing to put back.
        raise ServiceError("redo_unavailable", "batch", batch=batch.id)
    return events


def _house_of(obj: Any) -> House | None:
    if isinstance(obj, House):
        return obj
    if isinstance(obj, Photo):
        return obj.house
    houses: list[House] = obj.houses
    return houses[0] if houses else None


def _label(obj: Any) -> str:
    return str(getattr(obj, "code", None) or getattr(obj, "title", None) or getattr(obj, "original_name", ""))


def _columns(model: Any) -> list[str]:
    return [attr.key for attr in inspect(model).column_attrs]


def _remove_created(db: Session, actor: Actor, batch: ImportBatch, obj: Any) -> None:
    house = _house_of(obj)
    if isinstance(obj, House) and obj.photos:
        # Photos come in their own batches; removing the house would orphan them.
        raise ServiceError("undo_blocked", "batch", batch=batch.id, code=obj.code)
    enqueue_house(db, house)
    # Every column, kept in the audit trail: what a redo puts back.
    kept = snapshot(obj, _columns(type(obj)))
    if isinstance(obj, Record):
        kept["house_ids"] = [h.id for h in obj.houses]
    record_event(db, actor, "undo-create", obj, label=_label(obj), house_id=house.id if house else None,
                 changes={name: [value, None] for name, value in kept.items()}, batch_id=batch.id)
    db.delete(obj)
    db.flush()


def _restore(db: Session, actor: Actor, batch: ImportBatch, obj: Any, before: dict[str, Any]) -> None:
    changes: dict[str, list[Any]] = {}
    for name, plain in before.items():
        value = _value(type(obj), name, plain)
        if getattr(obj, name) != value:
            changes[name] = [snapshot(obj, (name,))[name], plain]
            setattr(obj, name, value)
    db.flush()
    house = _house_of(obj)
    record_event(db, actor, "undo-update", obj, label=_label(obj), house_id=house.id if house else None,
                 changes=changes, batch_id=batch.id)
    enqueue_house(db, house)


def _recreate(db: Session, actor: Actor, batch: ImportBatch, change: ImportChange, event: AuditEvent) -> None:
    model = MODELS[change.entity_type]
    values = {name: pair[0] for name, pair in event.changes.items()}
    house_ids = values.pop("house_ids", None) or []
    label = str(event.label)
    if db.get(model, change.entity_id) is not None:
        raise ServiceError("redo_blocked", "batch", batch=batch.id, item=label)
    if model is House and db.scalar(select(House.id).where(House.code == values.get("code"))) is not None:
        raise ServiceError("redo_blocked", "batch", batch=batch.id, item=label)
    obj = model(**{name: _value(model, name, plain) for name, plain in values.items()})
    if house_ids:
        houses = [db.get(House, i) for i in house_ids]
        if any(h is None or h.deleted_at is not None for h in houses):
            raise ServiceError("redo_blocked", "batch", batch=batch.id, item=label)
        obj.houses = houses
    if model is Photo and db.get(House, values.get("house_id")) is None:
        raise ServiceError("redo_blocked", "batch", batch=batch.id, item=label)
    db.add(obj)
    db.flush()
    house = _house_of(obj)
    record_event(db, actor, "redo-create", obj, label=label, house_id=house.id if house else None,
                 changes={name: [None, value] for name, value in values.items() if value not in (None, [], {})},
                 batch_id=batch.id)
    enqueue_house(db, house)


def _reapply(db: Session, actor: Actor, batch: ImportBatch, change: ImportChange, event: AuditEvent) -> None:
    model = MODELS[change.entity_type]
    obj = db.get(model, change.entity_id)
    if obj is None:
        raise ServiceError("redo_blocked", "batch", batch=batch.id, item=event.label)
    changes: dict[str, list[Any]] = {}
    for name, (batch_value, undo_value) in event.changes.items():
        if snapshot(obj, (name,))[name] != undo_value:
            # Edited since the undo: redoing would overwrite that edit without anyone seeing it.
            raise ServiceError("redo_conflict", "batch", batch=batch.id, item=event.label, what=name)
        setattr(obj, name, _value(model, name, batch_value))
        changes[name] = [undo_value, batch_value]
    db.flush()
    house = _house_of(obj)
    record_event(db, actor, "redo-update", obj, label=_label(obj), house_id=house.id if house else None,
                 changes=changes, batch_id=batch.id)
    enqueue_house(db, house)


def _value(model: Any, name: str, plain: Any) -> Any:
    """A column's value back from its JSON form in the audit trail (dates were written as ISO text)."""
    if not isinstance(plain, str):
        return plain
    column = inspect(model).column_attrs[name].columns[0]
    try:
        kind = column.type.python_type
    except NotImplementedError:
        return plain
    if kind is datetime:
        return datetime.fromisoformat(plain)
    if kind is date:
        return date.fromisoformat(plain)
    return plain
