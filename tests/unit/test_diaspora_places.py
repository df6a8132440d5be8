"""Destinations as written -> the place abroad drawn on the destinations map, and surnames in English."""

from __future__ import annotations

import pytest

from archive.services.diaspora_places import CITY_POINTS, COUNTRY_POINTS, place_of
from archive.services.people import surname_en


@pytest.mark.parametrize(("written", "country", "city"), [
    ("美国旧金山", "美国", "旧金山"),
    ("三藩市", "美国", "旧金山"),  # the Cantonese name, without the country
    ("金山", "美国", "旧金山"),
    ("新金山", "澳大利亚", "墨尔本"),  # New Gold Mountain is Melbourne, not San Francisco
    ("美國舊金山", "美国", "旧金山"),  # traditional script
    ("加拿大域多利", "加拿大", "维多利亚"),
    ("Vancouver, BC", "加拿大", "温哥华"),
    ("Gold Mountain", "美国", "旧金山"),
    ("美国", "美国", None),
    ("新加坡", "新加坡", None),
    ("印尼泗水", "印度尼西亚", "泗水"),
    ("印度尼西亚", "印度尼西亚", None),
    ("印度加尔各答", "印度", "加尔各答"),
    ("斐济", "斐济", None),
    ("澳洲", "澳大利亚", None),
    ("澳大利亚维多利亚州", "澳大利亚", None),  # the state, not Victoria BC
])
def test_place_of(written: str, country: str, city: str | None) -> None:
    place = place_of(written)
    assert (place.country, place.city) == (country, city)
    expected = CITY_POINTS[city][1:] if city else COUNTRY_POINTS[country]
    assert (place.lat, place.lon) == expected
    assert place.key == "/".join(p for p in (country, city) if p)


def test_unknown_destination_has_no_point() -> None:
    place = place_of("南洋某埠")
    assert (place.country, place.city, place.lat, place.lon, place.key) == (None, None, None, None, "")


def test_every_point_is_on_the_globe_and_cities_in_known_countries() -> None:
    for country, lat, lon in CITY_POINTS.values():
        assert country in COUNTRY_POINTS and -90 <= lat <= 90 and -180 <= lon <= 180
    assert all(-90 <= lat <= 90 and -180 <= lon <= 180 for lat, lon in COUNTRY_POINTS.values())


@pytest.mark.parametrize(("surname", "english"), [("关", "Guan"), ("司徒", "Situ"), ("欧阳", "Ouyang"),
                                                  ("曾", "Zeng"), ("單", "Shan"), ("黃", "Huang")])
def test_surname_en(surname: str, english: str) -> None:
    assert surname_en(surname) == english
