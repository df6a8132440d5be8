"""Counts of the houses a viewer may see: by county and township, decade built, style, protection
level, condition grade and overseas destination (country), for the statistics page.

Every count is a SQL GROUP BY over `access.house_filter(viewer)`, so the public counts published
houses only and staff count unpublished ones too, by the same rule as every other channel. County,
township, style and protection level are read from the covering indexes the gallery's filter bar
uses (`ix_house_visible_*`). The (county, township) pairs, decade, condition and destinations have
no covering index (a new one would need a migration): they are counted together in ONE scan, grouped
by all of them at once (a few thousand groups at 100,000 houses) and summed here, instead of four.

Destinations are a JSON list per house (美国旧金山, 加拿大温哥华). They are grouped by the list's JSON
text (`CAST(... AS TEXT)`: PostgreSQL's json type has no equality to GROUP BY on), then each distinct
list is mapped to its countries (`destinations.countries`). A house counts once per country it names,
so a family in San Francisco and New York counts once for the United States, and a house with
families in two countries counts in both: that chart's total may exceed the number of houses.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import Boolean, ColumnElement, Text, and_, cast, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import FunctionElement

from archive.access import Viewer, house_filter
from archive.models import House
from archive.services.destinations import countries
from archive.services.indexing import newest_queue_id
from archive.services.vocab import terms

if TYPE_CHECKING:
    from archive.state import ExpiringCache, StatisticsKey

# "Not recorded" and "no known country" as keys of their own: the page labels them.
NOT_RECORDED = ""
UNKNOWN_COUNTRY = "?"
# Township rows shown when the page covers every county (all of them when it covers one county).
DEFAULT_TOWNSHIPS = 25
MAX_TOWNSHIPS = 500


@dataclass
class Statistics:
    """Counts per value, most first (decades in time order), with NOT_RECORDED last where there are any."""

    total: int
    unpublished: int
    county: str | None
    by_county: list[tuple[str, int]]
    by_township: list[tuple[tuple[str, str], int]]
    townships_total: int  # distinct (county, township) pairs, of which by_township shows the first ones
    by_decade: list[tuple[int | None, int]]
    by_style: list[tuple[str, int]]
    by_protection: list[tuple[str, int]]
    by_condition: list[tuple[str, int]]
    by_country: list[tuple[str, int]]
    houses_abroad: int  # houses naming at least one destination


def _where(viewer: Viewer, county: str | None) -> list[ColumnElement[bool]]:
    return [house_filter(viewer), *([House.county == county] if county else [])]


def _count_by(
    db: Session, column: Any, where: list[ColumnElement[bool]], order: list[str] | None = None
) -> list[tuple[str, int]]:
    stmt = select(column, func.count()).where(*where).group_by(column)
    return _ordered(((value or NOT_RECORDED, count) for value, count in db.execute(stmt)), order)


def _ordered(rows: Iterable[tuple[str, int]], order: list[str] | None = None) -> list[tuple[str, int]]:
    """Most first (or in the vocabulary's `order`), then by value; NOT_RECORDED at the end."""
    merged: Counter[str] = Counter()
    for value, count in rows:
        merged[value] += count
    rank = {key: n for n, key in enumerate(order or [])}
    known = sorted(((v, c) for v, c in merged.items() if v != NOT_RECORDED),
                   key=lambda vc: (rank.get(vc[0], len(rank)), -vc[1], vc[0]))
    return known + ([(NOT_RECORDED, merged[NOT_RECORDED])] if merged.get(NOT_RECORDED) else [])


def house_statistics(
    db: Session, viewer: Viewer, *, county: str | None = None, townships: int | None = DEFAULT_TOWNSHIPS
) -> Statistics:
    """The counts the statistics page draws; `townships=None` lists every township."""
    where = _where(viewer, county)
    unpublished = 0
    if viewer.sees_private:
        unpublished = db.scalar(select(func.count()).select_from(House)
                                .where(*where, House.published.is_(False))) or 0
    scan = _Scan()
    for row in db.execute(_scan_statement(where)):
        scan.add(*row)
    township_rows = sorted(scan.townships.items(), key=lambda kc: (kc[0][1] == NOT_RECORDED, -kc[1], kc[0]))
    return Statistics(
        total=scan.total, unpublished=unpublished, county=county,
        by_county=_count_by(db, House.county, where),
        by_township=township_rows if townships is None else township_rows[:townships],
        townships_total=len(township_rows),
        by_decade=sorted(scan.decades.items(), key=lambda dc: (dc[0] is None, dc[0] or 0)),
        by_style=_count_by(db, House.style, where),
        by_protection=_count_by(db, House.protection_level, where,
                                [t.key for t in terms(db, "protection_level")]),
        by_condition=sorted(scan.conditions.items(), key=lambda vc: (vc[0] == NOT_RECORDED, vc[0])),
        by_country=_ordered(scan.countries.items()),
        houses_abroad=scan.abroad,
    )


class full_scan(FunctionElement[bool]):  # noqa: N801 - a SQL construct, named like SQLAlchemy's own
    """A condition the planner must not answer from an index: on SQLite `+(...)`, elsewhere as it is.

    The scan reads most of the table. Given `published IS 1 AND deleted_at IS NULL`, SQLite (without
    ANALYZE statistics, as the archive leaves it) walks a visible-house index and looks up every row
    in the table, slower than reading the table straight through: 190-270 ms against 150-210 ms at
    20,000 houses, and 4.6 s for the public against 1.6 s for staff (whose condition no index serves)
    at 100,000 (benchmarks/statistics.py). PostgreSQL decides this from its statistics.
    """

    type = Boolean()
    inherit_cache = True


@compiles(full_scan)
def _full_scan_default(element: full_scan, compiler: Any, **kw: Any) -> str:
    return str(compiler.process(element.clauses, **kw))


@compiles(full_scan, "sqlite")
def _full_scan_sqlite(element: full_scan, compiler: Any, **kw: Any) -> str:
    return f"+({compiler.process(element.clauses, **kw)})"


def _scan_statement(where: list[ColumnElement[bool]]) -> Any:
    """The one pass over the houses for what no covering index holds: (county, township) pairs (the
    township index lacks the county, and 城关镇 is in many counties), decade, condition, destinations.
    One pass instead of two: 340 ms against 270 + 170 ms for the public at 20,000 houses on SQLite
    (a loaded machine; benchmarks/statistics.py times the whole page)."""
    columns = (House.county, House.township, (House.built_from // 10) * 10, House.condition,
               cast(House.destinations, Text))
    # Straight through even for one county of eight: 0.7 s against 2.9 s through the county's index
    # at 100,000 houses on SQLite (median of 5), the index's row look-ups cost more than they save.
    return select(*columns, func.count()).where(full_scan(and_(*where))).group_by(*columns)


@dataclass
class _Scan:
    """The scan's groups summed per chart."""

    total: int = 0
    abroad: int = 0
    townships: Counter[tuple[str, str]] = field(default_factory=Counter)
    decades: Counter[int | None] = field(default_factory=Counter)
    conditions: Counter[str] = field(default_factory=Counter)
    countries: Counter[str] = field(default_factory=Counter)

    def add(self, county: str | None, township: str | None, decade: int | None, condition: str | None,
            destinations_json: str | None, count: int) -> None:
        self.total += count
        self.townships[(county or NOT_RECORDED, township or NOT_RECORDED)] += count
        self.decades[int(decade) if decade is not None else None] += count
        self.conditions[condition or NOT_RECORDED] += count
        named = _countries_of(destinations_json)
        if named:
            self.abroad += count
            for country in named:
                self.countries[country] += count


@lru_cache(maxsize=4096)
def _countries_of(destinations_json: str | None) -> tuple[str, ...]:
    """The countries a stored destinations list names (UNKNOWN_COUNTRY for names of no known country);
    () when it names none. Cached: a province repeats the same few hundred lists."""
    named = _destination_list(destinations_json)
    return tuple(countries(named) or [UNKNOWN_COUNTRY]) if named else ()


def _destination_list(text: str | None) -> list[str]:
    """A stored destinations value (JSON text of a list, or NULL) as the list of its non-empty names."""
    if not text:
        return []
    try:
        value = json.loads(text)
    except ValueError:
        return []
    return [d for d in value if isinstance(d, str) and d.strip()] if isinstance(value, list) else []


def county_exists(db: Session, viewer: Viewer, county: str) -> bool:
    """Whether any house this viewer may see lies in `county` (asked of the covering index)."""
    return db.scalar(select(House.id).where(*_where(viewer, county)).limit(1)) is not None


def cached_statistics(
    db: Session, viewer: Viewer, cache: ExpiringCache[StatisticsKey, Statistics], *, county: str | None = None,
    townships: int | None = DEFAULT_TOWNSHIPS,
) -> Statistics:
    """house_statistics, kept in the app's ``statistics_cache`` (the page groups every visible house
    seven ways) until the catalogue changes, per (public or staff, county, townships)."""
    key = (viewer.sees_private, county, townships)
    mark = newest_queue_id(db)
    hit = cache.get(key, mark)
    if hit is not None:
        return hit
    result = house_statistics(db, viewer, county=county, townships=townships)
    cache.put(key, mark, result)
    return result
