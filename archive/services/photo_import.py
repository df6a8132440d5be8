"""Importing a folder of photos: match files to houses, store and derive in parallel, record rows.

The heavy part (hashing, storing the original, decoding once for derivatives) runs in worker
processes and touches no database; the main process then records the rows in short write
transactions, so the import runs at the derivative pipeline's speed on every core.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.models import House, ImportBatch, ImportChange, Photo
from archive.services import Actor, ServiceError
from archive.services.imports import RowPlan, new_batch
from archive.services.photos import StagedPhoto, record_photo, stage_upload
from archive.services.workers import run_in_workers
from importers.photos import PhotoFile, PhotoScan, scan_photo_folder
from media import LocalStore, MediaError, file_sha256

if TYPE_CHECKING:
    from archive.state import ArchiveState

CHUNK = 100  # rows per write transaction: short locks, few commits

_known: frozenset[str] = frozenset()
_store_root = _derivatives = Path()


@dataclass
class StageResult:
    photo: PhotoFile
    sha256: str | None = None
    staged: StagedPhoto | None = None
    refused: str | None = None  # MediaError code (or unknown_house); said by archive.messages.refusal_message
    message: str | None = None
    params: dict[str, str | int] = field(default_factory=dict)


@dataclass
class PhotoImport:
    scan: PhotoScan
    plans: list[RowPlan] = field(default_factory=list)
    refused: list[StageResult] = field(default_factory=list)
    batch_id: str | None = None

    def count(self, action: str) -> int:
        return sum(1 for p in self.plans if p.action == action)


def _init_worker(store_root: Path, derivatives: Path, known: frozenset[str]) -> None:
    global _known, _store_root, _derivatives  # per-process worker state, set once by the pool initializer
    _known, _store_root, _derivatives = known, store_root, derivatives


def _stage(photo: PhotoFile) -> StageResult:
    """Worker: skip bytes the archive already has; otherwise store the original and make derivatives."""
    sha256 = file_sha256(photo.path)
    if sha256 in _known:
        return StageResult(photo, sha256)
    try:
        with open(photo.path, "rb") as fh:
            staged = stage_upload(LocalStore(_store_root), _derivatives, fh, photo.original_name,
                                  expected_sha256=sha256)
    except MediaError as exc:
        return StageResult(photo, sha256, refused=exc.code, message=exc.message, params=dict(exc.params))
    return StageResult(photo, sha256, staged)


def _stage_all(state: ArchiveState, photos: list[PhotoFile], known: frozenset[str],
               workers: int | None) -> Iterator[StageResult]:
    args = (Path(state.store.root), state.derivatives_dir, known)
    yield from run_in_workers(_stage, photos, workers=workers, initializer=_init_worker, initargs=args, chunksize=4)


def scan_folder(state: ArchiveState, root: Path) -> PhotoScan:
    with state.db.session(write=False) as db:
        codes = list(db.scalars(select(House.code).where(House.deleted_at.is_(None))))
    return scan_photo_folder(root, codes)


def import_photo_folder(
    state: ArchiveState, actor: Actor, root: Path, *, dry_run: bool = False, public: bool = False,
    workers: int | None = None, progress: Callable[[int], None] | None = None,
) -> PhotoImport:
    scan = scan_folder(state, root)
    outcome = PhotoImport(scan)
    with state.db.session(write=False) as db:
        known = frozenset(db.scalars(select(Photo.sha256).where(Photo.deleted_at.is_(None))))
    if dry_run:
        seen: set[str] = set(known)
        for photo in scan.photos:
            sha256 = file_sha256(photo.path)
            action = "skipped" if sha256 in seen else "created"
            seen.add(sha256)
            outcome.plans.append(RowPlan("photo", None, _shown(scan, photo), action))
            if progress:
                progress(1)
        return outcome
    pending: list[StageResult] = []
    seen = set(known)
    for result in _stage_all(state, scan.photos, known, workers):
        if progress:
            progress(1)
        if result.refused:
            outcome.refused.append(result)
        elif result.staged is None or result.sha256 in seen:
            outcome.plans.append(RowPlan("photo", None, _shown(scan, result.photo), "skipped"))
        else:
            seen.add(result.sha256 or "")
            pending.append(result)
        if len(pending) >= CHUNK:
            _record(state, actor, outcome, pending, public)
            pending = []
    if pending:
        _record(state, actor, outcome, pending, public)
    if outcome.batch_id is not None:
        with state.transaction() as db:
            _summarise(db, outcome)
    return outcome


def _summarise(db: Session, outcome: PhotoImport) -> None:
    """The batch's result as the imports list shows it: photos added, skipped, refused."""
    batch = db.get(ImportBatch, outcome.batch_id)
    if batch is not None:
        summary = {"created": outcome.count("created"), "skipped": outcome.count("skipped")}
        if outcome.refused:
            summary["refused"] = len(outcome.refused)
        batch.summary = summary


def _record(state: ArchiveState, actor: Actor, outcome: PhotoImport, results: list[StageResult],
            public: bool) -> None:
    with state.transaction() as db:
        if outcome.batch_id is None:
            outcome.batch_id = new_batch(db, actor, "photos", str(outcome.scan.root)).id
        for result in results:
            assert result.staged is not None
            house = db.scalar(select(House).where(House.code == result.photo.house_code))
            if house is None:  # deleted while the import ran
                outcome.refused.append(StageResult(result.photo, result.sha256, refused="unknown_house",
                                                       params={"code": result.photo.house_code}))
                continue
            try:
                recorded = record_photo(db, actor, house, result.staged, public=public, batch_id=outcome.batch_id,
                                        replicas=[replica.name for replica in state.replicas])
            except ServiceError:  # duplicate_photo: this house got these bytes since the scan
                outcome.plans.append(RowPlan("photo", None, _shown(outcome.scan, result.photo), "skipped"))
                continue
            db.add(ImportChange(batch_id=outcome.batch_id, entity_type="photo", entity_id=recorded.photo.id,
                                action="created"))
            outcome.plans.append(RowPlan("photo", None, _shown(outcome.scan, result.photo), "created"))


def _shown(scan: PhotoScan, photo: PhotoFile) -> str:
    return f"{photo.house_code}: {photo.path.relative_to(scan.root).as_posix()}"
