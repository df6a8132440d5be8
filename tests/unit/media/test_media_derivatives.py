"""Derivatives: sizes, orientation, colour, no metadata, atomic writes, regeneration."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from PIL import Image, ImageCms, ImageDraw

from media import (
    DERIVATIVE_SIZES,
    MediaError,
    delete_derivatives,
    derivative_path,
    missing_derivatives,
    process_original,
    sniff_file,
)

if TYPE_CHECKING:
    from conftest import Samples

SHA = "c0ffee" + "0" * 58


def jpeg_markers(content: bytes) -> list[int]:
    """The markers of a JPEG's header segments, from SOI up to the first SOS."""
    assert content[:2] == b"\xff\xd8"
    markers, at = [], 2
    while True:
        marker = content[at + 1]
        markers.append(marker)
        if marker == 0xDA:
            return markers
        (length,) = struct.unpack(">H", content[at + 2 : at + 4])
        at += 2 + length


def sizes(result: object) -> dict[str, tuple[int, int]]:
    return {name: (d.width, d.height) for name, d in result.derivatives.items()}  # type: ignore[attr-defined]


def pixel(path: Path, xy: tuple[int, int]) -> tuple[int, ...]:
    with Image.open(path) as image:
        return image.convert("RGB").getpixel(xy)  # type: ignore[return-value]


def close_to(actual: tuple[int, ...], expected: tuple[int, ...], tolerance: int = 40) -> bool:
    return all(abs(a - e) <= tolerance for a, e in zip(actual, expected, strict=True))


def test_one_call_makes_every_derivative_without_any_metadata(samples: Samples, derivative_root: Path) -> None:
    exif = samples.exif(
        make="Apple",
        model="iPhone 15",
        taken="2024:05:01 14:30:00",
        gps=samples.gps((22.0, 15.0, 36.0), "N", (112.0, 47.0, 24.0), "E"),
        description="<script>alert('description')</script>" + "D" * 60_000,
    )
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF>GPSLatitude secret</rdf:RDF></x:xmpmeta>'
    src = samples.save(
        samples.picture((3000, 2000)),
        "IMG_1234.jpg",
        format="JPEG",
        exif=exif,
        icc_profile=srgb,
        xmp=xmp,
        comment=b"<script>alert('comment')</script>",
    )
    result = process_original(src, derivative_root, SHA)
    assert sizes(result) == {"large": (2048, 1365), "medium": (1024, 683), "thumb": (320, 320)}
    assert result.info.exif.lat is not None and result.info.exif.camera == "Apple iPhone 15"
    assert result.phash is not None and len(result.phash) == 16
    for name, derivative in result.derivatives.items():
        assert derivative.path == derivative_path(derivative_root, SHA, name)
        content = derivative.path.read_bytes()
        assert derivative.size == len(content)
        assert sniff_file(derivative.path) == "JPEG"
        # Only JFIF (APP0), tables, frame and scan headers: no APP1 (EXIF, XMP), APP2 (ICC), COM.
        assert set(jpeg_markers(content)) <= {0xE0, 0xDB, 0xC0, 0xC4, 0xDA}
        for secret in (b"Exif", b"xmpmeta", b"ICC_PROFILE", b"script", b"iPhone", b"GPS"):
            assert secret not in content


def test_draft_slack_keeps_the_half_scale_decode_of_a_phone_photo(samples: Samples, derivative_root: Path) -> None:
    src = samples.save(samples.picture((4032, 3024)), "phone.jpg", format="JPEG", quality=80)
    assert sizes(process_original(src, derivative_root, SHA))["large"] == (2016, 1512)
    exact = process_original(src, derivative_root, SHA, draft_slack=0)
    assert sizes(exact) == {"large": (2048, 1536), "medium": (1024, 768), "thumb": (320, 320)}


