"""IIIF Image API arithmetic and rendering: parsing, refusals, orientation, reduced decode, no metadata."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageStat

from media.iiif import Box, IIIFRequestError, SizeLimits, image_info, plan_request, scale_factors
from media.iiif_cache import IIIFCache
from media.iiif_render import IIIFImages, encode_jpeg, render, stored_box
from media.images import ORIENTATION_TRANSPOSE
from tests.unit.media.conftest import exif_block, gps_ifd, make_picture

SIZE = (4000, 3000)
SHA = "ab" * 32


@pytest.mark.parametrize(("args", "region", "size"), [
    (("full", "max", "0", "default.jpg"), Box(0, 0, 4000, 3000), (4000, 3000)),
    (("square", "300,", "0", "default.jpg"), Box(500, 0, 3000, 3000), (300, 300)),
    (("0,0,512,512", "512,", "0", "color.jpg"), Box(0, 0, 512, 512), (512, 512)),
    (("3584,2560,1024,1024", "256,", "0", "default.jpg"), Box(3584, 2560, 416, 440), (256, 271)),
    (("full", ",150", "0", "default.jpg"), Box(0, 0, 4000, 3000), (200, 150)),
    (("full", "200,100", "0", "gray.jpg"), Box(0, 0, 4000, 3000), (200, 100)),
    (("full", "!400,400", "0", "default.jpg"), Box(0, 0, 4000, 3000), (400, 300)),
    (("pct:50,50,50,50", "pct:10", "0", "default.jpg"), Box(2000, 1500, 2000, 1500), (200, 150)),
])
def test_plans(args: tuple[str, str, str, str], region: Box, size: tuple[int, int]) -> None:
    plan = plan_request(SIZE, *args)
    assert (plan.region, plan.size) == (region, size)
    assert plan.gray == (args[3] == "gray.jpg")


def test_max_fits_the_limits_of_a_huge_image() -> None:
    plan = plan_request((20000, 10000), "full", "max", "0", "default.jpg", SizeLimits(4096, 4096, 4096 * 4096))
    assert plan.size == (4096, 2048)
    plan = plan_request((6000, 6000), "full", "max", "0", "default.jpg", SizeLimits(5000, 5000, 1_000_000))
    assert plan.size == (1000, 1000)


@pytest.mark.parametrize(("args", "code"), [
    (("-1,0,10,10", "max", "0", "default.jpg"), "iiif_region"),
    (("0,0,0,10", "max", "0", "default.jpg"), "iiif_region_empty"),
    (("4000,0,10,10", "max", "0", "default.jpg"), "iiif_region_outside"),
    (("0,3000,10,10", "max", "0", "default.jpg"), "iiif_region_outside"),
    (("1" * 40 + ",0,1,1", "max", "0", "default.jpg"), "iiif_region"),
    (("full", "0,", "0", "default.jpg"), "iiif_size_zero"),
    (("full", "pct:0", "0", "default.jpg"), "iiif_size_zero"),
    (("full", "4001,", "0", "default.jpg"), "iiif_upscale"),
    (("full", "^max", "0", "default.jpg"), "iiif_upscale"),
    (("full", "pct:101", "0", "default.jpg"), "iiif_upscale"),
    (("full", "!9000,9000", "0", "default.jpg"), "iiif_upscale"),
    (("full", "4000,3000", "0", "default.jpg"), "iiif_too_large"),
    (("full", "full", "0", "default.jpg"), "iiif_size"),
    (("full", "max", "90", "default.jpg"), "iiif_rotation"),
    (("full", "max", "!0", "default.jpg"), "iiif_rotation"),
    (("full", "max", "0", "bitonal.jpg"), "iiif_quality"),
    (("full", "max", "0", "default.png"), "iiif_format"),
    (("full", "max", "0", "default"), "iiif_format"),
])
def test_refusals(args: tuple[str, str, str, str], code: str) -> None:
    with pytest.raises(IIIFRequestError) as raised:
        plan_request(SIZE, *args, limits=SizeLimits(4096, 4096, 4000 * 2999))
    assert raised.value.code == code


def test_info_document() -> None:
    info = image_info("https://example.org/iiif/3/7", (4032, 3024))
    assert info["type"] == "ImageService3" and info["profile"] == "level1"
    assert info["tiles"] == [{"width": 512, "height": 512, "scaleFactors": [1, 2, 4, 8]}]
    assert info["sizes"][0] == {"width": 504, "height": 378} and info["sizes"][-1] == {"width": 4032, "height": 3024}
    assert scale_factors((512, 100)) == [1]


@pytest.mark.parametrize("orientation", range(1, 9))
def test_stored_box_matches_cut_after_turning(orientation: int) -> None:
    stored = make_picture((60, 40), seed=orientation)
    upright = stored.transpose(ORIENTATION_TRANSPOSE[orientation]) if orientation in ORIENTATION_TRANSPOSE else stored
    box = Box(7, 5, 20, 11)
    x, y, w, h = stored_box(box, orientation, upright.size)
    cut = stored.crop((x, y, x + w, y + h))
    cut = cut.transpose(ORIENTATION_TRANSPOSE[orientation]) if orientation in ORIENTATION_TRANSPOSE else cut
    expected = upright.crop((7, 5, 27, 16))
    assert ImageChops.difference(cut, expected).getbbox() is None


def _jpeg(image: Image.Image, **params: object) -> io.BytesIO:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=95, **params)
    buffer.seek(0)
    return buffer


def _mean_difference(a: Image.Image, b: Image.Image) -> float:
    return sum(ImageStat.Stat(ImageChops.difference(a.convert("RGB"), b.convert("RGB"))).mean) / 3


def test_render_turns_by_exif_and_drops_gps() -> None:
    upright = make_picture((400, 300), seed=3)
    stored = upright.transpose(Image.Transpose.ROTATE_90)  # orientation 6 turns it back
    exif = exif_block(orientation=6, gps=gps_ifd((22.0, 30.0, 0.0), "N", (112.0, 40.0, 0.0), "E"))
    plan = plan_request((400, 300), "100,50,200,100", "max", "0", "default.jpg")
    data = encode_jpeg(render(_jpeg(stored, exif=exif), plan))
    out = Image.open(io.BytesIO(data))
    assert out.size == (200, 100)
    assert not out.getexif() and "exif" not in out.info and "icc_profile" not in out.info
    expected = upright.crop((100, 50, 300, 150))
    assert _mean_difference(out, expected) < 4  # JPEG noise; turned the wrong way it is over 30
    assert _mean_difference(out, upright.transpose(Image.Transpose.ROTATE_180).crop((100, 50, 300, 150))) > 15


def test_reduced_decode_and_gray() -> None:
    picture = make_picture((2048, 1536), seed=5)
    plan = plan_request(picture.size, "full", "256,", "0", "gray.jpg")
    out = render(_jpeg(picture), plan)
    assert out.size == (256, 192) and out.mode == "L"


def test_images_cache_hit_makes_no_decode(tmp_path: Path) -> None:
    picture = make_picture((800, 600), seed=9)
    original = _jpeg(picture).getvalue()
    images = IIIFImages(IIIFCache(tmp_path / "cache", 10_000_000))
    plan = plan_request(picture.size, "0,0,512,512", "256,", "0", "default.jpg")
    first = images.image(SHA, plan, lambda: io.BytesIO(original))
    again = images.image(SHA, plan, lambda: io.BytesIO(original))
    assert first == again and images.decodes == 1
    assert (tmp_path / "cache" / "ab" / SHA / f"{plan.cache_key}.jpg").read_bytes() == first


def test_cache_prunes_least_recently_used(tmp_path: Path) -> None:
    cache = IIIFCache(tmp_path, max_bytes=10_000)
    for n in range(5):
        cache.write(SHA, f"k{n}", bytes(1500))
    assert cache.usage().files == 5
    import os
    for n in range(5):
        os.utime(cache.path_for(SHA, f"k{n}"), (1000 + n, 1000 + n))
    assert cache.read(SHA, "k0") is not None  # now the most recently used
    result = cache.prune(max_bytes=5000)
    assert result.kept.bytes <= 4500
    assert cache.read(SHA, "k0") is not None and cache.read(SHA, "k1") is None
    gone = cache.prune(keep=lambda sha: sha != SHA)
    assert gone.kept.files == 0 and not any(tmp_path.iterdir())


def test_tiles_of_one_level_share_one_decode(tmp_path: Path) -> None:
    picture = make_picture((1600, 1200), seed=11)
    original = _jpeg(picture).getvalue()
    images = IIIFImages(IIIFCache(tmp_path / "cache", 10_000_000))
    tiles = ["0,0,512,512", "512,0,512,512", "1024,0,512,512", "0,512,512,512"]
    made = [images.image(SHA, plan_request(picture.size, t, "512,", "0", "default.jpg"), lambda: io.BytesIO(original))
            for t in tiles]
    assert images.decodes == 1 and len(set(made)) == 4
    # a coarser level is cut from the full-scale decode kept in memory; no new decode
    images.image(SHA, plan_request(picture.size, "full", "400,", "0", "default.jpg"), lambda: io.BytesIO(original))
    assert images.decodes == 1
    expected = encode_jpeg(render(io.BytesIO(original), plan_request(picture.size, tiles[1], "512,", "0", "default.jpg")))
    assert made[1] == expected  # the same bytes as a decode of its own


def test_writes_keep_the_cache_under_its_limit(tmp_path: Path) -> None:
    cache = IIIFCache(tmp_path, max_bytes=3000)
    for n in range(8):
        cache.write(SHA, f"k{n}", bytes(1000))
    usage = cache.usage()
    assert usage.bytes <= 3000 and cache.read(SHA, "k7") is not None  # the newest stays
