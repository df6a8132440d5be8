"""Open data in the public view: survey-sheet CSV, GeoJSON, schema.org JSON-LD and sitemaps.

Everything streams: houses are read `yield_per` a batch at a time and written out as they come,
so an export of 100,000 houses holds one batch, not the archive (benchmarks/open_data.py).
Every value goes through `archive.access`; a house whose location is private is placed at its
village's approximate position (`VillagePositions`), never at its own point.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session, selectinload

from archive import access
from archive.models import House, Record
from archive.services import people
from archive.services.export import HOUSE_COLUMNS, RECORD_COLUMNS, VOCAB_COLUMNS
from archive.services.vocab import labels
from importers.cells import needs_quote

BATCH = 500
# A village position is the mean of its public points, rounded to about 100 m.
VILLAGE_DECIMALS = 3
PlaceKey = tuple[str | None, str | None, str | None, str | None]


def escape_cell(value: str) -> str:
    """Neutralise a formula: one apostrophe before a text that (after any apostrophes) starts like one.

    The apostrophes already there count, so `importers.cells.unescape_cell` takes exactly one
    back off and every value, `'=x` and a lone `-` included, comes back as it was written.
    """
    return "'" + value if needs_quote(value) else value


def house_query(viewer: access.Viewer, where: Iterable[ColumnElement[bool]] = ()) -> Select[House]:
    return select(House).where(access.house_filter(viewer), *where).order_by(House.code)


def stream_houses(db: Session, stmt: Select[House]) -> Iterator[House]:
    """Houses a batch at a time; each batch is let go once consumed (the identity map is weak)."""
    result = db.scalars(stmt.execution_options(yield_per=BATCH))
    try:
        yield from result
    finally:  # a download cut short (client gone) must not leave PostgreSQL's server cursor open
        result.close()


class VillagePositions:
    """The approximate position of each village: the mean of its location-public houses' points.

    A location-private house is shown there. The mean never includes the private house's own
    point (location-private houses are not averaged at all), so it reveals nothing about it; a
    village with no public point gives no position, and its private houses none either.
    """

    def __init__(self, db: Session, *, only: House | None = None) -> None:
        key = (House.province, House.county, House.township, House.village)
        stmt = (select(*key, func.avg(House.lat), func.avg(House.lon))
                .where(access.house_filter(access.PUBLIC), House.location_public.is_(True),
                       House.lat.is_not(None), House.lon.is_not(None), House.village.is_not(None))
                .group_by(*key))
        if only is not None:  # one house's page: its own village only
            stmt = stmt.where(*(column == getattr(only, column.key) for column in key))
        self.points: dict[PlaceKey, tuple[float, float]] = {
            (p, c, t, v): (round(lat, VILLAGE_DECIMALS), round(lon, VILLAGE_DECIMALS))
            for p, c, t, v, lat, lon in db.execute(stmt)
        }

    def of(self, house: House) -> tuple[float, float] | None:
        return self.points.get((house.province, house.county, house.township, house.village))


def public_point(house: House, villages: VillagePositions) -> tuple[tuple[float, float] | None, str]:
    """(lat, lon) the public may see and how precise: 'exact' point, or 'village' approximation."""
    data = access.house_data(access.PUBLIC, house)
    if "lat" in data and data["lat"] is not None and data["lon"] is not None:
        return (data["lat"], data["lon"]), "exact"
    return villages.of(house), "village"


def geojson_chunks(db: Session, stmt: Select[House], site: str) -> Iterator[str]:
    """A FeatureCollection, one feature per house with a public position, as text chunks."""
    villages = VillagePositions(db)
    yield '{"type":"FeatureCollection","features":['
    first = True
    for house in stream_houses(db, stmt):
        point, precision = public_point(house, villages)
        if point is None:
            continue
        data = access.house_data(access.PUBLIC, house)
        feature = {
            "type": "Feature", "id": house.code,
            "geometry": {"type": "Point", "coordinates": [point[1], point[0]]},
            "properties": {
                "code": house.code, "name_zh": data["name_zh"], "name_en": data["name_en"],
                "county": data["county"], "township": data["township"], "village": data["village"],
                "style": data["style"], "built": data["built_text"], "position": precision,
                "url": f"{site}/houses/{house.code}",
            },
        }
        yield ("" if first else ",") + json.dumps(feature, ensure_ascii=False)
        first = False
    yield "]}\n"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        value = "；".join(str(v) for v in value)
    if isinstance(value, float):
        return repr(value)
    return escape_cell(str(value)) if isinstance(value, str) else str(value)


@dataclass
class CsvWriter:
    """Rows to CSV text one at a time (the csv module needs a file; this one is emptied per row)."""

    buffer: io.StringIO

    @classmethod
    def new(cls) -> CsvWriter:
        return cls(io.StringIO())

    def row(self, values: Iterable[Any]) -> str:
        csv.writer(self.buffer, lineterminator="\r\n").writerow([_cell(v) for v in values])
        text = self.buffer.getvalue()
        self.buffer.seek(0)
        self.buffer.truncate()
        return text


def house_csv_rows(db: Session, viewer: access.Viewer, stmt: Select[House]) -> Iterator[str]:
    """The survey sheet's houses (房屋) sheet as CSV lines: UTF-8 BOM, Chinese headers and labels."""
    names = labels(db, "zh_Hans")
    out = CsvWriter.new()
    yield "\ufeff" + out.row(header for _key, header in HOUSE_COLUMNS)
    for house in stream_houses(db, stmt):
        data = access.house_data(viewer, house)
        yield out.row(_vocab_label(names, key, data.get(key)) for key, _header in HOUSE_COLUMNS)


