"""Photos: stage the bytes (store + derivatives, no database), then record the row (database only).

The split keeps file I/O out of database write transactions: on SQLite a write transaction holds
the one write lock, and holding it across a 50 ms file write cuts throughput to ~19 commits/s
(research/uploads-and-storage.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archive.db import utcnow
from archive.models import House, Photo
from archive.services import Actor, NotFound, ServiceError
from archive.services.audit import record_event
from archive.services.indexing import enqueue_house
from archive.services.replication import queue_copies
from media import NEAR_COPY_DISTANCE, BlobStore, MediaError, ProcessedImage, StoredBlob, hamming, process_original

PHOTO_FIELDS = ("caption_zh", "caption_en", "photographer", "rights", "public", "position")


@dataclass
class StagedPhoto:
    """An upload whose bytes are safely stored and whose derivatives are made; no row yet."""

    blob: StoredBlob
    processed: ProcessedImage
    original_name: str


@dataclass
class PhotoOutcome:
    photo: Photo
    near_copies: list[Photo] = field(default_factory=list)


def stage_upload(
    store: BlobStore, derivatives_dir: Path, stream: BinaryIO, original_name: str, *,
    expected_sha256: str | None = None, max_bytes: int | None = None,
) -> StagedPhoto:
    """Store the original (content-addressed, atomic) and make its derivatives.

    Raises MediaError for refused input; a refused file leaves nothing behind that it created.
    """
    blob = store.put(stream, expected_sha256=expected_sha256, max_bytes=max_bytes)
    path = store.local_path(blob.sha256)
    if path is None:  # a remote store: work on a local copy (not needed for LocalStore)
        raise MediaError("unsupported_store", "derivatives need a local copy of the original")
    try:
        processed = process_original(path, derivatives_dir, blob.sha256)
    except MediaError:
        if blob.created:
            store.delete(blob.sha256)
        raise
    return StagedPhoto(blob, processed, original_name)


def record_photo(
    db: Session, actor: Actor, house: House, staged: StagedPhoto, *, public: bool = False,
    caption_zh: str | None = None, batch_id: str | None = None, position: int | None = None,
    replicas: Sequence[str] = (),
) -> PhotoOutcome:
    """Record a staged photo; `position` (the order chosen in the upload) or after the last one.

    Copies of the original to `replicas` (their names) are queued in the same transaction.

    The same bytes twice on one house are refused (`duplicate_photo`): a second row would only be a
    copy to caption, order and delete twice. The bytes themselves are stored once whatever happens.
    """
    # Two uploads of the same file at once must not both pass the check: on PostgreSQL the house row
    # is locked until commit (SQLite's write transaction already serialises them).
    db.execute(select(House.id).where(House.id == house.id).with_for_update())
    twin = db.scalar(select(Photo).where(Photo.house_id == house.id, Photo.sha256 == staged.blob.sha256,
                                         Photo.deleted_at.is_(None)).limit(1))
    if twin is not None:
        raise ServiceError("duplicate_photo", "file", name=twin.original_name, photo_id=twin.id,
                           code=house.code)
    info = staged.processed.info
    if position is None:
        position = (db.scalar(select(func.max(Photo.position)).where(Photo.house_id == house.id)) or 0) + 1
    photo = Photo(
        house=house, sha256=staged.blob.sha256, original_name=staged.original_name, mime=info.mime,
        format=info.format, size=staged.blob.size, width=info.width, height=info.height,
        taken_at=info.exif.taken_at, lat=info.exif.lat, lon=info.exif.lon, camera=info.exif.camera,
        orientation=info.exif.orientation, phash=staged.processed.phash, damaged=info.damaged,
        damage_reason=info.damage_reason, has_derivatives=bool(staged.processed.derivatives),
        public=public, position=position, caption_zh=caption_zh, uploaded_by_id=actor.user_id,
    )
    db.add(photo)
    db.flush()
    record_event(db, actor, "upload", photo, label=staged.original_name, house_id=house.id,
                 changes={"sha256": [None, photo.sha256], "original_name": [None, photo.original_name],
                          "damaged": [None, photo.damaged]}, batch_id=batch_id)
    enqueue_house(db, house)
    queue_copies(db, photo.sha256, replicas)
    return PhotoOutcome(photo, near_copies(db, house, photo))


def get_photo(db: Session, photo_id: int) -> Photo:
    """A photo by id, in the trash or not (staff pages restore from the trash)."""
    photo = db.get(Photo, photo_id)
    if photo is None:
        raise NotFound("photo", photo_id)
    return photo


def next_position(db: Session, house: House) -> int:
    """The position after the house's last photo (1 for its first)."""
    return (db.scalar(select(func.max(Photo.position)).where(Photo.house_id == house.id)) or 0) + 1


def near_copies(db: Session, house: House, photo: Photo) -> list[Photo]:
    """Other photos of the same house that look the same (resized or re-saved copies)."""
    if not photo.phash:
        return []
    stmt = select(Photo).where(Photo.house_id == house.id, Photo.id != photo.id, Photo.deleted_at.is_(None),
                               Photo.phash.is_not(None), Photo.sha256 != photo.sha256)
    return [p for p in db.scalars(stmt) if p.phash and hamming(p.phash, photo.phash) <= NEAR_COPY_DISTANCE]


def update_photo(db: Session, actor: Actor, photo: Photo, values: dict[str, object]) -> dict[str, list[object]]:
    changes: dict[str, list[object]] = {}
    for name, value in values.items():
        if name not in PHOTO_FIELDS:
            raise ServiceError("unknown_field", name)
        if getattr(photo, name) != value:
            changes[name] = [getattr(photo, name), value]
            setattr(photo, name, value)
    if changes:
        db.flush()
        record_event(db, actor, "update", photo, label=photo.original_name, house_id=photo.house_id,
                     changes=changes)
        enqueue_house(db, photo.house)
    return changes


def set_photo_deleted(db: Session, actor: Actor, photo: Photo, deleted: bool) -> None:
    """Soft delete: the row is hidden; the bytes stay (another photo may share them, and undo needs them)."""
    if (photo.deleted_at is not None) == deleted:
        return
    photo.deleted_at = utcnow() if deleted else None
    db.flush()
    record_event(db, actor, "delete" if deleted else "restore", photo, label=photo.original_name,
                 house_id=photo.house_id, changes={"deleted": [not deleted, deleted]})
    enqueue_house(db, photo.house)


def photo_location(db: Session, house: House) -> tuple[float, float] | None:
    """Where this house's photos were taken (their median GPS), offered when the house has no point."""
    points = sorted(
        (p.lat, p.lon) for p in db.scalars(select(Photo).where(
            Photo.house_id == house.id, Photo.deleted_at.is_(None), Photo.lat.is_not(None), Photo.lon.is_not(None)))
        if p.lat is not None and p.lon is not None
    )
    if not points:
        return None
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    return lats[len(lats) // 2], lons[len(lons) // 2]
