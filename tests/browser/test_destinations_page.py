"""The destinations page on the demonstration data set, in the system Chromium, offline: a marker for
every place abroad and every home village, a line for every (village, place) pair, villages only at
their approximate position (never a location-private house's point); the filters reload the map;
a person named in the table has a page."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from importers.coords import distance_m
from tests.browser.conftest import _qiaofang, _run
from tests.browser.test_map_page import _serve, _stop, open_page  # noqa: F401  (fixture used by name)

pytestmark = pytest.mark.browser

COUNT_SHAPES = """() => {
    const map = document.getElementById('diaspora-map');
    const count = (name) => map.querySelectorAll('path.' + name).length;
    return {places: count('diaspora-destination'), villages: count('diaspora-village'), lines: count('diaspora-line')};
}"""


@pytest.fixture(scope="module")
def demo(chromium: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    data = tmp_path_factory.mktemp("destinations-demo")
    env = {k: v for k, v in os.environ.items() if not k.startswith("QIAOFANG_")}
    command = [*_qiaofang(), "--data", str(data)]
    _run([*command, "init"], env)
    _run([*command, "demo", "--no-serve"], env)
    process, url = _serve(command, data, env, "plain")
    try:
        yield {"db": data / "qiaofang.db", "url": url}
    finally:
        _stop(process)


def _village_means(db_path: Path) -> dict[str, tuple[float, float]]:
    """Each village's approximate position, from the database: the mean of its public points."""
    with sqlite3.connect(db_path) as db:
        return {village: (round(lat, 3), round(lon, 3)) for village, lat, lon in db.execute(
            "SELECT village, avg(lat), avg(lon) FROM house WHERE published = 1 AND deleted_at IS NULL "
            "AND location_public = 1 AND lat IS NOT NULL AND village IS NOT NULL "
            "GROUP BY province, county, township, village")}


def _load(page: Any, path: str) -> dict[str, Any]:
    with page.expect_response(lambda r: "/destinations.json" in r.url) as answer:
        page.goto(path)
    data: dict[str, Any] = answer.value.json()
    page.wait_for_selector("#diaspora-map[data-loaded]")
    return data


def test_destinations_map_draws_places_villages_and_lines(demo: dict[str, Any], open_page: Any,  # noqa: F811
                                                         screenshots: Path) -> None:
    page = open_page(demo["url"])
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    data = _load(page, "/destinations?lang=en")
    assert len(data["destinations"]) >= 10 and len(data["lines"]) >= 20  # the demo's families went far
    assert page.get_attribute("#diaspora-map", "data-loaded") == str(len(data["destinations"]))
    drawn = page.evaluate(COUNT_SHAPES)
    assert drawn == {"places": len(data["destinations"]), "villages": len(data["villages"]),
                     "lines": len(data["lines"])}, drawn
    assert f"{len(data['destinations'])} places abroad" in page.inner_text("[data-map-status]")
    assert all(url.startswith(demo["url"]) for url in requests)  # no CDN, no tiles: works offline

    # Villages sit at the mean of their public points, and no location-private house's point is drawn.
    means = _village_means(demo["db"])
    for village in data["villages"]:
        assert (village["lat"], village["lon"]) == means[village["name"]]
    with sqlite3.connect(demo["db"]) as db:
        hidden = list(db.execute("SELECT code, lat, lon FROM house WHERE published = 1 AND deleted_at IS NULL "
                                 "AND location_public = 0 AND lat IS NOT NULL"))
    assert hidden
    for code, lat, lon in hidden:
        for village in data["villages"]:
            assert (village["lat"], village["lon"]) != (round(lat, 5), round(lon, 5)), code
            if distance_m(village["lat"], village["lon"], lat, lon) < 20:
                assert (village["lat"], village["lon"]) in means.values()
    page.screenshot(path=str(screenshots / "destinations.png"))

    # The biggest place's marker opens a popup naming it in English.
    first = data["destinations"][0]
    page.locator("#diaspora-map path.diaspora-destination").nth(0).click(force=True)
    popup = page.wait_for_selector(".leaflet-popup-content")
    assert first["label"] in popup.inner_text() and "houses" in popup.inner_text()


def test_destinations_filtered_and_people_linked(demo: dict[str, Any], open_page: Any,  # noqa: F811
                                                 screenshots: Path) -> None:
    page = open_page(demo["url"])
    everything = _load(page, "/destinations?lang=en")
    page.select_option("form.filters select[name=county]", "台山市")
    with page.expect_response(lambda r: "/destinations.json" in r.url) as answer:
        page.click("form.filters button[type=submit]")
    data = answer.value.json()
    page.wait_for_selector("#diaspora-map[data-loaded]")
    assert data["villages"] and all(v["county"] == "台山市" for v in data["villages"])
    assert len(data["lines"]) < len(everything["lines"])
    assert page.evaluate(COUNT_SHAPES)["lines"] == len(data["lines"])

    link = page.locator("table.destinations .went a").first
    name = link.inner_text()
    link.click()
    page.wait_for_url("**/people/*")
    assert name in page.inner_text("h1")
    assert page.locator(".person-houses a[href^='/houses/']").count() >= 1
    page.screenshot(path=str(screenshots / "person.png"), full_page=True)
