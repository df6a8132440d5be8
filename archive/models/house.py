"""A heritage house: the catalogue's central record."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from archive.db import Base, utcnow

if TYPE_CHECKING:
    from archive.models.person import PersonRole
    from archive.models.photo import Photo
    from archive.models.record import Record


class House(Base):
    __tablename__ = "house"
    __table_args__ = (
        # The public gallery lists published, live houses in code order, filtered by place.
        Index("ix_house_listing", "published", "deleted_at", "code"),
        # Covering indexes for the gallery's filter counts (GROUP BY over the visible houses);
        # with the code last they also serve a filtered listing already in code order.
        Index("ix_house_visible_county", "published", "deleted_at", "county", "code"),
        Index("ix_house_visible_township", "published", "deleted_at", "township", "code"),
        Index("ix_house_visible_style", "published", "deleted_at", "style"),
        Index("ix_house_visible_protection", "published", "deleted_at", "protection_level"),
        Index("ix_house_visible_village", "published", "deleted_at", "village", "code"),
        Index("ix_house_visible_condition", "published", "deleted_at", "condition"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    aliases: Mapped[list[str]] = mapped_column(default=list)

    province: Mapped[str | None] = mapped_column(String(100))
    city: Mapped[str | None] = mapped_column(String(100))
    county: Mapped[str | None] = mapped_column(String(100))
    township: Mapped[str | None] = mapped_column(String(100))
    village: Mapped[str | None] = mapped_column(String(100))
    address: Mapped[str | None] = mapped_column(String(500))
    lat: Mapped[float | None]
    lon: Mapped[float | None]
    # "exact" (surveyed point), "approximate" (read off a map), "photo" (taken from photo EXIF)
    location_precision: Mapped[str | None] = mapped_column(String(20))

    built_text: Mapped[str | None] = mapped_column(String(100))
    built_from: Mapped[int | None]
    built_to: Mapped[int | None]
    builder: Mapped[str | None] = mapped_column(String(300))
    family: Mapped[str | None] = mapped_column(String(50))
    destinations: Mapped[list[str]] = mapped_column(default=list)
    style: Mapped[str | None] = mapped_column(String(40))
    materials: Mapped[str | None] = mapped_column(String(300))
    storeys: Mapped[int | None]
    protection_level: Mapped[str | None] = mapped_column(String(40))
    condition: Mapped[str | None] = mapped_column(String(1))
    current_use: Mapped[str | None] = mapped_column(String(300))
    custody: Mapped[str | None] = mapped_column(String(300))
    owner: Mapped[str | None] = mapped_column(String(300))
    owner_contact: Mapped[str | None] = mapped_column(String(300))
    summary_zh: Mapped[str | None] = mapped_column(Text)
    summary_en: Mapped[str | None] = mapped_column(Text)
    history_zh: Mapped[str | None] = mapped_column(Text)
    history_en: Mapped[str | None] = mapped_column(Text)
    extra: Mapped[dict[str, Any]] = mapped_column(default=dict)

    published: Mapped[bool] = mapped_column(default=False)
    # Field visibility: owner and contact are private unless an editor opens them; the exact
    # point is public unless the house is vulnerable (then the public sees the village only).
    owner_public: Mapped[bool] = mapped_column(default=False)
    contact_public: Mapped[bool] = mapped_column(default=False)
    location_public: Mapped[bool] = mapped_column(default=True)

    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    deleted_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    photos: Mapped[list[Photo]] = relationship(back_populates="house", order_by="Photo.position")
    records: Mapped[list[Record]] = relationship(secondary="record_houses", back_populates="houses")
    roles: Mapped[list[PersonRole]] = relationship(back_populates="house", cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<House {self.code}>"
