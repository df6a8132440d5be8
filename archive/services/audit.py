"""Audit trail: every state change is recorded with who, when and old -> new values."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from archive.models import AuditEvent
from archive.services import Actor


def plain(value: Any) -> Any:
    """A column value as JSON-ready data (dates as ISO text, tuples as lists)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def snapshot(obj: object, fields: Iterable[str]) -> dict[str, Any]:
    """The listed attributes of a model, as JSON-ready values."""
    return {name: plain(getattr(obj, name)) for name in fields}


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for every field whose value changed."""
    return {
        name: [before.get(name), after.get(name)]
        for name in after
        if before.get(name) != after.get(name)
    }


def record_event(
    db: Session,
    actor: Actor,
    action: str,
    entity: Any,
    *,
    label: str,
    house_id: int | None,
    changes: Mapping[str, Any] | None = None,
    batch_id: str | None = None,
    entity_type: str | None = None,
) -> AuditEvent:
    """Record one event; `entity` may be None (a failed login under no account's name) with `entity_type`."""
    event = AuditEvent(**event_values(
        actor, action, entity_type or type(entity).__name__.lower(), None if entity is None else entity.id,
        label=label, house_id=house_id, changes=changes, batch_id=batch_id,
    ))
    db.add(event)
    return event


def event_values(
    actor: Actor,
    action: str,
    entity_type: str,
    entity_id: int | None,
    *,
    label: str,
    house_id: int | None,
    changes: Mapping[str, Any] | None = None,
    batch_id: str | None = None,
) -> dict[str, Any]:
    """The column values of one event: for :func:`record_event`, and for imports that insert
    thousands of events in one statement (`archive.services.bulk`)."""
    return {
        "user_id": actor.user_id,
        "actor": actor.name,
        "action": action,
        "entity_type": entity_type,
        "entity_id": entity_id,
        "house_id": house_id,
        "label": label[:300],
        "changes": dict(changes or {}),
        "batch_id": batch_id,
    }


def house_history(house_id: int) -> Select[Any]:
    """Every event on the house and on its records and photos, newest first (paged by the caller)."""
    return (
        select(AuditEvent)
        .where(AuditEvent.house_id == house_id)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    )
