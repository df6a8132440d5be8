"""Media: the photo pipeline of the archive, with no Flask and no database.

It takes bytes and returns files and facts: a content-addressed store for originals
(``store``), checks that refuse what must not be opened (``sniff``, ``images``), the EXIF facts
(``exif``), web derivatives and a perceptual hash made from one decode (``derivatives``,
``phash``) and display-safe original file names (``names``). Refusals are ``MediaError`` with a
stable ``code``; see ``errors.ERROR_CODES``.
"""

from media.derivatives import (
    DERIVATIVE_SIZES,
    DRAFT_SLACK,
    JPEG_QUALITY,
    Derivative,
    DerivativeSize,
    ProcessedImage,
    delete_derivatives,
    derivative_path,
    derivative_problem,
    derivative_temporary_files,
    missing_derivatives,
    process_original,
)
from media.errors import ERROR_CODES, MediaError
from media.exif import ExifInfo
from media.images import DEFAULT_LIMITS, ImageInfo, PixelLimits, inspect_image
from media.names import clean_original_name
from media.phash import NEAR_COPY_DISTANCE, dhash, hamming
from media.replicas import CopyResult, Replica, S3Settings, copy_to_replica, open_replica, parse_targets, stored_sha256
from media.s3store import S3Store
from media.sniff import ALLOWED_FORMATS, sniff_file, sniff_format
from media.store import BlobStore, LocalStore, MemoryStore, StoredBlob, check_sha256, file_sha256

__all__ = [
    "ALLOWED_FORMATS",
    "DEFAULT_LIMITS",
    "DERIVATIVE_SIZES",
    "DRAFT_SLACK",
    "ERROR_CODES",
    "JPEG_QUALITY",
    "NEAR_COPY_DISTANCE",
    "BlobStore",
    "CopyResult",
    "Derivative",
    "DerivativeSize",
    "ExifInfo",
    "ImageInfo",
    "LocalStore",
    "MediaError",
    "MemoryStore",
    "PixelLimits",
    "ProcessedImage",
    "Replica",
    "S3Settings",
    "S3Store",
    "StoredBlob",
    "check_sha256",
    "clean_original_name",
    "copy_to_replica",
    "delete_derivatives",
    "derivative_path",
    "derivative_problem",
    "derivative_temporary_files",
    "dhash",
    "file_sha256",
    "hamming",
    "inspect_image",
    "missing_derivatives",
    "open_replica",
    "parse_targets",
    "process_original",
    "sniff_file",
    "sniff_format",
    "stored_sha256",
]
