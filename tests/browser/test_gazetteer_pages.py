"""An English and a 繁體 house page in a real browser: places, years, names, alt text, lang tags."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import create_house, log_in, upload_directly
from tests.browser.test_pages import make_jpegs

pytestmark = pytest.mark.browser

FIELDS = {
    "name_en": "Ruiyun Lou", "province": "广东省", "city": "江门市", "county": "台山市", "township": "端芬镇",
    "village": "梅家村", "built_text": "民国十五年", "destinations": "美国旧金山；加拿大温哥华",
    "materials": "钢筋混凝土、青砖", "summary_zh": "这座碉楼由旅美华侨集资兴建，为乡里防盗所用。",
    "summary_en": "Built with money sent home by villagers working in San Francisco.",
}


def test_english_and_traditional_house_pages(page: Any, tmp_path: Path, screenshots: Path) -> None:
    log_in(page)
    create_house(page, "BR-GZ-001", "瑞云楼", **FIELDS)
    upload_directly(page, "BR-GZ-001", make_jpegs(tmp_path, 2, prefix="gz"))
    page.goto("/houses/BR-GZ-001?lang=en")
    assert page.title().startswith("Ruiyun Lou · Taishan (Toishan)")
    assert page.get_attribute("html", "lang") == "en"
    place = page.locator(".fact", has_text="Place").inner_text()
    assert "Meijia Village, Duanfen Town, Taishan (Toishan), Jiangmen, Guangdong" in place
    assert "广东省江门市台山市端芬镇梅家村" in place
    assert "民国十五年 (1926)" in page.locator(".fact", has_text="Built").inner_text()
    destinations = page.locator(".fact", has_text="Overseas destinations").inner_text()
    assert "San Francisco, United States; Vancouver, Canada" in destinations
    assert page.locator("h1 .name-zh").get_attribute("lang") == "zh-Hans"
    assert page.locator(".photo-grid img").first.get_attribute("alt") == "Photo 1 of Ruiyun Lou"
    assert page.locator(".breadcrumb [lang=en]").first.inner_text() == "Taishan (Toishan)"
    page.screenshot(path=str(screenshots / "house-en-gazetteer.png"), full_page=True)

    page.goto("/houses/BR-GZ-001?lang=zh_Hant")
    assert page.get_attribute("html", "lang") == "zh-Hant"
    assert page.locator("h1 .name-zh").inner_text() == "瑞云楼"  # names are shown as written
    assert "這座碉樓由旅美華僑集資興建，為鄉里防盜所用。" in page.locator(".summary").inner_text()
    assert "廣東省 江門市 台山市 端芬鎮 梅家村" in page.locator(".fact").first.inner_text()
    page.screenshot(path=str(screenshots / "house-zh-hant-gazetteer.png"), full_page=True)

    page.goto("/?lang=en")
    # The served archive is shared by the browser tests: other tests' houses may be in Taishan too.
    assert re.search(r"^Taishan \(Toishan\) \(\d+\)$", page.locator("select[name=county]").inner_text(), re.M)
    page.screenshot(path=str(screenshots / "gallery-en-gazetteer.png"), full_page=True)
