"""Opening and inspecting: allowed formats, pixel limits, decompression bombs, damage."""

from __future__ import annotations

import struct
import subprocess
import sys
import textwrap
import warnings
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import pytest
from PIL import Image

from media import DEFAULT_LIMITS, MediaError, PixelLimits, inspect_image, process_original

if TYPE_CHECKING:
    from conftest import Samples

SHA = "ab" * 32
REPO = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize(
    ("params", "fmt", "mime"),
    [
        ({"format": "JPEG", "quality": 85}, "JPEG", "image/jpeg"),
        ({"format": "PNG"}, "PNG", "image/png"),
        ({"format": "WEBP", "quality": 80}, "WEBP", "image/webp"),
        ({"format": "TIFF", "compression": "tiff_lzw"}, "TIFF", "image/tiff"),
        ({"format": "HEIF", "quality": 70}, "HEIF", "image/heic"),
    ],
)
def test_allowed_formats_are_inspected(samples: Samples, params: dict[str, object], fmt: str, mime: str) -> None:
    if fmt == "HEIF":
        import pillow_heif

        pillow_heif.register_heif_opener()
    path = samples.save(samples.picture((320, 200)), "photo.bin", **params)
    info = inspect_image(path)
    assert (info.format, info.mime, info.width, info.height) == (fmt, mime, 320, 200)
    assert not info.damaged and info.damage_reason is None


def test_an_mpo_is_a_jpeg_with_more_pictures(samples: Samples) -> None:
    left, right = samples.picture((300, 200), seed=1), samples.picture((300, 200), seed=2)
    path = samples.save(left, "stereo.mpo", format="MPO", save_all=True, append_images=[right])
    info = inspect_image(path)
    assert (info.format, info.mime, info.width, info.height) == ("MPO", "image/jpeg", 300, 200)


@pytest.mark.parametrize(("orientation", "size"), [(1, (300, 200)), (3, (300, 200)), (6, (200, 300)), (8, (200, 300))])
def test_size_is_reported_as_displayed(samples: Samples, orientation: int, size: tuple[int, int]) -> None:
    exif = samples.exif(orientation=orientation)
    path = samples.save(samples.picture((300, 200)), "turned.jpg", format="JPEG", exif=exif)
    info = inspect_image(path)
    assert (info.width, info.height) == size
    assert info.exif.orientation == orientation


def test_a_10000_by_10000_png_is_refused(samples: Samples) -> None:
    path = samples.save(samples.png_bomb(10_000, 10_000), "big.png")
    with pytest.raises(MediaError) as raised:
        inspect_image(path)
    assert raised.value.code == "decompression_bomb"
    assert raised.value.params == {"width": 10_000, "height": 10_000, "limit": DEFAULT_LIMITS.full}
    assert "100 megapixels" in raised.value.message


def test_a_48_kb_png_declaring_20000_by_20000_is_refused(samples: Samples) -> None:
    content = samples.png_bomb(20_000, 20_000)
    assert len(content) < 49_000
    with pytest.raises(MediaError) as raised:
        inspect_image(samples.save(content, "bomb.png"))
    assert raised.value.code == "decompression_bomb"


@pytest.mark.parametrize("where", ["before", "after"])
def test_a_png_text_chunk_that_inflates_to_50_mb_is_refused(samples: Samples, where: str) -> None:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    text = chunk(b"zTXt", b"comment\x00\x00" + zlib.compress(b"\x00" * 50_000_000, 9))
    pixels = chunk(b"IDAT", zlib.compress(b"\x00" * 72))
    body = text + pixels if where == "before" else pixels + text
    ihdr = chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 0, 0, 0, 0))
    path = samples.save(b"\x89PNG\r\n\x1a\n" + ihdr + body + chunk(b"IEND", b""), "text-bomb.png")
    assert path.stat().st_size < 60_000
    with pytest.raises(MediaError) as raised:
        inspect_image(path)
    assert raised.value.code == "decompression_bomb"


@pytest.mark.parametrize("warning_filter", ["error", "ignore"])
def test_bombs_are_refused_whether_or_not_warnings_are_errors(
    samples: Samples, warning_filter: Literal["error", "ignore"]
) -> None:
    # 300 MP lies between Pillow's warning and error thresholds once they are raised for JPEG.
    path = samples.save(samples.grey_jpeg(20_000, 15_000), "huge.jpg")
    with warnings.catch_warnings():
        warnings.simplefilter(warning_filter, Image.DecompressionBombWarning)
        with pytest.raises(MediaError) as raised:
            inspect_image(path)
    assert raised.value.code == "decompression_bomb"


