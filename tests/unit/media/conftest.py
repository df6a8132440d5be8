"""Test images for media/, all generated in code: photo-like pictures, EXIF blocks, ICC
profiles, hand-made JPEG and PNG headers for decompression bombs. Nothing binary is committed."""

from __future__ import annotations

import io
import random
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest
from PIL import ExifTags, Image, ImageDraw, ImageFilter


def make_picture(size: tuple[int, int] = (640, 480), seed: int = 1) -> Image.Image:
    """A deterministic photo-like RGB picture: a smooth background with shapes of many sizes."""
    rnd = random.Random(seed)
    width, height = size
    small = Image.new("RGB", (8, 6))
    small.putdata([tuple(rnd.randrange(256) for _ in range(3)) for _ in range(48)])
    picture = small.resize(size, Image.Resampling.BICUBIC)
    draw = ImageDraw.Draw(picture)
    for _ in range(40):
        x, y = rnd.randrange(width), rnd.randrange(height)
        w = rnd.randrange(width // 20 + 1, width // 3 + 2)
        h = rnd.randrange(height // 20 + 1, height // 3 + 2)
        colour = tuple(rnd.randrange(256) for _ in range(3))
        if rnd.random() < 0.5:
            draw.rectangle([x, y, x + w, y + h], fill=colour)
        else:
            draw.ellipse([x, y, x + w, y + h], fill=colour)
    return picture.filter(ImageFilter.GaussianBlur(max(1, width // 400)))


def exif_block(
    *,
    make: str | None = None,
    model: str | None = None,
    orientation: int | None = None,
    taken: str | None = None,
    offset: str | None = None,
    gps: dict[int, Any] | None = None,
    description: str | None = None,
) -> bytes:
    """EXIF bytes as a camera writes them; ``gps`` is a raw GPS IFD (tag -> value)."""
    exif = Image.Exif()
    for tag, value in (
        (ExifTags.Base.Make, make),
        (ExifTags.Base.Model, model),
        (ExifTags.Base.Orientation, orientation),
        (ExifTags.Base.ImageDescription, description),
    ):
        if value is not None:
            exif[tag] = value
    details: dict[int, Any] = {}
    if taken is not None:
        details[ExifTags.Base.DateTimeOriginal] = taken
    if offset is not None:
        details[ExifTags.Base.OffsetTimeOriginal] = offset
    if details:
        exif[ExifTags.IFD.Exif] = details
    if gps:
        exif[ExifTags.IFD.GPSInfo] = gps
    return exif.tobytes()


def gps_ifd(lat: tuple[float, ...], lat_ref: str, lon: tuple[float, ...], lon_ref: str) -> dict[int, Any]:
    return {
        ExifTags.GPS.GPSLatitudeRef: lat_ref,
        ExifTags.GPS.GPSLatitude: lat,
        ExifTags.GPS.GPSLongitudeRef: lon_ref,
        ExifTags.GPS.GPSLongitude: lon,
    }


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_header_bomb(width: int, height: int, idat_bytes: int = 48_000) -> bytes:
    """A small PNG that declares ``width`` x ``height`` grey pixels (most of them missing)."""
    row = b"\x00" + b"\x00" * width
    compressor = zlib.compressobj(9)
    data = b""
    while len(data) < idat_bytes:
        data += compressor.compress(row * 64) + compressor.flush(zlib.Z_SYNC_FLUSH)
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", data[:idat_bytes])
        + _png_chunk(b"IEND", b"")
    )


def flat_grey_jpeg(width: int, height: int) -> bytes:
    """A valid baseline greyscale JPEG of any size, every 8x8 block mid-grey, in about
    6 bits per block: big photos for limit tests without holding their pixels in memory.

    Each block is coded as DC difference 0 ("00") then end-of-block ("1010") with the standard
    luminance Huffman tables; 001010 repeated packs into the bytes 28 A2 8A, none of them FF.
    """
    dc_bits = bytes([0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0])
    dc_values = bytes(range(12))
    ac_bits = bytes([0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7D])
    ac_values = bytes.fromhex(
        "01020300041105122131410613516107227114328191a1082342b1c11552d1f02433627282090a161718191a25262728292a"
        "3435363738393a434445464748494a535455565758595a636465666768696a737475767778797a838485868788898a929394"
        "95969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8"
        "e9eaf1f2f3f4f5f6f7f8f9fa"
    )

    def segment(marker: int, payload: bytes) -> bytes:
        return struct.pack(">BBH", 0xFF, marker, len(payload) + 2) + payload

    blocks = -(-width // 8) * -(-height // 8)
    scan = b"\x28\xa2\x8a" * (blocks // 4) + [b"", b"\x2b", b"\x28\xaf", b"\x28\xa2\xbf"][blocks % 4]
    return (
        b"\xff\xd8"
        + segment(0xDB, b"\x00" + bytes([1] * 64))
        + segment(0xC0, struct.pack(">BHHB", 8, height, width, 1) + b"\x01\x11\x00")
        + segment(0xC4, b"\x00" + dc_bits + dc_values)
        + segment(0xC4, b"\x10" + ac_bits + ac_values)
        + segment(0xDA, b"\x01\x01\x00\x00\x3f\x00")
        + scan
        + b"\xff\xd9"
    )


def _s15(value: float) -> bytes:
    return struct.pack(">i", round(value * 65536))


XYZ = tuple[float, float, float]


def rgb_icc_profile(description: str, red: XYZ, green: XYZ) -> bytes:
    """A minimal ICC v2 matrix/TRC RGB display profile with the given red and green primaries
    (D50 XYZ), the sRGB blue primary and gamma 2.2: enough for LittleCMS to convert with."""
    blue = (0.1431, 0.0606, 0.7141)

    def xyz(values: XYZ) -> bytes:
        return b"XYZ " + b"\x00" * 4 + b"".join(_s15(v) for v in values)

    text = description.encode("ascii") + b"\x00"
    desc = b"desc" + b"\x00" * 4 + struct.pack(">I", len(text)) + text + b"\x00" * 11 + b"\x00" * 67
    curve = b"curv" + b"\x00" * 4 + struct.pack(">IH", 1, 0x0233) + b"\x00\x00"
    tags = [
        (b"desc", desc),
        (b"wtpt", xyz((0.9642, 1.0, 0.8249))),
        (b"rXYZ", xyz(red)),
        (b"gXYZ", xyz(green)),
        (b"bXYZ", xyz(blue)),
        (b"rTRC", curve),
        (b"gTRC", curve),
        (b"bTRC", curve),
        (b"cprt", b"text" + b"\x00" * 4 + b"none\x00\x00\x00\x00"),
    ]
    offset = 128 + 4 + 12 * len(tags)
    table, body = b"", b""
    for signature, data in tags:
        table += signature + struct.pack(">II", offset + len(body), len(data))
        body += data + b"\x00" * (-len(data) % 4)
    size = offset + len(body)
    header = (
        struct.pack(">I", size)
        + b"none"
        + struct.pack(">I", 0x02100000)
        + b"mntrRGB XYZ "
        + struct.pack(">6H", 2024, 1, 1, 0, 0, 0)
        + b"acsp"
        + b"\x00" * 24
        + struct.pack(">I", 0)
        + _s15(0.9642)
        + _s15(1.0)
        + _s15(0.8249)
        + b"none"
        + b"\x00" * 44
    )
    assert len(header) == 128
    return header + struct.pack(">I", len(tags)) + table + body


class Samples:
    """The generators above, plus ``save`` into this test's folder; use the ``samples`` fixture."""

    picture = staticmethod(make_picture)
    exif = staticmethod(exif_block)
    gps = staticmethod(gps_ifd)
    png_bomb = staticmethod(png_header_bomb)
    grey_jpeg = staticmethod(flat_grey_jpeg)
    icc_profile = staticmethod(rgb_icc_profile)

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def save(self, content: Image.Image | bytes, name: str, **params: Any) -> Path:
        """Write an image (with Pillow ``save`` params such as ``format``) or raw bytes."""
        path = self.folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            buffer = io.BytesIO()
            content.save(buffer, **params)
            path.write_bytes(buffer.getvalue())
        return path


@pytest.fixture
def samples(tmp_path: Path) -> Samples:
    return Samples(tmp_path / "uploads")


@pytest.fixture
def derivative_root(tmp_path: Path) -> Path:
    return tmp_path / "derivatives"
