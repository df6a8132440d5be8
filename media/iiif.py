"""IIIF Image API 3.0 requests turned into pixel work, and the image information document.

``plan_request`` reads the four path parameters of ``{region}/{size}/{rotation}/{quality}.{format}``
against the image's displayed size and the server's ``SizeLimits`` and returns an ``ImagePlan``:
a region in displayed pixels, an output size and a quality. Everything wrong with a request (a
negative or empty region, one outside the image, a size of 0, an enlargement, more pixels than
the limits, a rotation, a format other than jpg) is refused here, as ``IIIFRequestError`` with a
stable code, before a single byte of the original is read.

Level 1 (regions full, square and x,y,w,h; sizes max, w, ,h and w,h; rotation 0; quality default;
jpg) plus three cheap level 2 features: ``pct:`` regions and sizes, ``!w,h`` sizes, and the color
and gray qualities. Enlarging (``^``) is not offered. A region that reaches past the image's edge
is cut at the edge, as the specification says (§4.1); one entirely outside is refused.

One departure from the letter of §4.2: ``!w,h`` whose box is larger than the region is refused
(400) rather than answered at the region's size, because the IIIF validator's ``size_noup``
test, the reference this service is checked against, requires that.

No Flask, no database: the archive decides who may see which photo, this module only does the
arithmetic.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from media.errors import MediaError

IMAGE_CONTEXT = "http://iiif.io/api/image/3/context.json"
PROTOCOL = "http://iiif.io/api/image"
TILE_SIZE = 512
QUALITIES = ("default", "color", "gray")
FORMATS = ("jpg",)
EXTRA_FEATURES = ("regionByPct", "sizeByPct", "sizeByConfinedWh")
# Nine digits: enough for any real coordinate, and int() never sees a thousand-digit string.
_NUMBER = r"(\d{1,9})"
_DECIMAL = r"(\d{1,9}(?:\.\d{1,6})?)"
_REGION_PIXELS = re.compile(rf"^{_NUMBER},{_NUMBER},{_NUMBER},{_NUMBER}$")
_REGION_PERCENT = re.compile(rf"^pct:{_DECIMAL},{_DECIMAL},{_DECIMAL},{_DECIMAL}$")
_SIZE_WIDTH = re.compile(rf"^{_NUMBER},$")
_SIZE_HEIGHT = re.compile(rf"^,{_NUMBER}$")
_SIZE_BOTH = re.compile(rf"^{_NUMBER},{_NUMBER}$")
_SIZE_CONFINED = re.compile(rf"^!{_NUMBER},{_NUMBER}$")
_SIZE_PERCENT = re.compile(rf"^pct:{_DECIMAL}$")

# What each refusal means; the archive turns the code into a sentence in the user's language.
REQUEST_ERRORS: Mapping[str, str] = {
    "iiif_region": "the region is not full, square, x,y,w,h or pct:x,y,w,h with numbers of 0 or more",
    "iiif_region_empty": "the region has a width or height of 0",
    "iiif_region_outside": "the region lies entirely outside the image",
    "iiif_size": "the size is not max, w, ,h, w,h, !w,h or pct:n",
    "iiif_size_zero": "the size asks for a width or height of 0",
    "iiif_upscale": "the size is larger than the region (enlarging, ^, is not offered)",
    "iiif_too_large": "the size has more pixels than maxWidth, maxHeight or maxArea allow",
    "iiif_rotation": "only rotation 0 is offered",
    "iiif_quality": "the quality is not default, color or gray",
    "iiif_format": "the format is not jpg",
}


class IIIFRequestError(MediaError):
    """A request this service refuses (HTTP 400); ``code`` is a key of ``REQUEST_ERRORS``."""

    def __init__(self, code: str, params: Mapping[str, str | int] | None = None) -> None:
        super().__init__(code, REQUEST_ERRORS[code], params)


@dataclass(frozen=True)
class SizeLimits:
    """The largest image the service makes: advertised in info.json, checked before decoding.

    4096 on a side and 16.8 megapixels: a 12 MP phone photo comes whole at ``max``; a 200 MP scan
    comes reduced to fit, so one request never costs more than encoding 17 MP.
    """

    max_width: int = 4096
    max_height: int = 4096
    max_area: int = 4096 * 4096


DEFAULT_SIZE_LIMITS = SizeLimits()


@dataclass(frozen=True)
class Box:
    x: int
    y: int
    width: int
    height: int


@dataclass(frozen=True)
class ImagePlan:
    """What to make: ``region`` of the displayed (upright) image, scaled to ``size``."""

    image_size: tuple[int, int]
    region: Box
    size: tuple[int, int]
    gray: bool

    @property
    def cache_key(self) -> str:
        """One name per distinct output: ``full/max`` and ``0,0,W,H/W,H`` are the same image."""
        r = self.region
        return f"{r.x},{r.y},{r.width},{r.height}-{self.size[0]},{self.size[1]}-{'gray' if self.gray else 'color'}"


def plan_request(
    image_size: tuple[int, int], region: str, size: str, rotation: str, quality_format: str,
    limits: SizeLimits = DEFAULT_SIZE_LIMITS,
) -> ImagePlan:
    """The work one Image API request asks for, or IIIFRequestError; reads no pixels."""
    quality, _dot, image_format = quality_format.rpartition(".")
    if image_format not in FORMATS:
        raise IIIFRequestError("iiif_format", {"format": image_format[:20]})
    if quality not in QUALITIES:
        raise IIIFRequestError("iiif_quality", {"quality": quality[:20]})
    if rotation != "0":
        raise IIIFRequestError("iiif_rotation", {"rotation": rotation[:20]})
    box = parse_region(region, image_size)
    output = parse_size(size, (box.width, box.height), limits)
    return ImagePlan(image_size, box, output, gray=quality == "gray")


def parse_region(text: str, image_size: tuple[int, int]) -> Box:
    """The region in displayed pixels, cut at the image's edge."""
    width, height = image_size
    if text == "full":
        return Box(0, 0, width, height)
    if text == "square":
        side = min(width, height)
        return Box((width - side) // 2, (height - side) // 2, side, side)
    pixels = _REGION_PIXELS.match(text)
    if pixels:
        x, y, w, h = (int(v) for v in pixels.groups())
    else:
        percent = _REGION_PERCENT.match(text)
        if not percent:
            raise IIIFRequestError("iiif_region", {"region": text[:40]})
        px, py, pw, ph = (float(v) for v in percent.groups())
        x, y = round(px * width / 100), round(py * height / 100)
        w, h = round(pw * width / 100), round(ph * height / 100)
    if w == 0 or h == 0:
        raise IIIFRequestError("iiif_region_empty", {"region": text[:40]})
    if x >= width or y >= height:
        raise IIIFRequestError("iiif_region_outside", {"region": text[:40], "width": width, "height": height})
    return Box(x, y, min(w, width - x), min(h, height - y))


def _scaled(length: int, scale: float) -> int:
    return max(1, math.floor(length * scale + 0.5))


def parse_size(text: str, region: tuple[int, int], limits: SizeLimits) -> tuple[int, int]:
    """The output size for a region of size ``region``; never larger than it, nor than ``limits``."""
    rw, rh = region
    if text.startswith("^"):
        raise IIIFRequestError("iiif_upscale", {"size": text[:40]})
    if text == "max":
        scale = min(1.0, limits.max_width / rw, limits.max_height / rh, math.sqrt(limits.max_area / (rw * rh)))
        # floor, not round: max must never come out one pixel over a limit
        return max(1, math.floor(rw * scale)), max(1, math.floor(rh * scale))
    output = _requested_size(text, rw, rh)
    if output[0] == 0 or output[1] == 0:
        raise IIIFRequestError("iiif_size_zero", {"size": text[:40]})
    if output[0] > rw or output[1] > rh:
        raise IIIFRequestError("iiif_upscale", {"size": text[:40], "width": rw, "height": rh})
    w, h = output
    if w > limits.max_width or h > limits.max_height or w * h > limits.max_area:
        raise IIIFRequestError("iiif_too_large", {"size": text[:40], "max_width": limits.max_width,
                                                  "max_height": limits.max_height, "max_area": limits.max_area})
    return output


def _requested_size(text: str, rw: int, rh: int) -> tuple[int, int]:
    if match := _SIZE_WIDTH.match(text):
        w = int(match.group(1))
        return (w, _scaled(rh, w / rw)) if w else (0, 0)
    if match := _SIZE_HEIGHT.match(text):
        h = int(match.group(1))
        return (_scaled(rw, h / rh), h) if h else (0, 0)
    if match := _SIZE_BOTH.match(text):
        return int(match.group(1)), int(match.group(2))
    if match := _SIZE_CONFINED.match(text):
        bw, bh = int(match.group(1)), int(match.group(2))
        if bw == 0 or bh == 0:
            return 0, 0
        scale = min(bw / rw, bh / rh)
        return min(bw, _scaled(rw, scale)), min(bh, _scaled(rh, scale))
    if match := _SIZE_PERCENT.match(text):
        percent = float(match.group(1))
        if percent == 0:
            return 0, 0
        # pct:100.0001 would round back to the region's size; it still asks for more.
        if percent > 100:
            return rw + 1, rh + 1
        return _scaled(rw, percent / 100), _scaled(rh, percent / 100)
    raise IIIFRequestError("iiif_size", {"size": text[:40]})


def scale_factors(image_size: tuple[int, int], tile: int = TILE_SIZE) -> list[int]:
    """1, 2, 4, ... up to the first factor at which the whole image fits one tile."""
    factors = [1]
    while max(image_size) / factors[-1] > tile:
        factors.append(factors[-1] * 2)
    return factors


def image_info(service_id: str, image_size: tuple[int, int], limits: SizeLimits = DEFAULT_SIZE_LIMITS,
               ) -> dict[str, Any]:
    """The image information document (info.json) of the image service at ``service_id``."""
    width, height = image_size
    factors = scale_factors(image_size)
    sizes = []
    for factor in reversed(factors):
        w, h = math.ceil(width / factor), math.ceil(height / factor)
        if w <= limits.max_width and h <= limits.max_height and w * h <= limits.max_area:
            sizes.append({"width": w, "height": h})
    return {
        "@context": IMAGE_CONTEXT,
        "id": service_id,
        "type": "ImageService3",
        "protocol": PROTOCOL,
        "profile": "level1",
        "width": width,
        "height": height,
        "maxWidth": limits.max_width,
        "maxHeight": limits.max_height,
        "maxArea": limits.max_area,
        "sizes": sizes,
        "tiles": [{"width": TILE_SIZE, "height": TILE_SIZE, "scaleFactors": factors}],
        "extraQualities": ["color", "gray"],
        "extraFeatures": list(EXTRA_FEATURES),
    }