def test_a_196_megapixel_jpeg_is_accepted_and_decoded_small(samples: Samples, derivative_root: Path) -> None:
    path = samples.save(samples.grey_jpeg(14_000, 14_000), "huge-but-real.jpg")
    info = inspect_image(path)
    assert (info.format, info.width, info.height, info.damaged) == ("JPEG", 14_000, 14_000, False)
    result = process_original(path, derivative_root, SHA)
    assert {n: (d.width, d.height) for n, d in result.derivatives.items()} == {
        "large": (2048, 2048),
        "medium": (1024, 1024),
        "thumb": (320, 320),
    }
    with Image.open(result.derivatives["medium"].path) as medium:
        assert medium.convert("L").getextrema() == (128, 128)


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads Linux's /proc")
def test_a_big_jpeg_costs_little_memory(samples: Samples, tmp_path: Path) -> None:
    """DCT scaling, observed as the peak memory of a process making all derivatives of a
    196 MP JPEG: a full decode would need 196 MB for its grey pixels alone.

    The peak is the child's VmHWM: ru_maxrss would include the size of this pytest process,
    which Linux carries over into a child through fork and exec."""
    path = samples.save(samples.grey_jpeg(14_000, 14_000), "huge.jpg")
    script = textwrap.dedent(
        f"""
        import re, sys
        from pathlib import Path
        sys.path.insert(0, {str(REPO)!r})
        import media
        media.process_original(Path({str(path)!r}), Path({str(tmp_path / "d")!r}), {SHA!r})
        status = Path("/proc/self/status").read_text()
        print(int(re.search(r"VmHWM:\\s+(\\d+) kB", status).group(1)) // 1024)
        """
    )
    peak_mib = int(subprocess.run([sys.executable, "-c", script], check=True, capture_output=True).stdout)
    assert peak_mib < 120


def test_limits_depend_on_how_the_format_decodes(samples: Samples) -> None:
    limits = PixelLimits(scaled=2_000_000, full=500_000)
    picture = samples.picture((1000, 1000))
    baseline = samples.save(picture, "baseline.jpg", format="JPEG")
    assert inspect_image(baseline, limits=limits).width == 1000
    refused = [
        samples.save(picture, "progressive.jpg", format="JPEG", progressive=True),
        samples.save(picture, "full.png", format="PNG"),
        samples.save(picture, "full.webp", format="WEBP"),
        samples.save(picture, "full.tiff", format="TIFF"),
        samples.save(samples.picture((2000, 1500)), "too-big.jpg", format="JPEG"),
    ]
    for path in refused:
        with pytest.raises(MediaError) as raised:
            inspect_image(path, limits=limits)
        assert raised.value.code == "decompression_bomb", path.name


def test_a_truncated_jpeg_is_reported_damaged_not_refused(samples: Samples) -> None:
    whole = samples.save(samples.picture((800, 600)), "whole.jpg", format="JPEG", exif=samples.exif(make="Canon"))
    content = whole.read_bytes()
    path = samples.save(content[: len(content) // 2], "cut.jpg")
    info = inspect_image(path)
    assert info.damaged
    assert info.damage_reason is not None and info.damage_reason.startswith("truncated")
    assert (info.width, info.height, info.exif.camera) == (800, 600, "Canon")
    assert path.read_bytes() == content[: len(content) // 2]  # inspected, never "fixed"


def test_a_png_with_corrupted_pixel_data_is_reported_damaged(samples: Samples) -> None:
    content = bytearray(samples.save(samples.picture((400, 300)), "ok.png", format="PNG").read_bytes())
    middle = len(content) // 2
    content[middle : middle + 64] = bytes(255 - b for b in content[middle : middle + 64])
    info = inspect_image(samples.save(bytes(content), "corrupt.png"))
    assert info.damaged
    assert info.damage_reason is not None and info.damage_reason.startswith("corrupt image data")


def test_a_truncated_png_is_reported_damaged(samples: Samples) -> None:
    content = samples.save(samples.picture((400, 300)), "ok.png", format="PNG").read_bytes()
    info = inspect_image(samples.save(content[: len(content) * 2 // 3], "cut.png"))
    assert info.damaged
    assert info.damage_reason is not None and info.damage_reason.startswith("truncated")


def test_a_jpeg_with_a_broken_data_stream_is_reported_damaged(samples: Samples) -> None:
    content = bytearray(samples.save(samples.picture((800, 600)), "ok.jpg", format="JPEG").read_bytes())
    middle = len(content) // 2
    content[middle : middle + 2000] = b"\xff" * 2000
    info = inspect_image(samples.save(bytes(content), "broken.jpg"))
    assert info.damaged
    assert info.damage_reason is not None and info.damage_reason.startswith("corrupt")


def test_a_heic_reports_its_orientation_and_displayed_size(samples: Samples) -> None:
    import pillow_heif

    pillow_heif.register_heif_opener()
    exif = samples.exif(orientation=6, make="Apple", model="iPhone 15")
    path = samples.save(samples.picture((400, 300)), "IMG_0001.HEIC", format="HEIF", exif=exif, quality=70)
    info = inspect_image(path)
    assert (info.format, info.width, info.height) == ("HEIF", 300, 400)
    assert info.exif.orientation == 6
    assert info.exif.camera == "Apple iPhone 15"
