"""The map page on the demonstration data set, in the system Chromium, offline: every public house with
a position is on the map (marker and cluster counts add up), and no location-private house's own point
is in what the page loaded. Also: the house mini-map, and markers still drawn when tiles cannot load."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from importers.coords import distance_m
from tests.browser.conftest import ROOT, _free_port, _load_failure, _qiaofang, _run, _wait_until_up

pytestmark = pytest.mark.browser

COUNT_MARKERS = """() => {
    const map = document.getElementById('house-map');
    const clusters = [...map.querySelectorAll('.marker-cluster')].map(el => +el.textContent);
    const singles = map.querySelectorAll('.leaflet-marker-icon:not(.marker-cluster)').length;
    return {clusters, singles};
}"""


def _serve(command: list[str], data: Path, env: dict[str, str], name: str) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    log = data / f"{name}.log"
    with open(log, "wb") as out:
        process = subprocess.Popen([*command, "serve", "--port", str(port)], stdout=out,
                                   stderr=subprocess.STDOUT, env=env, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    _wait_until_up(base + "/map", process, log)
    return process, base


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="module")
def demo(chromium: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The demo data set (`qiaofang demo --no-serve`), served twice: without tiles (the default) and
    with a tile URL on a closed local port (tiles configured but unreachable, as offline)."""
    data = tmp_path_factory.mktemp("map-demo")
    env = {k: v for k, v in os.environ.items() if not k.startswith("QIAOFANG_")}
    command = [*_qiaofang(), "--data", str(data)]
    _run([*command, "init"], env)
    _run([*command, "demo", "--no-serve"], env)
    plain, plain_url = _serve(command, data, env, "plain")
    dead_tiles = f"http://127.0.0.1:{_free_port()}/tiles/{{z}}/{{x}}/{{y}}.png"
    tiled, tiled_url = _serve(command, data, {**env, "QIAOFANG_MAP_TILES": dead_tiles}, "tiled")
    try:
        yield {"db": data / "qiaofang.db", "plain": plain_url, "tiled": tiled_url}
    finally:
        _stop(plain)
        _stop(tiled)


@pytest.fixture
def open_page(browser: Any) -> Iterator[Any]:
    contexts: list[Any] = []
    errors: list[str] = []

    def new(base_url: str) -> Any:
        context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900})
        context.set_default_timeout(20_000)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("console", lambda msg: errors.append(msg.text)
                if msg.type == "error" and not _load_failure(msg.text) else None)
        page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 and "/static/" in r.url
                else None)
        return page

    yield new
    for context in contexts:
        context.close()
    assert not errors, errors  # a CSP violation or script error fails the test


def _expected(db_path: Path) -> tuple[int, list[tuple[str, float, float]]]:
    """From the database itself: how many public houses have a position to show (their own public
    point, or their village's public points), and the true points of the location-private ones."""
    with sqlite3.connect(db_path) as db:
        public = "published = 1 AND deleted_at IS NULL"
        villages = set(db.execute(
            f"SELECT province, county, township, village FROM house WHERE {public} AND location_public = 1 "
            "AND lat IS NOT NULL AND lon IS NOT NULL AND village IS NOT NULL"))
        count = 0
        for key_public, has_point, *key in db.execute(
                f"SELECT location_public, lat IS NOT NULL AND lon IS NOT NULL, province, county, township, village "
                f"FROM house WHERE {public}"):
            count += bool(key_public and has_point) or tuple(key) in villages
        hidden = list(db.execute(f"SELECT code, lat, lon FROM house WHERE {public} AND location_public = 0 "
                                 "AND lat IS NOT NULL"))
    return count, hidden


def _drawn(page: Any) -> dict[str, Any]:
    """The markers and clusters on the map once it is still: no zoom or cluster animation running,
    and the same count twice in a row (while clusters animate, old and new icons are both there)."""
    last = None
    for _ in range(50):
        page.wait_for_function("""() => {
            const map = document.getElementById('house-map');
            return !map.classList.contains('leaflet-zoom-anim') && !map.querySelector('.leaflet-cluster-anim');
        }""")
        drawn: dict[str, Any] = page.evaluate(COUNT_MARKERS)
        if drawn == last:
            return drawn
        last = drawn
        page.wait_for_timeout(200)
    raise AssertionError(f"the markers never settled: {last}")


def _load_map(page: Any, path: str) -> list[list[Any]]:
    with page.expect_response(lambda r: "/map/houses.json" in r.url) as answer:
        page.goto(path)
    rows: list[list[Any]] = answer.value.json()["houses"]
    page.wait_for_selector("#house-map[data-loaded]")
    page.wait_for_timeout(500)  # cluster icons are drawn after the last chunk
    return rows


