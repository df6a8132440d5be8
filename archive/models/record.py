"""An information item: oral history, document, remittance letter, genealogy, inscription, ..."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Column, ForeignKey, Index, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from archive.db import Base, utcnow

if TYPE_CHECKING:
    from archive.models.house import House
    from archive.models.photo import Photo

record_houses = Table(
    "record_houses",
    Base.metadata,
    Column("record_id", ForeignKey("record.id", ondelete="CASCADE"), primary_key=True),
    Column("house_id", ForeignKey("house.id", ondelete="CASCADE"), primary_key=True, index=True),
)

record_photos = Table(
    "record_photos",
    Base.metadata,
    Column("record_id", ForeignKey("record.id", ondelete="CASCADE"), primary_key=True),
    Column("photo_id", ForeignKey("photo.id", ondelete="CASCADE"), primary_key=True),
)


class Record(Base):
    __tablename__ = "record"
    __table_args__ = (Index("ix_record_kind", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), default="other")
    title: Mapped[str] = mapped_column(String(500))
    body: Mapped[str | None] = mapped_column(Text)
    date_text: Mapped[str | None] = mapped_column(String(100))
    date_from: Mapped[int | None]
    date_to: Mapped[int | None]
    source: Mapped[str | None] = mapped_column(String(500))
    contributor: Mapped[str | None] = mapped_column(String(200))
    public: Mapped[bool] = mapped_column(default=False)
    extra: Mapped[dict[str, Any]] = mapped_column(default=dict)

    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    deleted_at: Mapped[datetime | None]

    houses: Mapped[list[House]] = relationship(secondary=record_houses, back_populates="records")
    photos: Mapped[list[Photo]] = relationship(secondary=record_photos)

    def __repr__(self) -> str:
        return f"<Record {self.id} {self.title[:20]}>"
