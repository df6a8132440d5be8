"""The deep-zoom page in a real browser, reached from the house page's lightbox: OpenSeadragon (vendored)
opens a public photo's IIIF image service and draws tiles fetched from this server only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PIL import ImageDraw

from tests.browser.conftest import create_house, log_in, upload_directly
from tests.unit.media.conftest import make_picture

pytestmark = pytest.mark.browser


def test_zoom_page_opens_the_photo_and_loads_tiles_from_this_server(
    page: Any, live_server: str, tmp_path: Path, screenshots: Path
) -> None:
    log_in(page)
    create_house(page, "BR-ZOOM-001", "铭石楼", name_en="Mingshi Lou", style="diaolou")
    picture = make_picture((3000, 2000), seed=12)
    draw = ImageDraw.Draw(picture)
    for x in range(0, 3000, 250):  # a grid, so the screenshot shows whether tiles line up
        draw.line([(x, 0), (x, 2000)], fill=(255, 255, 255), width=6)
    for y in range(0, 2000, 250):
        draw.line([(0, y), (3000, y)], fill=(255, 255, 255), width=6)
    path = tmp_path / "碉楼全景.jpg"
    picture.save(path, "JPEG", quality=90)
    upload_directly(page, "BR-ZOOM-001", [path], public=True)

    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    tiles: list[tuple[int, str]] = []
    page.on("response", lambda r: tiles.append((r.status, r.url)) if "/iiif/3/" in r.url else None)
    page.goto("/houses/BR-ZOOM-001?lang=en")
    page.click("ul.photo-grid a.photo-link")  # the lightbox offers the zoom page of a public photo
    page.wait_for_selector("dialog.lightbox .lightbox-zoom:not([hidden])")
    page.click("dialog.lightbox .lightbox-zoom")
    page.wait_for_url("**/photos/*/zoom**")
    page.wait_for_selector("[data-zoom-viewer][data-state='open']")
    page.wait_for_function("() => +document.querySelector('[data-zoom-viewer]').dataset.tiles >= 2")
    # Zoom in on the middle, so tiles of the full-resolution level are fetched too.
    page.click(".openseadragon-canvas", position={"x": 600, "y": 300})
    page.click(".openseadragon-canvas", position={"x": 600, "y": 300})
    page.wait_for_function(
        "() => performance.getEntriesByType('resource').some(e => /\\/iiif\\/3\\/\\d+\\/\\d+,\\d+,\\d+,\\d+\\/512,/.test(e.name))")
    page.wait_for_timeout(800)  # let the last tiles draw before the screenshot
    page.screenshot(path=str(screenshots / "zoom.png"), full_page=False)

    assert all(url.startswith(live_server) for url in requests), [u for u in requests if not u.startswith(live_server)]
    assert any(url.endswith("/info.json") for _status, url in tiles)
    image_requests = [(status, url) for status, url in tiles if url.endswith(".jpg")]
    assert len(image_requests) >= 4 and all(status == 200 for status, _url in image_requests), image_requests
    drawn = page.evaluate("""() => {
        const canvas = document.querySelector('[data-zoom-viewer] .openseadragon-canvas canvas');
        const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        let lit = 0;
        for (let i = 0; i < data.length; i += 4 * 97) if (data[i] + data[i + 1] + data[i + 2] > 60) lit++;
        return lit;
    }""")
    assert drawn > 1000  # the canvas shows the photo, not the empty dark background
