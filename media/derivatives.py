"""The web-sized copies of an original: a square thumbnail, a medium and a large view.

``process_original`` makes all of them, the image facts and the perceptual hash from ONE decode:

1. the size that the largest derivative needs is worked out from the header;
2. a JPEG is decoded with DCT scaling (``draft``) straight to the smallest power-of-two scale
   that covers it; other formats are decoded at full size and reduced once;
3. that working image is turned upright (EXIF orientation), converted to sRGB (embedded ICC
   profile, CMYK) and laid over white if transparent;
4. each derivative is resized from the smallest image already made that is large enough
   (large from the working image, medium from the large, thumbnail from the medium), with
   LANCZOS, and saved as a baseline JPEG with no metadata at all (no EXIF, GPS, XMP, ICC,
   comments or embedded thumbnails), written atomically.

Sizes are maxima: nothing is enlarged. One trade-off is deliberate: when DCT scaling lands at
most ``DRAFT_SLACK`` (2 %) short of a box, that decode is kept as the derivative. A 4032 x 3024
phone photo's large view is then 2016 x 1512 straight from the half-scale decode, instead of a
full decode resampled by 1.97 (about three times the work for no visible difference). Pass
``draft_slack=0`` for exact boxes.

Damaged originals (pixels that do not all decode) get no derivatives and no hash: partial
decoding would need Pillow's process-wide ``LOAD_TRUNCATED_IMAGES`` switch, which would also hide
damage from every other thread, and a half-grey picture would pass the damage off as the photo.
The gallery shows a placeholder and the damage reason instead.
"""

from __future__ import annotations

import functools
import math
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from PIL import Image, ImageFile

from media.colour import to_resampling_mode, to_srgb
from media.durable import fsync_directory, make_directories, write_atomically
from media.images import (
    DEFAULT_LIMITS,
    ORIENTATION_TRANSPOSE,
    SCALED_DECODE_FORMATS,
    ImageInfo,
    PixelLimits,
    describe,
    load_pixels,
    open_checked,
)
from media.phash import dhash
from media.store import check_sha256


@dataclass(frozen=True)
class DerivativeSize:
    box: int  # longest side, or the side of the square
    square: bool = False  # centre-cropped to a square


DERIVATIVE_SIZES: Mapping[str, DerivativeSize] = {
    "thumb": DerivativeSize(320, square=True),
    "medium": DerivativeSize(1024),
    "large": DerivativeSize(2048),
}
JPEG_QUALITY = 82
DRAFT_SLACK = 0.02
RESAMPLE = Image.Resampling.LANCZOS


@dataclass(frozen=True)
class Derivative:
    name: str
    path: Path
    width: int
    height: int
    size: int  # bytes


@dataclass(frozen=True)
class ProcessedImage:
    info: ImageInfo
    derivatives: dict[str, Derivative]  # empty when the original is damaged
    phash: str | None  # None when the original is damaged


def derivative_path(derivative_root: Path, sha256: str, name: str) -> Path:
    """Where derivative ``name`` of the original ``sha256`` lives: ``root/ab/<sha256>-<name>.jpg``."""
    sha256 = check_sha256(sha256)
    if name not in DERIVATIVE_SIZES:
        raise ValueError(f"unknown derivative {name!r}; known: {', '.join(DERIVATIVE_SIZES)}")
    return derivative_root / sha256[:2] / f"{sha256}-{name}.jpg"


def missing_derivatives(derivative_root: Path, sha256: str) -> list[str]:
    """Names of the derivatives of ``sha256`` that do not exist (or are empty files)."""
    missing = []
    for name in DERIVATIVE_SIZES:
        path = derivative_path(derivative_root, sha256, name)
        if not path.is_file() or path.stat().st_size == 0:
            missing.append(name)
    return missing


