"""Geometry of the server-drawn charts (archive/web/charts.py): bars proportional to their counts,
and a locator map whose scale bar measures what it says."""

from __future__ import annotations

import math

from archive.web.charts import BAR_SPACE, MAP_HEIGHT, MAP_WIDTH, bar_chart, locator_map


def test_bars_are_proportional_and_labels_cut_only_in_the_chart() -> None:
    long_label = "Registered immovable heritage of a very long name"
    chart = bar_chart("c", "t", "col", [("a", "A", 40, "/x"), ("b", long_label, 10, None), ("z", "Z", 0, None)], 100)
    widths = [bar.width for bar in chart.bars]
    assert widths == [BAR_SPACE, BAR_SPACE / 4, 0.0]
    assert [bar.percent for bar in chart.bars] == [40.0, 10.0, 0.0]
    assert chart.bars[1].label == long_label and chart.bars[1].short_label.endswith("…")
    assert len(chart.bars[1].short_label) < len(long_label)
    assert chart.bars[1].y > chart.bars[0].y and chart.height > chart.bars[-1].y
    assert chart.total == 50


def test_empty_chart() -> None:
    chart = bar_chart("c", "t", "col", [], 0)
    assert chart.bars == [] and chart.total == 0


def test_locator_puts_the_house_in_the_middle_and_neighbours_inside() -> None:
    house = (22.36, 112.56)
    neighbours = [(22.37, 112.56), (22.35, 112.58), (22.36, 112.54)]
    locator = locator_map(house, neighbours)
    assert (locator.x, locator.y) == (MAP_WIDTH / 2, MAP_HEIGHT / 2)
    for x, y in locator.neighbours:
        assert 0 <= x <= MAP_WIDTH and 0 <= y <= MAP_HEIGHT
    north = locator.neighbours[0]
    assert north[1] < locator.y and north[0] == locator.x  # north is up
    # Scale: the east neighbour is 0.02 degrees of longitude away, cos(22.36) * 0.02 * 111.32 km.
    east_km = math.cos(math.radians(22.36)) * 0.02 * 111.32
    east_px = locator.neighbours[1][0] - locator.x
    px_per_km = locator.scale_px / locator.scale_km
    assert math.isclose(east_px / px_per_km, east_km, rel_tol=0.02)
    assert locator.scale_km in (0.5, 1.0, 2.0) and 0 < locator.scale_px < MAP_WIDTH / 2


def test_a_lone_house_is_drawn_at_a_sensible_scale() -> None:
    locator = locator_map((22.36, 112.56), [])
    assert locator.neighbours == [] and locator.scale_km <= 1.0
