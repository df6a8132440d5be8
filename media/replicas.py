"""Replicas: independent second copies of the originals, in another folder or an S3-compatible bucket.

A replica is a ``BlobStore`` with a stable name (the folder's absolute path, or ``s3://bucket/prefix``;
never a credential), so the archive can remember per replica which originals it holds.
``copy_to_replica`` copies one original and proves the copy by reading it back from the replica
and hashing it: a copy counts only once the replica's own bytes hash to the original's name. A
damaged copy found there (a flipped bit on the replica's disk, a cut-off object) is deleted and
written again once; a second mismatch is an error.

A folder replica is never created here: its folder must exist. A disk that is not mounted would
otherwise be "replicated to" by filling the empty mount point on the system disk.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

from media.errors import MediaError
from media.s3store import UNAVAILABLE, S3Store
from media.store import CHUNK_SIZE, BlobStore, LocalStore, StoredBlob, check_sha256

_SEPARATORS = re.compile(r"[\s,]+")


def parse_targets(value: str | Sequence[str] | None) -> list[str]:
    """The configured targets: a string separated by whitespace or commas, or a list; no duplicates."""
    if not value:
        return []
    parts = _SEPARATORS.split(value) if isinstance(value, str) else [str(part).strip() for part in value]
    seen: list[str] = []
    for part in parts:
        if part and part not in seen:
            seen.append(part)
    return seen


@dataclass(frozen=True)
class S3Settings:
    """Where and how to reach S3 buckets (from the environment; credentials are boto3's own)."""

    endpoint_url: str | None = None
    region: str | None = None
    addressing_style: str | None = None  # "path" or "virtual"; None lets botocore decide
    temporary_dir: Path | None = None  # spool for streams that are not local files


class Replica:
    """One configured replica: a name and the store behind it, with the ``BlobStore`` methods."""

    def __init__(self, name: str, store: BlobStore, *, folder: Path | None = None) -> None:
        self.name = name
        self.store = store
        self._folder = folder  # a folder replica's root, which must exist

    def __repr__(self) -> str:
        return f"Replica({self.name!r})"

    def _require_folder(self) -> None:
        if self._folder is not None and not self._folder.is_dir():
            raise MediaError(UNAVAILABLE, f"{self.name}: the replica folder does not exist (is its disk mounted?)",
                             {"store": self.name})

    def put(self, stream: BinaryIO, *, expected_sha256: str | None = None, max_bytes: int | None = None) -> StoredBlob:
        self._require_folder()
        try:
            return self.store.put(stream, expected_sha256=expected_sha256, max_bytes=max_bytes)
        except OSError as exc:  # a full or failing disk under a folder replica
            raise MediaError(UNAVAILABLE, f"{self.name}: {exc}", {"store": self.name}) from exc

    def open(self, sha256: str) -> BinaryIO:
        self._require_folder()
        return self.store.open(sha256)

    def local_path(self, sha256: str) -> Path | None:
        return self.store.local_path(sha256)

    def exists(self, sha256: str) -> bool:
        self._require_folder()
        return self.store.exists(sha256)

    def delete(self, sha256: str) -> None:
        self._require_folder()
        self.store.delete(sha256)

    def iter_hashes(self) -> Iterator[str]:
        self._require_folder()
        return self.store.iter_hashes()


def open_replica(target: str, s3: S3Settings | None = None) -> Replica:
    """The replica for one configured target: ``s3://bucket[/prefix]`` or an absolute folder path.

    ValueError (with a message for the operator) for a target that cannot be used.
    """
    if "://" in target:
        parts = urlsplit(target)
        if parts.scheme != "s3":
            raise ValueError(f"replica {target!r}: only s3:// URLs and folder paths are replicas")
        if "@" in parts.netloc or ":" in parts.netloc or not parts.netloc:
            shown = f"s3://...@{parts.netloc.rpartition('@')[2]}" if "@" in parts.netloc else target  # no secret
            raise ValueError(f"replica {shown!r}: give s3://bucket/prefix; keys belong in AWS_ACCESS_KEY_ID "
                             "and AWS_SECRET_ACCESS_KEY, the server in QIAOFANG_S3_ENDPOINT_URL")
        settings = s3 or S3Settings()
        store = S3Store(parts.netloc, parts.path.strip("/"), endpoint_url=settings.endpoint_url,
                        region=settings.region, addressing_style=settings.addressing_style,
                        temporary_dir=settings.temporary_dir)
        return Replica(store.url, store)
    path = Path(target).expanduser()
    if not path.is_absolute():
        raise ValueError(f"replica {target!r}: a replica folder must be an absolute path")
    folder = path.resolve()
    return Replica(str(folder), LocalStore(folder), folder=folder)


def stored_sha256(store: BlobStore | Replica, sha256: str) -> str | None:
    """The SHA-256 of the bytes ``store`` holds under ``sha256`` (read back in full), None if absent."""
    digest = hashlib.sha256()
    try:
        with store.open(sha256) as stream:
            while chunk := stream.read(CHUNK_SIZE):
                digest.update(chunk)
    except MediaError as exc:
        if exc.code == "not_found":
            return None
        raise
    return digest.hexdigest()


@dataclass(frozen=True)
class CopyResult:
    size: int
    replaced_damaged: bool  # the replica held a damaged copy, which was deleted and written again


def copy_to_replica(source: BlobStore, replica: Replica, sha256: str) -> CopyResult:
    """Copy one original to ``replica`` and verify it there by hash.

    MediaError codes: ``not_found`` (the source lacks it), ``source_corrupt`` (the source's bytes do
    not hash to their name; nothing is written), ``store_unavailable`` (the replica cannot be
    reached or written), ``verify_failed`` (the replica's copy still did not match after rewriting it).
    """
    sha256 = check_sha256(sha256)
    replaced = False
    for _attempt in range(2):
        with source.open(sha256) as stream:
            try:
                blob = replica.put(stream, expected_sha256=sha256)
            except MediaError as exc:
                if exc.code != "hash_mismatch":
                    raise
                raise MediaError("source_corrupt", f"the primary copy of {sha256} does not hash to its name "
                                 f"(it hashes to {exc.params.get('actual')}); run qiaofang fixity",
                                 exc.params) from exc
        actual = stored_sha256(replica, sha256)
        if actual == sha256:
            return CopyResult(blob.size, replaced)
        # What the replica holds under this name is not the original: remove it and write it again.
        replica.delete(sha256)
        replaced = True
    raise MediaError("verify_failed", f"{replica.name}: the copy of {sha256} read back with another hash "
                     f"({actual}) twice", {"store": replica.name, "actual": str(actual)})
