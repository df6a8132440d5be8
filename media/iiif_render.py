"""Making the image an ``ImagePlan`` asks for from the original, with Pillow, and caching it.

The original is opened through the same three gates as an upload (``images.open_checked``: magic
bytes, one plugin, pixel limits), so the format allowlist and the decompression-bomb limits are
the pipeline's own. Then:

1. a JPEG is decoded with DCT scaling (``draft``) at the smallest of 1/8, 1/4, 1/2 or full scale
   that still has at least as many pixels as the output needs over the region: a 512-pixel tile
   of a 12 MP photo seen whole decodes at 1/8 scale; other formats decode at full size;
2. the region is mapped from displayed (upright) coordinates into the stored orientation and the
   decoded scale, and cut and resized in one ``resize(box=...)`` with float coordinates, so no
   rounding piles up between levels (a pixel-exact box at full size is a plain crop); the one
   inexactness is DCT scaling's own: a side not divisible by the scale decodes to the next whole
   pixel, which shifts the mapping by less than one decoded pixel at the far edge;
3. only that small result is turned upright (EXIF orientation; HEIF comes upright from libheif),
   converted to sRGB (embedded ICC profile, CMYK), laid over white if transparent, made grey for
   ``gray``, and saved as a baseline JPEG with no metadata at all: no EXIF, GPS, ICC or comment.

Why not from the ``large`` derivative: it is 2048 pixels at most, so it cannot serve the deeper
zoom levels that are the point of a deep-zoom viewer, and it was itself resampled (with 2 % DCT
slack), so regions cut from it would not line up exactly with the original's pixel grid.

``IIIFImages`` adds the disk cache (``iiif_cache``), the last few decodes kept in memory (the tiles
of one zoom level all come from one decode), a bound on decodes running at once (each holds a
decoded image: 36 MB for a 12 MP photo at full scale) and a count of decodes.
"""

from __future__ import annotations

import contextlib
import io
import math
import threading
from collections import OrderedDict
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import BinaryIO

from PIL import Image, ImageFile

from media.colour import to_resampling_mode, to_srgb
from media.derivatives import JPEG_QUALITY, RESAMPLE
from media.errors import MediaError
from media.exif import read_exif
from media.iiif import DEFAULT_SIZE_LIMITS, Box, ImagePlan, SizeLimits
from media.iiif_cache import IIIFCache
from media.images import (
    DEFAULT_LIMITS,
    ORIENTATION_TRANSPOSE,
    SCALED_DECODE_FORMATS,
    PixelLimits,
    load_pixels,
    open_checked,
)

_TURNED = (5, 6, 7, 8)  # orientations that swap width and height


def stored_box(box: Box, orientation: int | None, displayed: tuple[int, int]) -> tuple[int, int, int, int]:
    """``box`` of the upright image as (x, y, w, h) of the image as stored, before the EXIF turn.

    Cutting this box from the stored pixels and then turning them gives the same pixels as
    turning the whole image and cutting ``box`` (tests/unit/media/test_iiif_render.py checks all
    eight orientations).
    """
    width, height = displayed
    x, y, w, h = box.x, box.y, box.width, box.height
    return {
        2: (width - x - w, y, w, h),
        3: (width - x - w, height - y - h, w, h),
        4: (x, height - y - h, w, h),
        5: (y, x, h, w),
        6: (y, width - x - w, h, w),
        7: (height - y - h, width - x - w, h, w),
        8: (height - y - h, x, h, w),
    }.get(orientation or 1, (x, y, w, h))


def _orientation(image: ImageFile.ImageFile) -> int | None:
    if image.format == "HEIF":
        return None  # libheif has already turned the pixels
    return read_exif(image).orientation


def _geometry(plan: ImagePlan, orientation: int | None,
              ) -> tuple[tuple[int, int], tuple[int, int, int, int], tuple[int, int]]:
    """The stored image's size, the region in it and the output size, all before the EXIF turn."""
    turned = orientation in _TURNED
    width, height = plan.image_size
    stored = (height, width) if turned else (width, height)
    out = (plan.size[1], plan.size[0]) if turned else plan.size
    return stored, stored_box(plan.region, orientation, plan.image_size), out


def _decode_size(plan: ImagePlan, orientation: int | None) -> tuple[int, int]:
    """The smallest whole stored image from which ``plan`` can be cut without enlarging."""
    stored, (_sx, _sy, sw, sh), out = _geometry(plan, orientation)
    return math.ceil(stored[0] * out[0] / sw), math.ceil(stored[1] * out[1] / sh)


@dataclass(frozen=True)
class Decoded:
    """An original's pixels, decoded at some DCT scale, still as stored (not turned)."""

    pixels: Image.Image  # L, LA, RGB, RGBA or CMYK
    orientation: int | None
    icc: bytes | None

    @property
    def nbytes(self) -> int:
        return self.pixels.width * self.pixels.height * len(self.pixels.getbands())

    def covers(self, plan: ImagePlan) -> bool:
        """Whether ``plan`` can be cut from these pixels without enlarging them."""
        need = _decode_size(plan, self.orientation)
        return self.pixels.width >= need[0] and self.pixels.height >= need[1]


