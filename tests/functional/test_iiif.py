"""IIIF: Image API 3.0 on public photos (info.json, regions, sizes, refusals before any decode, no EXIF,
cache), Presentation API 3.0 manifests and collection checked with iiif-prezi3's models, private
photos 404 on every IIIF URL, the cache command, and the official Image API validator at level 1."""

from __future__ import annotations

import importlib
import io
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from PIL import ExifTags, Image, ImageStat
from werkzeug.serving import make_server

from archive.models import Photo
from archive.services import SYSTEM
from archive.services.houses import get_house
from archive.services.photos import record_photo, set_photo_deleted, stage_upload, update_photo
from archive.state import ArchiveState
from media.iiif_render import IIIFImages
from tests.conftest import CliRunner, make_house
from tests.unit.media.conftest import exif_block, flat_grey_jpeg, gps_ifd, make_picture

EN = {"Accept-Language": "en"}
PREZI3 = "iiif-prezi3==3.1.1"


@pytest.fixture(scope="session")
def prezi3(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """iiif-prezi3's models, the independent check of our manifests. Every release of it pins
    Pillow<=12.0 (for image helpers we do not use), which would take the archive back from the Pillow
    it runs on; so it is no test extra but installed here from the package registry, without its
    dependencies (pydantic and requests are test extras), into a folder of its own: the tested
    environment stays the one the archive runs in."""
    try:
        return importlib.import_module("iiif_prezi3")
    except ImportError:
        target = tmp_path_factory.mktemp("iiif-prezi3")
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target),
                        PREZI3], check=True, timeout=300)
        sys.path.insert(0, str(target))
        return importlib.import_module("iiif_prezi3")
QUADRANTS = {"top-left": (200, 30, 30), "top-right": (30, 200, 30),
             "bottom-left": (30, 30, 200), "bottom-right": (220, 220, 40)}


