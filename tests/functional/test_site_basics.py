"""Small things a visitor meets: the private-field marker, the build date said once, favicon and robots.txt."""

from __future__ import annotations

import io
from pathlib import Path

from flask.testing import FlaskClient
from PIL import Image

from archive.state import ArchiveState
from tests.conftest import make_house


def test_private_fields_are_marked_with_a_text_label_not_an_emoji(state: ArchiveState, editor: FlaskClient) -> None:
    make_house(state, "KP-1", owner="方润文后人", owner_contact="13800000000")
    body = editor.get("/houses/KP-1?lang=en").get_data(as_text=True)
    assert '<dd class="private-field">方润文后人 <span class="badge private">private</span></dd>' in body
    css = (Path(__file__).resolve().parents[2] / "static/css/site.css").read_text(encoding="utf-8")
    # An emoji needs an emoji font; without one the marker was an empty box.
    assert not any(0x1F000 <= ord(ch) <= 0x1FAFF for ch in css)


def test_build_date_is_said_once_when_the_text_already_gives_the_years(state: ArchiveState,
                                                                       client: FlaskClient) -> None:
    make_house(state, "KP-1", built_text="1918-1920")
    make_house(state, "KP-2", built_text="1920年代")
    make_house(state, "KP-3", built_text="民国十五年")
    first = client.get("/houses/KP-1").get_data(as_text=True)
    assert "1918-1920" in first and "1918–1920" not in first and 'class="year-range"' not in first
    assert '<span class="year-range">(1920–1929)</span>' in client.get("/houses/KP-2").get_data(as_text=True)
    assert '<span class="year-range">(1926)</span>' in client.get("/houses/KP-3").get_data(as_text=True)


def test_favicon_is_a_real_icon(client: FlaskClient) -> None:
    response = client.get("/favicon.ico", buffered=True)
    assert response.status_code == 200 and response.mimetype == "image/x-icon"
    icon = Image.open(io.BytesIO(response.data))
    assert icon.format == "ICO" and (16, 16) in icon.info["sizes"] and (32, 32) in icon.info["sizes"]


def test_robots_txt_keeps_crawlers_on_the_gallery(client: FlaskClient) -> None:
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0] == "User-agent: *"
    assert {"Disallow: /staff/", "Disallow: /api/", "Disallow: /search", "Allow: /"} <= set(lines)
