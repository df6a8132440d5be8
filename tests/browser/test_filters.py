"""Issue 11, items 9-10: a filtered gallery with no houses says which filters are on and how to take
them off; on a phone the search facets sit behind a Filters control at the top of the results."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlparse

import pytest

from tests.browser.conftest import create_house, log_in

pytestmark = pytest.mark.browser


def test_empty_filtered_gallery_names_its_filters_and_clears_them(page: Any, screenshots: Path) -> None:
    log_in(page)
    create_house(page, "FLT-1", "筛选楼甲", county="恩平市", style="yanglou")
    create_house(page, "FLT-2", "筛选楼乙", county="鹤山市", style="diaolou")
    # Both filters have houses, but no house has both.
    page.goto("/?lang=en&county=恩平市&style=diaolou")
    assert page.locator(".house-card").count() == 0
    assert "No houses match." in page.inner_text("p.empty")
    # The selects show the filters that are on, not "All".
    assert page.input_value("select[name=county]") == "恩平市"
    assert page.input_value("select[name=style]") == "diaolou"
    assert "Diaolou" in page.locator("select[name=style] option:checked").inner_text()
    line = page.locator(".active-filters")
    assert "County:" in line.inner_text() and "Style: Diaolou" in line.inner_text()
    page.screenshot(path=str(screenshots / "gallery-filtered-empty.png"), full_page=True)
    # Taking the style off leaves the county, and the house there shows.
    line.locator("a.active-filter", has_text="Style").click()
    page.wait_for_load_state()
    assert parse_qs(urlparse(page.url).query) == {"county": ["恩平市"]}
    assert page.locator(".house-card").count() == 1 and "筛选楼甲" in page.inner_text(".house-grid")
    page.click("a.clear-filters")
    page.wait_for_load_state()
    assert urlparse(page.url).query == "" and page.locator(".active-filters").count() == 0
    assert page.input_value("select[name=county]") == ""


def test_mobile_search_has_a_filter_control_on_the_first_screen(browser: Any, live_server: str,
                                                                screenshots: Path) -> None:
    context = browser.new_context(base_url=live_server, viewport={"width": 390, "height": 844})
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        log_in(page)
        for number, county in ((1, "台山市"), (2, "台山市"), (3, "新会区")):
            create_house(page, f"MOB-{number}", f"手机楼{number}", county=county)
        page.goto("/search?lang=en&q=手机楼")
        toggle = page.locator("summary.facet-toggle")
        box = toggle.bounding_box()
        assert box is not None and toggle.is_visible() and box["y"] + box["height"] <= 844
        assert not page.locator(".facets").is_visible()  # closed: the hits come first
        hits_before = page.locator("li.hit").count()
        page.screenshot(path=str(screenshots / "search-mobile.png"))
        toggle.click()
        facet = page.locator(f".facet a[href*='county={quote('新会区')}']")  # the label is the English place name
        assert facet.is_visible()
        page.screenshot(path=str(screenshots / "search-mobile-filters-open.png"))
        facet.click()
        page.wait_for_load_state()
        assert parse_qs(urlparse(page.url).query).get("county") == ["新会区"]
        assert page.locator("li.hit").count() == 1 < hits_before
        assert "1 on" in page.inner_text("summary.facet-toggle")
        # On a wide screen the facets are open beside the hits, with no toggle to press.
        page.set_viewport_size({"width": 1280, "height": 900})
        assert page.locator(".facets").is_visible() and not toggle.is_visible()
    finally:
        context.close()