def test_map_shows_every_public_house_and_no_private_point(demo: dict[str, Any], open_page: Any,
                                                           screenshots: Path) -> None:
    page = open_page(demo["plain"])
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    rows = _load_map(page, "/map?lang=en")
    expected, hidden = _expected(demo["db"])
    assert len(hidden) >= 3 and expected >= 50  # the demo has location-private houses to hide
    assert page.get_attribute("#house-map", "data-loaded") == str(expected) == str(len(rows))
    drawn = _drawn(page)
    assert sum(drawn["clusters"]) + drawn["singles"] == expected, drawn
    assert page.inner_text("[data-map-count]") == f"{expected} houses on the map"
    exact = {(row[3], row[4]) for row in rows if not row[5]}
    for code, lat, lon in hidden:
        for row in rows:
            if distance_m(row[3], row[4], lat, lon) < 100:
                assert (row[3], row[4]) in exact, f"{code}'s own point is on the map as {row[0]}"
        assert [lat, lon] not in [row[3:5] for row in rows]
    assert all(url.startswith(demo["plain"]) for url in requests)  # no CDN, no tiles: works offline
    page.screenshot(path=str(screenshots / "map.png"))

    # A cluster opens into houses; a popup names the house and links to its page.
    page.click("#house-map .marker-cluster")
    page.wait_for_timeout(800)
    page.locator("#house-map .leaflet-marker-icon:not(.marker-cluster)").first.click(force=True)
    link = page.wait_for_selector(".leaflet-popup a.map-popup-name")
    assert (link.get_attribute("href") or "").startswith("/houses/")
    page.screenshot(path=str(screenshots / "map-popup.png"))


def test_map_filtered_like_the_gallery(demo: dict[str, Any], open_page: Any) -> None:
    page = open_page(demo["plain"])
    page.goto("/map?lang=en")
    page.wait_for_selector("#house-map[data-loaded]")  # the unfiltered load is over before the form is sent
    county = page.locator("form.filters select[name=county] option").nth(1).get_attribute("value")
    page.select_option("form.filters select[name=county]", county)

    def filtered(response: Any) -> bool:
        parts = urlsplit(response.url)
        return parts.path == "/map/houses.json" and parse_qs(parts.query).get("county") == [county]

    with page.expect_response(filtered) as answer:
        page.click("form.filters button[type=submit]")
    rows = answer.value.json()["houses"]
    page.wait_for_selector("#house-map[data-loaded]")
    with sqlite3.connect(demo["db"]) as db:
        in_county = {code for (code,) in db.execute(
            "SELECT code FROM house WHERE county = ? AND published = 1 AND deleted_at IS NULL", (county,))}
    assert rows and {row[0] for row in rows} <= in_county
    assert page.get_attribute("#house-map", "data-loaded") == str(len(rows))


def test_markers_shown_when_tiles_cannot_load(demo: dict[str, Any], open_page: Any, screenshots: Path) -> None:
    page = open_page(demo["tiled"])
    rows = _load_map(page, "/map?lang=en")
    assert page.locator("#house-map img.leaflet-tile").count() > 0  # tiles were asked for (and failed)
    drawn = _drawn(page)
    assert sum(drawn["clusters"]) + drawn["singles"] == len(rows) > 0


def test_house_mini_maps(demo: dict[str, Any], open_page: Any, screenshots: Path) -> None:
    with sqlite3.connect(demo["db"]) as db:
        exact = db.execute("SELECT code FROM house WHERE published = 1 AND deleted_at IS NULL AND location_public = 1 "
                           "AND lat IS NOT NULL ORDER BY code LIMIT 1").fetchone()[0]
        hidden = list(db.execute("SELECT code, lat, lon FROM house WHERE published = 1 AND deleted_at IS NULL "
                                 "AND location_public = 0 AND lat IS NOT NULL ORDER BY code"))
    page = open_page(demo["plain"])
    page.goto(f"/houses/{exact}?lang=en")
    page.wait_for_selector(".mini-map[data-loaded] .leaflet-marker-icon")
    page.locator(".mini-map").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshots / "house-mini-map.png"))
    shown = 0
    for code, lat, lon in hidden:
        page.goto(f"/houses/{code}?lang=en")
        body = page.content()
        assert f"{lat:.5f}" not in body and f"{lon:.5f}" not in body
        if page.locator(".mini-map").count():
            shown += 1
            page.wait_for_selector(".mini-map[data-loaded] path.leaflet-interactive")
            mini = page.locator(".mini-map")
            point = float(mini.get_attribute("data-lat") or 0), float(mini.get_attribute("data-lon") or 0)
            assert mini.get_attribute("data-approximate") == "1"
            assert point != (round(lat, 5), round(lon, 5))
            assert "approximate position" in page.inner_text(".mini-map-figure")
            if shown == 1:
                mini.scroll_into_view_if_needed()
                page.screenshot(path=str(screenshots / "house-mini-map-approximate.png"))
    assert shown, "no location-private demo house has a village position"
