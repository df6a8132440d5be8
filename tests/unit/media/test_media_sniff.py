"""Magic-byte sniffing: what a file really is decides, never its name."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

import pytest
from PIL import Image

from media import MediaError, inspect_image, sniff_format

if TYPE_CHECKING:
    from conftest import Samples


def pillow_bytes(image: Image.Image, **params: Any) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, **params)
    return buffer.getvalue()


RGB = Image.new("RGB", (16, 16), (200, 30, 30))


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (pillow_bytes(RGB, format="JPEG"), "JPEG"),
        (pillow_bytes(RGB, format="PNG"), "PNG"),
        (pillow_bytes(RGB, format="WEBP"), "WEBP"),
        (pillow_bytes(RGB, format="TIFF"), "TIFF"),
        (b"MM\x00*\x00\x00\x00\x08", "TIFF"),
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", "HEIF"),
        (b"\x00\x00\x00\x1cftypmif1\x00\x00\x00\x00mif1heicmiaf", "HEIF"),
    ],
)
def test_allowed_formats_are_recognised(head: bytes, expected: str) -> None:
    assert sniff_format(head) == expected


@pytest.mark.parametrize(
    ("head", "detected"),
    [
        (b"<!DOCTYPE html><html><body>hi</body></html>", "an HTML page"),
        (b"\xef\xbb\xbf  \n<html><script>alert(1)</script>", "an HTML page"),
        (b"<script>fetch('/api')</script>", "an HTML page"),
        (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>', "an SVG drawing"),
        (b'<svg onload="alert(1)"/>', "an SVG drawing"),
        (b'<?xml version="1.0"?><rss/>', "an XML or HTML document"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3", "a PDF document"),
        (b"PK\x03\x04\x14\x00\x00\x00", "a ZIP archive"),
        (b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2mp41", "a video"),
        (b"just some notes about the house", "a text file"),
        ("台山的房子".encode(), "a text file"),
        (b"\x00\x01\x02\x03\xfe\xfd binary junk", "unknown"),
    ],
)
def test_non_images_are_not_images(head: bytes, detected: str) -> None:
    with pytest.raises(MediaError) as raised:
        sniff_format(head)
    assert raised.value.code == "not_image"
    assert raised.value.params["detected"] == detected
    assert "not an image" in raised.value.message


@pytest.mark.parametrize(
    ("head", "name"),
    [
        (pillow_bytes(RGB, format="GIF"), "GIF"),
        (pillow_bytes(RGB, format="BMP"), "BMP"),
        (pillow_bytes(RGB, format="ICO"), "ICO"),
        (pillow_bytes(RGB, format="JPEG2000"), "JPEG 2000"),
        (pillow_bytes(RGB, format="EPS"), "EPS"),
        (b"8BPS\x00\x01\x00\x00\x00\x00\x00\x00\x00\x03", "PSD"),
        (b"SIMPLE  =                    T / conforms to FITS standard", "FITS"),
        (b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf", "AVIF"),
        (b"\x00\x00\x00\x1cftypmif1\x00\x00\x00\x00mif1avifmiaf", "AVIF"),
        (b"II*\x00\x10\x00\x00\x00CR\x02\x00", "Canon raw (CR2)"),
        (b"\xff\x0a\xfa\x7f", "JPEG XL"),
        (b"P6\n16 16\n255\n", "Netpbm"),
    ],
)
def test_other_image_formats_are_not_allowed(head: bytes, name: str) -> None:
    with pytest.raises(MediaError) as raised:
        sniff_format(head)
    assert raised.value.code == "format_not_allowed"
    assert raised.value.params["format"] == name
    assert f"format not allowed ({name})" in raised.value.message


def test_empty_input_is_empty() -> None:
    with pytest.raises(MediaError) as raised:
        sniff_format(b"")
    assert raised.value.code == "empty"


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"<html><body><img src=x onerror=alert(1)></body></html>", "not_image"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "not_image"),
        (b"8BPS\x00\x01" + b"\x00" * 40, "format_not_allowed"),
        (pillow_bytes(RGB, format="EPS"), "format_not_allowed"),
        (b"SIMPLE  =                    T" + b" " * 50, "format_not_allowed"),
        (pillow_bytes(RGB, format="GIF"), "format_not_allowed"),
    ],
)
def test_a_jpg_name_changes_nothing(samples: Samples, content: bytes, code: str) -> None:
    path = samples.save(content, "photo.jpg")
    with pytest.raises(MediaError) as raised:
        inspect_image(path)
    assert raised.value.code == code


def test_allowed_magic_with_an_unparseable_header_is_unreadable(samples: Samples) -> None:
    path = samples.save(b"\xff\xd8\xff\xe0" + b"\x00" * 200, "broken.jpg")
    with pytest.raises(MediaError) as raised:
        inspect_image(path)
    assert raised.value.code == "unreadable"
    assert raised.value.params["format"] == "JPEG"
