"""Removals ask first, in a real browser: undo, redo and delete lead to a page naming what goes (with
counts) and nothing is removed until that page's button is pressed; the import preview shows clears."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import EDITOR, PASSWORD, log_in

pytestmark = pytest.mark.browser

FIRST = """编号,名称,简介,区县,公开,产权人,建造年代,纬度,经度
BR-IM-001,树德楼,树德楼位于塘口镇，民国初年建。,开平市,是,,,,
BR-IM-002,云幻楼,五层碉楼。,开平市,是,,,,
BR-IM-003,居安楼,更楼。,开平市,是,关氏后人,1918-1920,22.3567891,112.5712345
"""
SECOND = """编号,名称,简介,层数
BR-IM-001,树德楼,-,4
"""


def import_sheet(page: Any, path: Path, screenshot: Path | None = None) -> None:
    page.goto("/staff/imports?lang=en")
    page.set_input_files("#import-file", str(path))
    page.click("form.import-upload button[type=submit]")
    page.wait_for_selector("table.plan")
    if screenshot:
        page.screenshot(path=str(screenshot), full_page=True)
    page.click("form.import-apply button[type=submit]")
    page.wait_for_url("**/staff/imports")


def batch_button(page: Any, row: int, label: str) -> Any:
    page.goto("/staff/imports?lang=en")
    return page.locator("table.batches tbody tr").nth(row).get_by_role("link", name=label)


def consequences(page: Any) -> list[str]:
    return [line.strip() for line in page.locator("[data-consequences] li").all_inner_texts()]


def test_undo_and_redo_ask_first_and_name_the_counts(page: Any, tmp_path: Path, screenshots: Path) -> None:
    log_in(page)
    (tmp_path / "first.csv").write_text(FIRST, encoding="utf-8")
    (tmp_path / "second.csv").write_text(SECOND, encoding="utf-8")
    import_sheet(page, tmp_path / "first.csv")
    import_sheet(page, tmp_path / "second.csv", screenshots / "import-preview-clear.png")
    clear = page.goto("/houses/BR-IM-001?lang=en")
    assert clear is not None and "民国初年建" not in page.content()
    page.goto("/houses/BR-IM-003?lang=en")  # the private marker is a word, the build date said once
    assert page.inner_text(".private-field .badge") == "private"
    assert page.locator(".year-range").count() == 0 and page.inner_text(".coords") == "22.35679, 112.57123"
    page.screenshot(path=str(screenshots / "house-private-field.png"), full_page=True)

    batch_button(page, 0, "Undo").click()  # the second sheet, which cleared a summary
    page.wait_for_selector("[data-confirm]")
    assert "Puts back the values from before the import in what it updated: 1 house." in consequences(page)
    page.goto("/houses/BR-IM-001?lang=en")
    assert "民国初年建" not in page.content()  # nothing restored by looking
    batch_button(page, 0, "Undo").click()
    page.click("[data-confirm]")
    page.wait_for_url("**/staff/imports")
    assert "undone: 0 removed, 1 restored" in page.inner_text(".flash")
    page.goto("/houses/BR-IM-001?lang=en")
    assert "民国初年建" in page.content()

    batch_button(page, 1, "Undo").click()  # the first sheet: its 758 rows would be 3 here
    page.wait_for_selector("[data-confirm]")
    assert "Removes what it created: 3 houses." in consequences(page)
    page.screenshot(path=str(screenshots / "confirm-undo.png"), full_page=True)
    page.click("text=Cancel")
    page.wait_for_url("**/staff/imports")
    assert page.goto("/houses/BR-IM-002").status == 200  # still there
    batch_button(page, 1, "Undo").click()
    page.click("[data-confirm]")
    page.wait_for_url("**/staff/imports")
    assert page.goto("/houses/BR-IM-002").status == 404

    batch_button(page, 1, "Redo").click()
    page.wait_for_selector("[data-confirm]")
    assert "Puts back what it had created: 3 houses." in consequences(page)
    assert page.goto("/houses/BR-IM-002").status == 404  # not yet
    batch_button(page, 1, "Redo").click()
    page.click("[data-confirm]")
    page.wait_for_url("**/staff/imports")
    assert "redone: 3 put back, 0 updated again" in page.inner_text(".flash")
    assert page.goto("/houses/BR-IM-002").status == 200


def test_delete_asks_first_without_javascript(browser: Any, live_server: str, screenshots: Path,
                                              tmp_path: Path) -> None:
    context = browser.new_context(base_url=live_server, java_script_enabled=False,
                                  viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in(page, EDITOR, PASSWORD)
    (tmp_path / "one.csv").write_text("编号,名称,公开\nBR-DEL-001,待删楼,是\n", encoding="utf-8")
    import_sheet(page, tmp_path / "one.csv")
    page.goto("/houses/BR-DEL-001?lang=en")
    page.click(".staff-bar a.danger")
    page.wait_for_selector("[data-confirm]")
    assert "/staff/houses/BR-DEL-001/delete" in page.url
    assert page.inner_text("h1") == "Delete house BR-DEL-001?"
    assert "It holds no records or photos." in consequences(page)
    page.screenshot(path=str(screenshots / "confirm-delete.png"), full_page=True)
    assert page.goto("/houses/BR-DEL-001").status == 200  # looking deleted nothing
    page.goto("/staff/houses/BR-DEL-001/delete?lang=en")
    page.click("[data-confirm]")
    page.wait_for_url("**/staff/")
    assert "moved to the trash" in page.inner_text(".flash")
    assert page.goto("/houses/BR-DEL-001").status == 404
    context.close()
