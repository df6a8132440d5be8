"""Places with houses: the counties, townships and villages of the houses a viewer may see, with
how many houses each holds and the gazetteer's 繁體 and English names, in keyset pages.

A place is known only through houses: one whose houses are all unpublished does not exist for the
public. Villages are named within their township and county (第1村 is in many townships), so a
place's key is the whole path, and the cursor of the next page is that path, encoded (opaque).
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select, tuple_
from sqlalchemy.orm import Session

from archive import access
from archive.models import House, PlaceName
from archive.services import ServiceError
from archive.services.gazetteer import generate_en, to_hant
from archive.services.paging import KeysetPage, keyset_page

LEVELS = ("county", "township", "village")


@dataclass
class Place:
    level: str
    county: str
    township: str  # "" for a county, or a village whose houses name no township
    village: str  # "" unless a village
    houses: int
    name_zh_hant: str = ""
    name_en: str = ""

    @property
    def name(self) -> str:
        return {"county": self.county, "township": self.township, "village": self.village}[self.level]

    @property
    def path(self) -> list[str]:
        return [self.county, self.township, self.village][: LEVELS.index(self.level) + 1]


def encode_cursor(path: list[str]) -> str:
    return base64.urlsafe_b64encode(json.dumps(path, ensure_ascii=False).encode()).decode().rstrip("=")


def decode_cursor(cursor: str, level: str) -> list[str]:
    """The path a cursor from `encode_cursor` holds; ServiceError("bad_cursor") for anything else."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        path = json.loads(raw.decode())
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise ServiceError("bad_cursor", "after") from None
    if (not isinstance(path, list) or len(path) != LEVELS.index(level) + 1
            or not all(isinstance(part, str) and "\x00" not in part for part in path)):
        raise ServiceError("bad_cursor", "after")
    return path


def _keys(level: str) -> list[ColumnElement[str]]:
    # A missing parent groups as "": NULL would drop out of the row comparison the cursor uses.
    columns = [House.county, House.township, House.village][: LEVELS.index(level) + 1]
    return [func.coalesce(column, "") for column in columns]


def places_after(
    db: Session, viewer: access.Viewer, level: str, after: str, per_page: int, *,
    county: str | None = None, township: str | None = None,
) -> KeysetPage[Place]:
    """Places of one level in name order (within their county and township), after a cursor."""
    if level not in LEVELS:
        raise ServiceError("unknown_term", "level", value=level)
    keys = _keys(level)
    own = getattr(House, level)
    where = [access.house_filter(viewer), own.is_not(None), own != ""]
    if county:
        where.append(House.county == county)
    if township and level != "county":
        where.append(House.township == township)
    if after:
        where.append(tuple_(*keys) > tuple_(*decode_cursor(after, level)))
    stmt = select(*keys, func.count()).where(*where).group_by(*keys).order_by(*keys)
    page = keyset_page(db, stmt, per_page, lambda row: encode_cursor(list(row[:-1])), scalars=False)
    places = []
    for row in page.items:
        county, township, village = [*row[:-1], "", ""][:3]
        places.append(Place(level, county, township, village, houses=row[-1]))
    _name_places(db, level, places)
    return KeysetPage(places, per_page, page.next_after)


def _name_places(db: Session, level: str, places: list[Place]) -> None:
    """The gazetteer's forms; a name it does not hold yet is generated as the gazetteer would."""
    names = {place.name for place in places}
    known = {name: (hant, en) for name, hant, en in db.execute(
        select(PlaceName.name, PlaceName.zh_hant, PlaceName.en)
        .where(PlaceName.kind == level, PlaceName.name.in_(names)))} if names else {}
    for place in places:
        hant, en = known.get(place.name, ("", ""))
        place.name_zh_hant = hant or to_hant(place.name)
        place.name_en = en or generate_en(place.name, level)
