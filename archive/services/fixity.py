"""Fixity runs: hash every original (or check its size), find what no record uses, repair from a
good copy, and record the run with its findings (NDSA levels 2-3: fixity at intervals, repair
from a verified copy).

The files are read outside any database transaction (a full run reads every byte in the store,
minutes for a large archive, and must not hold SQLite's write lock meanwhile); the run and its
findings are written in one short transaction at the end, so a killed run records nothing rather
than half a run.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from archive.db import utcnow
from archive.models import FixityFinding, FixityRun, Photo
from archive.models.fixity import ALARM_KINDS, NOT_REPLICATED, REPAIRED, UNREPAIRED, UNTRACKED
from archive.services import SYSTEM, Actor
from archive.services.audit import record_event
from archive.services.replication import not_replicated, replication_backlog
from media import BlobStore, LocalStore
from media.fixity import BUFFER_SIZE, check_blob, repair_blob, stray_files

if TYPE_CHECKING:
    from archive.state import ArchiveState

Echo = Callable[[str], None]
PROGRESS_SECONDS = 5.0


@dataclass
class Finding:
    sha256: str
    kind: str
    detail: str = ""


@dataclass
class FixityReport:
    mode: str
    repair: bool
    originals: int = 0
    bytes_read: int = 0
    seconds: float = 0.0
    findings: list[Finding] = field(default_factory=list)
    intact: list[str] = field(default_factory=list)  # sha256s found intact by this run
    overdue_replicas: list[str] = field(default_factory=list)  # replicas whose backlog is overdue
    run_id: int | None = None

    def count(self, kind: str) -> int:
        return sum(1 for f in self.findings if f.kind == kind)

    @property
    def ok(self) -> bool:
        """Nothing wrong left after repair: every bad original repaired, no replica overdue.
        Untracked files are reported but are not a failure (a stray is no loss), nor are
        originals that wait in the replication queue within their time (an upload of a minute ago)."""
        bad = sum(self.count(kind) for kind in ("changed", "missing", "unreadable"))
        return bad == self.count(REPAIRED) and not self.overdue_replicas

    def summary(self) -> str:
        verdict = ("REPAIRED" if self.count(REPAIRED) else "OK") if self.ok else "PROBLEMS"
        rate = self.bytes_read / 1e6 / self.seconds if self.seconds and self.bytes_read else 0.0
        counts = ", ".join(f"{self.count(k)} {k.replace('_', ' ')}" for k in (
            "changed", "missing", "unreadable", "untracked", NOT_REPLICATED, REPAIRED, UNREPAIRED))
        return (f"fixity ({self.mode}): {verdict}: {self.originals} originals checked, "
                f"{self.bytes_read / 1e6:.1f} MB read at {rate:.1f} MB/s; {counts}")


def tracked_originals(db: Session) -> dict[str, int]:
    """{sha256: size} of every original a photo row uses, deleted ones included: soft-deleted
    photos keep their bytes (undo needs them), so those bytes are owed the same care."""
    rows = db.execute(select(Photo.sha256, func.max(Photo.size)).group_by(Photo.sha256))
    return {sha256: int(size) for sha256, size in rows}


def repair_sources(state: ArchiveState, folders: Iterable[Path]) -> list[tuple[str, BlobStore]]:
    """Where good copies may come from: the configured replicas, then each ``--from`` folder."""
    sources: list[tuple[str, BlobStore]] = [(replica.name, replica) for replica in state.replicas]
    for folder in folders:
        sources.extend((str(root), LocalStore(root)) for root in store_folders(folder))
    return sources


def store_folders(folder: Path) -> list[Path]:
    """The store-layout folder (``ab/cd/<sha256>``) in ``folder``: a backup's ``media`` (see
    services/backup.py), or the folder itself (a folder replica, a copy of a store)."""
    return [folder / "media"] if (folder / "media").is_dir() else [folder]


def run_fixity(state: ArchiveState, *, quick: bool = False, repair: bool = False,
               sources: Sequence[tuple[str, BlobStore]] = (), echo: Echo = lambda _line: None,
               actor: Actor = SYSTEM) -> FixityReport:
    """Check every original, find untracked and unreplicated ones, repair if asked; record it all."""
    clock = time.perf_counter()
    report = FixityReport(mode="quick" if quick else "full", repair=repair)
    # The run is recorded as it starts, so a run that is killed or fails leaves its trace: a row
    # with no finished_at, which the dashboard shows as "did not finish".
    with state.transaction() as db:
        started = FixityRun(started_at=utcnow(), mode=report.mode, repair=repair)
        db.add(started)
        db.flush()
        run_id = started.id
    with state.db.session(write=False) as db:
        expected = tracked_originals(db)
    _check_originals(state.store, expected, report, quick=quick, echo=echo)
    for path in _untracked(state, expected):
        report.findings.append(Finding(path, UNTRACKED, "no photo uses this file"))
        echo(f"  untracked: {path} (no photo uses this file; left in place)")
    _not_replicated(state, report)
    if repair:
        _repair(state.store, report, sources, echo)
    report.seconds = time.perf_counter() - clock
    with state.transaction() as db:
        run = db.get(FixityRun, run_id)
        if run is None:  # removed meanwhile (a restore, a purge): record the run anew
            run = FixityRun(mode=report.mode, repair=repair)
            db.add(run)
        report.run_id = record_run(db, report, run, actor).id
    return report


def _check_originals(store: LocalStore, expected: dict[str, int], report: FixityReport, *, quick: bool,
                     echo: Echo) -> None:
    buffer = bytearray(BUFFER_SIZE)
    last = time.monotonic()
    for number, (sha256, size) in enumerate(sorted(expected.items()), 1):
        result = check_blob(store, sha256, size, quick=quick, buffer=buffer)
        report.originals += 1
        report.bytes_read += result.bytes_read
        if result.problem is None:
            report.intact.append(sha256)
        else:
            report.findings.append(Finding(sha256, result.problem, result.detail))
            echo(f"  {result.problem}: {sha256} ({result.detail})")
        if time.monotonic() - last >= PROGRESS_SECONDS:
            last = time.monotonic()
            echo(f"  {number}/{len(expected)} originals, {report.bytes_read / 1e6:.0f} MB read")


def _untracked(state: ArchiveState, expected: dict[str, int]) -> list[str]:
    """Blobs no photo row names, and files in the store under no blob name at all."""
    blobs = [sha256 for sha256 in state.store.iter_hashes() if sha256 not in expected]
    return blobs + list(stray_files(state.store))


def _not_replicated(state: ArchiveState, report: FixityReport) -> None:
    """Originals a configured replica holds no verified copy of (the replication queue's record).
    Copies still within their time in the queue are findings; an overdue backlog is a failure."""
    if not state.replicas:
        return
    with state.db.session(write=False) as db:
        backlog = replication_backlog(db, [replica.name for replica in state.replicas])
        for entry in backlog:
            status = "overdue" if entry.overdue() else "queued"
            report.findings.extend(Finding(sha256, NOT_REPLICATED, f"not on {entry.replica} ({status})")
                                   for sha256 in not_replicated(db, entry.replica))
            if entry.overdue():
                report.overdue_replicas.append(entry.describe())


def _repair(store: LocalStore, report: FixityReport, sources: Sequence[tuple[str, BlobStore]], echo: Echo) -> None:
    bad = [f for f in report.findings if f.kind in ("changed", "missing", "unreadable")]
    for finding in bad:
        outcome = repair_blob(store, finding.sha256, sources)
        tried = "; ".join(outcome.tried)
        if outcome.source is not None:
            report.findings.append(Finding(finding.sha256, REPAIRED, f"from {outcome.source}"))
            echo(f"  repaired: {finding.sha256} from {outcome.source}")
        else:
            why = tried or "no repair source (configure replicas or give --from DIR)"
            report.findings.append(Finding(finding.sha256, UNREPAIRED, why))
            echo(f"  NOT repaired: {finding.sha256}: {why}")


def record_run(db: Session, report: FixityReport, run: FixityRun, actor: Actor) -> FixityRun:
    """The run's outcome and findings; earlier alarms about originals found intact or repaired close."""
    counts = {kind: report.count(kind) for kind in (
        "changed", "missing", "untracked", "unreadable", NOT_REPLICATED, REPAIRED, UNREPAIRED)}
    for kind, count in counts.items():
        setattr(run, kind, count)
    run.finished_at = utcnow()
    run.originals = report.originals
    run.bytes_read = report.bytes_read
    now = utcnow()
    repaired = {f.sha256 for f in report.findings if f.kind == REPAIRED}
    # A quick run sees sizes only: it may not clear an alarm about changed bytes.
    clears = set(report.intact) if report.mode == "full" else set()
    # A new finding about an original supersedes the older open one: one open alarm per original.
    found = {f.sha256 for f in report.findings if f.kind in ALARM_KINDS}
    _resolve_alarms(db, clears | repaired | found, now)
    for finding in report.findings:
        resolved = now if finding.kind in ALARM_KINDS and finding.sha256 in repaired else None
        run.findings.append(FixityFinding(sha256=finding.sha256, kind=finding.kind,
                                          detail=finding.detail[:500], resolved_at=resolved))
    db.flush()
    if repaired:
        record_event(db, actor, "repair", run, label=f"fixity run {run.id}: {len(repaired)} originals repaired",
                     house_id=None, changes={"repaired": [None, sorted(repaired)]})
    return run


def _resolve_alarms(db: Session, hashes: set[str], now: Any) -> None:
    for chunk in _chunks(sorted(hashes), 500):
        db.execute(update(FixityFinding)
                   .where(FixityFinding.sha256.in_(chunk), FixityFinding.resolved_at.is_(None),
                          FixityFinding.kind.in_(ALARM_KINDS))
                   .values(resolved_at=now))


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def record_read_alarm(db: Session, sha256: str, kind: str, detail: str) -> bool:
    """An original failed its check while being served: record it as a one-finding ``read`` run,
    unless the same alarm is already open (a page reloaded ten times is one alarm, not ten).
    Returns whether a new alarm was recorded."""
    already = db.scalar(select(FixityFinding.id).where(
        FixityFinding.sha256 == sha256, FixityFinding.kind == kind, FixityFinding.resolved_at.is_(None)).limit(1))
    if already is not None:
        return False
    now = utcnow()
    run = FixityRun(started_at=now, finished_at=now, mode="read", originals=1,
                    **{name: int(name == kind) for name in ("changed", "missing", "unreadable")})
    run.findings.append(FixityFinding(sha256=sha256, kind=kind, detail=detail[:500]))
    db.add(run)
    db.flush()
    return True


@dataclass(frozen=True)
class FixityStatus:
    last_run: FixityRun | None
    alarms: list[FixityFinding]
    open_alarms: int


def fixity_status(db: Session, *, limit: int = 10) -> FixityStatus:
    """For the staff dashboard: the last scheduled run, and the open alarms (newest first)."""
    last = db.scalar(select(FixityRun).where(FixityRun.mode != "read").order_by(FixityRun.id.desc()).limit(1))
    is_open = (FixityFinding.resolved_at.is_(None), FixityFinding.kind.in_(ALARM_KINDS))
    alarms = list(db.scalars(select(FixityFinding).where(*is_open).order_by(FixityFinding.id.desc()).limit(limit)))
    total = db.scalar(select(func.count()).select_from(FixityFinding).where(*is_open)) or 0
    return FixityStatus(last, alarms, int(total))
