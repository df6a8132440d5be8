"""Matching the files of a photo folder to houses by code; the archive does everything else.

A photo belongs to the house whose code starts its file name (`ZS-NQ-ML-001_front.jpg`,
`ZS-NQ-ML-001 正门.jpg`, `ZS-NQ-ML-001.jpg`) or names a folder on its path, nearest folder first
(`ZS-NQ-ML-001/正门.jpg`, `ZS-NQ-ML-001 李氏洋楼/正门.jpg`; the scanned folder itself counts). The
file name wins over folders. A code must end at a character that is not an ASCII letter or digit,
so `ZS-NQ-ML-0011.jpg` is not house `ZS-NQ-ML-001`; codes match without regard to case, and the
longest known code wins. Files that match no house are reported, never guessed.

Skipped and reported: files that are not images by extension, empty (zero-byte) files, symbolic
links (they may point anywhere), unreadable files, and names that are not valid Unicode (a
GBK-encoded name unpacked by an old zip tool). Ignored silently: hidden files and folders,
`.DS_Store`, `Thumbs.db`, `desktop.ini`, and the `__MACOSX` / `@eaDir` debris of zip tools and NAS.
Hashing, duplicate detection, EXIF and derivatives belong to `media` and the archive.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from importers.problems import Problem, UnreadableFile, error, warning

IMAGE_EXTENSIONS = frozenset(
    {".jpg", ".jpeg", ".jpe", ".png", ".tif", ".tiff", ".heic", ".heif", ".webp", ".gif", ".bmp"}
)
IGNORED_FILES = frozenset({".ds_store", "thumbs.db", "desktop.ini", "ehthumbs.db"})
IGNORED_FOLDERS = frozenset({"__macosx", "@eadir", "$recycle.bin", "system volume information"})

SkipReason = Literal["not_image", "empty", "symlink", "unreadable", "bad_name"]
_SKIP_SEVERITY: dict[SkipReason, Literal["error", "warning"]] = {
    "not_image": "warning",
    "symlink": "warning",
    "empty": "error",  # a zero-byte photo is a failed copy: the real one is missing
    "unreadable": "error",
    "bad_name": "error",  # a name in a legacy encoding (GBK from a zip tool) cannot be stored
}


@dataclass(frozen=True, slots=True)
class PhotoFile:
    """A photo and the house it belongs to (`house_code` spelt as in `known_codes`)."""

    house_code: str
    path: Path
    original_name: str
    matched_by: Literal["file_name", "folder"]


@dataclass(frozen=True, slots=True)
class SkippedFile:
    path: Path
    reason: SkipReason


@dataclass(slots=True)
class PhotoScan:
    """What a folder holds: photos matched to houses, photos matched to none, files skipped."""

    root: Path
    photos: list[PhotoFile] = field(default_factory=list)
    unmatched: list[Path] = field(default_factory=list)
    skipped: list[SkippedFile] = field(default_factory=list)
    ignored: list[Path] = field(default_factory=list)

    @property
    def problems(self) -> list[Problem]:
        """Unmatched photos (errors) and skipped files, for `render`; `path` is relative to root."""
        found = [error("photo.unmatched", path=self._shown(p)) for p in self.unmatched]
        for skipped in self.skipped:
            make = error if _SKIP_SEVERITY[skipped.reason] == "error" else warning
            found.append(make(f"photo.{skipped.reason}", path=self._shown(skipped.path)))
        return found

    def _shown(self, path: Path) -> str:
        shown = path.relative_to(self.root).as_posix()
        return shown.encode("utf-8", "replace").decode("utf-8")


def scan_photo_folder(root: Path, known_codes: Collection[str]) -> PhotoScan:
    """Walk `root` (recursively, in name order) and sort its files as described above.

    Raises `UnreadableFile` when `root` is not a folder.
    """
    if not root.is_dir():
        raise UnreadableFile(error("file.unreadable", detail=f"{root} is not a folder"))
    index = {code.casefold(): code for code in known_codes}
    scan = PhotoScan(root)
    for path, is_link in _walk(root, scan):
        reason = _skip_reason(path, is_link)
        if reason is not None:
            scan.skipped.append(SkippedFile(path, reason))
            continue
        match = _match(path, root, index)
        if match is None:
            scan.unmatched.append(path)
        else:
            code, how = match
            scan.photos.append(PhotoFile(code, path, path.name, how))
    return scan


def code_prefix(name: str, index: dict[str, str]) -> str | None:
    """The longest known code that starts `name` and ends at a non-alphanumeric ASCII boundary."""
    folded = name.casefold()
    for end in range(len(folded), 0, -1):
        if end < len(folded) and folded[end].isascii() and folded[end].isalnum():
            continue
        code = index.get(folded[:end])
        if code is not None:
            return code
    return None


def _walk(folder: Path, scan: PhotoScan) -> Iterator[tuple[Path, bool]]:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        scan.skipped.append(SkippedFile(folder, "unreadable"))
        return
    for entry in entries:
        path = Path(entry.path)
        if _is_ignored(entry.name):
            scan.ignored.append(path)
        elif entry.is_dir(follow_symlinks=False):
            yield from _walk(path, scan)
        else:
            yield path, entry.is_symlink()


def _is_ignored(name: str) -> bool:
    folded = name.casefold()
    return name.startswith(".") or folded in IGNORED_FILES or folded in IGNORED_FOLDERS


def _skip_reason(path: Path, is_link: bool) -> SkipReason | None:
    if is_link:
        return "symlink"
    try:
        path.name.encode("utf-8")
    except UnicodeEncodeError:
        return "bad_name"
    if path.suffix.casefold() not in IMAGE_EXTENSIONS:
        return "not_image"
    try:
        size = path.stat().st_size
    except OSError:
        return "unreadable"
    if size == 0:
        return "empty"
    if not os.access(path, os.R_OK):
        return "unreadable"
    return None


def _match(path: Path, root: Path, index: dict[str, str]) -> tuple[str, Literal["file_name", "folder"]] | None:
    code = code_prefix(path.stem, index)
    if code is not None:
        return code, "file_name"
    folders = [root.name, *path.relative_to(root).parent.parts]
    for folder in reversed(folders):  # nearest folder first
        code = code_prefix(folder, index)
        if code is not None:
            return code, "folder"
    return None
