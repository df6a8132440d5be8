"""The map: public positions only (a location-private house at its village's approximate position),
the gallery's filters, GCJ-02 shifted for display only, tile settings reflected in the page and CSP."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from archive import create_app
from archive.models import House
from archive.services.map import MapConfigError
from archive.state import ArchiveState
from importers.coords import distance_m, wgs84_to_gcj02
from tests.conftest import make_house
from tests.functional.test_privacy import PLANTED, planted  # noqa: F401  (the fixture is used by name)

# Village 自力村: two location-public houses and one location-private house ~400 m away from them.
# Village 锦江里: only a location-private house (no public point, so no village position at all).
HOUSES: list[dict[str, Any]] = [
    {"code": "ZL-1", "name_zh": "铭石楼", "name_en": "Mingshi Lou", "lat": 22.36001, "lon": 112.56001},
    {"code": "ZL-2", "name_zh": "云幻楼", "name_en": "Yunhuan Lou", "lat": 22.36201, "lon": 112.56201},
    {"code": "ZL-3", "name_zh": "叶生居庐", "lat": 22.36423, "lon": 112.56577, "location_public": False},
    {"code": "JJ-1", "name_zh": "瑞石楼", "lat": 22.33111, "lon": 112.61222, "location_public": False,
     "township": "蚬冈镇", "village": "锦江里", "style": "qilou"},
    {"code": "UN-1", "name_zh": "未公开楼", "lat": 22.35555, "lon": 112.57777, "published": False},
    {"code": "TS-1", "name_zh": "台山楼", "lat": 22.25, "lon": 112.79, "county": "台山市", "township": "端芬镇",
     "village": "梅家大院"},
]


@pytest.fixture
def houses(state: ArchiveState) -> None:
    for values in HOUSES:
        make_house(state, **values)


def map_rows(client: FlaskClient, query: str = "") -> dict[str, list[Any]]:
    response = client.get("/map/houses.json" + query)
    assert response.status_code == 200
    data = response.get_json()
    assert data["fields"] == ["code", "name_zh", "name_en", "lat", "lon", "approximate"]
    return {row[0]: row for row in data["houses"]}


@pytest.mark.usefixtures("houses")
def test_map_data_shows_public_houses_and_no_private_point(client: FlaskClient, state: ArchiveState) -> None:
    rows = map_rows(client)
    assert set(rows) == {"ZL-1", "ZL-2", "ZL-3", "TS-1"}  # not the unpublished one, nor JJ-1 (no village position)
    assert rows["ZL-1"][3:6] == [22.36001, 112.56001, 0]
    # The location-private house sits at the mean of its village's public points, marked approximate.
    assert rows["ZL-3"][3:6] == [round((22.36001 + 22.36201) / 2, 3), round((112.56001 + 112.56201) / 2, 3), 1]
    with state.db.session(write=False) as db:
        hidden = list(db.scalars(select(House).where(House.location_public.is_(False))))
        public_points = [(r[3], r[4]) for r in rows.values() if not r[5]]
        for house in hidden:
            assert house.lat is not None and house.lon is not None
            for lat, lon, *_ in (row[3:] for row in rows.values()):
                near = distance_m(lat, lon, house.lat, house.lon) < 100
                assert not near or (lat, lon) in public_points, f"{house.code}'s own point is on the map"
    body = client.get("/map/houses.json").get_data(as_text=True)
    for secret in ("22.36423", "112.56577", "22.33111", "112.61222", "未公开楼", "UN-1"):
        assert secret not in body


@pytest.mark.usefixtures("houses")
def test_map_data_takes_the_gallery_filters(client: FlaskClient) -> None:
    assert set(map_rows(client, "?county=台山市")) == {"TS-1"}
    assert set(map_rows(client, "?village=自力村")) == {"ZL-1", "ZL-2", "ZL-3"}
    assert set(map_rows(client, "?county=开平市&style=qilou")) == set()  # JJ-1 has no public position
    assert map_rows(client, "?county=nowhere") == {}
    page = client.get("/map?county=台山市&lang=en").get_data(as_text=True)
    assert 'data-source="/map/houses.json?county=' in page
    assert re.search(r'<option value="台山市"\s+selected', page)


@pytest.mark.usefixtures("houses")
def test_editor_gets_the_public_map_data(editor: FlaskClient) -> None:
    """The data URL is shareable like a download: whoever asks, it is the public view."""
    rows = map_rows(editor)
    assert "UN-1" not in rows and rows["ZL-3"][5] == 1


@pytest.fixture
def make_app(app_config: dict[str, Any]) -> Iterator[Any]:
    made: list[Flask] = []

    def build(**settings: Any) -> Flask:
        app = create_app({**app_config, **settings})
        made.append(app)
        return app

    yield build
    for app in made:
        app.extensions["qiaofang"].close()


def test_gcj02_shifts_display_only(make_app: Any) -> None:
    app = make_app(MAP_TILES="https://webrd0{s}.is.example.com/appmaptile?x={x}&y={y}&z={z}", MAP_TILES_CRS="gcj02")
    state: ArchiveState = app.extensions["qiaofang"]
    make_house(state, "G-1", lat=22.36001, lon=112.56001)
    make_house(state, "G-2", lat=22.36201, lon=112.56201, village="自力村")
    make_house(state, "G-3", lat=22.4, lon=112.6, location_public=False)
    rows = map_rows(app.test_client())
    lat, lon = wgs84_to_gcj02(22.36001, 112.56001)
    assert rows["G-1"][3:5] == [round(lat, 5), round(lon, 5)]
    assert distance_m(rows["G-1"][3], rows["G-1"][4], 22.36001, 112.56001) > 100  # a real shift
    village = wgs84_to_gcj02(round((22.36001 + 22.36201) / 2, 3), round((112.56001 + 112.56201) / 2, 3))
    assert rows["G-3"][3:5] == [round(village[0], 5), round(village[1], 5)]
    with state.db.session(write=False) as db:  # stored data stays WGS84
        assert db.scalar(select(House.lat).where(House.code == "G-1")) == 22.36001
    page = app.test_client().get("/houses/G-1")
    assert f'data-lat="{round(lat, 5)}"' in page.get_data(as_text=True)
    assert 'data-crs="gcj02"' in page.get_data(as_text=True)


def test_tiles_setting_in_page_and_csp(make_app: Any) -> None:
    app = make_app(MAP_TILES="https://{s}.tile.example.org/{z}/{x}/{y}.png", MAP_TILES_ATTRIBUTION="© Example")
    response = app.test_client().get("/map?lang=en")
    body = response.get_data(as_text=True)
    assert 'data-tiles="https://{s}.tile.example.org/{z}/{x}/{y}.png"' in body
    assert 'data-attribution="© Example"' in body
    csp = response.headers["Content-Security-Policy"]
    assert "img-src 'self' data: https://*.tile.example.org;" in csp
    assert "script-src 'self';" in csp and "default-src 'self';" in csp  # the tile host is for images only
    assert "vendor/leaflet/leaflet.js" in body and "vendor/leaflet.markercluster/leaflet.markercluster.js" in body


def test_no_tiles_by_default(client: FlaskClient) -> None:
    response = client.get("/map?lang=en")
    assert response.status_code == 200
    assert 'data-tiles=""' in response.get_data(as_text=True)
    assert "img-src 'self' data:;" in response.headers["Content-Security-Policy"]
    assert 'href="/map"' in client.get("/?lang=en").get_data(as_text=True)  # in the navigation


@pytest.mark.parametrize("settings", [
    {"MAP_TILES": "javascript:alert(1)//{z}"}, {"MAP_TILES": "https://tiles.{s}.example.org/{z}/{x}/{y}"},
    {"MAP_TILES_CRS": "bd09"},
])
def test_bad_map_settings_refused_at_start(make_app: Any, settings: dict[str, str]) -> None:
    with pytest.raises(MapConfigError):
        make_app(**settings)


@pytest.mark.usefixtures("houses")
def test_house_mini_map(client: FlaskClient) -> None:
    exact = client.get("/houses/ZL-1?lang=en").get_data(as_text=True)
    assert 'class="house-map mini-map"' in exact and 'data-lat="22.36001"' in exact
    approximate = client.get("/houses/ZL-3?lang=en").get_data(as_text=True)
    assert 'data-approximate="1"' in approximate and "approximate position" in approximate
    assert "22.36423" not in approximate and "112.56577" not in approximate
    # No public point in its village: no map at all, and still not the house's own point.
    none = client.get("/houses/JJ-1?lang=en").get_data(as_text=True)
    assert "mini-map" not in none and "22.33111" not in none


@pytest.mark.usefixtures("houses")
def test_staff_mini_map_shows_the_stored_point(editor: FlaskClient) -> None:
    page = editor.get("/houses/ZL-3?lang=en").get_data(as_text=True)
    assert 'data-lat="22.36423"' in page and 'data-approximate="0"' in page


@pytest.mark.usefixtures("planted")
@pytest.mark.parametrize("url", ["/map/houses.json", "/map", "/map?county=秘密县", "/map/houses.json?county=秘密县",
                                 "/houses/PUB-001"])
def test_no_private_value_in_map_responses(client: FlaskClient, url: str) -> None:
    """The shared privacy fixture (a location-private house, an unpublished one): nothing of theirs leaks."""
    response = client.get(url)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    for value in PLANTED:
        assert value not in body, f"{value!r} leaked through {url}"
