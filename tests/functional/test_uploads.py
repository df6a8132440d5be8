"""Photo uploads: each bad input gets a clear 4xx message, nothing stored, nothing leaked."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from PIL import Image
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import stream_encode_multipart

from archive.models import AuditEvent, Photo
from archive.services.users import create_token
from archive.state import ArchiveState
from tests.conftest import add_user, make_house
from tests.unit.media.conftest import exif_block, gps_ifd, make_picture, png_header_bomb


def jpeg_bytes(size: tuple[int, int] = (800, 600), seed: int = 1, **exif: Any) -> bytes:
    out = io.BytesIO()
    make_picture(size, seed).save(out, "JPEG", quality=85, exif=exif_block(**exif) if exif else b"")
    return out.getvalue()


GPS = gps_ifd((22.0, 21.0, 30.0), "N", (112.0, 33.0, 0.0), "E")


@pytest.fixture
def token(state: ArchiveState) -> str:
    make_house(state, "KP-1", name_zh="铭石楼")
    add_user(state, "ed", "editor")
    with state.transaction() as db:
        return create_token(db, "ed")


def upload(client: FlaskClient, token: str, data: bytes, name: str = "照片.jpg", code: str = "KP-1",
           **form: str) -> Any:
    return client.post(f"/api/houses/{code}/photos?lang=en", headers={"Authorization": f"Bearer {token}"},
                       data={"file": (io.BytesIO(data), name), **form}, content_type="multipart/form-data")


def stored_files(state: ArchiveState) -> list[Path]:
    root = Path(state.store.root)
    return [p for p in root.rglob("*") if p.is_file() and ".tmp" not in p.parts]


def photo_rows(state: ArchiveState) -> int:
    with state.db.session(write=False) as db:
        return db.scalar(select(func.count()).select_from(Photo)) or 0


def test_upload_stores_original_and_strips_metadata(state: ArchiveState, client: FlaskClient, token: str) -> None:
    data = jpeg_bytes(make="Huawei", model="P30", taken="2024:05:01 10:00:00", gps=GPS)
    response = upload(client, token, data, "正门.jpg", public="1")
    assert response.status_code == 201, response.get_json()
    photo = response.get_json()["photo"]
    assert photo["original_name"] == "正门.jpg" and photo["camera"] == "Huawei P30"
    assert abs(photo["lat"] - 22.358333) < 1e-4 and abs(photo["lon"] - 112.55) < 1e-4
    [stored] = stored_files(state)
    assert stored.read_bytes() == data  # byte for byte
    anonymous = client.application.test_client()
    for name in ("thumb", "medium", "large"):
        derived = anonymous.get(photo["urls"][name], buffered=True)
        assert derived.status_code == 200
        assert "immutable" in derived.headers["Cache-Control"]
        image = Image.open(io.BytesIO(derived.data))
        assert not image.getexif() and "exif" not in image.info and "xmp" not in image.info
        assert b"Huawei" not in derived.data and b"GPS" not in derived.data


def test_same_bytes_twice_on_one_house_refused_with_409(state: ArchiveState, client: FlaskClient,
                                                        token: str) -> None:
    data = jpeg_bytes()
    assert upload(client, token, data, "照片.jpg").status_code == 201
    second = upload(client, token, data, "照片.JPG")
    assert second.status_code == 409
    error = second.get_json()["error"]
    assert error["code"] == "duplicate_photo" and "照片.jpg" in error["message"]
    assert len(stored_files(state)) == 1
    with state.db.session(write=False) as db:
        assert list(db.scalars(select(Photo.original_name))) == ["照片.jpg"]
        assert db.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "upload")) == 1


def test_same_bytes_on_another_house_or_after_delete_are_accepted(state: ArchiveState, client: FlaskClient,
                                                                 token: str) -> None:
    make_house(state, "KP-2", name_zh="云幻楼")
    data = jpeg_bytes()
    first = upload(client, token, data, "a.jpg").get_json()["photo"]
    assert upload(client, token, data, "a.jpg", code="KP-2").status_code == 201
    assert len(stored_files(state)) == 1  # content-addressed: the bytes are kept once for both houses
    with state.transaction() as db:
        from archive.services import SYSTEM
        from archive.services.photos import set_photo_deleted

        photo = db.get(Photo, first["id"])
        assert photo is not None
        set_photo_deleted(db, SYSTEM, photo, True)
    # The deleted one stays in the trash; the house may have the photo again.
    assert upload(client, token, data, "a.jpg").status_code == 201
    assert photo_rows(state) == 3


def test_duplicate_on_the_staff_upload_page_gets_a_per_file_message(state: ArchiveState,
                                                                    client: FlaskClient, token: str) -> None:
    from tests.conftest import csrf_token, login

    login(client, "ed")
    data = jpeg_bytes(seed=3)
    csrf = csrf_token(client, "/staff/houses/KP-1/photos/upload")

    def send() -> Any:
        return client.post("/staff/houses/KP-1/photos?lang=en", data={"file": (io.BytesIO(data), "门楼.jpg")},
                           headers={"X-CSRFToken": csrf, "Accept": "application/json"},
                           content_type="multipart/form-data")

    assert send().status_code == 201
    again = send()
    assert again.status_code == 409
    assert again.get_json()["error"]["message"] == (
        "This house already has this exact photo (门楼.jpg); it was not added again.")
    assert photo_rows(state) == 1


def test_near_copy_is_flagged(client: FlaskClient, token: str) -> None:
    original = make_picture((1200, 900), 7)
    buf1, buf2 = io.BytesIO(), io.BytesIO()
    original.save(buf1, "JPEG", quality=90)
    original.resize((600, 450)).save(buf2, "JPEG", quality=60)
    assert upload(client, token, buf1.getvalue(), "a.jpg").status_code == 201
    second = upload(client, token, buf2.getvalue(), "b.jpg").get_json()
    assert [w["code"] for w in second["warnings"]] == ["near_copy"]
    assert "a.jpg" in second["warnings"][0]["message"]


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _psd() -> bytes:
    return b"8BPS\x00\x01" + b"\x00" * 6 + b"\x00\x03" + b"\x00\x00\x00\x10" * 2 + b"\x00\x08\x00\x03" + b"\x00" * 64


def _fits() -> bytes:
    return b"SIMPLE  =                    T" + b" " * 50 + b"END".ljust(80) + b" " * (2880 - 160)


BAD_INPUTS = [
    ("empty.jpg", b"", 400, "empty"),
    ("one.jpg", b"\xff", 415, "not_image"),
    ("bomb.png", png_header_bomb(20000, 20000), 422, "decompression_bomb"),
    ("page.jpg", b"<!doctype html><html><script>alert(1)</script></html>", 415, "not_image"),
    ("logo.jpg", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
     415, "not_image"),
    ("doc.jpg", b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\nshowpage\n", 415, "format_not_allowed"),
    ("layers.jpg", _psd(), 415, "format_not_allowed"),
    ("sky.jpg", _fits(), 415, "format_not_allowed"),
]


@pytest.mark.parametrize(("name", "data", "status", "code"), BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_bad_files_are_refused_and_nothing_stored(
    state: ArchiveState, client: FlaskClient, token: str, name: str, data: bytes, status: int, code: str
) -> None:
    response = upload(client, token, data, name)
    assert response.status_code == status
    error = response.get_json()["error"]
    assert error["code"] == code and error["message"]
    assert stored_files(state) == [] and photo_rows(state) == 0


def test_ten_thousand_square_png_is_refused(state: ArchiveState, client: FlaskClient, token: str) -> None:
    data = _png(Image.new("1", (10_000, 10_000)))
    response = upload(client, token, data, "huge.png")
    assert response.status_code == 422 and response.get_json()["error"]["code"] == "decompression_bomb"
    assert stored_files(state) == [] and photo_rows(state) == 0


def test_messages_follow_the_language(client: FlaskClient, token: str) -> None:
    response = client.post("/api/houses/KP-1/photos?lang=zh_Hans", headers={"Authorization": f"Bearer {token}"},
                           data={"file": (io.BytesIO(b""), "x.jpg")}, content_type="multipart/form-data")
    assert response.get_json()["error"]["message"] == "文件是空的。"


def test_polyglot_jpeg_is_stored_but_never_served_inline(
    state: ArchiveState, client: FlaskClient, token: str
) -> None:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("evil.html", "<script>alert(1)</script>")
    data = jpeg_bytes() + b"<html><script>alert('x')</script></html>" + archive.getvalue()
    response = upload(client, token, data, "polyglot.jpg", public="1")
    assert response.status_code == 201
    photo = response.get_json()["photo"]
    [stored] = stored_files(state)
    assert stored.read_bytes() == data
    for name in ("thumb", "large"):
        derived = client.application.test_client().get(photo["urls"][name], buffered=True)
        assert b"<script>" not in derived.data and b"evil.html" not in derived.data
    original = client.get(photo["urls"]["original"], headers={"Authorization": f"Bearer {token}"}, buffered=True)
    assert original.status_code == 200 and original.data == data
    assert original.headers["Content-Disposition"].startswith("attachment")
    assert original.headers["X-Content-Type-Options"] == "nosniff"
    assert original.mimetype == "application/octet-stream"
    assert "private" in original.headers["Cache-Control"] and "no-store" in original.headers["Cache-Control"]
    assert client.application.test_client().get(photo["urls"]["original"]).status_code == 404


def test_long_exif_description_and_script_never_reach_derivatives(client: FlaskClient, token: str) -> None:
    data = jpeg_bytes(description="<script>alert(1)</script>" + "x" * 60_000, make="<script>Evil</script>")
    response = upload(client, token, data, "exif.jpg", public="1")
    assert response.status_code == 201
    photo = response.get_json()["photo"]
    assert photo["camera"] is None or len(photo["camera"]) <= 200
    derived = client.application.test_client().get(photo["urls"]["large"], buffered=True)
    assert b"<script>" not in derived.data and b"xxxxxxxxxx" not in derived.data


@pytest.mark.parametrize(("given", "kept"), [
    ("../../etc/passwd", "passwd"),
    # Multipart quoting turns a backslash into an escape, so "..\\x.jpg" arrives as "..x.jpg":
    # harmless, and media's own tests check the backslash form directly.
    ("..\\x.jpg", "..x.jpg"),
    ("a\x00.jpg", "a.jpg"),
    ("photo\u202egpj.exe", "photogpj.exe"),
    ("照片.jpg", "照片.jpg"),
])
def test_original_names_are_cleaned_never_used_as_paths(
    state: ArchiveState, client: FlaskClient, token: str, given: str, kept: str
) -> None:
    response = upload(client, token, jpeg_bytes(seed=hash(given) % 1000), given)
    assert response.status_code == 201
    assert response.get_json()["photo"]["original_name"] == kept
    [stored] = stored_files(state)
    assert stored.name == response.get_json()["photo"]["sha256"]


def test_request_over_limit_is_413_before_reading(state: ArchiveState, app: Any, token: str) -> None:
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    client = app.test_client()
    # Encoded in memory: Werkzeug's test client would spool a big body to a file it never closes.
    files = MultiDict({"file": FileStorage(io.BytesIO(b"\xff\xd8" + b"\x00" * (2 << 20)), "big.jpg")})
    body, length, boundary = stream_encode_multipart(files, use_tempfile=False)
    response = client.post("/api/houses/KP-1/photos?lang=en", input_stream=body,
                           headers={"Authorization": f"Bearer {token}", "Content-Length": str(length)},
                           content_type=f'multipart/form-data; boundary="{boundary}"')
    assert response.status_code == 413
    assert "limit" in response.get_json()["error"]["message"]
    assert stored_files(state) == []


def test_sha256_mismatch_is_refused(state: ArchiveState, client: FlaskClient, token: str) -> None:
    response = upload(client, token, jpeg_bytes(), "a.jpg", sha256="0" * 64)
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "hash_mismatch"
    assert stored_files(state) == [] and photo_rows(state) == 0


def test_truncated_jpeg_is_kept_and_flagged(state: ArchiveState, client: FlaskClient, token: str) -> None:
    data = jpeg_bytes((1600, 1200))
    cut = data[: len(data) // 2]
    response = upload(client, token, cut, "cut.jpg")
    assert response.status_code == 201
    body = response.get_json()
    assert body["photo"]["damaged"] is True
    assert [w["code"] for w in body["warnings"]] == ["damaged"]
    [stored] = stored_files(state)
    assert stored.read_bytes() == cut


def test_private_photo_is_404_to_public(state: ArchiveState, client: FlaskClient, token: str) -> None:
    photo = upload(client, token, jpeg_bytes(), "private.jpg").get_json()["photo"]
    anonymous = client.application.test_client()
    assert anonymous.get(photo["urls"]["thumb"], buffered=True).status_code == 404
    staff = client.get(photo["urls"]["thumb"], headers={"Authorization": f"Bearer {token}"}, buffered=True)
    assert staff.status_code == 200 and staff.headers["Cache-Control"] == "private, no-store"
    assert anonymous.get("/api/houses/KP-1").get_json()["photos"] == []


def test_researcher_token_cannot_upload(state: ArchiveState, client: FlaskClient, token: str) -> None:
    add_user(state, "res", "researcher")
    with state.transaction() as db:
        research = create_token(db, "res")
    response = upload(client, research, jpeg_bytes())
    assert response.status_code == 403 and photo_rows(state) == 0


def test_upload_is_audited(state: ArchiveState, client: FlaskClient, token: str) -> None:
    upload(client, token, jpeg_bytes(), "门楼.jpg")
    with state.db.session(write=False) as db:
        event = db.scalar(select(AuditEvent).where(AuditEvent.action == "upload"))
        assert event is not None and event.actor == "ed" and json.dumps(event.changes, ensure_ascii=False).count("门楼")


def test_house_without_location_takes_its_photos_location(
    state: ArchiveState, client: FlaskClient, token: str
) -> None:
    from tests.conftest import csrf_token, login

    upload(client, token, jpeg_bytes(gps=GPS), "远景.jpg")
    login(client, "ed", "correct horse")
    page = client.get("/houses/KP-1?lang=en").get_data(as_text=True)
    assert "use-photo-location" in page
    response = client.post("/staff/houses/KP-1/use-photo-location",
                           data={"csrf_token": csrf_token(client, "/staff/")})
    assert response.status_code == 302
    with state.db.session(write=False) as db:
        from archive.models import House

        house = db.scalar(select(House).where(House.code == "KP-1"))
        assert house is not None and house.location_precision == "photo"
        assert house.lat is not None and abs(house.lat - 22.358333) < 1e-4


@pytest.mark.parametrize(("word", "public"), [("1", True), ("yes", True), ("y", True), ("on", True),
                                             ("0", False), ("false", False), (None, False)])
def test_upload_public_flag_words(state: ArchiveState, client: FlaskClient, token: str, word: str | None,
                                  public: bool) -> None:
    form = {"public": word} if word is not None else {}
    response = upload(client, token, jpeg_bytes(), "门楼.jpg", **form)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["photo"]["public"] is public


def test_upload_public_flag_with_another_word_is_refused(state: ArchiveState, client: FlaskClient,
                                                         token: str) -> None:
    response = upload(client, token, jpeg_bytes(), "门楼.jpg", public="maybe")
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "bad_parameter" and error["message"].startswith("public must be yes or no")
    assert photo_rows(state) == 0 and stored_files(state) == []


def test_photo_edit_refuses_a_public_flag_it_cannot_read(state: ArchiveState, client: FlaskClient,
                                                         token: str) -> None:
    from tests.conftest import csrf_token, login

    photo = upload(client, token, jpeg_bytes(), "门楼.jpg", public="1").get_json()["photo"]
    login(client, "ed", "correct horse")
    response = client.post(f"/staff/photos/{photo['id']}?lang=en",
                           data={"caption_zh": "门楼正面", "public": "perhaps", "csrf_token": csrf_token(client, "/staff/")})
    assert response.status_code == 400 and "public must be yes or no" in response.get_data(as_text=True)
    with state.db.session(write=False) as db:
        row = db.get(Photo, photo["id"])
        assert row is not None and row.public is True and row.caption_zh is None


def test_photo_caption_public_flag_and_soft_delete(state: ArchiveState, client: FlaskClient, token: str) -> None:
    from tests.conftest import csrf_token, login

    photo = upload(client, token, jpeg_bytes(), "门楼.jpg").get_json()["photo"]
    login(client, "ed", "correct horse")
    token_field = csrf_token(client, "/staff/")
    client.post(f"/staff/photos/{photo['id']}", data={"caption_zh": "门楼正面", "public": "1",
                                                     "csrf_token": token_field})
    anonymous = client.application.test_client()
    assert "门楼正面" in anonymous.get("/houses/KP-1").get_data(as_text=True)
    assert anonymous.get(photo["urls"]["thumb"], buffered=True).status_code == 200
    client.post(f"/staff/photos/{photo['id']}/delete", data={"csrf_token": token_field})
    assert anonymous.get(photo["urls"]["thumb"], buffered=True).status_code == 404
    assert len(stored_files(state)) == 1  # the bytes stay: deletion is soft
    assert "门楼.jpg" in client.get("/staff/trash").get_data(as_text=True)


def test_photo_delete_asks_first(state: ArchiveState, client: FlaskClient, token: str) -> None:
    from tests.conftest import login

    photo_id = upload(client, token, jpeg_bytes(seed=5), "侧门.jpg").get_json()["photo"]["id"]
    login(client, "ed")
    house_page = client.get("/houses/KP-1?lang=en").get_data(as_text=True)
    assert f'href="/staff/photos/{photo_id}/delete"' in house_page
    confirm = client.get(f"/staff/photos/{photo_id}/delete?lang=en").get_data(as_text=True)
    assert "侧门.jpg leaves the page of KP-1 and moves to the trash." in confirm
    assert f'method="post" action="/staff/photos/{photo_id}/delete"' in confirm
    with state.db.session(write=False) as db:
        photo = db.get(Photo, photo_id)
        assert photo is not None and photo.deleted_at is None


def test_the_same_file_sent_twice_at_once_is_recorded_once(state: ArchiveState, client: FlaskClient,
                                                           token: str) -> None:
    from concurrent.futures import ThreadPoolExecutor

    data = jpeg_bytes(seed=11)
    clients = [client.application.test_client() for _ in range(4)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        statuses = sorted(pool.map(lambda c: upload(c, token, data, "同时.jpg").status_code, clients))
    assert statuses == [201, 409, 409, 409]
    assert photo_rows(state) == 1
