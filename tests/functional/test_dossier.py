"""The printable dossier of a house, as a page and as PDF: the viewer's facts, photos (reduced
derivatives), map position and sources; nothing private for the public; unpublished houses 404.

The PDF is read back with pypdf, an independent reader: its text must hold the Chinese name (so the
CJK font was embedded and mapped) and none of the planted private values."""

from __future__ import annotations

import io

import pytest
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image, ImageFile
from pypdf import PdfReader

from archive.state import ArchiveState
from tests.conftest import make_house, make_record
from tests.functional.test_iiif import add_photo, photo_sha256, quadrant_picture
from tests.functional.test_privacy import PLANTED, PRIVATE_RECORD, planted  # noqa: F401  (fixture used by name)


def pdf_text(body: bytes) -> str:
    reader = PdfReader(io.BytesIO(body))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


@pytest.fixture
def neighbours(state: ArchiveState) -> None:
    """Public houses in PUB-001's township (塘口镇, 自力村), so the locator has a village position."""
    make_house(state, "NB-1", name_zh="邻楼一", lat=22.36001, lon=112.56001)
    make_house(state, "NB-2", name_zh="邻楼二", lat=22.36201, lon=112.56201)


@pytest.mark.usefixtures("planted", "neighbours")
def test_public_dossier_page_shows_public_facts_only(client: FlaskClient) -> None:
    make_record(client.application.extensions["qiaofang"], "PUB-001", title="侨批一封", source="县档案馆藏")
    response = client.get("/houses/PUB-001/dossier")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "公开楼" in body and "PUB-001" in body and "碉楼" in body and "侨批一封" in body and "县档案馆藏" in body
    for value in PLANTED:
        assert value not in body, value
    # A location-private house: its village's position on the locator, said in words; no coordinates.
    assert 'class="locator"' in body and "the house's own location is not published" in client.get(
        "/houses/PUB-001/dossier?lang=en").get_data(as_text=True)
    assert "(WGS84)" not in body
    assert 'href="/houses/PUB-001/dossier.pdf"' in body
    assert '/static/css/dossier.css' in body


@pytest.mark.usefixtures("planted", "neighbours")
def test_staff_dossier_shows_private_facts(researcher: FlaskClient) -> None:
    body = researcher.get("/houses/PUB-001/dossier").get_data(as_text=True)
    assert "秘密产权人XYZZY" in body and PRIVATE_RECORD in body and "22.12346, 112.65432" in body
    hidden = researcher.get("/houses/HIDDEN-001/dossier?lang=en")
    assert hidden.status_code == 200 and "Not published: for staff only." in hidden.get_data(as_text=True)


@pytest.mark.usefixtures("planted")
@pytest.mark.parametrize("url", ["/houses/HIDDEN-001/dossier", "/houses/HIDDEN-001/dossier.pdf",
                                 "/houses/NOPE/dossier", "/houses/NOPE/dossier.pdf"])
