"""What OAI-PMH harvesters have been shown: one row per house identifier, kept after deletion.

A row is written when a house first becomes public and updated whenever the public view of it
changes (its digest differs) or it stops being public (then `deleted` is set and the datestamp
moves). Rows are keyed by the identifier (the house code), not by the house row, so a renamed or
hard-deleted house can still be reported as deleted: the protocol's `deletedRecord=persistent`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from archive.db import Base


class OaiItem(Base):
    __tablename__ = "oai_item"
    __table_args__ = (
        # Selective harvesting: by datestamp range, optionally within one set, in id order.
        Index("ix_oai_item_datestamp", "datestamp", "id"),
        Index("ix_oai_item_set", "set_spec", "datestamp", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    # Not a foreign key: the row must outlive a hard-deleted house.
    house_id: Mapped[int | None] = mapped_column(index=True)
    # County set (`county:<pinyin>`) and the county's name for the set's label; None: in no set.
    set_spec: Mapped[str | None] = mapped_column(String(120))
    set_name: Mapped[str | None] = mapped_column(String(100))
    # UTC, whole seconds: the protocol's finest granularity, so `from`/`until` compare exactly.
    datestamp: Mapped[datetime]
    deleted: Mapped[bool] = mapped_column(default=False)
    # sha256 of the public metadata last shown; "" when unknown (rows filled by the migration).
    digest: Mapped[str] = mapped_column(String(64), default="")

    def __repr__(self) -> str:
        return f"<OaiItem {self.code}{' deleted' if self.deleted else ''}>"
