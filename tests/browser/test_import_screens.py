"""Issue 11, items 6-8 in a browser: the imports list, the import preview and a house's history, at a
desktop width and on a phone; codes stay on one line and no column collapses to a character."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import create_house, log_in

pytestmark = pytest.mark.browser

SHEET = """编号,名称,英文名,区县,镇街,村社区,纬度,经度,建造年代,建造者,侨居地,建筑风格,层数,保护级别,危房等级,简介,公开
SCR-TK-ZL-001,屏幕楼,Pingmu Lou,开平市,塘口镇,自力村,22.3567,112.5712,民国十四年,方润文,美国旧金山、加拿大温哥华,碉楼,6,全国重点文物保护单位,B,屏幕楼位于塘口镇自力村，五层钢筋混凝土碉楼，顶层有西式穹顶与柱廊，楼内保存有侨批、家具与当年从海外运回的生活用品。,是
SCR-TK-ZL-002,二号楼,,开平市,塘口镇,自力村,,,1931,,古巴,洋楼,3,,,,是
"""


def _one_line(locator: Any) -> bool:
    """The element's text sits on one line: its contents make a single line box."""
    lines = locator.evaluate("e => { const r = document.createRange(); r.selectNodeContents(e); "
                             "return new Set([...r.getClientRects()].map(b => Math.round(b.top))).size; }")
    return bool(lines == 1)


def test_import_preview_list_and_history_are_readable(page: Any, tmp_path: Path, screenshots: Path) -> None:
    log_in(page)
    create_house(page, "SCR-TK-ZL-001", "旧屏幕楼", style="qilou")
    sheet = tmp_path / "2026 开平补充调查.csv"
    sheet.write_text(SHEET, encoding="utf-8")
    page.goto("/staff/imports?lang=en")
    page.set_input_files("#import-file", str(sheet))
    page.click("form.import-upload button[type=submit]")
    page.wait_for_url("**/staff/imports/sheet/**")
    assert "2026 开平补充调查.csv" in page.inner_text("header.page-head")
    created = page.locator("tr.plan-created")
    assert "Chinese name: 二号楼" in created.inner_text() and "destinations: 古巴" in created.inner_text()
    updated = page.locator("tr.plan-updated")
    assert "style: Qilou (arcade shophouse) → Diaolou (watchtower)" in updated.inner_text()
    assert _one_line(page.locator("tr.plan-created td.code-value"))
    page.screenshot(path=str(screenshots / "import-preview.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    assert _one_line(page.locator("tr.plan-created td.code-value"))
    assert page.locator("tr.plan-updated td.fields").bounding_box()["width"] > 200
    page.screenshot(path=str(screenshots / "import-preview-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.click("form.import-apply button[type=submit]")
    page.wait_for_url("**/staff/imports")
    row = page.locator("table.batches tbody tr").first
    assert "2026 开平补充调查.csv" in row.inner_text() and "new 1" in row.inner_text()
    assert _one_line(row.locator("td.code-value"))
    page.screenshot(path=str(screenshots / "imports-list.png"), full_page=True)
    page.goto("/staff/houses/SCR-TK-ZL-001/history?lang=en")
    table = page.locator("table.history")
    assert "Western" not in table.inner_text() and "qilou" not in table.inner_text()
    assert "San Francisco" in table.inner_text() or "美国旧金山" in table.inner_text()
    for column in ("td.old", "td.new"):
        widths = [box["width"] for box in (c.bounding_box() for c in table.locator(column).all()) if box]
        assert widths and min(widths) > 150
    page.screenshot(path=str(screenshots / "history.png"), full_page=True)
    page.goto("/staff/houses/SCR-TK-ZL-001/history?lang=zh_Hans")
    page.screenshot(path=str(screenshots / "history-zh.png"), full_page=True)
