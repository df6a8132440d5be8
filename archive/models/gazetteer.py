"""The gazetteer: every place and destination in the data with its 简体, 繁體 and English names."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from archive.db import Base, utcnow

# What a name is: the house address levels, and the overseas destinations of houses and people.
PLACE_KINDS = ("province", "city", "county", "township", "village", "country", "destination")
# Where the English (and 繁體) forms came from; a refresh rewrites only "generated" rows.
SOURCES = ("generated", "established", "staff")


class PlaceName(Base):
    __tablename__ = "place_name"
    __table_args__ = (UniqueConstraint("kind", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    # The name exactly as the catalogue stores it (简体 as surveyed): the key, and the value in URLs.
    name: Mapped[str] = mapped_column(String(200))
    zh_hant: Mapped[str] = mapped_column(String(200))
    en: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(20), default="generated")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by: Mapped[str | None] = mapped_column(String(100))

    def label(self, locale: str) -> str:
        if locale.startswith("zh_Hant"):
            return self.zh_hant or self.name
        if locale.startswith("zh"):
            return self.name
        return self.en or self.name

    def __repr__(self) -> str:
        return f"<PlaceName {self.kind} {self.name} {self.en}>"
