"""Opening uploaded images safely and describing them: format, size, damage, EXIF.

Three gates stand before any pixel is decoded: the magic bytes must name an allowed format
(``media.sniff``), only that format's Pillow plugin may open the file, and the declared pixel count
must be within ``PixelLimits``. The limits differ by how the format is decoded:

* baseline JPEG and MPO are decoded with DCT scaling (``draft``) at 1/2, 1/4 or 1/8 of their size,
  so a 200-megapixel photo costs about as much memory as a 12-megapixel one: 210 MP by default;
* PNG, TIFF, WebP, HEIF and progressive JPEG must be decoded at full size (pillow-heif's ``draft``
  only picks an embedded thumbnail, which phones make far too small; a progressive JPEG keeps all
  its coefficients in memory, about 3 bytes per pixel): 60 MP by default, which still takes a
  48 MP iPhone HEIC and refuses a 100 MP (10,000 x 10,000) PNG.

Pillow's own bomb check (a warning above ``Image.MAX_IMAGE_PIXELS``, an error above twice that)
runs inside ``Image.open``. It is raised to the highest limit in use, process-wide, so it never
refuses what the limits accept; whatever it still reports, as an error or as a warning turned
into an error, is refused as "decompression_bomb" like everything above the limits.

A file that opens but whose pixels do not all decode (a truncated upload, a corrupt stream) is
not refused: the original is kept as uploaded and reported as damaged, with the reason.
"""

from __future__ import annotations

import contextlib
import functools
import struct
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from PIL import Image, ImageFile, UnidentifiedImageError

from media.errors import MediaError
from media.exif import ExifInfo, read_exif
from media.sniff import HEAD_SIZE, sniff_file, sniff_format
from media.text import clean_text

SCALED_DECODE_FORMATS = frozenset({"JPEG", "MPO"})
# EXIF orientation -> the transpose that makes the picture upright (derivatives and IIIF images).
ORIENTATION_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
# What Pillow's plugins and pillow-heif raise for bytes they cannot parse.
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, struct.error, RuntimeError, IndexError)
_OPEN_ERRORS = (UnidentifiedImageError, *_DECODE_ERRORS)
_BOMBS = (Image.DecompressionBombError, Image.DecompressionBombWarning)
_pillow_limit_lock = threading.Lock()


@dataclass(frozen=True)
class PixelLimits:
    """Largest pixel counts accepted, by how the format can be decoded (see the module docstring)."""

    scaled: int = 210_000_000  # baseline JPEG and MPO
    full: int = 60_000_000  # PNG, TIFF, WebP, HEIF, progressive JPEG

    def limit_for(self, image: Image.Image) -> int:
        if image.format in SCALED_DECODE_FORMATS and not image.info.get("progressive"):
            return self.scaled
        return self.full


DEFAULT_LIMITS = PixelLimits()


@dataclass(frozen=True)
class ImageInfo:
    format: str  # Pillow's name: JPEG, MPO, PNG, WEBP, TIFF or HEIF
    mime: str
    width: int  # as displayed, i.e. after the EXIF orientation is applied
    height: int
    damaged: bool
    damage_reason: str | None
    exif: ExifInfo


@functools.cache
def _register_heif_opener() -> None:
    """Teach Pillow to open HEIC/HEIF; done on first use, not on import."""
    import pillow_heif  # here, not at the top: importing it loads libheif

    pillow_heif.register_heif_opener()


def load_plugins() -> None:
    """Load every Pillow format plugin and the HEIF opener now, not on the first open: a process
    about to fork workers calls this so that they share what it loaded instead of each loading it."""
    Image.init()
    _register_heif_opener()


def _prepare_pillow(limits: PixelLimits) -> None:
    _register_heif_opener()
    needed = max(limits.scaled, limits.full)
    with _pillow_limit_lock:
        # Only ever raised: a lower value set elsewhere would refuse photos these limits accept.
        current = Image.MAX_IMAGE_PIXELS
        if current is not None and current < needed:
            Image.MAX_IMAGE_PIXELS = needed


def _bomb_error(width: int | None = None, height: int | None = None, limit: int | None = None) -> MediaError:
    if width is None or height is None or limit is None:
        return MediaError("decompression_bomb", "The image declares far more pixels than allowed.")
    return MediaError(
        "decompression_bomb",
        f"The image is too large: {width} x {height} pixels ({width * height / 1e6:.0f} megapixels); "
        f"the limit for this format is {limit / 1e6:.0f} megapixels.",
        {"width": width, "height": height, "limit": limit},
    )


