"""What the staff dashboard and the trash show: live counts, recent changes, deleted items by kind."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from archive.models import AuditEvent, House, Person, Photo, Record

# Logins are events, not changes: they stay on the account pages.
LOGIN_EVENTS = ("login", "login_failed", "logout")
TRASH_KINDS = ("houses", "records", "people", "photos")


def live_counts(db: Session) -> dict[str, int]:
    """Houses, records and people not in the trash."""
    return {name: db.scalar(select(func.count()).select_from(model).where(model.deleted_at.is_(None))) or 0
            for name, model in (("houses", House), ("records", Record), ("people", Person))}


def recent_changes(db: Session, limit: int = 15) -> list[AuditEvent]:
    """The newest audit events that change something (not logins), newest first."""
    return list(db.scalars(select(AuditEvent).where(AuditEvent.action.not_in(LOGIN_EVENTS))
                           .order_by(AuditEvent.id.desc()).limit(limit)))


def trashed(kind: str) -> Select[Any]:
    """The deleted houses (by code), records, people or photos (by id), for paging by the caller."""
    lists: dict[str, Select[Any]] = {
        "houses": select(House).where(House.deleted_at.is_not(None)).order_by(House.code),
        "records": select(Record).where(Record.deleted_at.is_not(None)).order_by(Record.id),
        "people": select(Person).where(Person.deleted_at.is_not(None)).order_by(Person.id),
        "photos": select(Photo).where(Photo.deleted_at.is_not(None)).order_by(Photo.id),
    }
    return lists[kind]
