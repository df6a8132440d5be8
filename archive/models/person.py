"""People connected to houses: builders, emigrants, owners, heirs, informants."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from archive.db import Base, utcnow

if TYPE_CHECKING:
    from archive.models.house import House


class Person(Base):
    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(200))
    # Romanised forms as used abroad, e.g. "Kwan Sung Cheong; Guan Chongchang", separated by ';'.
    names_romanised: Mapped[str | None] = mapped_column(String(500))
    destinations: Mapped[list[str]] = mapped_column(default=list)
    dates_text: Mapped[str | None] = mapped_column(String(100))
    notes: Mapped[str | None] = mapped_column(Text)
    public: Mapped[bool] = mapped_column(default=True)

    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    deleted_at: Mapped[datetime | None]

    roles: Mapped[list[PersonRole]] = relationship(back_populates="person", cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<Person {self.id} {self.name_zh}>"


class PersonRole(Base):
    __tablename__ = "person_role"
    __table_args__ = (UniqueConstraint("person_id", "house_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    house_id: Mapped[int] = mapped_column(ForeignKey("house.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(40))
    note: Mapped[str | None] = mapped_column(String(500))

    person: Mapped[Person] = relationship(back_populates="roles")
    house: Mapped[House] = relationship(back_populates="roles")
