"""Fixity runs and what they found: the record that every original was checked, and when.

A run is one pass of ``qiaofang fixity`` (mode ``full`` or ``quick``) or one failed check while
serving an original (mode ``read``). Each thing it met is a finding; a finding of a problem kind
(``ALARM_KINDS``) stays an open alarm on the staff dashboard until it is resolved
(``resolved_at``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from archive.db import Base, utcnow

# Kinds of finding; the first three are problems with an original: alarms, open until a later
# full run finds the original intact, a repair replaces it, or a newer finding about it supersedes it.
CHANGED = "changed"  # the bytes no longer hash to the name they are filed under (or, quick: wrong size)
MISSING = "missing"  # a photo row names a sha256 that the store does not hold
UNREADABLE = "unreadable"  # the file is there but reading it fails (I/O error, not a regular file)
UNREPAIRED = "unrepaired"  # --repair found no good copy anywhere
UNTRACKED = "untracked"  # a file in the store that no photo row uses (reported, never deleted)
NOT_REPLICATED = "not_replicated"  # an original that a configured replica does not hold yet
REPAIRED = "repaired"  # replaced by a verified copy (detail: where from)

ALARM_KINDS = (CHANGED, MISSING, UNREADABLE)
FINDING_KINDS = (CHANGED, MISSING, UNREADABLE, UNTRACKED, NOT_REPLICATED, REPAIRED, UNREPAIRED)


class FixityRun(Base):
    __tablename__ = "fixity_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    mode: Mapped[str] = mapped_column(String(10))  # full | quick | read
    repair: Mapped[bool] = mapped_column(default=False)
    originals: Mapped[int] = mapped_column(default=0)  # originals checked
    bytes_read: Mapped[int] = mapped_column(BigInteger, default=0)
    changed: Mapped[int] = mapped_column(default=0)
    missing: Mapped[int] = mapped_column(default=0)
    untracked: Mapped[int] = mapped_column(default=0)
    unreadable: Mapped[int] = mapped_column(default=0)
    not_replicated: Mapped[int] = mapped_column(default=0)
    repaired: Mapped[int] = mapped_column(default=0)
    unrepaired: Mapped[int] = mapped_column(default=0)

    findings: Mapped[list[FixityFinding]] = relationship(
        back_populates="run", cascade="all, delete-orphan", order_by="FixityFinding.id")

    @property
    def ok(self) -> bool:
        """Nothing wrong is left with the originals: every problem found was repaired."""
        found = self.changed + self.missing + self.unreadable
        return found == self.repaired and not self.unrepaired


class FixityFinding(Base):
    __tablename__ = "fixity_finding"
    __table_args__ = (
        Index("ix_fixity_finding_sha256", "sha256"),
        Index("ix_fixity_finding_open", "resolved_at", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("fixity_run.id", ondelete="CASCADE"), index=True)
    # Not always a sha256: an untracked stray file in the store is named by its path in the store.
    sha256: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    detail: Mapped[str] = mapped_column(String(500), default="")
    resolved_at: Mapped[datetime | None]

    run: Mapped[FixityRun] = relationship(back_populates="findings")
