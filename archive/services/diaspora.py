"""Destinations abroad: for each place (country, city), the houses whose families went there.

A house goes to a place when the house lists it among its destinations, or when a public person
with a family role on it (builder, emigrant, owner, heir: not an informant) lists it among theirs.
Lines run from the home village to the place. The village's position is the open-data rule's
(`open_data.VillagePositions`, the mean of its location-public houses' points, about 100 m), so no
line or marker ever starts at a location-private house's own point: a village with no public point
has no line at all, and its houses are listed in the table only.

Like the map, this is always the public view, whoever asks: the page and its JSON are shareable.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from archive import access
from archive.models import House, Person, PersonRole
from archive.services import ServiceError, open_data
from archive.services.diaspora_places import AbroadPlace, place_of
from archive.services.map import display_position

FAMILY_ROLES = ("builder", "emigrant", "owner", "heir")
YEAR_MIN, YEAR_MAX = 1000, 2100
_YEAR = re.compile(r"\d{4}")


@dataclass(frozen=True)
class DestinationFilters:
    """County, period (decades of the year built: from=1910&to=1930 is 1910-1939) and one place
    abroad (its key, as in the JSON: `place=US-SF`; or, for a place the table cannot name, the text
    as written)."""

    county: str | None = None
    decade_from: int | None = None
    decade_to: int | None = None
    place: str | None = None

    @classmethod
    def from_mapping(cls, args: Mapping[str, str]) -> DestinationFilters:
        """Parse ?county=&from=&to=&place=; ServiceError (bad_period, period_order) for a period that is not one."""
        start, end = _decade(args, "from"), _decade(args, "to")
        if start is not None and end is not None and start > end:
            raise ServiceError("period_order", "from", start=start, end=end)
        county = (args.get("county") or "").strip() or None
        place = (args.get("place") or "").strip()[:200] or None
        return cls(county, start, end, place)

    def where(self) -> list[ColumnElement[bool]]:
        conditions: list[ColumnElement[bool]] = []
        if self.county:
            conditions.append(House.county == self.county)
        if self.decade_from is not None:
            conditions.append(House.built_from >= self.decade_from)
        if self.decade_to is not None:
            conditions.append(House.built_from <= self.decade_to + 9)
        return conditions

    def query(self) -> dict[str, str]:
        """The filters as query arguments (for links and the map's data URL)."""
        values = {"county": self.county, "from": self.decade_from, "to": self.decade_to, "place": self.place}
        return {name: str(value) for name, value in values.items() if value is not None}


def _decade(args: Mapping[str, str], name: str) -> int | None:
    text = (args.get(name) or "").strip()
    if not text:
        return None
    if not _YEAR.fullmatch(text) or not YEAR_MIN <= int(text) <= YEAR_MAX:
        raise ServiceError("bad_period", name, value=text[:20], min=YEAR_MIN, max=YEAR_MAX)
    return int(text) // 10 * 10


@dataclass
class HouseAbroad:
    """One house at one place: what was written and who went (public people only)."""

    code: str
    name_zh: str
    name_en: str | None
    county: str | None
    village: str | None
    built_from: int | None
    written: list[str] = field(default_factory=list)
    people: list[tuple[int, str]] = field(default_factory=list)  # (person id, name_zh)


@dataclass
class PlaceAbroad:
    place: AbroadPlace
    houses: dict[str, HouseAbroad] = field(default_factory=dict)


@dataclass
class Village:
    name: str
    county: str | None
    lat: float
    lon: float
    houses: set[str] = field(default_factory=set)


@dataclass
class Destinations:
    places: list[PlaceAbroad]  # with a point, most houses first
    unplaced: list[PlaceAbroad]  # destinations the table cannot place (listed, not drawn)
    villages: list[Village]
    lines: list[tuple[int, str, int]]  # (index in villages, place key, houses)
    houses: int  # houses with at least one destination


def _people_destinations(db: Session, where: list[ColumnElement[bool]]) -> dict[int, list[tuple[int, str, list[str]]]]:
    """house id -> [(person id, name, destinations)] for public people in a family role on the houses."""
    stmt = (select(PersonRole.house_id, Person.id, Person.name_zh, Person.destinations)
            .join(Person, Person.id == PersonRole.person_id).join(House, House.id == PersonRole.house_id)
            .where(access.house_filter(access.PUBLIC), access.person_filter(access.PUBLIC),
                   PersonRole.role.in_(FAMILY_ROLES), *where)
            .order_by(PersonRole.house_id, Person.id))
    found: dict[int, list[tuple[int, str, list[str]]]] = {}
    for house_id, person_id, name, destinations in db.execute(stmt):
        entries = found.setdefault(house_id, [])
        if destinations and all(person_id != p for p, _n, _d in entries):
            entries.append((person_id, name, list(destinations)))
    return found


def destinations(db: Session, filters: DestinationFilters, crs: str) -> Destinations:
    """Places abroad with their houses, and the home villages and lines to draw, in the public view."""
    where = filters.where()
    people = _people_destinations(db, where)
    villages = open_data.VillagePositions(db)
    places: dict[str, PlaceAbroad] = {}
    village_index: dict[tuple[float, float, str], int] = {}
    village_rows: list[Village] = []
    lines: dict[tuple[int, str], set[str]] = {}
    counted: set[str] = set()
    for house in open_data.stream_houses(db, open_data.house_query(access.PUBLIC, where)):
        written_by: list[tuple[str, tuple[int, str] | None]] = [
            (d.strip(), None) for d in house.destinations or [] if d and d.strip()]
        written_by += [(d.strip(), (pid, name))
                       for pid, name, ds in people.get(house.id, []) for d in ds if d and d.strip()]
        # Each destination grouped by its place's key, or (a place the table cannot name) as written.
        went = [(place, place.key or written, written, person)
                for written, person in written_by for place in [place_of(written)]]
        if filters.place:
            went = [entry for entry in went if entry[1] == filters.place]
        if not went:
            continue
        counted.add(house.code)
        home = villages.of(house)
        for place, key, written, person in went:
            entry = places.setdefault(key, PlaceAbroad(place))
            row = entry.houses.setdefault(house.code, HouseAbroad(
                house.code, house.name_zh, house.name_en, house.county, house.village, house.built_from))
            if written not in row.written:
                row.written.append(written)
            if person is not None and person not in row.people:
                row.people.append(person)
            if home is None or place.lat is None or not house.village:
                continue
            lat, lon = display_position(home[0], home[1], crs)
            index = village_index.setdefault((lat, lon, house.village), len(village_rows))
            if index == len(village_rows):
                village_rows.append(Village(house.village, house.county, lat, lon))
            village_rows[index].houses.add(house.code)
            lines.setdefault((index, place.key), set()).add(house.code)
    ordered = sorted(places.values(), key=lambda p: (-len(p.houses), p.place.key))
    return Destinations(
        places=[p for p in ordered if p.place.lat is not None],
        unplaced=[p for p in ordered if p.place.lat is None],
        villages=village_rows,
        lines=sorted(((v, k, len(codes)) for (v, k), codes in lines.items()), key=lambda line: (line[0], line[1])),
        houses=len(counted))


def filter_choices(db: Session) -> tuple[list[tuple[str, int]], list[int]]:
    """Counties of the public houses (with counts) and the decades they were built in, for the filter bar."""
    public = access.house_filter(access.PUBLIC)
    counties = [(c or "", n) for c, n in db.execute(
        select(House.county, func.count()).where(public, House.county.is_not(None), House.county != "")
        .group_by(House.county).order_by(House.county))]
    first, last = db.execute(select(func.min(House.built_from), func.max(House.built_from))
                             .where(public, House.built_from.is_not(None))).one()
    if first is None or last is None:
        return counties, []
    return counties, list(range(first // 10 * 10, last // 10 * 10 + 1, 10))
