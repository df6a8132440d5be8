"""Search bookkeeping: the queue of houses to reindex and the romanisation alias table."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from archive.db import Base, utcnow


class SearchQueue(Base):
    """A house whose index documents are stale; written in the same transaction as the change."""

    __tablename__ = "search_queue"

    id: Mapped[int] = mapped_column(primary_key=True)
    house_id: Mapped[int] = mapped_column(index=True)
    # The code at the time of the change: the index is keyed by code, and a renamed or
    # hard-deleted (undone import) house must still have its old documents removed.
    house_code: Mapped[str] = mapped_column(String(64))
    enqueued_at: Mapped[datetime] = mapped_column(default=utcnow)


class RomanisationAlias(Base):
    """A spelling used abroad for a Chinese surname or place (黄 = Wong), editable by researchers."""

    __tablename__ = "romanisation_alias"
    __table_args__ = (UniqueConstraint("chinese", "spelling"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    chinese: Mapped[str] = mapped_column(String(40))
    spelling: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(20), default="surname")
    note: Mapped[str | None] = mapped_column(String(300))