def test_small_originals_are_never_enlarged(samples: Samples, derivative_root: Path) -> None:
    src = samples.save(samples.picture((200, 100)), "small.png", format="PNG")
    assert sizes(process_original(src, derivative_root, SHA)) == {
        "large": (200, 100),
        "medium": (200, 100),
        "thumb": (100, 100),
    }


def test_a_panorama_still_gets_a_full_size_thumbnail(samples: Samples, derivative_root: Path) -> None:
    src = samples.save(samples.picture((8000, 1000)), "pano.jpg", format="JPEG")
    assert sizes(process_original(src, derivative_root, SHA)) == {
        "large": (2048, 256),
        "medium": (1024, 128),
        "thumb": (320, 320),
    }


def test_the_thumbnail_is_the_centre_square(samples: Samples, derivative_root: Path) -> None:
    picture = Image.new("RGB", (900, 300), (0, 0, 255))
    ImageDraw.Draw(picture).rectangle([300, 0, 599, 299], fill=(0, 255, 0))
    ImageDraw.Draw(picture).rectangle([600, 0, 899, 299], fill=(255, 0, 0))
    result = process_original(samples.save(picture, "bands.png", format="PNG"), derivative_root, SHA)
    thumb = result.derivatives["thumb"].path
    assert result.derivatives["thumb"].width == 300
    for xy in [(2, 2), (150, 150), (297, 297)]:
        assert close_to(pixel(thumb, xy), (0, 255, 0))


def red_corner_picture() -> Image.Image:
    picture = Image.new("RGB", (600, 400), (255, 255, 255))
    ImageDraw.Draw(picture).rectangle([0, 0, 99, 99], fill=(255, 0, 0))
    return picture


def test_exif_orientation_is_applied(samples: Samples, derivative_root: Path) -> None:
    # Orientation 6: the stored picture must be turned 90 degrees clockwise to be upright,
    # which moves its top-left corner to the top-right.
    src = samples.save(red_corner_picture(), "turned.jpg", format="JPEG", exif=samples.exif(orientation=6))
    result = process_original(src, derivative_root, SHA)
    medium = result.derivatives["medium"]
    assert (medium.width, medium.height) == (400, 600)
    assert close_to(pixel(medium.path, (390, 10)), (255, 0, 0))
    assert close_to(pixel(medium.path, (10, 10)), (255, 255, 255))


def test_a_heic_is_turned_once_not_twice(samples: Samples, derivative_root: Path) -> None:
    import pillow_heif

    pillow_heif.register_heif_opener()
    src = samples.save(red_corner_picture(), "IMG.HEIC", format="HEIF", exif=samples.exif(orientation=6), quality=90)
    medium = process_original(src, derivative_root, SHA).derivatives["medium"]
    assert (medium.width, medium.height) == (400, 600)
    assert close_to(pixel(medium.path, (390, 10)), (255, 0, 0))


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"format": "WEBP", "quality": 90}, "p.webp"),
        ({"format": "TIFF"}, "p.tiff"),
        ({"format": "PNG"}, "p.png"),
        ({"format": "HEIF", "quality": 80}, "p.heic"),
    ],
)
def test_every_allowed_format_gets_derivatives(
    samples: Samples, derivative_root: Path, params: dict[str, object], name: str
) -> None:
    import pillow_heif

    pillow_heif.register_heif_opener()
    result = process_original(samples.save(samples.picture((1200, 900)), name, **params), derivative_root, SHA)
    assert sizes(result) == {"large": (1200, 900), "medium": (1024, 768), "thumb": (320, 320)}


def test_an_embedded_profile_is_converted_to_srgb(samples: Samples, derivative_root: Path) -> None:
    # A profile whose red primary is sRGB's green: correct conversion turns stored red into green.
    swapped = samples.icc_profile("Swapped RGB", red=(0.3851, 0.7169, 0.0971), green=(0.4361, 0.2225, 0.0139))
    red = Image.new("RGB", (400, 300), (255, 0, 0))
    src = samples.save(red, "tagged.jpg", format="JPEG", icc_profile=swapped, quality=95)
    medium = process_original(src, derivative_root, SHA).derivatives["medium"].path
    assert close_to(pixel(medium, (200, 150)), (0, 255, 0))


