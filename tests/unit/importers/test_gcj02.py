"""GCJ-02 -> WGS84: published vectors, round trips under half a metre, no change abroad."""

from __future__ import annotations

import itertools

import pytest

from importers import gcj02_to_wgs84, wgs84_to_gcj02
from importers.coords import distance_m

# Published test vectors of the eviltransform implementations (WGS84 -> GCJ-02).
VECTORS = [
    ((31.1774276, 121.5272106), (31.17530398364597, 121.531541859215)),  # Shanghai
    ((22.543847, 113.912316), (22.540796131694766, 113.9171764808363)),  # Shenzhen
    ((39.911954, 116.377817), (39.91334545536069, 116.38404722455657)),  # Beijing
]


@pytest.mark.parametrize(("wgs", "gcj"), VECTORS)
def test_forward_transform_matches_published_vectors(wgs: tuple[float, float], gcj: tuple[float, float]) -> None:
    assert wgs84_to_gcj02(*wgs) == pytest.approx(gcj, abs=1e-9)


@pytest.mark.parametrize(("wgs", "gcj"), VECTORS)
def test_inverse_recovers_wgs84(wgs: tuple[float, float], gcj: tuple[float, float]) -> None:
    assert distance_m(*gcj02_to_wgs84(*gcj), *wgs) < 0.5


def test_round_trip_within_half_a_metre_across_china() -> None:
    lats = [18.3, 21.9, 22.5, 24.8, 30.0, 39.9, 45.7, 53.0]
    lons = [75.9, 98.5, 108.3, 113.4, 116.4, 121.5, 126.6, 134.0]
    worst = 0.0
    for lat, lon in itertools.product(lats, lons):
        gcj = wgs84_to_gcj02(lat, lon)
        assert distance_m(*gcj, lat, lon) > 1  # the offset exists everywhere in the box
        worst = max(worst, distance_m(*gcj02_to_wgs84(*gcj), lat, lon))
    assert worst < 0.5


@pytest.mark.parametrize(
    "point",
    [(37.7749, -122.4194), (49.2827, -123.1207), (51.5074, -0.1278), (-33.8688, 151.2093), (-12.0464, -77.0428)],
)
def test_outside_china_is_unchanged(point: tuple[float, float]) -> None:
    # San Francisco, Vancouver, London, Sydney, Lima: where the emigrants went.
    assert gcj02_to_wgs84(*point) == point
    assert wgs84_to_gcj02(*point) == point
