"""The upload page says, file by file, that a photo this house already has was not added again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import create_house, log_in
from tests.browser.test_pages import make_jpegs

pytestmark = pytest.mark.browser


def test_same_photo_again_is_refused_with_a_per_file_message(page: Any, tmp_path: Path, screenshots: Path) -> None:
    log_in(page)
    create_house(page, "BR-DUP-001", "德馨楼")
    first, other = make_jpegs(tmp_path, 2, prefix="门楼")
    page.goto("/staff/houses/BR-DUP-001/photos/upload?lang=en")
    page.set_input_files("#upload-files", [str(first)])
    page.wait_for_selector("[data-upload-status][data-finished='true']")
    assert page.get_attribute("[data-upload-status]", "data-uploaded") == "1"

    again = tmp_path / "again"
    again.mkdir()
    copy = again / "门楼-copy.jpg"
    copy.write_bytes(first.read_bytes())  # the same bytes under another name
    page.goto("/staff/houses/BR-DUP-001/photos/upload?lang=en")
    page.set_input_files("#upload-files", [str(copy), str(other)])
    page.wait_for_selector("[data-upload-status][data-finished='true']")
    status = page.locator("[data-upload-status]")
    assert (status.get_attribute("data-uploaded"), status.get_attribute("data-refused")) == ("1", "1")
    refused = page.locator(".upload-item.is-refused")
    assert "门楼-copy.jpg" in refused.inner_text()
    assert refused.locator(".reason").inner_text() == (
        "This house already has this exact photo (门楼-000.jpg); it was not added again.")
    page.screenshot(path=str(screenshots / "upload-duplicate.png"), full_page=True)
    page.goto("/houses/BR-DUP-001?lang=en")
    assert page.locator("ul.photo-grid li").count() == 2
