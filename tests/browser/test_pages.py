"""Real pages in a real browser: the batch upload, the lightbox, the language switcher."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from tests.browser.conftest import create_house, log_in, upload_directly

pytestmark = pytest.mark.browser

JPEGS, NOT_IMAGES = 298, 2


def make_jpegs(folder: Path, count: int, prefix: str = "photo") -> list[Path]:
    """Small JPEGs of random noise: every one different in bytes and in perceptual hash."""
    rng = random.Random(count)
    paths = []
    for n in range(count):
        image = Image.frombytes("RGB", (64, 48), rng.randbytes(64 * 48 * 3))
        path = folder / f"{prefix}-{n:03d}.jpg"
        image.save(path, "JPEG", quality=80)
        paths.append(path)
    return paths


def make_not_images(folder: Path) -> list[Path]:
    notes = folder / "survey-notes.jpg"
    notes.write_text("村口第三间，门楼有民国十四年题记。\n" * 20, encoding="utf-8")
    pdf = folder / "deed-scan.jpg"
    pdf.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 8)
    return [notes, pdf]


def test_upload_300_files_with_progress_refusals_and_summary(
    page: Any, tmp_path: Path, screenshots: Path
) -> None:
    log_in(page)
    create_house(page, "BR-UP-001", "铭石楼", name_en="Mingshi Lou", style="diaolou")
    files = make_jpegs(tmp_path, JPEGS)
    bad = make_not_images(tmp_path)
    chosen = files[:150] + bad + files[150:]
    assert len(chosen) == 300

    page.goto("/staff/houses/BR-UP-001/photos/upload?lang=en")
    page.check("[data-public]")
    page.set_input_files("#upload-files", [str(p) for p in chosen])
    status = page.locator("[data-upload-status]")
    page.wait_for_function(
        "() => +document.querySelector('[data-upload-status]').dataset.done >= 30", timeout=30_000)
    page.screenshot(path=str(screenshots / "upload-in-progress.png"), full_page=False)
    page.wait_for_selector("[data-upload-status][data-finished='true']", timeout=60_000)

    assert status.get_attribute("data-done") == "300" and status.get_attribute("data-total") == "300"
    assert page.inner_text("[data-total-files]") == "300 of 300 files"
    assert status.get_attribute("data-uploaded") == "298"
    assert status.get_attribute("data-refused") == "2"
    assert "298 uploaded, 2 refused" in page.inner_text("[data-summary]")
    refused = page.locator(".upload-item.is-refused")
    assert refused.count() == 2
    for n in range(2):
        row = refused.nth(n)
        assert row.locator(".file-name").inner_text() in {p.name for p in bad}
        assert "not an image" in row.locator(".reason").inner_text()
    page.check("[data-only-problems]")
    assert page.locator(".upload-item:visible").count() == 2
    page.screenshot(path=str(screenshots / "upload-finished.png"), full_page=False)

    page.click("[data-done-link]")
    page.wait_for_url("**/houses/BR-UP-001")
    assert page.locator("ul.photo-grid li").count() == JPEGS
    # Hundreds of photos show as a few rows and a button, so the facts below stay in reach.
    assert page.locator("ul.photo-grid li:visible").count() == 12
    page.screenshot(path=str(screenshots / "house-staff.png"), full_page=False)
    page.click("[data-photo-more]")
    assert page.locator("ul.photo-grid li:visible").count() == JPEGS
    assert "photo-000.jpg" in page.inner_text("ul.photo-grid")


def test_lightbox_opens_moves_and_closes_with_escape(page: Any, tmp_path: Path, screenshots: Path) -> None:
    log_in(page)
    create_house(page, "BR-LB-001", "立园", name_en="Li Garden", style="lu",
                 summary_zh="立园位于开平市塘口镇，由旅美华侨谢维立始建于民国十五年。")
    upload_directly(page, "BR-LB-001", make_jpegs(tmp_path, 3, prefix="lb"))

    page.goto("/houses/BR-LB-001?lang=en")
    dialog = page.locator("dialog.lightbox")
    assert not dialog.is_visible()
    first = page.locator("ul.photo-grid[data-lightbox] a.photo-link").first
    first.click()
    dialog.wait_for(state="visible")
    assert page.evaluate("document.querySelector('dialog.lightbox').open")
    assert page.get_attribute(".lightbox-image", "src").endswith("/large.jpg")
    assert page.inner_text(".lightbox-counter") == "1 of 3"
    page.keyboard.press("ArrowRight")
    assert page.inner_text(".lightbox-counter") == "2 of 3"
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    assert page.inner_text(".lightbox-counter") == "3 of 3"
    page.screenshot(path=str(screenshots / "lightbox.png"))
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    assert not page.evaluate("document.querySelector('dialog.lightbox').open")
    # Focus goes back to the thumbnail that opened it.
    assert page.evaluate("document.activeElement === document.querySelector('ul.photo-grid a.photo-link')")


def test_language_switcher_switches_the_interface(
    browser: Any, live_server: str, screenshots: Path, tmp_path: Path
) -> None:
    context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto("/?lang=zh_Hans")
    nav = page.locator(".main-nav")
    assert nav.inner_text().split()[:2] == ["房屋", "搜索"]  # then 地图 (Map) once its translation is merged
    assert page.get_attribute("html", "lang") == "zh-Hans"
    page.click(".lang-switch a[hreflang='en']")
    page.wait_for_url("**lang=en")
    assert nav.inner_text().split() == ["Houses", "Search", "Map", "Diaspora", "Statistics"]
    assert page.get_attribute("html", "lang") == "en"
    page.goto("/")  # the choice is remembered
    assert nav.inner_text().split() == ["Houses", "Search", "Map", "Diaspora", "Statistics"]
    page.click(".lang-switch a[hreflang='zh-Hant']")
    page.wait_for_url("**lang=zh_Hant")
    assert page.inner_text(".brand-name") == "僑房檔案"
    assert page.get_attribute("html", "lang") == "zh-Hant"
    page.goto("/?lang=zh_Hans")
    page.screenshot(path=str(screenshots / "gallery.png"), full_page=True)
    phone = browser.new_context(base_url=live_server, viewport={"width": 390, "height": 844},
                                device_scale_factor=2, is_mobile=True, has_touch=True)
    phone_page = phone.new_page()
    phone_page.goto("/?lang=zh_Hans")
    phone_page.screenshot(path=str(screenshots / "gallery-phone.png"), full_page=False)
    phone.close()
    context.close()


def test_failed_uploads_are_retried_then_offered_again(page: Any, tmp_path: Path) -> None:
    log_in(page)
    create_house(page, "BR-RT-001", "翁家楼")
    flaky, broken, fine = make_jpegs(tmp_path, 3, prefix="retry")
    attempts: dict[str, int] = {}

    def unreliable(route: Any) -> None:
        body = route.request.post_data_buffer or b""
        name = next((p.name for p in (flaky, broken) if p.name.encode() in body), None)
        if name is None:
            route.continue_()
            return
        attempts[name] = attempts.get(name, 0) + 1
        if name == flaky.name and attempts[name] == 1:
            route.fulfill(status=502, body="bad gateway")
        elif (name == flaky.name and attempts[name] == 2) or name == broken.name:
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route("**/staff/houses/BR-RT-001/photos", unreliable)
    page.goto("/staff/houses/BR-RT-001/photos/upload?lang=en")
    page.set_input_files("#upload-files", [str(flaky), str(broken), str(fine)])
    page.wait_for_selector("[data-upload-status][data-finished='true']", timeout=20_000)
    # The flaky file got through on its third attempt; the broken one gave up after three.
    assert attempts == {flaky.name: 3, broken.name: 3}
    status = page.locator("[data-upload-status]")
    assert (status.get_attribute("data-uploaded"), status.get_attribute("data-failed")) == ("2", "1")
    assert "The connection failed." in page.inner_text(".upload-item.is-failed")
    assert "1 failed after retrying" in page.inner_text("[data-summary]")

    page.unroute("**/staff/houses/BR-RT-001/photos")
    page.click("[data-retry-failed]")
    page.wait_for_selector("[data-upload-status][data-finished='true'][data-uploaded='3']", timeout=10_000)
    assert page.locator("[data-retry-failed]").is_hidden()
