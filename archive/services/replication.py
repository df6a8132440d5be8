"""Replication: queue a copy of each new original for every replica, copy and verify it later.

The queue row is written in the transaction that records the photo (``queue_copies``), so no
committed photo lacks its queued copies. The copy runs afterwards, outside any write transaction
(file and network I/O while holding SQLite's write lock would stall every other writer, see
research/uploads-and-storage.md): ``drain_replication`` claims a few rows in a short transaction,
copies and verifies each one (``media.copy_to_replica``: read back from the replica and hashed),
and records the outcome in another short transaction. A replica that is down never fails an
upload: its rows stay waiting and are retried with growing pauses, by the serving process's
background thread (``BackgroundReplicator``) and by ``qiaofang replicate`` (cron).

Claims make several processes (gunicorn workers, a cron run) safe together: a row is copied by
the one process whose UPDATE took it; a process killed mid-copy loses its claim after
``CLAIM_SECONDS`` and the row is copied again (the copy is idempotent).
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import case, delete, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from archive.db import utcnow
from archive.models import Photo
from archive.models.replica import DONE, WAITING, ReplicaCopy
from archive.services import SYSTEM
from archive.services.audit import record_event
from archive.services.background import PollingThread
from media import MediaError, Replica, copy_to_replica
from media.s3store import UNAVAILABLE

if TYPE_CHECKING:
    from archive.state import ArchiveState

logger = logging.getLogger(__name__)

RETRY_FIRST_SECONDS = 30  # then doubled after every failure of the same copy...
RETRY_MAX_SECONDS = 3600  # ...up to an hour
CLAIM_SECONDS = 600  # far above one copy of a 100 MB original to a slow bucket
CLAIM_BATCH = 20
# A copy still waiting after this long, or an original never queued, makes `check` fail.
OVERDUE_AFTER = timedelta(minutes=15)

Echo = Callable[[str], None]


# Queueing -------------------------------------------------------------------------------------


def _insert(db: Session, rows: list[dict[str, Any]]) -> Any:
    """INSERT ... ON CONFLICT for the two databases the archive runs on."""
    dialect = postgresql if db.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(ReplicaCopy).values(rows)


def queue_copies(db: Session, sha256: str, replicas: Sequence[str]) -> None:
    """Queue one original for every replica not already holding or waiting for it (in the caller's
    transaction). ON CONFLICT DO NOTHING: two uploads of the same bytes at once queue it once."""
    if not replicas:
        return
    now = utcnow()
    rows = [{"sha256": sha256, "replica": name, "state": WAITING, "queued_at": now, "attempts": 0,
             "next_attempt_at": now} for name in replicas]
    db.execute(_insert(db, rows).on_conflict_do_nothing(index_elements=["replica", "sha256"]))
    db.info["replicas_dirty"] = True


def queue_missing(state: ArchiveState, replica: Replica) -> int:
    """Queue every original the replica does not hold with a verified copy (``replicate --all``):
    originals from before it was configured, and copies it lost since. Returns how many."""
    present = set(replica.iter_hashes())  # one listing, before any transaction
    with state.db.session(write=False) as db:
        wanted = set(db.scalars(select(Photo.sha256).distinct()))
        done = set(db.scalars(select(ReplicaCopy.sha256).where(ReplicaCopy.replica == replica.name,
                                                                ReplicaCopy.state == DONE)))
    missing = sorted(sha for sha in wanted if sha not in done or sha not in present)
    now = utcnow()
    for start in range(0, len(missing), 500):
        rows = [{"sha256": sha, "replica": replica.name, "state": WAITING, "queued_at": now, "attempts": 0,
                 "next_attempt_at": now} for sha in missing[start:start + 500]]
        with state.transaction() as db:
            statement = _insert(db, rows)
            db.execute(statement.on_conflict_do_update(
                index_elements=["replica", "sha256"],
                set_={"state": WAITING, "next_attempt_at": now, "copied_at": None}))
    return len(missing)


# Copying --------------------------------------------------------------------------------------


@dataclass
class DrainOutcome:
    copied: int = 0
    failed: int = 0
    replaced: int = 0  # damaged copies found on a replica and written again
    dropped: int = 0  # queued originals that no photo uses any more and the store no longer has
    errors: list[str] = field(default_factory=list)
    down: set[str] = field(default_factory=set)  # replicas found unreachable in this pass


def retry_delay(attempts: int) -> timedelta:
    return timedelta(seconds=min(RETRY_MAX_SECONDS, RETRY_FIRST_SECONDS * 2 ** max(0, attempts - 1)))


def _claimable(now: datetime) -> Any:
    return or_(ReplicaCopy.claim.is_(None), ReplicaCopy.claimed_until < now)


def _due(state: ArchiveState, names: list[str], force: bool) -> list[tuple[int, str]]:
    """(id, replica) of the rows to copy now, oldest due first."""
    now = utcnow()
    stmt = select(ReplicaCopy.id, ReplicaCopy.replica).where(
        ReplicaCopy.state == WAITING, ReplicaCopy.replica.in_(names), _claimable(now))
    if not force:
        stmt = stmt.where(ReplicaCopy.next_attempt_at <= now)
    with state.db.session(write=False) as db:
        return [(row.id, row.replica) for row in db.execute(stmt.order_by(ReplicaCopy.next_attempt_at,
                                                                           ReplicaCopy.id))]


def _claim(state: ArchiveState, ids: list[int]) -> list[tuple[int, str, str]]:
    """Take these rows for this process (those another process took meanwhile are left out)."""
    token, now = uuid.uuid4().hex, utcnow()
    with state.transaction() as db:
        db.execute(update(ReplicaCopy)
                   .where(ReplicaCopy.id.in_(ids), ReplicaCopy.state == WAITING, _claimable(now))
                   .values(claim=token, claimed_until=now + timedelta(seconds=CLAIM_SECONDS)))
        rows = db.execute(select(ReplicaCopy.id, ReplicaCopy.sha256, ReplicaCopy.replica)
                          .where(ReplicaCopy.claim == token).order_by(ReplicaCopy.id))
        return [(row.id, row.sha256, row.replica) for row in rows]


def _release(state: ArchiveState, row_ids: list[int]) -> None:
    """Give claimed rows back untouched (their replica is down: a later pass tries them)."""
    if row_ids:
        with state.transaction() as db:
            db.execute(update(ReplicaCopy).where(ReplicaCopy.id.in_(row_ids)).values(claim=None, claimed_until=None))


def _copy_one(state: ArchiveState, replica: Replica, row_id: int, sha256: str, outcome: DrainOutcome) -> bool:
    """Copy and verify one queued original; record the outcome. False when the replica is down."""
    try:
        result = copy_to_replica(state.store, replica, sha256)
    except Exception as exc:  # any failure leaves the row waiting; the thread must not die
        return _failed(state, replica, row_id, sha256, exc, outcome)
    with state.transaction() as db:
        row = db.get(ReplicaCopy, row_id)
        if row is not None:
            row.state, row.copied_at, row.last_error, row.claim, row.claimed_until = DONE, utcnow(), None, None, None
            if result.replaced_damaged:  # the replica's bytes under this name changed: say so in the audit
                db.flush()
                record_event(db, SYSTEM, "replica_rewrite", row, label=f"{replica.name}: {sha256}", house_id=None,
                             changes={"copy": ["damaged", "verified"]})
    if result.replaced_damaged:
        outcome.replaced += 1
        logger.warning("replica %s: a damaged copy of %s was found and written again", replica.name, sha256)
    outcome.copied += 1
    return True


def _failed(state: ArchiveState, replica: Replica, row_id: int, sha256: str, exc: Exception,
            outcome: DrainOutcome) -> bool:
    """Record a failed copy (retried later, after a longer pause each time); False if the replica is down."""
    code = exc.code if isinstance(exc, MediaError) else "error"
    message = exc.message if isinstance(exc, MediaError) else f"{type(exc).__name__}: {exc}"
    if code == "not_found":
        with state.db.session(write=False) as db:
            used = db.scalar(select(Photo.id).where(Photo.sha256 == sha256).limit(1))
        if used is None:  # an undone import took the photo and its bytes: nothing to copy
            with state.transaction() as db:
                db.execute(delete(ReplicaCopy).where(ReplicaCopy.id == row_id))
            outcome.dropped += 1
            return True
        message = f"the original {sha256} is missing from the media store (see qiaofang fixity)"
    with state.transaction() as db:
        attempts = (db.scalar(select(ReplicaCopy.attempts).where(ReplicaCopy.id == row_id)) or 0) + 1
        db.execute(update(ReplicaCopy).where(ReplicaCopy.id == row_id).values(
            attempts=attempts, last_error=message[:500], next_attempt_at=utcnow() + retry_delay(attempts),
            claim=None, claimed_until=None))
    outcome.failed += 1
    outcome.errors.append(f"{replica.name}: {sha256}: {message}")
    logger.warning("replica %s: copying %s failed: %s", replica.name, sha256, message)
    return code != UNAVAILABLE


def _chunks(items: list[tuple[int, str]], size: int, down: set[str]) -> Iterator[list[int]]:
    """Ids in groups of ``size``, leaving out the replicas found down meanwhile (not even claimed)."""
    for start in range(0, len(items), size):
        ids = [row_id for row_id, name in items[start:start + size] if name not in down]
        if ids:
            yield ids


def drain_replication(state: ArchiveState, *, force: bool = False, progress: Echo | None = None,
                      skip: Collection[str] = ()) -> DrainOutcome:
    """Copy what is due (with ``force``, every waiting copy, pauses ignored) to the replicas,
    except those named in ``skip``.

    After a replica fails as unreachable, its other rows are left for a later pass instead of
    each waiting for the same timeout: while it is down, a pass costs one attempt per replica.
    """
    outcome = DrainOutcome()
    replicas = {replica.name: replica for replica in state.replicas if replica.name not in skip}
    if not replicas:
        return outcome
    for chunk in _chunks(_due(state, list(replicas), force), CLAIM_BATCH, outcome.down):
        untried = []
        for row_id, sha256, name in _claim(state, chunk):
            if name in outcome.down:
                untried.append(row_id)
            elif not _copy_one(state, replicas[name], row_id, sha256, outcome):
                outcome.down.add(name)
        _release(state, untried)
        if progress and outcome.copied:
            progress(f"  {outcome.copied} copied")
    return outcome


class BackgroundReplicator(PollingThread):
    """One thread per serving process that copies queued originals to the replicas.

    Uploads only wake it after their commit, so a slow or unreachable replica never holds an
    upload up. It also wakes every ``POLL_SECONDS`` for retries that came due and for copies
    queued by other processes (a folder import from the command line). Copies it has not made
    when the state is closed stay queued.
    """

    NAME = "replicator"
    POLL_SECONDS = 30.0

    def __init__(self, state: ArchiveState) -> None:
        super().__init__()
        self.state = state

    def notify(self) -> None:
        if self.state.replicas:
            super().notify()

    def _run(self) -> None:
        # A replica found down is left alone until the next poll, however many uploads wake the
        # thread meanwhile: during an outage each process tries it once per POLL_SECONDS.
        down_until: dict[str, float] = {}
        while not self.stopped:
            try:
                while True:
                    now = time.monotonic()
                    outcome = drain_replication(self.state, skip={n for n, t in down_until.items() if t > now})
                    down_until.update(dict.fromkeys(outcome.down, now + self.POLL_SECONDS))
                    if not outcome.copied or self.stopped:
                        break
            except Exception:
                logger.exception("replication pass failed; the queue keeps the copies")
            self._wake.wait(self.POLL_SECONDS)
            self._wake.clear()


# Reporting ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReplicaBacklog:
    """What one replica does not hold yet (with a verified copy)."""

    replica: str
    not_replicated: int  # originals in use without a verified copy on this replica
    waiting: int  # of those, queued
    failing: int  # queued ones whose last attempt failed
    oldest_waiting: datetime | None
    last_error: str | None

    @property
    def unqueued(self) -> int:
        return max(0, self.not_replicated - self.waiting)

    def overdue(self, now: datetime | None = None) -> bool:
        """Never queued (needs ``replicate --all``), or waiting longer than OVERDUE_AFTER."""
        if self.unqueued:
            return True
        oldest = _aware(self.oldest_waiting)
        return oldest is not None and (now or utcnow()) - oldest > OVERDUE_AFTER

    def describe(self) -> str:
        parts = [f"replica {self.replica}: {self.not_replicated} originals not yet replicated"]
        if self.waiting:
            oldest = _aware(self.oldest_waiting)
            since = oldest.strftime("%Y-%m-%d %H:%M:%S UTC") if oldest else "?"
            parts.append(f"{self.waiting} queued, oldest waiting since {since}, {self.failing} failing")
        if self.unqueued:
            parts.append(f"{self.unqueued} never queued (qiaofang replicate --all)")
        if self.last_error:
            parts.append(f"last error: {self.last_error}")
        return "; ".join(parts)


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite hands timezone-aware columns back naive; they were written in UTC."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


def replication_backlog(db: Session, replicas: Sequence[str]) -> list[ReplicaBacklog]:
    """Per configured replica name: what it does not hold yet; an empty list without replicas."""
    in_use = select(Photo.sha256)
    backlog = []
    for name in replicas:
        done = select(ReplicaCopy.sha256).where(ReplicaCopy.replica == name, ReplicaCopy.state == DONE)
        missing = db.scalar(select(func.count(func.distinct(Photo.sha256))).where(Photo.sha256.not_in(done))) or 0
        waiting_rows = (ReplicaCopy.replica == name, ReplicaCopy.state == WAITING, ReplicaCopy.sha256.in_(in_use))
        waiting, failing, oldest = db.execute(select(
            func.count(ReplicaCopy.id), func.coalesce(func.sum(case((ReplicaCopy.attempts > 0, 1), else_=0)), 0),
            func.min(ReplicaCopy.queued_at)).where(*waiting_rows)).one()
        last_error = db.scalar(select(ReplicaCopy.last_error).where(*waiting_rows, ReplicaCopy.last_error.is_not(None))
                               .order_by(ReplicaCopy.next_attempt_at.desc()).limit(1))
        backlog.append(ReplicaBacklog(name, int(missing), int(waiting), int(failing), oldest, last_error))
    return backlog


def not_replicated(db: Session, replica: str) -> list[str]:
    """The originals in use that this replica holds no verified copy of, sorted."""
    done = select(ReplicaCopy.sha256).where(ReplicaCopy.replica == replica, ReplicaCopy.state == DONE)
    return sorted(set(db.scalars(select(Photo.sha256).where(Photo.sha256.not_in(done)))))


def check_replication(state: ArchiveState, echo: Echo) -> list[str]:
    """``check``'s part: each replica's backlog is said; the overdue ones are returned as problems."""
    if not state.replicas:
        return []
    with state.db.session(write=False) as db:
        backlog = replication_backlog(db, [replica.name for replica in state.replicas])
    problems = []
    for entry in backlog:
        if not entry.not_replicated:
            echo(f"  replica {entry.replica}: every original replicated and verified")
        elif entry.overdue():
            problems.append(entry.describe())
        else:
            echo(f"  {entry.describe()} (copying)")
    return problems