def derivative_problem(path: Path, name: str, displayed: tuple[int, int] | None) -> str | None:
    """Why the derivative file at ``path`` must not be served, or None when it looks right.

    Cheap enough for every request (two small reads and a header parse, no decode): ``missing``,
    ``unreadable`` (an I/O error, or not a file), ``not_jpeg`` (no JPEG start marker, or a header
    Pillow cannot parse), ``truncated`` (no end marker: a write cut short) or ``wrong_size``
    (dimensions that the rules above do not produce from an original of ``displayed`` size; None
    skips that test).
    """
    try:
        with open(path, "rb") as stream:
            head = stream.read(3)
            if not head:
                return "missing"  # an empty file is what a write killed before its first byte leaves
            if head != b"\xff\xd8\xff":
                return "not_jpeg"
            stream.seek(-2, os.SEEK_END)
            if stream.read(2) != b"\xff\xd9":
                return "truncated"
            stream.seek(0)
            try:
                with Image.open(stream, formats=["JPEG"]) as image:
                    size = image.size
            except (OSError, SyntaxError, ValueError):
                return "not_jpeg"
    except FileNotFoundError:
        return "missing"
    except OSError:
        return "unreadable"
    if displayed is not None and not _size_fits(size, name, displayed):
        return "wrong_size"
    return None


def _size_fits(size: tuple[int, int], name: str, displayed: tuple[int, int]) -> bool:
    """Whether ``size`` is what derivative ``name`` of an original of ``displayed`` size may be:
    the box rule, allowing for the DCT slack (at most ``DRAFT_SLACK`` smaller, plus rounding)."""
    spec = DERIVATIVE_SIZES[name]
    if spec.square:
        side = min(spec.box, *displayed)
        targets: tuple[int, int] = (side, side)
        if size[0] != size[1]:
            return False
    else:
        targets = _needed_size(displayed, spec)
    return all(target * (1 - DRAFT_SLACK) - 2 <= actual <= target for actual, target in zip(size, targets, strict=True))


def derivative_temporary_files(derivative_root: Path) -> list[Path]:
    """Temporary files of derivative writes (``ab/.tmp-*.part``), in progress or left by a kill."""
    if not derivative_root.is_dir():
        return []
    return sorted(p for p in derivative_root.glob("*/.tmp-*.part") if p.is_file())


def delete_derivatives(derivative_root: Path, sha256: str) -> None:
    """Remove every derivative of ``sha256``; call it once the original itself is gone."""
    for name in DERIVATIVE_SIZES:
        derivative_path(derivative_root, sha256, name).unlink(missing_ok=True)


def process_original(
    src: Path,
    derivative_root: Path,
    sha256: str,
    *,
    names: Iterable[str] | None = None,
    limits: PixelLimits = DEFAULT_LIMITS,
    draft_slack: float = DRAFT_SLACK,
) -> ProcessedImage:
    """Inspect ``src`` and (re)make its derivatives (all, or only ``names``) from one decode.

    Raises MediaError for a refused file and writes nothing then. Existing derivatives are
    replaced, so this is also how derivatives are regenerated, e.g. for the names that
    ``missing_derivatives`` lists.
    """
    sha256 = check_sha256(sha256)
    wanted = list(DERIVATIVE_SIZES) if names is None else list(dict.fromkeys(names))
    for name in wanted:
        derivative_path(derivative_root, sha256, name)  # refuse an unknown name before decoding
    with open_checked(src, limits) as image:
        stored_size = image.size
        working_size = _working_size(stored_size, wanted)
        if image.format in SCALED_DECODE_FORMATS:
            image.draft(None, _shrink(working_size, draft_slack))
        info = describe(image, stored_size, load_pixels(image))
        if info.damaged:
            return ProcessedImage(info, {}, None)
        # Still inside ``with``: closing an image frees its pixels, and working may be the same object.
        working = _prepare_working_image(image, working_size, info)
        images = _make_images(working, wanted, (info.width, info.height))
        made = _write_derivatives(images, derivative_root, sha256)
        # The thumbnail is a crop, so the hash comes from the smallest full frame.
        full_frames = [im for name, im in images.items() if not DERIVATIVE_SIZES[name].square]
        hash_source = min(full_frames, key=lambda im: im.width * im.height, default=working)
        return ProcessedImage(info, made, dhash(hash_source))


def _needed_size(size: tuple[int, int], spec: DerivativeSize) -> tuple[int, int]:
    """The size the whole image must have for ``spec`` to be cut from it without enlarging."""
    width, height = size
    limiting_side = min(width, height) if spec.square else max(width, height)
    scale = min(1.0, spec.box / limiting_side)
    # Half rounds up (round() would round 682.5 to the even 682).
    return max(1, int(width * scale + 0.5)), max(1, int(height * scale + 0.5))


