"""The few EXIF facts the archive records: when, where, which camera, which way up.

Everything else in EXIF (maker notes, descriptions, comments, serial numbers) is ignored here and
stripped from derivatives. EXIF is written by cameras, phone apps and anyone with a hex editor, so
every value is checked: a malformed block, an impossible date or a GPS value with a zero
denominator gives None for that fact, never an exception; strings are cleaned and length-capped.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from PIL import ExifTags, Image

from media.text import clean_text

MAX_TEXT_LENGTH = 200

_TAG = ExifTags.Base
_GPS = ExifTags.GPS
_DATETIME = re.compile(r"\s*(\d{4})[:/-](\d{2})[:/-](\d{2})[ T](\d{2}):(\d{2}):(\d{2})")
_OFFSET = re.compile(r"\s*([+-])(\d{2}):(\d{2})\s*$")


@dataclass(frozen=True)
class ExifInfo:
    taken_at: datetime | None = None  # aware when the camera recorded its UTC offset, else naive
    lat: float | None = None  # WGS84 decimal degrees, north positive
    lon: float | None = None  # WGS84 decimal degrees, east positive
    camera: str | None = None  # make and model, e.g. "Apple iPhone 15 Pro"
    orientation: int | None = None  # EXIF orientation 1-8 as written in the file


def read_exif(image: Image.Image) -> ExifInfo:
    """The EXIF facts of an opened (not necessarily loaded) image; an empty ExifInfo if unreadable."""
    try:
        exif = image.getexif()
        details: Mapping[int, Any] = exif.get_ifd(ExifTags.IFD.Exif)
        gps: Mapping[int, Any] = exif.get_ifd(ExifTags.IFD.GPSInfo)
    except Exception:  # any malformed block: the EXIF facts are optional, the photo is not
        return ExifInfo()
    taken_at = parse_exif_datetime(
        details.get(_TAG.DateTimeOriginal), details.get(_TAG.OffsetTimeOriginal)
    ) or parse_exif_datetime(details.get(_TAG.DateTimeDigitized), details.get(_TAG.OffsetTimeDigitized))
    lat, lon = parse_gps(gps)
    orientation: object = exif.get(_TAG.Orientation)
    if image.format == "HEIF":
        # pillow-heif resets the EXIF orientation to 1 because libheif already turns the pixels
        # (HEIF's own irot/imir boxes); it keeps what the file said here.
        orientation = image.info.get("original_orientation")
    return ExifInfo(
        taken_at=taken_at,
        lat=lat,
        lon=lon,
        camera=camera_name(exif.get(_TAG.Make), exif.get(_TAG.Model)),
        orientation=orientation if isinstance(orientation, int) and 1 <= orientation <= 8 else None,
    )


def parse_exif_datetime(value: object, offset: object = None) -> datetime | None:
    """``2024:05:01 14:30:00`` (plus ``+08:00`` if given) as a datetime, or None if not a real date."""
    text = clean_text(value, MAX_TEXT_LENGTH)
    match = _DATETIME.match(text or "")
    if match is None:
        return None
    try:
        year, month, day, hour, minute, second = (int(part) for part in match.groups())
        taken = datetime(year, month, day, hour, minute, second)
    except ValueError:  # 0000:00:00, month 13, February 30...
        return None
    zone = _parse_offset(offset)
    return taken.replace(tzinfo=zone) if zone is not None else taken


def _parse_offset(value: object) -> timezone | None:
    match = _OFFSET.match(clean_text(value, MAX_TEXT_LENGTH) or "")
    if match is None:
        return None
    sign, hours, minutes = match.groups()
    delta = timedelta(hours=int(hours), minutes=int(minutes))
    # Real offsets run from -12:00 to +14:00; anything else is a corrupt field, not a place.
    if delta > timedelta(hours=14) or int(minutes) >= 60:
        return None
    return timezone(-delta if sign == "-" else delta)


def parse_gps(gps: Mapping[int, Any]) -> tuple[float | None, float | None]:
    """(lat, lon) in decimal degrees from an EXIF GPS IFD; (None, None) unless both are valid."""
    lat = _coordinate(gps.get(_GPS.GPSLatitude), gps.get(_GPS.GPSLatitudeRef), "N", "S", 90.0)
    lon = _coordinate(gps.get(_GPS.GPSLongitude), gps.get(_GPS.GPSLongitudeRef), "E", "W", 180.0)
    if lat is None or lon is None:
        return None, None
    # Phones without a fix write 0/0; a heritage house in the Gulf of Guinea is not plausible.
    if lat == 0.0 and lon == 0.0:
        return None, None
    return lat, lon


def _coordinate(value: object, ref: object, positive: str, negative: str, limit: float) -> float | None:
    """Degrees, minutes, seconds (rationals) and a hemisphere letter as signed decimal degrees."""
    hemisphere = (clean_text(ref, 4) or "").upper()
    if hemisphere not in (positive, negative):
        return None  # a guessed hemisphere would put the house on the wrong side of the world
    parts = value if isinstance(value, tuple) else (value,)
    try:
        numbers = [float(part) for part in parts]
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    if not 1 <= len(numbers) <= 3 or any(not math.isfinite(n) or n < 0 for n in numbers):
        return None
    if any(n >= 60 for n in numbers[1:]):
        return None
    degrees = sum(n / 60**i for i, n in enumerate(numbers))
    if degrees > limit:
        return None
    return round(-degrees if hemisphere == negative else degrees, 7)


def camera_name(make: object, model: object) -> str | None:
    """Make and model without repeating the make: ("Canon", "Canon EOS R5") -> "Canon EOS R5"."""
    make_text = clean_text(make, MAX_TEXT_LENGTH)
    model_text = clean_text(model, MAX_TEXT_LENGTH)
    if make_text is None or model_text is None:
        return model_text or make_text
    first_word = make_text.split()[0].lower()
    if model_text.lower().startswith(first_word):
        return model_text
    return f"{make_text} {model_text}"[:MAX_TEXT_LENGTH]
