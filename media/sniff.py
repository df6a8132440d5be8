"""Deciding what a file really is from its first bytes, before any image decoder sees it.

The name and the browser's Content-Type are ignored: an HTML page or an SVG renamed ``.jpg`` is
"not an image", a PSD or EPS renamed ``.jpg`` is an image "format not allowed (PSD)". Only the five
allowed families get through, and each is then opened by its own Pillow plugin and no other, so
Pillow's more exotic decoders (EPS runs Ghostscript; FITS and PSD had recent CVEs) never run.
A file that starts like a JPEG is a JPEG, whatever is appended to it; derivatives re-encode the
pixels, so appended HTML or ZIP never reaches a visitor.
"""

from __future__ import annotations

from pathlib import Path

from media.errors import MediaError

# Pillow's format names; MPO (multi-picture JPEG, e.g. from 3D or dual cameras) is found by the
# JPEG plugin itself, so the sniffer reports it as JPEG.
ALLOWED_FORMATS = ("JPEG", "MPO", "PNG", "WEBP", "TIFF", "HEIF")
ALLOWED_DESCRIPTION = "JPEG, PNG, WebP, TIFF or HEIC/HEIF"
HEAD_SIZE = 4096

_HEIF_BRANDS = frozenset({b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs"})
_HEIF_STRUCTURAL_BRANDS = frozenset({b"mif1", b"msf1"})
_AVIF_BRANDS = frozenset({b"avif", b"avis"})
_TIFF_MAGIC = (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")

# (prefix, offset, is an image, what it is), checked in order after the allowed formats.
_SIGNATURES: tuple[tuple[bytes, int, bool, str], ...] = (
    (b"GIF87a", 0, True, "GIF"),
    (b"GIF89a", 0, True, "GIF"),
    (b"8BPS", 0, True, "PSD"),
    (b"%!PS", 0, True, "EPS"),
    (b"\xc5\xd0\xd3\xc6", 0, True, "EPS"),
    (b"SIMPLE  =", 0, True, "FITS"),
    (b"\x00\x00\x01\x00", 0, True, "ICO"),
    (b"\x00\x00\x02\x00", 0, True, "CUR"),
    (b"\x00\x00\x00\x0cjP  \r\n\x87\n", 0, True, "JPEG 2000"),
    (b"\xff\x4f\xff\x51", 0, True, "JPEG 2000"),
    (b"\x00\x00\x00\x0cJXL \r\n\x87\n", 0, True, "JPEG XL"),
    (b"\xff\x0a", 0, True, "JPEG XL"),
    (b"gimp xcf", 0, True, "XCF"),
    (b"qoif", 0, True, "QOI"),
    (b"DDS ", 0, True, "DDS"),
    (b"v/1\x01", 0, True, "OpenEXR"),
    (b"#?RADIANCE", 0, True, "Radiance HDR"),
    (b"%PDF-", 0, False, "a PDF document"),
    (b"PK\x03\x04", 0, False, "a ZIP archive"),
    (b"PK\x05\x06", 0, False, "a ZIP archive"),
    (b"\x1f\x8b", 0, False, "a gzip archive"),
    (b"Rar!\x1a\x07", 0, False, "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", 0, False, "a 7-Zip archive"),
    (b"\x7fELF", 0, False, "a program"),
    (b"\x1aE\xdf\xa3", 0, False, "a video"),
    (b"OggS", 0, False, "an audio file"),
    (b"fLaC", 0, False, "an audio file"),
    (b"ID3", 0, False, "an audio file"),
)
_HTML_MARKERS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<script", b"<iframe", b"<meta", b"<!--")


def sniff_file(path: Path) -> str:
    """The Pillow format to open ``path`` with; MediaError for anything outside the allowlist."""
    with open(path, "rb") as stream:
        return sniff_format(stream.read(HEAD_SIZE))


def sniff_format(head: bytes) -> str:
    """The Pillow format that the first bytes of a file announce (one of ``ALLOWED_FORMATS``).

    Raises MediaError "empty", "format_not_allowed" (an image in another format) or "not_image".
    """
    if not head:
        raise MediaError("empty", "The file is empty.")
    allowed = _allowed_format(head)
    if allowed is not None:
        return allowed
    found = _other_format(head)
    if found is None:
        raise MediaError("not_image", "This file is not an image.", {"detected": "unknown"})
    is_image, what = found
    if is_image:
        raise MediaError(
            "format_not_allowed",
            f"Image format not allowed ({what}); upload {ALLOWED_DESCRIPTION}.",
            {"format": what},
        )
    raise MediaError("not_image", f"This file is not an image: it looks like {what}.", {"detected": what})


def _allowed_format(head: bytes) -> str | None:
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    if head[:4] in _TIFF_MAGIC and head[8:10] != b"CR":
        return "TIFF"
    if head[4:8] == b"ftyp" and _iso_media_kind(head) == "HEIF":
        return "HEIF"
    return None


def _iso_media_kind(head: bytes) -> str:
    """HEIF, AVIF, Canon raw (CR3) or video, from the brands in an ISO media ``ftyp`` box."""
    box_size = int.from_bytes(head[:4], "big")
    major = head[8:12]
    compatible = {head[i : i + 4] for i in range(16, min(box_size, len(head)) - 3, 4)}
    if major in _HEIF_BRANDS or (major in _HEIF_STRUCTURAL_BRANDS and compatible & _HEIF_BRANDS):
        return "HEIF"
    if major in _AVIF_BRANDS or (major in _HEIF_STRUCTURAL_BRANDS and compatible & _AVIF_BRANDS):
        return "AVIF"
    if major == b"crx ":
        return "Canon raw (CR3)"
    if major in _HEIF_STRUCTURAL_BRANDS:
        return "HEIF with an unsupported codec"
    return "video"


def _other_format(head: bytes) -> tuple[bool, str] | None:
    """(is an image, what it is) for a recognised file outside the allowlist."""
    if head[4:8] == b"ftyp":
        kind = _iso_media_kind(head)
        return (False, "a video") if kind == "video" else (True, kind)
    if head[:4] == b"RIFF":
        return False, "a video or audio file"
    if head[:4] in _TIFF_MAGIC:
        return True, "Canon raw (CR2)"  # the only TIFF that _allowed_format turns away
    if head[:2] == b"BM" and head[6:10] == b"\x00\x00\x00\x00":  # BMP's reserved, always-zero bytes
        return True, "BMP"
    if _looks_like_netpbm(head):
        return True, "Netpbm"
    for prefix, offset, is_image, what in _SIGNATURES:
        if head[offset : offset + len(prefix)] == prefix:
            return is_image, what
    return _text_format(head)


def _looks_like_netpbm(head: bytes) -> bool:
    return len(head) > 2 and head[0:1] == b"P" and head[1:2] in b"123456" and head[2:3].isspace()


def _text_format(head: bytes) -> tuple[bool, str] | None:
    """HTML, SVG, XML or plain text, judged from the start of the file."""
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip().lower()
    if text.startswith(b"<"):
        if b"<svg" in text:
            return False, "an SVG drawing"
        if any(marker in text for marker in _HTML_MARKERS):
            return False, "an HTML page"
        return False, "an XML or HTML document"
    if b"\x00" not in head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as error:
            # A multi-byte character cut by the end of the head is still text.
            if error.start < len(head) - 4:
                return None
        return False, "a text file"
    return None