def _working_size(size: tuple[int, int], names: Iterable[str]) -> tuple[int, int]:
    """The smallest scaled copy of ``size`` that every wanted derivative can be made from."""
    needs = [_needed_size(size, DERIVATIVE_SIZES[name]) for name in names] or [(1, 1)]
    return max(needs, key=lambda need: need[0] * need[1])


def _shrink(size: tuple[int, int], slack: float) -> tuple[int, int]:
    return max(1, math.ceil(size[0] * (1 - slack))), max(1, math.ceil(size[1] * (1 - slack)))


def _prepare_working_image(image: ImageFile.ImageFile, size: tuple[int, int], info: ImageInfo) -> Image.Image:
    """The decoded pixels reduced to ``size`` (if larger), upright, in sRGB, without metadata."""
    icc = image.info.get("icc_profile")
    working: Image.Image = to_resampling_mode(image)
    if working.width > size[0] or working.height > size[1]:
        working = working.resize(size, RESAMPLE, reducing_gap=3.0)
    if info.format != "HEIF" and info.exif.orientation in ORIENTATION_TRANSPOSE:
        working = working.transpose(ORIENTATION_TRANSPOSE[info.exif.orientation])
    working = to_srgb(working, icc if isinstance(icc, bytes) else None)
    working.info = {}  # metadata must not follow the pixels into any derivative
    return working


def _target_size(full: tuple[int, int], working: Image.Image, spec: DerivativeSize) -> tuple[int, int]:
    """The derivative's size, from the original's own size so that rounding does not pile up, or
    the working image's when DCT slack left it smaller than that."""
    target = _needed_size(full, spec)
    if target[0] > working.width or target[1] > working.height:
        return _needed_size(working.size, spec)
    return target


def _make_images(working: Image.Image, names: list[str], full: tuple[int, int]) -> dict[str, Image.Image]:
    """Each wanted derivative, largest first, resized from the smallest image already made;
    ``full`` is the original's displayed size."""
    made: list[Image.Image] = [working]
    images: dict[str, Image.Image] = {}
    by_size = sorted(DERIVATIVE_SIZES, key=lambda name: -DERIVATIVE_SIZES[name].box)
    for name in (name for name in by_size if name in names):
        spec = DERIVATIVE_SIZES[name]
        if spec.square:
            images[name] = _square(made, spec.box)
        else:
            target = _target_size(full, working, spec)
            big_enough = (im for im in made if im.width >= target[0] and im.height >= target[1])
            source = min(big_enough, key=lambda im: im.width)
            images[name] = source if source.size == target else source.resize(target, RESAMPLE)
            made.append(images[name])
    return images


def _square(made: list[Image.Image], box: int) -> Image.Image:
    """A centre square of side ``box`` (or the short side, if smaller) from the smallest fit."""
    side = min(box, *made[0].size)
    source = min((im for im in made if min(im.size) >= side), key=lambda im: im.width)
    short = min(source.size)
    left, top = (source.width - short) // 2, (source.height - short) // 2
    return source.resize((side, side), RESAMPLE, box=(left, top, left + short, top + short))


def _write_derivatives(images: Mapping[str, Image.Image], root: Path, sha256: str) -> dict[str, Derivative]:
    made: dict[str, Derivative] = {}
    folders: set[Path] = set()
    for name, image in images.items():
        path = derivative_path(root, sha256, name)
        make_directories(path.parent)
        size = write_atomically(path, functools.partial(_save_jpeg, image), sync_folder=False)
        folders.add(path.parent)
        made[name] = Derivative(name, path, image.width, image.height, size)
    for folder in folders:
        fsync_directory(folder)
    return made


def _save_jpeg(image: Image.Image, stream: BinaryIO) -> None:
    # Pillow copies a comment from image.info into the file unless told otherwise, so info is
    # emptied; nothing else (EXIF, ICC, XMP) is passed, hence none is written.
    image.info = {}
    image.save(stream, "JPEG", quality=JPEG_QUALITY, optimize=False, progressive=False)
