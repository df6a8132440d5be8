"""The demonstration photos: valid JPEGs, named the ways staff name them, with phone-like EXIF."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

from PIL import ExifTags, Image

from archive.demo import DemoSource
from archive.demo.houses import build_houses
from archive.demo.photos import load_fonts, plan_photos, render_photo

Row = dict[str, object]


def _photo_files(demo_source: DemoSource) -> list[Path]:
    return sorted(path for path in demo_source.photos.rglob("*") if path.is_file())


def _house_of(path: Path, root: Path, codes: set[str]) -> str:
    if path.parent != root:
        return path.parent.name
    return next(code for code in codes if path.name.startswith(code + "_"))


def test_photos_are_valid_jpegs_of_the_reported_number(demo_source: DemoSource) -> None:
    files = _photo_files(demo_source)
    assert len(files) == demo_source.photo_count > 250
    for path in files:
        with Image.open(path) as image:
            assert image.format == "JPEG" and image.size == (1200, 900)
            image.verify()
    assert sum(path.stat().st_size for path in files) < 40 * 1024 * 1024


def test_every_photo_names_its_house_by_folder_or_prefix(
    demo_source: DemoSource, house_rows: list[Row]
) -> None:
    codes = {str(row["code"]) for row in house_rows}
    public = {str(row["code"]) for row in house_rows if row["public"] == "是"}
    files = _photo_files(demo_source)
    per_house = Counter(_house_of(path, demo_source.photos, codes) for path in files)
    assert set(per_house) <= codes
    assert all(2 <= per_house[code] <= 6 for code in public)
    assert all(per_house[code] <= 2 for code in codes - public) and set(per_house) - public
    names = {path.name for path in files}
    assert {"正门.jpg", "侧面.jpg", "远景.jpg", "楼名石匾.JPG", "屋顶山花.jpg"} <= names
    assert any(path.parent == demo_source.photos and path.name.endswith("_front.jpg") for path in files)


def test_some_photos_carry_camera_time_gps_and_orientation(
    demo_source: DemoSource, house_rows: list[Row]
) -> None:
    hidden = {str(row["code"]) for row in house_rows if row["location_public"] == "否"}
    codes = {str(row["code"]) for row in house_rows}
    seen: Counter[str] = Counter()
    for path in _photo_files(demo_source):
        with Image.open(path) as image:
            exif = image.getexif()
        if exif.get(ExifTags.Base.Make):
            seen["camera"] += 1
        if exif.get_ifd(ExifTags.IFD.Exif).get(ExifTags.Base.DateTimeOriginal):
            seen["taken"] += 1
        gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
        if gps:
            seen["gps"] += 1
            assert gps[ExifTags.GPS.GPSLatitudeRef] == "N" and 21 <= gps[ExifTags.GPS.GPSLatitude][0] <= 25
            if _house_of(path, demo_source.photos, codes) in hidden:
                seen["gps_of_hidden_house"] += 1
        if exif.get(ExifTags.Base.Orientation) == 6:
            seen["sideways"] += 1
    assert seen["camera"] == seen["taken"] > 100
    assert seen["gps"] > 50 and seen["gps_of_hidden_house"] >= 1
    assert seen["sideways"] == 4
    assert seen["camera"] < len(_photo_files(demo_source))  # and some have no EXIF at all


def test_photos_render_without_a_chinese_font() -> None:
    houses = build_houses(random.Random(3))
    plan = plan_photos(houses, random.Random(4))[0]
    data = render_photo(plan, load_fonts(None))
    assert data[:3] == b"\xff\xd8\xff"
    assert render_photo(plan, load_fonts(None)) == data
