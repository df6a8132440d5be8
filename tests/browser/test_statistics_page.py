"""The statistics page and a house dossier in the system Chromium: the charts are drawn (visible bars,
one per table row, longest for the largest count), nothing breaks the CSP, and the dossier prints
alone (the site's header hidden under print media)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import create_house, log_in

pytestmark = pytest.mark.browser

CHART_GEOMETRY = """() => [...document.querySelectorAll('section.stat')].map(section => ({
    id: section.id,
    bars: [...section.querySelectorAll('rect.bar')].map(r => r.getBoundingClientRect().width),
    values: [...section.querySelectorAll('text.bar-value')].map(t => +t.textContent),
    rows: [...section.querySelectorAll('table.stat-table tbody tr td:first-of-type')].map(td => +td.textContent),
    svgHeight: section.querySelector('svg') ? section.querySelector('svg').getBoundingClientRect().height : 0,
}))"""


def test_statistics_page_draws_its_charts(page: Any, screenshots: Path) -> None:
    log_in(page)
    create_house(page, "STAT-B-1", "统计楼一", style="diaolou", condition="A")
    create_house(page, "STAT-B-2", "统计楼二", style="diaolou", condition="C")
    page.goto("/statistics?lang=en")
    assert page.locator("h1").inner_text().startswith("Statistics")
    charts = page.evaluate(CHART_GEOMETRY)
    assert [c["id"] for c in charts] == ["county", "township", "decade", "style", "protection_level",
                                         "condition", "destination"]
    for chart in charts:
        if not chart["rows"]:  # e.g. no destinations recorded on this shared server
            continue
        assert chart["values"] == chart["rows"], chart
        assert chart["svgHeight"] > 20 and all(width > 0 for width in chart["bars"]), chart
        largest = chart["values"].index(max(chart["values"]))
        assert chart["bars"][largest] == max(chart["bars"]), chart
    style = next(c for c in charts if c["id"] == "style")
    assert max(style["values"]) >= 2
    page.locator("#style").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshots / "statistics.png"), full_page=True)
    # A bar's row links to the gallery filtered by it.
    page.click("#style table a >> text=Diaolou (watchtower)")
    page.wait_for_url("**/?style=diaolou")


def test_dossier_prints_alone(page: Any, screenshots: Path) -> None:
    log_in(page)
    create_house(page, "STAT-D-1", "档案楼", style="lu", condition="B")
    page.goto("/houses/STAT-D-1?lang=en")
    page.click("text=Printable dossier")
    page.wait_for_url("**/houses/STAT-D-1/dossier")
    assert page.locator(".dossier h1").inner_text().startswith("档案楼")
    assert page.locator(".site-header").is_visible()
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator(".dossier-tools").is_visible()
    assert page.locator(".dossier-facts-table").is_visible()
    page.screenshot(path=str(screenshots / "dossier-print.png"), full_page=True)
