"""IIIF images from a damaged original: refused with an error (never the bad bytes, never a 5xx), and
the same staff alarm as a refused download, shown on the staff dashboard."""

from __future__ import annotations

import io

from flask.testing import FlaskClient
from sqlalchemy import select

from archive.models import FixityFinding, FixityRun
from archive.services import SYSTEM
from archive.services.houses import get_house
from archive.services.photos import record_photo, stage_upload
from archive.state import ArchiveState
from tests.conftest import make_house
from tests.unit.media.conftest import make_picture

EN = {"Accept-Language": "en"}


def public_photo(state: ArchiveState) -> tuple[int, str]:
    buffer = io.BytesIO()
    make_picture((800, 600), 5).save(buffer, "JPEG")
    buffer.seek(0)
    staged = stage_upload(state.store, state.derivatives_dir, buffer, "门楼.jpg")
    with state.transaction() as db:
        photo = record_photo(db, SYSTEM, get_house(db, "KP-1"), staged, public=True).photo
        return photo.id, photo.sha256


def read_alarms(state: ArchiveState) -> list[tuple[str, str, str]]:
    with state.db.session(write=False) as db:
        found = db.scalars(select(FixityFinding).join(FixityRun).where(FixityRun.mode == "read")).all()
        return [(alarm.sha256, alarm.kind, alarm.detail) for alarm in found]


def test_a_corrupt_original_gives_an_iiif_error_and_a_staff_alarm(state: ArchiveState, client: FlaskClient,
                                                                   editor: FlaskClient) -> None:
    make_house(state, "KP-1")
    photo_id, sha256 = public_photo(state)
    assert client.get(f"/iiif/3/{photo_id}/full/200,/0/default.jpg").status_code == 200
    assert read_alarms(state) == []
    path = state.store.path_for(sha256)
    path.chmod(0o644)
    data = bytearray(path.read_bytes())
    data[3000] ^= 0x10  # one bit: the JPEG still decodes, only the hash tells
    path.write_bytes(bytes(data))
    for size in ("300,", "400,"):  # sizes not in the cache: each needs the original
        response = client.get(f"/iiif/3/{photo_id}/full/{size}/0/default.jpg", headers=EN)
        assert response.status_code == 404 and response.mimetype == "application/json"
        assert response.json is not None and response.json["error"]["code"] == "not_found"
        assert b"\xff\xd8\xff" not in response.data
    alarms = read_alarms(state)
    assert len(alarms) == 1  # one open alarm per original, however often it is asked for
    assert alarms[0][:2] == (sha256, "changed") and f"IIIF image of photo {photo_id}" in alarms[0][2]
    dashboard = editor.get("/staff/", headers=EN).get_data(as_text=True)
    assert 'data-fixity-alarms="1"' in dashboard and sha256 in dashboard


def test_a_missing_original_raises_a_missing_alarm(state: ArchiveState, client: FlaskClient) -> None:
    make_house(state, "KP-1")
    photo_id, sha256 = public_photo(state)
    path = state.store.path_for(sha256)
    path.chmod(0o644)
    path.unlink()
    response = client.get(f"/iiif/3/{photo_id}/full/250,/0/default.jpg", headers=EN)
    assert response.status_code == 404 and b"\xff\xd8\xff" not in response.data
    assert [alarm[:2] for alarm in read_alarms(state)] == [(sha256, "missing")]
