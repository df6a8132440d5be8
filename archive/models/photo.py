"""A photo of a house: the database records the file, the media store holds its bytes."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from archive.db import Base, utcnow

if TYPE_CHECKING:
    from archive.models.house import House


class Photo(Base):
    __tablename__ = "photo"
    __table_args__ = (
        Index("ix_photo_house_position", "house_id", "position"),
        Index("ix_photo_sha256", "sha256"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    house_id: Mapped[int] = mapped_column(ForeignKey("house.id", ondelete="CASCADE"))
    sha256: Mapped[str] = mapped_column(String(64))
    original_name: Mapped[str] = mapped_column(String(255))
    mime: Mapped[str] = mapped_column(String(100))
    format: Mapped[str | None] = mapped_column(String(20))
    size: Mapped[int]
    width: Mapped[int | None]
    height: Mapped[int | None]
    taken_at: Mapped[datetime | None]
    lat: Mapped[float | None]
    lon: Mapped[float | None]
    camera: Mapped[str | None] = mapped_column(String(200))
    orientation: Mapped[int | None]
    caption_zh: Mapped[str | None] = mapped_column(Text)
    caption_en: Mapped[str | None] = mapped_column(Text)
    photographer: Mapped[str | None] = mapped_column(String(200))
    rights: Mapped[str | None] = mapped_column(String(300))
    public: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)
    phash: Mapped[str | None] = mapped_column(String(32))
    damaged: Mapped[bool] = mapped_column(default=False)
    damage_reason: Mapped[str | None] = mapped_column(String(300))
    has_derivatives: Mapped[bool] = mapped_column(default=False)

    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    deleted_at: Mapped[datetime | None]
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    house: Mapped[House] = relationship(back_populates="photos")

    def __repr__(self) -> str:
        return f"<Photo {self.id} {self.sha256[:8]}>"
