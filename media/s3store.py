"""Originals in an S3-compatible bucket (AWS S3, MinIO, Ceph RGW, Aliyun OSS), keyed like the folder.

Keys are ``<prefix>/ab/cd/<sha256>``, the layout of ``LocalStore``, so a bucket and a folder hold
the same names and either can be copied into the other with ordinary tools.

S3 has no rename, so ``put`` learns the hash before it names anything: a real file (an original in
the local store) is hashed in place and then sent; any other stream is first spooled into a
temporary file. Every PUT carries a Content-MD5, which every one of the servers above checks on
receipt (a body damaged on the way is refused); the newer "flexible checksums" are switched off
because OSS and older Ceph and MinIO releases refuse requests that carry them. Whether the stored
bytes really hash to their name is checked by reading them back (``media.replicas``), the one test
that means the same on every server.

boto3 is imported on first use: a command that never touches a bucket does not pay for it.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import io
import re
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from media.errors import MediaError
from media.store import CHUNK_SIZE, StoredBlob, _check_expected, check_sha256

_SHA256 = re.compile(r"[0-9a-f]{64}")
# Errors that say "the server is not answering as it should", as opposed to "no such object".
UNAVAILABLE = "store_unavailable"


class S3Store:
    """A ``BlobStore`` on one bucket and key prefix; the client is made on first use (after a fork)."""

    def __init__(self, bucket: str, prefix: str = "", *, endpoint_url: str | None = None,
                 region: str | None = None, addressing_style: str | None = None,
                 temporary_dir: Path | None = None, connect_timeout: float = 5.0,
                 read_timeout: float = 60.0) -> None:
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.endpoint_url = endpoint_url or None
        self.region = region or None
        self.addressing_style = addressing_style or None
        self.temporary_dir = temporary_dir
        self._timeouts = (connect_timeout, read_timeout)
        self._client: Any = None
        self._client_lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}" if self.prefix else f"s3://{self.bucket}"

    @property
    def client(self) -> Any:
        """The boto3 client (thread-safe); credentials come from boto3's usual sources (AWS_*)."""
        with self._client_lock:
            if self._client is None:
                import boto3
                from botocore.config import Config

                config = Config(
                    connect_timeout=self._timeouts[0], read_timeout=self._timeouts[1],
                    retries={"max_attempts": 3, "mode": "standard"},
                    s3={"addressing_style": self.addressing_style} if self.addressing_style else None,
                    request_checksum_calculation="when_required",
                    response_checksum_validation="when_required",
                )
                self._client = boto3.client("s3", endpoint_url=self.endpoint_url, region_name=self.region,
                                            config=config)
            return self._client

    def key_for(self, sha256: str) -> str:
        sha256 = check_sha256(sha256)
        name = f"{sha256[:2]}/{sha256[2:4]}/{sha256}"
        return f"{self.prefix}/{name}" if self.prefix else name

    def put(self, stream: BinaryIO, *, expected_sha256: str | None = None, max_bytes: int | None = None) -> StoredBlob:
        """Store the bytes under their sha256; an object already there is left as it is (created=False)."""
        if expected_sha256 is not None:
            check_sha256(expected_sha256)
        with _hashed_body(stream, max_bytes, self.temporary_dir) as (body, sha256, md5, size):
            _check_expected(sha256, expected_sha256)
            if self.exists(sha256):
                return StoredBlob(sha256, size, created=False)
            with _translated(self):
                self.client.put_object(Bucket=self.bucket, Key=self.key_for(sha256), Body=body,
                                       ContentLength=size, ContentMD5=md5,
                                       ContentType="application/octet-stream")
        return StoredBlob(sha256, size, created=True)

    def open(self, sha256: str) -> BinaryIO:
        """A stream of the object's bytes, read from the network as it is consumed."""
        key = self.key_for(sha256)
        with _translated(self):
            try:
                answer = self.client.get_object(Bucket=self.bucket, Key=key)
            except Exception as exc:
                if _is_missing(exc):
                    raise MediaError("not_found", "No stored file has this SHA-256.") from None
                raise
        body: BinaryIO = answer["Body"]  # botocore's StreamingBody, an io.IOBase
        return body

    def local_path(self, sha256: str) -> Path | None:
        check_sha256(sha256)
        return None

    def exists(self, sha256: str) -> bool:
        key = self.key_for(sha256)
        with _translated(self):
            try:
                self.client.head_object(Bucket=self.bucket, Key=key)
            except Exception as exc:
                if _is_missing(exc):
                    return False
                raise
        return True

    def delete(self, sha256: str) -> None:
        key = self.key_for(sha256)
        with _translated(self):
            self.client.delete_object(Bucket=self.bucket, Key=key)

    def iter_hashes(self) -> Iterator[str]:
        """Every sha256 under the prefix, in sorted order (S3 lists keys in byte order)."""
        start = f"{self.prefix}/" if self.prefix else ""
        with _translated(self):
            pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=start)
            for page in pages:
                for entry in page.get("Contents", []):
                    parts = entry["Key"][len(start):].split("/")
                    if (len(parts) == 3 and _SHA256.fullmatch(parts[2]) and parts[0] == parts[2][:2]
                            and parts[1] == parts[2][2:4]):
                        yield parts[2]


