"""The perceptual hash tells a resized, re-saved copy from a different photo."""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from PIL import Image

from media import NEAR_COPY_DISTANCE, hamming, process_original

if TYPE_CHECKING:
    from conftest import Samples


def resave(path: Path, size: tuple[int, int], quality: int) -> bytes:
    with Image.open(path) as image:
        smaller = image.resize(size, Image.Resampling.BILINEAR)
    buffer = io.BytesIO()
    smaller.save(buffer, format="JPEG", quality=quality)
    return buffer.getvalue()


def test_a_resized_resaved_copy_is_near_and_another_photo_far(samples: Samples, tmp_path: Path) -> None:
    original = samples.save(samples.picture((2400, 1800), seed=7), "original.jpg", format="JPEG", quality=92)
    copy = samples.save(resave(original, (800, 600), quality=35), "copy.jpg")
    other = samples.save(samples.picture((2400, 1800), seed=8), "other.jpg", format="JPEG", quality=92)
    hashes = [process_original(p, tmp_path / "d", f"{i}" * 64).phash for i, p in enumerate([original, copy, other])]
    assert all(h is not None for h in hashes)
    first, near, far = hashes
    assert first is not None and near is not None and far is not None
    assert hamming(first, near) <= NEAR_COPY_DISTANCE
    assert hamming(first, far) > 20


def test_the_hash_ignores_how_the_photo_is_stored_on_its_side(samples: Samples, tmp_path: Path) -> None:
    picture = samples.picture((1200, 900), seed=3)
    upright = samples.save(picture, "upright.jpg", format="JPEG")
    sideways = samples.save(
        picture.transpose(Image.Transpose.ROTATE_90),
        "sideways.jpg",
        format="JPEG",
        exif=samples.exif(orientation=6),
    )
    a = process_original(upright, tmp_path / "d", "a" * 64).phash
    b = process_original(sideways, tmp_path / "d", "b" * 64).phash
    assert a is not None and b is not None
    assert hamming(a, b) <= 4


def test_hamming() -> None:
    assert hamming("0000000000000000", "0000000000000000") == 0
    assert hamming("0000000000000000", "ffffffffffffffff") == 64
    assert hamming("00000000000000F0", "00000000000000f1") == 1


@pytest.mark.parametrize("bad", ["", "123", "g" * 16, "0" * 17])
def test_hamming_refuses_what_is_not_a_hash(bad: str) -> None:
    with pytest.raises(ValueError, match="perceptual hash"):
        hamming(bad, "0" * 16)