@pytest.mark.parametrize("icc", [b"not a profile at all", b""])
def test_a_broken_profile_is_ignored(samples: Samples, derivative_root: Path, icc: bytes) -> None:
    src = samples.save(Image.new("RGB", (400, 300), (255, 0, 0)), "bad-icc.png", format="PNG", icc_profile=icc)
    medium = process_original(src, derivative_root, SHA).derivatives["medium"].path
    assert close_to(pixel(medium, (200, 150)), (255, 0, 0))


def test_cmyk_becomes_rgb(samples: Samples, derivative_root: Path) -> None:
    src = samples.save(Image.new("CMYK", (400, 300), (0, 255, 255, 0)), "print.jpg", format="JPEG")
    medium = process_original(src, derivative_root, SHA).derivatives["medium"].path
    with Image.open(medium) as image:
        assert image.mode == "RGB"
    assert close_to(pixel(medium, (200, 150)), (255, 0, 0))


@pytest.mark.parametrize(
    ("picture", "expected"),
    [
        (Image.new("RGBA", (300, 200), (255, 0, 0, 0)), (255, 255, 255)),
        (Image.new("LA", (300, 200), (0, 0)), (255, 255, 255)),
        (Image.new("I;16", (300, 200), 32768), (128, 128, 128)),
        (Image.new("1", (300, 200), 1), (255, 255, 255)),
        (Image.new("RGB", (300, 200), (10, 200, 30)).quantize(16), (10, 200, 30)),
    ],
)
def test_any_pixel_mode_ends_up_as_shown(
    samples: Samples, derivative_root: Path, picture: Image.Image, expected: tuple[int, int, int]
) -> None:
    src = samples.save(picture, "mode.png", format="PNG")
    medium = process_original(src, derivative_root, SHA).derivatives["medium"].path
    assert close_to(pixel(medium, (150, 100)), expected, tolerance=8)


def test_a_transparent_palette_png_is_laid_over_white(samples: Samples, derivative_root: Path) -> None:
    picture = Image.new("P", (300, 200), 0)
    picture.putpalette([0, 0, 0, 255, 0, 0])
    src = samples.save(picture, "palette.png", format="PNG", transparency=0)
    medium = process_original(src, derivative_root, SHA).derivatives["medium"].path
    assert close_to(pixel(medium, (150, 100)), (255, 255, 255), tolerance=8)


def test_bytes_appended_to_a_jpeg_never_reach_a_derivative(samples: Samples, derivative_root: Path) -> None:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("secret.txt", "appended secret")
    jpeg = samples.save(samples.picture((900, 600)), "plain.jpg", format="JPEG").read_bytes()
    polyglot = jpeg + b"<html><script>alert('appended')</script></html>" + archive.getvalue()
    src = samples.save(polyglot, "polyglot.jpg")
    result = process_original(src, derivative_root, SHA)
    assert not result.info.damaged and result.info.format == "JPEG"
    assert src.read_bytes() == polyglot
    for derivative in result.derivatives.values():
        content = derivative.path.read_bytes()
        for appended in (b"<html", b"appended", b"PK\x03\x04", b"secret"):
            assert appended not in content