@contextlib.contextmanager
def _hashed_body(stream: BinaryIO, max_bytes: int | None,
                 temporary_dir: Path | None) -> Iterator[tuple[BinaryIO, str, str, int]]:
    """(body, sha256, base64 md5, size) for one PUT; a spooled copy is removed on the way out."""
    if _is_local_file(stream):
        # An original in the local store: hash it where it lies and send the same file.
        start = stream.tell()
        sha256, md5, size = _digest(stream, None, max_bytes)
        stream.seek(start)
        yield stream, sha256, md5, size
        return
    if temporary_dir is not None:
        temporary_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryFile(prefix="s3-put-", dir=temporary_dir) as spool:
        sha256, md5, size = _digest(stream, spool, max_bytes)
        spool.seek(0)
        yield spool, sha256, md5, size


def _digest(source: BinaryIO, copy_to: BinaryIO | None, max_bytes: int | None) -> tuple[str, str, int]:
    sha, md5 = hashlib.sha256(), hashlib.md5(usedforsecurity=False)
    size = 0
    while chunk := source.read(CHUNK_SIZE):
        size += len(chunk)
        if max_bytes is not None and size > max_bytes:
            raise MediaError("too_large", f"The file is larger than {max_bytes} bytes.", {"max_bytes": max_bytes})
        sha.update(chunk)
        md5.update(chunk)
        if copy_to is not None:
            copy_to.write(chunk)
    if size == 0:
        raise MediaError("empty", "The file is empty.")
    return sha.hexdigest(), base64.b64encode(md5.digest()).decode("ascii"), size


def _is_local_file(stream: BinaryIO) -> bool:
    """A regular file opened from disk (seekable, with a descriptor), not a socket or a buffer."""
    if isinstance(stream, io.BytesIO):
        return False
    try:
        stream.fileno()
        return stream.seekable()
    except (AttributeError, OSError, ValueError):
        return False


def _is_missing(exc: Exception) -> bool:
    response = getattr(exc, "response", None)
    if not isinstance(response, dict):
        return False
    code = str(response.get("Error", {}).get("Code", ""))
    return code in {"404", "NoSuchKey", "NotFound"}


@contextlib.contextmanager
def _translated(store: S3Store) -> Iterator[None]:
    """Turn boto3's connection and server errors into MediaError("store_unavailable")."""
    try:
        yield
    except MediaError:
        raise
    except Exception as exc:
        from botocore.exceptions import BotoCoreError, ClientError

        if not isinstance(exc, ClientError | BotoCoreError):
            raise
        code = exc.response.get("Error", {}).get("Code", "") if isinstance(exc, ClientError) else ""
        raise MediaError(UNAVAILABLE, f"{store.url}: {exc}", {"store": store.url, "code": str(code)}) from exc
