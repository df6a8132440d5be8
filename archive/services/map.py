"""Map data: where the public may see each house, as compact rows for the map page and mini-maps.

Positions follow the open-data rule, not a second one: `open_data.public_point` gives a house's
own point when its location is public and its village's approximate position
(`open_data.VillagePositions`) when not, never the private point. Stored coordinates are WGS84;
when the configured tiles are GCJ-02 (Chinese web maps) the display coordinates are shifted here,
on the server, so the browser never sees the WGS84 point of a map drawn in GCJ-02 or the other
way round, and nothing stored changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import ColumnElement
from sqlalchemy.orm import Session

from archive import access
from archive.models import House
from archive.services import open_data
from archive.services.houses import COORD_DECIMALS
from importers.coords import outside_china, wgs84_to_gcj02

CRS_CHOICES = ("wgs84", "gcj02")


class MapConfigError(ValueError):
    """The map settings cannot work (a tile URL that is not http(s), an unknown CRS)."""


@dataclass(frozen=True)
class MapPoint:
    code: str
    name_zh: str
    name_en: str | None
    lat: float
    lon: float
    approximate: bool


def display_position(lat: float, lon: float, crs: str) -> tuple[float, float]:
    """Coordinates to draw on tiles of this CRS, rounded as the house page shows them (about 1 m)."""
    if crs == "gcj02" and not outside_china(lat, lon):
        lat, lon = wgs84_to_gcj02(lat, lon)
    return round(lat, COORD_DECIMALS), round(lon, COORD_DECIMALS)


def _point(house: House, villages: open_data.VillagePositions, crs: str) -> MapPoint | None:
    point, precision = open_data.public_point(house, villages)
    if point is None:
        return None
    # The names are public fields of a visible house (access.HOUSE_PUBLIC_FIELDS); reading just these two
    # spares a second full `house_data` per house (a quarter of the time in a profile of 20,000 houses).
    name_zh, name_en = (getattr(house, name) if name in access.HOUSE_PUBLIC_FIELDS else None
                        for name in ("name_zh", "name_en"))
    lat, lon = display_position(point[0], point[1], crs)
    return MapPoint(house.code, name_zh or "", name_en, lat, lon, precision == "village")


def public_points(db: Session, where: Iterable[ColumnElement[bool]], crs: str) -> list[MapPoint]:
    """Every published house matching `where` that has a public position, in the public view.

    Whoever asks, this is what the public sees: the map data is a shareable URL like a download.
    Houses are read a batch at a time (`open_data.stream_houses`); the rows kept are short.
    """
    villages = open_data.VillagePositions(db)
    stmt = open_data.house_query(access.PUBLIC, where)
    points = []
    for house in open_data.stream_houses(db, stmt):
        if (found := _point(house, villages, crs)) is not None:
            points.append(found)
    return points


def house_point(db: Session, viewer: access.Viewer, house: House, crs: str) -> MapPoint | None:
    """The one marker of a house page's mini-map: staff see the stored point, the public the rule's."""
    if access.house_location_visible(viewer, house) and house.lat is not None and house.lon is not None:
        lat, lon = display_position(house.lat, house.lon, crs)
        return MapPoint(house.code, house.name_zh, house.name_en, lat, lon, False)
    return _point(house, open_data.VillagePositions(db, only=house), crs)


def compact(points: list[MapPoint], crs: str) -> dict[str, Any]:
    """The JSON the map page loads: one short row per house ([code, name_zh, name_en, lat, lon, approx])."""
    return {
        "crs": crs,
        "fields": ["code", "name_zh", "name_en", "lat", "lon", "approximate"],
        "houses": [[p.code, p.name_zh, p.name_en, p.lat, p.lon, 1 if p.approximate else 0] for p in points],
    }


def tile_origin(url: str | None) -> str | None:
    """The CSP source that lets the browser load this tile URL template's images ('{s}' hosts as '*.')."""
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise MapConfigError(f"QIAOFANG_MAP_TILES must be an http(s) URL template, not {url!r}")
    labels = parts.netloc.split(".")
    if "{" in labels[0]:  # e.g. {s}.tile.example.org or webrd0{s}.example.com: any subdomain
        labels[0] = "*"
    host = ".".join(labels)
    if "{" in host or "}" in host or not host.strip("*."):
        raise MapConfigError(f"QIAOFANG_MAP_TILES: only the first host label may hold a placeholder: {url!r}")
    return f"{parts.scheme}://{host}"


def check_crs(crs: str | None) -> str:
    value = (crs or "wgs84").strip().lower()
    if value not in CRS_CHOICES:
        raise MapConfigError(f"QIAOFANG_MAP_TILES_CRS must be one of {', '.join(CRS_CHOICES)}, not {crs!r}")
    return value


def visible_where(filters: dict[str, str]) -> list[ColumnElement[bool]]:
    """The gallery's filters as SQL conditions (values from `HouseFilters`)."""
    return [getattr(House, name) == value for name, value in filters.items()]