def record_csv_rows(db: Session, viewer: access.Viewer, stmt: Select[House]) -> Iterator[str]:
    """The records (信息) sheet as CSV lines, for the houses of `stmt`."""
    names = labels(db, "zh_Hans")
    out = CsvWriter.new()
    yield "\ufeff" + out.row(header for _key, header in RECORD_COLUMNS)
    # Records and their houses (which decide a record's visibility) a batch at a time, not per house.
    for house in stream_houses(db, stmt.options(selectinload(House.records).selectinload(Record.houses))):
        for record in sorted(house.records, key=lambda r: r.id):
            if access.record_visible(viewer, record):
                data = {**access.record_data(viewer, record), "house_code": house.code}
                yield out.row(_vocab_label(names, key, data.get(key)) for key, _header in RECORD_COLUMNS)


def _vocab_label(names: dict[str, dict[str, str]], key: str, value: Any) -> Any:
    if key in VOCAB_COLUMNS and value:
        return names.get(VOCAB_COLUMNS[key], {}).get(value, value)
    return value


def house_jsonld(house: House, villages: VillagePositions, site: str) -> dict[str, Any]:
    """schema.org description of a public house for its page, from the public view only."""
    data = access.house_data(access.PUBLIC, house)
    url = f"{site}/houses/{house.code}"
    doc: dict[str, Any] = {
        "@context": "https://schema.org", "@type": "LandmarksOrHistoricalBuildings", "@id": url, "url": url,
        "identifier": house.code, "name": data["name_zh"],
        "alternateName": [n for n in [data["name_en"], *(data["aliases"] or [])] if n],
        "description": data["summary_zh"] or data["summary_en"],
        "address": {"@type": "PostalAddress", "addressCountry": "CN", "addressRegion": data["province"],
                    "addressLocality": "".join(data[k] or "" for k in ("city", "county", "township", "village"))},
    }
    if data.get("address"):
        doc["address"]["streetAddress"] = data["address"]
    point, precision = public_point(house, villages)
    if point is not None:
        doc["geo"] = {"@type": "GeoCoordinates", "latitude": point[0], "longitude": point[1]}
        if precision == "village":
            doc["geo"]["description"] = "village position (approximate)"
    images = [f"{site}/media/d/{p.sha256}/medium.jpg" for p in house.photos
              if access.photo_visible(access.PUBLIC, p) and not p.damaged]
    if images:
        doc["image"] = images
    return {key: value for key, value in doc.items() if value not in (None, "", [])}


def sitemap_entries(db: Session) -> Generator[tuple[str, Any], None, None]:
    """(path, last change) of every public page worth crawling: houses, records, then people and families."""
    from archive.models import OaiItem, record_houses

    stmt = (select(House.code, OaiItem.datestamp).outerjoin(OaiItem, OaiItem.code == House.code)
            .where(access.house_filter(access.PUBLIC)).order_by(House.code))
    yield from _closing_rows(db, stmt)
    visible = (select(record_houses.c.record_id).join(House, House.id == record_houses.c.house_id)
               .where(access.house_filter(access.PUBLIC)))
    records = (select(Record.id, Record.updated_at)
               .where(Record.public.is_(True), Record.deleted_at.is_(None), Record.id.in_(visible))
               .order_by(Record.id))
    yield from _closing_rows(db, records, "/records/")
    yield from people.sitemap_entries(db)


def _closing_rows(db: Session, stmt: Any, prefix: str = "/houses/") -> Generator[tuple[str, Any], None, None]:
    result = db.execute(stmt.execution_options(yield_per=5000))
    try:
        for key, changed in result:
            yield f"{prefix}{key}", changed
    finally:  # a sitemap page stops early: its server-side cursor is closed, not left to the GC
        result.close()


def sitemap_count(db: Session) -> int:
    from archive.models import record_houses

    houses = db.scalar(select(func.count()).select_from(House).where(access.house_filter(access.PUBLIC))) or 0
    visible = (select(record_houses.c.record_id).join(House, House.id == record_houses.c.house_id)
               .where(access.house_filter(access.PUBLIC)))
    records = db.scalar(select(func.count()).select_from(Record).where(
        Record.public.is_(True), Record.deleted_at.is_(None), Record.id.in_(visible))) or 0
    return houses + records + people.sitemap_count(db)
