"""A house's one-page dossier (for protection applications): what the viewer may see of it, gathered.

Everything goes through `access`: the facts are `house_data` (no owner, contact or exact point for
the public unless the house opens them), photos are the visible, undamaged ones (their reduced
derivatives are shown, never originals), records the visible ones. The position is the map's:
`map.house_point` gives the public a location-private house's village position, never its own
point; the neighbours drawn around it are the public points of its township, whoever asks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive import access
from archive.models import House, Photo
from archive.services import NotFound
from archive.services import map as map_service
from archive.services.houses import get_house

# A printed page holds four photos and a dozen sources; the rest are on the house page.
DOSSIER_PHOTOS = 4
DOSSIER_RECORDS = 12
# Neighbours drawn on the locator map at most (a dense township is still one glance).
MAX_NEIGHBOURS = 500


@dataclass
class Dossier:
    house: dict[str, Any]
    photos: list[Photo]
    photos_total: int
    records: list[dict[str, Any]]
    records_total: int
    point: map_service.MapPoint | None
    location_hidden: bool
    neighbours: list[tuple[float, float]] = field(default_factory=list)


def house_dossier(db: Session, viewer: access.Viewer, code: str, crs: str) -> Dossier:
    """The dossier of a house this viewer may see; NotFound otherwise (an unpublished house for the public)."""
    house = get_house(db, code)
    if not access.house_visible(viewer, house):
        raise NotFound("house", code)
    photos = [p for p in house.photos if access.photo_visible(viewer, p) and not p.damaged]
    records = sorted((r for r in house.records if access.record_visible(viewer, r)),
                     key=lambda r: (r.date_from or 9999, r.id))
    point = map_service.house_point(db, viewer, house, crs)
    return Dossier(
        house=access.house_data(viewer, house), photos=photos[:DOSSIER_PHOTOS], photos_total=len(photos),
        records=[access.record_data(viewer, r) for r in records[:DOSSIER_RECORDS]], records_total=len(records),
        point=point, location_hidden=not access.house_location_visible(viewer, house),
        neighbours=_neighbours(db, house, crs) if point is not None else [],
    )


def _neighbours(db: Session, house: House, crs: str) -> list[tuple[float, float]]:
    """The public points of the other houses of the same township (or village): published houses
    whose location is public, as the public map shows them. Read as bare coordinates through the
    township's index; location-private neighbours are left out (the map has them at their village)."""
    if house.township:
        where = [House.county == house.county, House.township == house.township]
    elif house.village:
        where = [House.village == house.village]
    else:
        return []
    stmt = (select(House.lat, House.lon)
            .where(access.house_filter(access.PUBLIC), House.location_public.is_(True), House.lat.is_not(None),
                   House.lon.is_not(None), House.id != house.id, *where)
            .limit(MAX_NEIGHBOURS))
    return [map_service.display_position(lat, lon, crs) for lat, lon in db.execute(stmt) if lat is not None
            and lon is not None]


def derivative_names(photos: list[Photo]) -> set[str]:
    """The sha256 of each photo the dossier shows: the PDF may read these derivatives and no others."""
    return {p.sha256 for p in photos}
