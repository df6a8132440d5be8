"""Media: the photo pipeline of the archive, with no Flask and no database.

It takes bytes and returns files and facts: a content-addressed store for originals
(``store``), checks that refuse what must not be opened (``sniff``, ``images``), the EXIF facts
(``exif``), web derivatives and a perceptual hash made from one decode (``derivatives``,
``phash``) and display-safe original file names (``names``). Refusals are ``MediaError`` with a
stable ``code``; see ``errors.ERROR_CODES``.
"""

from typing import TYPE_CHECKING, Any

# These need no Pillow: a command that only stores or copies originals (or shows --help) loads
# no image stack.
from media.errors import ERROR_CODES, MediaError
from media.names import clean_original_name
from media.replicas import CopyResult, Replica, S3Settings, copy_to_replica, open_replica, parse_targets, stored_sha256
from media.s3store import S3Store
from media.sniff import ALLOWED_FORMATS, sniff_file, sniff_format
from media.store import BlobStore, LocalStore, MemoryStore, StoredBlob, check_sha256, file_sha256

if TYPE_CHECKING:
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
    from media.exif import ExifInfo
    from media.images import DEFAULT_LIMITS, ImageInfo, PixelLimits, inspect_image
    from media.phash import NEAR_COPY_DISTANCE, dhash, hamming

# The names whose modules import Pillow are loaded on first use (PEP 562).
_PILLOW_NAMES = {
    "media.derivatives": ("DERIVATIVE_SIZES", "DRAFT_SLACK", "JPEG_QUALITY", "Derivative", "DerivativeSize",
                          "ProcessedImage", "delete_derivatives", "derivative_path", "derivative_problem",
                          "derivative_temporary_files", "missing_derivatives", "process_original"),
    "media.exif": ("ExifInfo",),
    "media.images": ("DEFAULT_LIMITS", "ImageInfo", "PixelLimits", "inspect_image"),
    "media.phash": ("NEAR_COPY_DISTANCE", "dhash", "hamming"),
}
_LAZY = {name: module for module, names in _PILLOW_NAMES.items() for name in names}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'media' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


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