def decode(source: BinaryIO, plan: ImagePlan, limits: PixelLimits = DEFAULT_LIMITS) -> Decoded:
    """The original in ``source`` decoded at the smallest scale that covers ``plan``; MediaError if
    refused (format, bomb limits) or damaged."""
    with open_checked(source, limits) as image:
        scaled_decode = image.format in SCALED_DECODE_FORMATS
        orientation = _orientation(image) if scaled_decode else None  # a JPEG's EXIF is in its header
        if scaled_decode:
            image.draft(None, _decode_size(plan, orientation))
        damage = load_pixels(image)
        if damage is not None:
            raise MediaError("damaged", f"The original does not decode: {damage}")
        if not scaled_decode:
            orientation = _orientation(image)  # a PNG's eXIf chunk may follow the pixels
        icc = image.info.get("icc_profile")
        pixels = to_resampling_mode(image)
        if pixels is image:
            pixels = image.copy()  # closing the file at the end of ``with`` frees its pixels
    return Decoded(pixels, orientation, icc if isinstance(icc, bytes) else None)


def cut(decoded: Decoded, plan: ImagePlan) -> Image.Image:
    """The image ``plan`` describes, from ``decoded`` (which must cover it): upright, sRGB, no metadata."""
    stored, (sx, sy, sw, sh), out = _geometry(plan, decoded.orientation)
    working = decoded.pixels
    fx, fy = working.width / stored[0], working.height / stored[1]
    if (fx, fy) == (1.0, 1.0) and (sw, sh) == out:
        result = working.crop((sx, sy, sx + sw, sy + sh))
    else:
        box = (sx * fx, sy * fy, (sx + sw) * fx, (sy + sh) * fy)
        result = working.resize(out, RESAMPLE, box=box, reducing_gap=3.0)
    if decoded.orientation in ORIENTATION_TRANSPOSE:
        result = result.transpose(ORIENTATION_TRANSPOSE[decoded.orientation])
    result = to_srgb(result, decoded.icc)
    if plan.gray:
        result = result.convert("L")
    result.info = {}  # nothing of the original's metadata may follow the pixels
    return result


def render(source: BinaryIO, plan: ImagePlan, limits: PixelLimits = DEFAULT_LIMITS) -> Image.Image:
    """The image ``plan`` describes, from the original in ``source`` (one decode, one cut)."""
    return cut(decode(source, plan, limits), plan)


def encode_jpeg(image: Image.Image) -> bytes:
    """Baseline JPEG, no metadata (nothing but the pixels is passed to save)."""
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=False, progressive=False)
    return buffer.getvalue()


class IIIFImages:
    """IIIF images of originals: from the disk cache, else cut from a recent decode kept in memory,
    else decoded (at most ``max_decodes`` at a time).

    A deep-zoom viewer asks for a dozen tiles of one zoom level at once, and each needs the same
    decode, so the last decodes are kept, up to ``decoded_bytes`` (160 MB: four 12 MP photos at
    full scale), and reused by every tile they cover. They were decoded from verified bytes.
    """

    def __init__(self, cache: IIIFCache, *, limits: PixelLimits = DEFAULT_LIMITS,
                 size_limits: SizeLimits = DEFAULT_SIZE_LIMITS, max_decodes: int = 2,
                 decoded_bytes: int = 160 * 1024 * 1024) -> None:
        self.cache = cache
        self.limits = limits  # what an original may be (the upload pipeline's own limits)
        self.size_limits = size_limits  # what a request may ask for (advertised in info.json)
        self.decodes = 0  # originals decoded by this object: tests read it, benchmarks report it
        self.decoded_bytes = decoded_bytes
        self._slots = threading.BoundedSemaphore(max_decodes)
        self._lock = threading.Lock()
        self._recent: OrderedDict[tuple[str, tuple[int, int]], Decoded] = OrderedDict()

    def image(self, sha256: str, plan: ImagePlan, open_original: Callable[[], AbstractContextManager[BinaryIO]],
              ) -> bytes:
        """The JPEG bytes for ``plan`` of original ``sha256``; ``open_original`` gives its
        (verified) bytes and is called only when neither cache can answer."""
        key = plan.cache_key
        cached = self.cache.read(sha256, key)
        if cached is not None:
            return cached
        decoded = self._recent_decode(sha256, plan)
        if decoded is None:
            with self._slots:
                cached = self.cache.read(sha256, key)  # made by another request while this one waited
                if cached is not None:
                    return cached
                decoded = self._recent_decode(sha256, plan) or self._decode(sha256, plan, open_original)
        data = encode_jpeg(cut(decoded, plan))
        # A full disk or a folder pruned mid-write costs a later miss, not this answer.
        with contextlib.suppress(OSError):
            self.cache.write(sha256, key, data)
        return data

    def forget_decodes(self) -> None:
        """Drop the decodes kept in memory (a cold start, for benchmarks)."""
        with self._lock:
            self._recent.clear()

    def _decode(self, sha256: str, plan: ImagePlan, open_original: Callable[[], AbstractContextManager[BinaryIO]],
                ) -> Decoded:
        with open_original() as source:
            with self._lock:
                self.decodes += 1
            decoded = decode(source, plan, self.limits)
        with self._lock:
            self._recent[(sha256, decoded.pixels.size)] = decoded
            total = sum(d.nbytes for d in self._recent.values())
            while total > self.decoded_bytes and len(self._recent) > 1:
                _key, oldest = self._recent.popitem(last=False)
                total -= oldest.nbytes
        return decoded

    def _recent_decode(self, sha256: str, plan: ImagePlan) -> Decoded | None:
        """The smallest kept decode of ``sha256`` that covers ``plan``, marked as just used."""
        with self._lock:
            fits = [(key, d) for key, d in self._recent.items() if key[0] == sha256 and d.covers(plan)]
            if not fits:
                return None
            key, best = min(fits, key=lambda item: item[1].nbytes)
            self._recent.move_to_end(key)
            return best
