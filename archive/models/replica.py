"""The replication queue: one row per original and replica, from "waiting" to "done".

A row is written in the same transaction that records the photo, so a committed photo always has
its copies queued; the copy itself runs later, outside any write transaction
(services/replication.py). Rows stay once done: ``copied_at`` is the record that this replica
holds a verified copy, and ``check`` counts the originals that have no such row.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from archive.db import Base, utcnow

WAITING = "waiting"
DONE = "done"


class ReplicaCopy(Base):
    __tablename__ = "replica_copy"
    __table_args__ = (
        UniqueConstraint("replica", "sha256", name="uq_replica_copy_replica_sha256"),
        Index("ix_replica_copy_due", "state", "next_attempt_at"),
        Index("ix_replica_copy_claim", "claim"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64))
    # The replica's name as configured (a folder's absolute path or s3://bucket/prefix).
    replica: Mapped[str] = mapped_column(String(500))
    state: Mapped[str] = mapped_column(String(10), default=WAITING)  # waiting | done
    queued_at: Mapped[datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)  # failed attempts since it was queued
    last_error: Mapped[str | None] = mapped_column(String(500))
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    # A worker copying the row holds it until claimed_until; a killed worker's claim runs out.
    claim: Mapped[str | None] = mapped_column(String(32))
    claimed_until: Mapped[datetime | None]
    copied_at: Mapped[datetime | None]  # when the copy was verified on the replica
