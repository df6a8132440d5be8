"""Geometry of the server-drawn SVG charts: horizontal bar charts and the dossier's locator map.

Drawn on the server so the numbers are in the page without JavaScript (and in the PDF, which runs
none); the template (`templates/public/_charts.html`) writes the SVG from these numbers with
presentation attributes only (the CSP allows no inline style), and puts the same rows in a table
beside each chart for screen readers and for copying.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

# The chart's coordinate system (the SVG scales to the width it is given).
CHART_WIDTH = 640
LABEL_WIDTH = 220  # labels are right-aligned in this column
BAR_SPACE = 360  # the longest bar; room for its number after it
ROW_HEIGHT = 26
BAR_HEIGHT = 18
LABEL_CHARS = 26  # longer labels are cut in the chart (the table beside it has them whole)


@dataclass(frozen=True)
class Bar:
    key: str  # the stored value (data-key in the table: the same in every language)
    label: str
    short_label: str
    count: int
    percent: float
    href: str | None
    y: int
    width: float


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    column: str  # the table's first column heading
    bars: list[Bar]
    height: int
    note: str = ""
    more: tuple[str, str] | None = None  # (href, text) of a longer list

    @property
    def total(self) -> int:
        return sum(bar.count for bar in self.bars)


def bar_chart(
    chart_id: str, title: str, column: str, rows: Sequence[tuple[str, str, int, str | None]], of_total: int,
    note: str = "", more: tuple[str, str] | None = None,
) -> Chart:
    """A chart of (key, label, count, link) rows; bars scaled to the largest count, percentages of `of_total`."""
    largest = max((row[2] for row in rows), default=0)
    bars = []
    for n, (key, label, count, href) in enumerate(rows):
        width = round(BAR_SPACE * count / largest, 1) if largest else 0.0
        percent = round(100 * count / of_total, 1) if of_total else 0.0
        short = label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"
        bars.append(Bar(key, label, short, count, percent, href, 4 + n * ROW_HEIGHT, max(width, 1.0 if count else 0.0)))
    return Chart(chart_id, title, column, bars, 8 + len(rows) * ROW_HEIGHT, note, more)


# The locator map: the house among the public points of its township, on a plain background.
MAP_WIDTH, MAP_HEIGHT, MAP_MARGIN = 320, 220, 16
EARTH_KM_PER_DEGREE = 111.32


@dataclass(frozen=True)
class Locator:
    x: float
    y: float
    neighbours: list[tuple[float, float]]
    scale_km: float  # the scale bar's length in km
    scale_px: float
    width: int = MAP_WIDTH
    height: int = MAP_HEIGHT


def locator_map(point: tuple[float, float], neighbours: list[tuple[float, float]]) -> Locator:
    """Project the house (lat, lon) and its neighbours into the map box (equirectangular at the
    house's latitude, north up, the same scale on both axes), with a scale bar of a round length."""
    lat0, lon0 = point
    cos_lat = max(math.cos(math.radians(lat0)), 0.01)
    xs = [(lon - lon0) * cos_lat for _lat, lon in neighbours] + [0.0]
    ys = [lat - lat0 for lat, _lon in neighbours] + [0.0]
    # At least ~2 km across, so a lone house is not drawn at an absurd zoom.
    half_x = max(max(abs(v) for v in xs), 1.0 / EARTH_KM_PER_DEGREE)
    half_y = max(max(abs(v) for v in ys), 1.0 / EARTH_KM_PER_DEGREE)
    scale = min((MAP_WIDTH / 2 - MAP_MARGIN) / half_x, (MAP_HEIGHT / 2 - MAP_MARGIN) / half_y)  # px per degree

    def place(lat: float, lon: float) -> tuple[float, float]:
        return (round(MAP_WIDTH / 2 + (lon - lon0) * cos_lat * scale, 1),
                round(MAP_HEIGHT / 2 - (lat - lat0) * scale, 1))

    km_per_px = EARTH_KM_PER_DEGREE / scale
    scale_km = _round_length(km_per_px * MAP_WIDTH / 4)
    x, y = place(lat0, lon0)
    return Locator(x, y, [place(lat, lon) for lat, lon in neighbours], scale_km, round(scale_km / km_per_px, 1))


def _round_length(km: float) -> float:
    """The largest of 1, 2, 5 x 10^n not above `km` (scale bars read 0.5 km, 2 km, 10 km)."""
    power = 10 ** math.floor(math.log10(km))
    for step in (5, 2, 1):
        if step * power <= km:
            return float(step * power)
    return float(power)