def quadrant_picture(size: tuple[int, int] = (1200, 800)) -> Image.Image:
    """Four flat colours, so that a region's colour says which part of the image came back."""
    w, h = size
    image = Image.new("RGB", size)
    for name, (x, y) in {"top-left": (0, 0), "top-right": (w // 2, 0),
                         "bottom-left": (0, h // 2), "bottom-right": (w // 2, h // 2)}.items():
        image.paste(QUADRANTS[name], (x, y, x + w // 2, y + h // 2))
    return image


def add_photo(state: ArchiveState, image: Image.Image, house: str = "KP-1", *, public: bool = True,
              name: str = "门楼.jpg", fmt: str = "JPEG", **save: Any) -> int:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **save)
    buffer.seek(0)
    staged = stage_upload(state.store, state.derivatives_dir, buffer, name)
    with state.transaction() as db:
        outcome = record_photo(db, SYSTEM, get_house(db, house), staged, public=public, caption_zh=f"{name} 题注")
        outcome.photo.caption_en = f"Caption of {name}"
        photo_id: int = outcome.photo.id
    return photo_id


def photo_sha256(state: ArchiveState, photo_id: int) -> str:
    with state.db.session(write=False) as db:
        found = db.get(Photo, photo_id)
        assert found is not None
        return found.sha256


def images(app: Flask) -> IIIFImages:
    made: IIIFImages = app.extensions["qiaofang_iiif"]
    return made


def cache_files(state: ArchiveState) -> list[Path]:
    root = Path(state.config["DATA"]) / "iiif-cache"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def mean_colour(data: bytes) -> tuple[float, ...]:
    return tuple(ImageStat.Stat(Image.open(io.BytesIO(data)).convert("RGB")).mean)


def close_to(colour: tuple[float, ...], expected: tuple[int, int, int]) -> bool:
    return all(abs(a - b) < 8 for a, b in zip(colour, expected, strict=True))


@pytest.fixture
def photo(state: ArchiveState) -> int:
    make_house(state, "KP-1", name_zh="铭石楼", name_en="Mingshi Lou", summary_zh="一座碉楼。", summary_en="A tower.")
    return add_photo(state, quadrant_picture())


def test_info_json(client: FlaskClient, photo: int) -> None:
    response = client.get(f"/iiif/3/{photo}/info.json")
    info = response.get_json()
    assert response.status_code == 200 and response.headers["Access-Control-Allow-Origin"] == "*"
    assert info["@context"] == "http://iiif.io/api/image/3/context.json"
    assert info["id"] == f"http://localhost/iiif/3/{photo}"
    assert (info["type"], info["protocol"], info["profile"]) == ("ImageService3", "http://iiif.io/api/image", "level1")
    assert (info["width"], info["height"]) == (1200, 800)
    assert info["tiles"] == [{"width": 512, "height": 512, "scaleFactors": [1, 2, 4]}]
    assert info["sizes"] == [{"width": 300, "height": 200}, {"width": 600, "height": 400},
                             {"width": 1200, "height": 800}]
    assert info["maxWidth"] == 4096 and info["maxArea"] == 4096 * 4096 and "extraFormats" not in info
    ld = client.get(f"/iiif/3/{photo}/info.json", headers={"Accept": "application/ld+json"})
    assert ld.headers["Content-Type"].startswith("application/ld+json")
    base = client.get(f"/iiif/3/{photo}")
    assert base.status_code == 303 and base.headers["Location"].endswith(f"/iiif/3/{photo}/info.json")


@pytest.mark.parametrize(("path", "size", "colour"), [
    ("full/max/0/default.jpg", (1200, 800), None),
    ("600,0,600,400/300,/0/default.jpg", (300, 200), "top-right"),
    ("0,400,600,400/,100/0/color.jpg", (150, 100), "bottom-left"),
    ("900,600,900,900/max/0/default.jpg", (300, 200), "bottom-right"),  # cut at the image's edge
    ("pct:50,50,50,50/pct:10/0/default.jpg", (60, 40), "bottom-right"),
    ("square/!100,100/0/default.jpg", (100, 100), None),
    ("full/120,90/0/default.jpg", (120, 90), None),
])
def test_regions_and_sizes(client: FlaskClient, photo: int, path: str, size: tuple[int, int],
                           colour: str | None) -> None:
    response = client.get(f"/iiif/3/{photo}/{path}")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Content-Type"] == "image/jpeg"
    image = Image.open(io.BytesIO(response.data))
    assert image.format == "JPEG" and image.size == size
    if colour:
        assert close_to(mean_colour(response.data), QUADRANTS[colour])


def test_gray_quality(client: FlaskClient, photo: int) -> None:
    response = client.get(f"/iiif/3/{photo}/full/200,/0/gray.jpg")
    assert Image.open(io.BytesIO(response.data)).mode == "L"


@pytest.mark.parametrize(("path", "code"), [
    ("-10,0,100,100/max/0/default.jpg", "iiif_region"),
    ("0,0,0,100/max/0/default.jpg", "iiif_region_empty"),
    ("5000,0,100,100/max/0/default.jpg", "iiif_region_outside"),
    ("full/99999999,/0/default.jpg", "iiif_upscale"),
    ("full/0,/0/default.jpg", "iiif_size_zero"),
    ("full/^2400,/0/default.jpg", "iiif_upscale"),
    ("full/full/0/default.jpg", "iiif_size"),
    ("full/max/90/default.jpg", "iiif_rotation"),
    ("full/max/0/bitonal.jpg", "iiif_quality"),
    ("full/max/0/default.png", "iiif_format"),
])
def test_bad_requests_are_400_without_decoding(app: Flask, state: ArchiveState, client: FlaskClient, photo: int,
                                               path: str, code: str) -> None:
    response = client.get(f"/iiif/3/{photo}/{path}", headers=EN)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == code and error["message"]
    assert images(app).decodes == 0 and cache_files(state) == []


def test_more_pixels_than_the_limit_is_400_before_decoding(app: Flask, state: ArchiveState,
                                                           client: FlaskClient) -> None:
    make_house(state, "KP-1")
    # A 17 MP JPEG made without holding its pixels (the test process's size is inherited by the
    # child processes other tests measure).
    staged = stage_upload(state.store, state.derivatives_dir, io.BytesIO(flat_grey_jpeg(5000, 3400)), "大.jpg")
    with state.transaction() as db:
        big = record_photo(db, SYSTEM, get_house(db, "KP-1"), staged, public=True).photo.id
    assert client.get(f"/iiif/3/{big}/info.json").get_json()["sizes"][-1] == {"width": 2500, "height": 1700}
    response = client.get(f"/iiif/3/{big}/full/4500,/0/default.jpg", headers=EN)
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "iiif_too_large"
    assert images(app).decodes == 0 and cache_files(state) == []


def test_private_photos_are_404_on_every_iiif_url(app: Flask, state: ArchiveState, client: FlaskClient) -> None:
    make_house(state, "KP-1")
    make_house(state, "KP-2", published=False)
    public = add_photo(state, quadrant_picture(), name="a.jpg")
    private = add_photo(state, make_picture((300, 200), 2), public=False, name="b.jpg")
    unpublished = add_photo(state, make_picture((300, 200), 3), "KP-2", name="c.jpg")
    deleted = add_photo(state, make_picture((300, 200), 4), name="d.jpg")
    with state.transaction() as db:
        set_photo_deleted(db, SYSTEM, db.get(Photo, deleted), True)
    missing_body = client.get("/iiif/3/999999/info.json", headers=EN).get_json()
    for photo_id in (private, unpublished, deleted, 999999):
        for url in (f"/iiif/3/{photo_id}", f"/iiif/3/{photo_id}/info.json",
                    f"/iiif/3/{photo_id}/full/max/0/default.jpg", f"/iiif/3/{photo_id}/0,0,10,10/10,/0/default.jpg",
                    f"/iiif/3/house/KP-1/canvas/{photo_id}", f"/iiif/3/house/KP-2/canvas/{photo_id}",
                    f"/photos/{photo_id}/zoom"):
            response = client.get(url, headers=EN)
            assert response.status_code == 404, url
            if url.startswith("/iiif"):
                assert response.get_json() == missing_body, url
    assert client.get("/iiif/3/house/KP-2/manifest.json").status_code == 404
    assert client.get(f"/iiif/3/house/KP-1/canvas/{public}").status_code == 200
    assert images(app).decodes == 0


def test_output_has_no_exif_or_gps_and_is_upright(client: FlaskClient, state: ArchiveState) -> None:
    make_house(state, "KP-1")
    upright = quadrant_picture((600, 400))
    exif = exif_block(make="Canon", orientation=6, gps=gps_ifd((22.0, 16.0, 30.0), "N", (112.0, 34.0, 0.0), "E"))
    photo = add_photo(state, upright.transpose(Image.Transpose.ROTATE_90), exif=exif, quality=95)
    with Image.open(state.store.path_for(photo_sha256(state, photo))) as original:
        assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the original keeps its GPS
    info = client.get(f"/iiif/3/{photo}/info.json").get_json()
    assert (info["width"], info["height"]) == (600, 400)
    data = client.get(f"/iiif/3/{photo}/300,0,300,200/max/0/default.jpg").data
    out = Image.open(io.BytesIO(data))
    assert out.size == (300, 200) and close_to(mean_colour(data), QUADRANTS["top-right"])
    assert not out.getexif() and b"Exif" not in data and "icc_profile" not in out.info


def test_cache_hit_returns_identical_bytes_without_decoding(app: Flask, state: ArchiveState, client: FlaskClient,
                                                            photo: int) -> None:
    first = client.get(f"/iiif/3/{photo}/0,0,600,400/300,/0/default.jpg")
    again = client.get(f"/iiif/3/{photo}/0,0,600,400/300,200/0/default.jpg")  # the same image, said otherwise
    assert first.data == again.data and images(app).decodes == 1
    assert [p.read_bytes() for p in cache_files(state)] == [first.data]
    conditional = client.get(f"/iiif/3/{photo}/0,0,600,400/300,/0/default.jpg",
                             headers={"If-None-Match": first.headers["ETag"]})
    assert conditional.status_code == 304


def test_changed_original_is_never_decoded(app: Flask, state: ArchiveState, client: FlaskClient, photo: int) -> None:
    path = state.store.path_for(photo_sha256(state, photo))
    path.chmod(0o644)
    data = bytearray(path.read_bytes())
    data[2000] ^= 0x10
    path.write_bytes(bytes(data))
    response = client.get(f"/iiif/3/{photo}/full/200,/0/default.jpg")
    assert response.status_code == 404 and images(app).decodes == 0 and cache_files(state) == []


def test_manifest_is_a_valid_presentation_3_manifest(client: FlaskClient, state: ArchiveState, prezi3: Any) -> None:
    make_house(state, "KP-1", name_zh="铭石楼", name_en="Mingshi Lou", summary_zh="一座碉楼。", summary_en="A tower.",
               owner="黄先生", owner_contact="13800000000")
    first = add_photo(state, quadrant_picture(), name="a.jpg")
    add_photo(state, make_picture((300, 200), 2), public=False, name="secret.jpg")
    second = add_photo(state, make_picture((400, 300), 3), name="b.jpg")
    response = client.get("/iiif/3/house/KP-1/manifest.json")
    text = response.get_data(as_text=True)
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    manifest = prezi3.Manifest.model_validate(response.get_json())
    assert manifest.label == {"zh-Hans": ["铭石楼"], "en": ["Mingshi Lou"]}
    assert manifest.summary == {"zh-Hans": ["一座碉楼。"], "en": ["A tower."]}
    canvases = response.get_json()["items"]
    assert [c["id"] for c in canvases] == [f"http://localhost/iiif/3/house/KP-1/canvas/{p}" for p in (first, second)]
    assert canvases[0]["label"] == {"zh-Hans": ["a.jpg 题注"], "en": ["Caption of a.jpg"]}
    body = canvases[1]["items"][0]["items"][0]["body"]
    assert body["service"] == [{"id": f"http://localhost/iiif/3/{second}", "type": "ImageService3",
                                "profile": "level1"}]
    assert (canvases[1]["width"], canvases[1]["height"]) == (400, 300)
    assert "secret" not in text and "13800000000" not in text and "黄先生" not in text
    homepage = response.get_json()["homepage"][0]["id"]
    assert client.get(homepage).status_code == 200
    assert client.get(response.get_json()["seeAlso"][0]["id"]).get_json()["code"] == "KP-1"
    canvas = client.get(canvases[0]["id"]).get_json()
    assert canvas["items"] == canvases[0]["items"]


def test_collection_lists_published_houses_with_public_photos(
    client: FlaskClient, state: ArchiveState, prezi3: Any
) -> None:
    make_house(state, "KP-1", name_zh="铭石楼")
    make_house(state, "KP-2", name_zh="未发布", published=False)
    make_house(state, "KP-3", name_zh="无照片")
    add_photo(state, quadrant_picture(), "KP-1")
    add_photo(state, quadrant_picture(), "KP-2")
    response = client.get("/iiif/3/collection.json")
    collection = prezi3.Collection.model_validate(response.get_json())
    assert collection.label == {"zh-Hans": ["侨房档案"], "en": ["Qiaofang Archive"]}
    assert [item["id"] for item in response.get_json()["items"]] == ["http://localhost/iiif/3/house/KP-1/manifest.json"]
    assert client.get("/iiif/3/collection/2.json").status_code == 404


def test_cache_command_reports_and_prunes(app: Flask, state: ArchiveState, client: FlaskClient, runner: CliRunner,
                                          photo: int) -> None:
    client.get(f"/iiif/3/{photo}/full/300,/0/default.jpg")
    client.get(f"/iiif/3/{photo}/full/200,/0/default.jpg")
    assert "2 images" in runner.invoke(["iiif-cache"]).output
    with state.transaction() as db:
        update_photo(db, SYSTEM, db.get(Photo, photo), {"public": False})
    result = runner.invoke(["iiif-cache", "--prune"])
    assert result.exit_code == 0 and "removed 2 images" in result.output
    assert cache_files(state) == []


@pytest.fixture
def live_base(app: Flask) -> Iterator[str]:
    """The test's app on a real HTTP server, for clients that speak HTTP themselves."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()


def validator_image() -> Image.Image:
    """The IIIF validator's test image: 10 x 10 squares of 100 pixels in the colours it checks."""
    from iiif_validator.validator import ValidationInfo

    image = Image.new("RGB", (1000, 1000))
    for x, column in enumerate(ValidationInfo().colorInfo):
        for y, colour in enumerate(column):
            image.paste(colour, (x * 100, y * 100, x * 100 + 100, y * 100 + 100))
    return image


def test_official_image_api_validator_level1(state: ArchiveState, live_base: str) -> None:
    from iiif_validator.validator import ImageAPI, TestSuite, ValidationInfo

    make_house(state, "KP-1")
    photo = add_photo(state, validator_image(), fmt="PNG", name="validator.png")
    tests = TestSuite(ValidationInfo()).list_tests("3.0")
    wanted = sorted(name for name, test in tests.items() if test["level"] <= 1)
    wanted += ["quality_color", "quality_grey", "region_percent", "size_percent", "size_bwh"]
    failures = {}
    for name in wanted:
        result = ImageAPI(str(photo), live_base, "iiif/3", "http", "", "3.0", debug=False)
        TestSuite(ValidationInfo()).run_test(name, result)
        if result.exception is not None:
            failures[name] = (result.urls, str(result.exception))
    assert failures == {} and len(wanted) == 29


def test_house_page_links_public_photos_to_the_zoom_page(client: FlaskClient, state: ArchiveState) -> None:
    make_house(state, "KP-1", name_zh="铭石楼")
    public = add_photo(state, quadrant_picture(), name="a.jpg")
    private = add_photo(state, make_picture((300, 200), 2), public=False, name="b.jpg")
    page = client.get("/houses/KP-1?lang=en").get_data(as_text=True)
    assert f'href="/photos/{public}/zoom"' in page and f"/photos/{private}/zoom" not in page
    zoom = client.get(f"/photos/{public}/zoom?lang=en").get_data(as_text=True)
    assert f'data-info-url="/iiif/3/{public}/info.json"' in zoom and "<h1>a.jpg 题注</h1>" in zoom
    uncaptioned = add_photo(state, make_picture((300, 200), 5), name="c.jpg")
    with state.transaction() as db:
        update_photo(db, SYSTEM, db.get(Photo, uncaptioned), {"caption_zh": None, "caption_en": None})
    assert "<h1>Photo of 铭石楼</h1>" in client.get(f"/photos/{uncaptioned}/zoom?lang=en").get_data(as_text=True)
    assert "vendor/openseadragon/openseadragon.min.js" in zoom and "Zoom in" in page
    script = client.get("/static/vendor/openseadragon/openseadragon.min.js")
    assert script.status_code == 200 and b"OpenSeadragon" in script.data
    script.close()


def test_house_page_captions_follow_the_reader_language(client: FlaskClient, state: ArchiveState) -> None:
    # Issue 11: on English pages a photo's English caption is shown (and is its alt text).
    make_house(state, "KP-1", name_zh="铭石楼", name_en="Mingshi Lou")
    add_photo(state, quadrant_picture(), name="a.jpg")
    english = client.get("/houses/KP-1?lang=en").get_data(as_text=True)
    assert '<p class="caption">Caption of a.jpg</p>' in english and 'alt="Caption of a.jpg"' in english
    chinese = client.get("/houses/KP-1?lang=zh_Hans").get_data(as_text=True)
    assert '<p class="caption">a.jpg 题注</p>' in chinese and "Caption of a.jpg" not in chinese