def test_unpublished_and_unknown_houses_are_404(client: FlaskClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 404
    assert "未公开楼PLUGH" not in response.get_data(as_text=True)


@pytest.mark.usefixtures("planted", "neighbours")
def test_public_pdf_has_the_chinese_name_and_nothing_private(client: FlaskClient) -> None:
    response = client.get("/houses/PUB-001/dossier.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-")
    text = pdf_text(response.data)
    assert "公开楼" in text and "PUB-001" in text and "公开口述" in text
    for value in PLANTED:
        assert value not in text, value
    assert len(PdfReader(io.BytesIO(response.data)).pages) == 1  # one page


@pytest.mark.usefixtures("planted")
def test_staff_pdf_of_an_unpublished_house(researcher: FlaskClient) -> None:
    response = researcher.get("/houses/HIDDEN-001/dossier.pdf")
    assert response.status_code == 200
    assert "未公开楼PLUGH" in pdf_text(response.data)
    assert response.headers["Cache-Control"] == "private, no-store"


def test_photos_are_reduced_derivatives_of_visible_photos(app: Flask, state: ArchiveState,
                                                          client: FlaskClient) -> None:
    make_house(state, "KP-1", name_zh="铭石楼")
    shown = add_photo(state, quadrant_picture((2400, 1600)), name="正面.jpg")
    private = add_photo(state, Image.new("RGB", (900, 600), (10, 120, 30)), public=False, name="私.jpg")
    body = client.get("/houses/KP-1/dossier").get_data(as_text=True)
    assert f"/media/d/{photo_sha256(state, shown)}/medium.jpg" in body
    assert photo_sha256(state, private) not in body and "/media/original/" not in body
    assert "正面.jpg 题注" in body

    pdf = PdfReader(io.BytesIO(client.get("/houses/KP-1/dossier.pdf").data))
    images = [image for page in pdf.pages for image in page.images]
    assert len(images) == 1  # the public photo, not the private one
    with Image.open(io.BytesIO(images[0].data)) as embedded:
        assert max(embedded.size) <= 1024  # the medium derivative, not the 2400 px original
        # The top-left quadrant is red: the picture is the photo, the right way up.
        r, g, b = embedded.convert("RGB").getpixel((embedded.width // 8, embedded.height // 8))
        assert r > 150 and g < 80 and b < 80


def test_house_page_links_to_the_dossier(state: ArchiveState, client: FlaskClient) -> None:
    make_house(state, "KP-1")
    body = client.get("/houses/KP-1").get_data(as_text=True)
    assert 'href="/houses/KP-1/dossier"' in body and 'href="/houses/KP-1/dossier.pdf"' in body


def test_house_with_a_public_point_shows_its_coordinates(state: ArchiveState, client: FlaskClient) -> None:
    make_house(state, "KP-1", lat=22.36001, lon=112.56001)
    body = client.get("/houses/KP-1/dossier").get_data(as_text=True)
    assert "22.36001, 112.56001" in body and 'class="locator"' in body
    make_house(state, "KP-2", village="无坐标村", township="无坐标镇")
    assert "No position recorded." in client.get("/houses/KP-2/dossier?lang=en").get_data(as_text=True)


def test_the_pdf_leaves_pillows_truncated_image_check_on(state: ArchiveState, client: FlaskClient) -> None:
    """WeasyPrint's import turns Pillow's LOAD_TRUNCATED_IMAGES on for the whole process; after a PDF
    the archive must still see truncated uploads as damaged."""
    make_house(state, "KP-1")
    assert client.get("/houses/KP-1/dossier.pdf").status_code == 200
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


def test_a_drawn_pdf_is_kept_until_the_house_changes(state: ArchiveState, client: FlaskClient,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The second request is answered from DATA/dossier-cache without drawing; a browser that has it
    gets 304; an edit to the house draws a new one (the cache is named by the page drawn)."""
    from archive.services import SYSTEM
    from archive.services.houses import get_house, update_house
    from archive.web import dossier_pdf

    make_house(state, "KP-1", name_zh="铭石楼")
    drawn: list[str] = []
    real = dossier_pdf.render_pdf

    def counting(html: str, *args: object) -> bytes:
        drawn.append(html)
        return real(html, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(dossier_pdf, "render_pdf", counting)
    first = client.get("/houses/KP-1/dossier.pdf")
    second = client.get("/houses/KP-1/dossier.pdf")
    assert first.status_code == second.status_code == 200 and first.data == second.data
    assert len(drawn) == 1 and first.headers["ETag"] == second.headers["ETag"]
    assert len(list((state.config["DATA"] / "dossier-cache").rglob("*.pdf"))) == 1
    assert client.get("/houses/KP-1/dossier.pdf", headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    with state.transaction() as db:
        update_house(db, SYSTEM, get_house(db, "KP-1"), {"name_zh": "新名楼"})
    third = client.get("/houses/KP-1/dossier.pdf")
    assert len(drawn) == 2 and third.headers["ETag"] != first.headers["ETag"]
    assert "新名楼" in pdf_text(third.data)