def test_a_damaged_original_gets_no_derivatives(samples: Samples, derivative_root: Path) -> None:
    whole = samples.save(samples.picture((800, 600)), "whole.jpg", format="JPEG").read_bytes()
    src = samples.save(whole[: len(whole) // 2], "cut.jpg")
    result = process_original(src, derivative_root, SHA)
    assert result.info.damaged and result.derivatives == {} and result.phash is None
    assert not derivative_root.exists() or list(derivative_root.rglob("*.jpg")) == []
    assert missing_derivatives(derivative_root, SHA) == list(DERIVATIVE_SIZES)


def test_a_refused_file_writes_nothing(samples: Samples, derivative_root: Path) -> None:
    src = samples.save(b"<html><body>not a photo</body></html>", "photo.jpg")
    with pytest.raises(MediaError) as raised:
        process_original(src, derivative_root, SHA)
    assert raised.value.code == "not_image"
    assert not derivative_root.exists()


def test_missing_derivatives_are_listed_and_remade_alone(samples: Samples, derivative_root: Path) -> None:
    src = samples.save(samples.picture((1600, 1200)), "p.jpg", format="JPEG")
    assert missing_derivatives(derivative_root, SHA) == ["thumb", "medium", "large"]
    process_original(src, derivative_root, SHA)
    assert missing_derivatives(derivative_root, SHA) == []
    medium = derivative_path(derivative_root, SHA, "medium")
    untouched = {n: derivative_path(derivative_root, SHA, n).stat() for n in ("thumb", "large")}
    medium.unlink()
    derivative_path(derivative_root, SHA, "thumb").write_bytes(b"")  # a zero-length leftover
    assert missing_derivatives(derivative_root, SHA) == ["thumb", "medium"]
    result = process_original(src, derivative_root, SHA, names=missing_derivatives(derivative_root, SHA))
    assert sorted(result.derivatives) == ["medium", "thumb"]
    assert missing_derivatives(derivative_root, SHA) == []
    large = derivative_path(derivative_root, SHA, "large").stat()
    assert (large.st_ino, large.st_mtime_ns) == (untouched["large"].st_ino, untouched["large"].st_mtime_ns)


def test_a_failed_regeneration_keeps_the_previous_files_whole(
    samples: Samples, derivative_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = samples.save(samples.picture((1600, 1200)), "p.jpg", format="JPEG")
    before = {d.path: d.path.read_bytes() for d in process_original(src, derivative_root, SHA).derivatives.values()}

    def fail_halfway(image: Image.Image, stream: io.BufferedWriter) -> None:
        stream.write(b"\xff\xd8\xff partial")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("media.derivatives._save_jpeg", fail_halfway)
    with pytest.raises(OSError, match="No space left"):
        process_original(src, derivative_root, SHA, draft_slack=0)
    assert {path: path.read_bytes() for path in before} == before
    assert sorted(p for p in derivative_root.rglob("*") if p.is_file()) == sorted(before)


def test_delete_derivatives_removes_all_of_them(samples: Samples, derivative_root: Path) -> None:
    src = samples.save(samples.picture((500, 400)), "p.jpg", format="JPEG")
    other = "d" * 64
    process_original(src, derivative_root, SHA)
    process_original(src, derivative_root, other)
    delete_derivatives(derivative_root, SHA)
    delete_derivatives(derivative_root, SHA)
    assert missing_derivatives(derivative_root, SHA) == list(DERIVATIVE_SIZES)
    assert missing_derivatives(derivative_root, other) == []


def test_derivative_paths_come_from_the_hash_only(derivative_root: Path) -> None:
    assert derivative_path(derivative_root, SHA.upper(), "thumb") == derivative_root / "c0" / f"{SHA}-thumb.jpg"
    with pytest.raises(MediaError):
        derivative_path(derivative_root, "../../etc/passwd", "thumb")
    with pytest.raises(ValueError, match="unknown derivative"):
        derivative_path(derivative_root, SHA, "../original")


def test_unknown_names_are_refused_before_any_work(samples: Samples, derivative_root: Path) -> None:
    src = samples.save(samples.picture((500, 400)), "p.jpg", format="JPEG")
    with pytest.raises(ValueError, match="unknown derivative"):
        process_original(src, derivative_root, SHA, names=["thumb", "huge"])
    assert not derivative_root.exists()