@contextlib.contextmanager
def open_checked(path: Path | BinaryIO, limits: PixelLimits = DEFAULT_LIMITS) -> Iterator[ImageFile.ImageFile]:
    """The opened (header only, no pixels) image at ``path``, after all three gates; closed on exit.

    ``path`` may also be a file opened for reading at its start, e.g. one whose bytes were just
    verified against their hash, so that the bytes decoded are the bytes verified.
    """
    if isinstance(path, Path):
        pillow_format = sniff_file(path)
    else:
        pillow_format = sniff_format(path.read(HEAD_SIZE))
        path.seek(0)
    _prepare_pillow(limits)
    try:
        # Only the plugin the magic bytes named may parse the file, so no other decoder is tried.
        image = Image.open(path, formats=[pillow_format])
    except _BOMBS as error:
        raise _bomb_error() from error
    except _OPEN_ERRORS as error:
        if _is_inflation_bomb(error):
            raise _bomb_error() from error
        raise MediaError(
            "unreadable",
            f"The file starts like a {pillow_format} image, but it cannot be read.",
            {"format": pillow_format},
        ) from error
    with image:
        width, height = image.size
        limit = limits.limit_for(image)
        if width * height > limit:
            raise _bomb_error(width, height, limit)
        yield image


def _is_inflation_bomb(error: Exception) -> bool:
    """A PNG text or ICC chunk that inflates past Pillow's cap (``PngImagePlugin.MAX_TEXT_CHUNK``)."""
    return isinstance(error, ValueError) and "Decompressed data too large" in str(error)


def mime_type(image: ImageFile.ImageFile) -> str:
    if image.format == "MPO":
        return "image/jpeg"  # a multi-picture JPEG; every browser shows its first picture
    return image.get_format_mimetype() or "application/octet-stream"


def displayed_size(image_format: str, stored: tuple[int, int], exif: ExifInfo) -> tuple[int, int]:
    """The header's size, turned by the EXIF orientation (libheif has already turned HEIF)."""
    width, height = stored
    if image_format != "HEIF" and exif.orientation in (5, 6, 7, 8):
        return height, width
    return width, height


def load_pixels(image: ImageFile.ImageFile) -> str | None:
    """Decode the pixels; the reason if they do not all decode, else None.

    Truncation is noticed by every decoder; a corrupted middle by JPEG's entropy decoder and
    PNG's zlib checksum (Pillow does not check PNG chunk CRCs, nor needs to for pixels).
    """
    try:
        image.load()
    except _BOMBS as error:
        raise _bomb_error() from error
    except _DECODE_ERRORS as error:
        if _is_inflation_bomb(error):  # text chunks after the pixels are read by load()
            raise _bomb_error() from error
        text = clean_text(str(error), 160) or type(error).__name__
        if "truncated" in text:
            return f"truncated: {text}"
        return f"corrupt image data: {text}"
    return None


def describe(image: ImageFile.ImageFile, stored_size: tuple[int, int], damage_reason: str | None) -> ImageInfo:
    """The facts about an image, once ``load_pixels`` has run; ``stored_size`` is ``image.size``
    from before ``draft`` changed it.

    EXIF is read only now because Pillow's PNG ``getexif`` decodes the whole image (an eXIf
    chunk may follow the pixels); run before ``load_pixels``, it would decode twice, and the
    EXIF reader's tolerance of bad EXIF would swallow decoding errors as well.
    """
    exif = read_exif(image)
    image_format = image.format or ""
    width, height = displayed_size(image_format, stored_size, exif)
    return ImageInfo(
        format=image_format,
        mime=mime_type(image),
        width=width,
        height=height,
        damaged=damage_reason is not None,
        damage_reason=damage_reason,
        exif=exif,
    )


def inspect_image(path: Path, *, limits: PixelLimits = DEFAULT_LIMITS) -> ImageInfo:
    """What ``path`` is; MediaError if refused. Decodes once to find damage (JPEG at 1/8 scale)."""
    with open_checked(path, limits) as image:
        stored_size = image.size
        if image.format in SCALED_DECODE_FORMATS:
            image.draft(None, (1, 1))  # smallest DCT scale: every byte is still read and checked
        return describe(image, stored_size, load_pixels(image))
