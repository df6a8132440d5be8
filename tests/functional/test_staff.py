"""Staff editing: forms validate in the user's language, nothing half-saved, every change audited."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from archive.models import AuditEvent, House, Person, PersonRole, Record
from archive.state import ArchiveState
from tests.conftest import csrf_token, make_house, make_record

VALID = {"code": "TS-DF-1", "name_zh": "梅家大院", "county": "台山市", "built_text": "民国十五年",
         "storeys": "3", "lat": "22.25", "lon": "112.79", "style": "qilou", "location_public": "y"}


def house_count(state: ArchiveState) -> int:
    with state.db.session(write=False) as db:
        return db.scalar(select(func.count()).select_from(House)) or 0


def post(client: FlaskClient, url: str, data: dict[str, Any], page: str = "/staff/houses/new") -> Any:
    return client.post(url, data={**data, "csrf_token": csrf_token(client, page)})


def test_create_house_parses_built_date(state: ArchiveState, editor: FlaskClient) -> None:
    response = post(editor, "/staff/houses/new", VALID)
    assert response.status_code == 302
    with state.db.session(write=False) as db:
        house = db.scalar(select(House).where(House.code == "TS-DF-1"))
        assert house is not None
        assert (house.built_text, house.built_from, house.built_to) == ("民国十五年", 1926, 1926)
        assert house.storeys == 3 and house.lat == 22.25 and house.published is False
    page = editor.get("/houses/TS-DF-1").get_data(as_text=True)
    assert "民国十五年" in page and "(1926)" in page


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"name_zh": ""}, "name_zh", "此项必填"),
    ({"lat": "91"}, "lat", "必须在 -90 和 90 之间"),
    ({"storeys": "-3"}, "storeys", "必须在 0 和 200 之间"),
    ({"storeys": "2.5"}, "storeys", "请输入整数"),
    ({"style": "castle"}, "style", "不是有效的选项"),
    ({"summary_zh": "长" * (10 * 1024 * 1024 // 3)}, "summary_zh", "最多 20000 个字符"),
])
def test_bad_form_data_is_refused_with_field_message(
    state: ArchiveState, editor: FlaskClient, change: dict[str, str], field: str, message: str
) -> None:
    response = post(editor, "/staff/houses/new?lang=zh_Hans", {**VALID, **change})
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert message in body
    assert f'id="{field}"' in body and 'aria-invalid="true"' in body
    assert house_count(state) == 0


def test_field_messages_follow_the_language(editor: FlaskClient) -> None:
    body = post(editor, "/staff/houses/new?lang=en", {**VALID, "lat": "91"}).get_data(as_text=True)
    assert "Must be between -90 and 90." in body
    body = post(editor, "/staff/houses/new?lang=zh_Hant", {**VALID, "lat": "91"}).get_data(as_text=True)
    assert "必須在 -90 和 90 之間" in body


def test_duplicate_code_is_a_clear_error(state: ArchiveState, editor: FlaskClient) -> None:
    make_house(state, "TS-DF-1")
    response = post(editor, "/staff/houses/new?lang=en", VALID)
    assert response.status_code == 400
    assert "A house with the code TS-DF-1 already exists." in response.get_data(as_text=True)
    assert house_count(state) == 1


def test_edit_shows_on_history_with_old_and_new(state: ArchiveState, editor: FlaskClient) -> None:
    make_house(state, "TS-DF-1", name_zh="旧名楼", built_text="1920年代")
    page = "/staff/houses/TS-DF-1/edit"
    form = editor.get(page).get_data(as_text=True)
    assert "旧名楼" in form
    response = post(editor, page, {**VALID, "name_zh": "新名楼"}, page=page)
    assert response.status_code == 302
    history = editor.get("/staff/houses/TS-DF-1/history").get_data(as_text=True)
    assert "旧名楼" in history and "新名楼" in history and "editor1" in history
    with state.db.session(write=False) as db:
        event = db.scalar(select(AuditEvent).where(AuditEvent.action == "update"))
        assert event is not None and event.changes["name_zh"] == ["旧名楼", "新名楼"]
        assert event.changes["built_from"] == [1920, 1926]


def test_missing_house_is_404(editor: FlaskClient) -> None:
    assert editor.get("/staff/houses/NOPE/edit").status_code == 404
    assert editor.get("/houses/NOPE").status_code == 404


def test_publish_delete_and_restore(state: ArchiveState, editor: FlaskClient, app: Any) -> None:
    make_house(state, "TS-DF-1", published=False)
    anonymous = app.test_client()
    assert anonymous.get("/houses/TS-DF-1").status_code == 404
    assert post(editor, "/staff/houses/TS-DF-1/publish", {}, page="/staff/").status_code == 302
    assert anonymous.get("/houses/TS-DF-1").status_code == 200
    assert post(editor, "/staff/houses/TS-DF-1/delete", {}, page="/staff/").status_code == 302
    assert anonymous.get("/houses/TS-DF-1").status_code == 404
    assert "TS-DF-1" in editor.get("/staff/trash").get_data(as_text=True)
    assert post(editor, "/staff/houses/TS-DF-1/restore", {}, page="/staff/").status_code == 302
    assert anonymous.get("/houses/TS-DF-1").status_code == 200
    with state.db.session(write=False) as db:
        actions = list(db.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions == ["create", "publish", "delete", "restore"]


def test_records_create_edit_delete(state: ArchiveState, editor: FlaskClient) -> None:
    make_house(state, "TS-DF-1")
    page = "/staff/houses/TS-DF-1/records/new"
    data = {"kind": "letter", "title": "民国二十三年侨批", "date_text": "民国二十三年", "body": "父亲大人膝下", "public": "y"}
    assert post(editor, page, data, page=page).status_code == 302
    with state.db.session(write=False) as db:
        record = db.scalar(select(Record))
        assert record is not None and (record.date_from, record.kind) == (1934, "letter")
        record_id = record.id
    bad = post(editor, page, {**data, "kind": "poem"}, page=page)
    assert bad.status_code == 400
    edit = f"/staff/records/{record_id}/edit"
    assert post(editor, edit, {**data, "title": "改过的标题"}, page=edit).status_code == 302
    assert post(editor, f"/staff/records/{record_id}/delete", {}, page="/staff/").status_code == 302
    with state.db.session(write=False) as db:
        record = db.get(Record, record_id)
        assert record is not None and record.title == "改过的标题" and record.deleted_at is not None
    history = editor.get("/staff/houses/TS-DF-1/history").get_data(as_text=True)
    assert "改过的标题" in history and "民国二十三年侨批" in history


def test_people_linked_to_house(state: ArchiveState, editor: FlaskClient) -> None:
    make_house(state, "TS-DF-1")
    page = "/staff/people/new"
    data = {"name_zh": "关崇昌", "names_romanised": "Kwan Sung Cheong", "house_code": "TS-DF-1",
            "role": "builder", "public": "y"}
    assert post(editor, page, data, page=page).status_code == 302
    assert "Kwan Sung Cheong" in editor.get("/houses/TS-DF-1").get_data(as_text=True)
    bad = post(editor, page + "?lang=en", {**data, "house_code": "NOPE"}, page=page)
    assert bad.status_code == 400 and "No house has the code NOPE." in bad.get_data(as_text=True)
    with state.db.session(write=False) as db:
        assert db.scalar(select(func.count()).select_from(Person)) == 1


def test_person_unlinked_from_a_house_stays(state: ArchiveState, editor: FlaskClient) -> None:
    make_house(state, "TS-DF-1")
    make_house(state, "TS-DF-2")
    page = "/staff/people/new"
    data = {"name_zh": "关崇昌", "names_romanised": "Kwan Sung Cheong", "house_code": "TS-DF-1",
            "role": "builder", "public": "y"}
    created = post(editor, page, data, page=page)
    person_id = int(created.headers["Location"].rstrip("/").split("/")[-2])
    edit = f"/staff/people/{person_id}/edit"
    assert post(editor, edit, {**data, "house_code": "TS-DF-2", "role": "owner"}, page=edit).status_code == 302
    with state.db.session(write=False) as db:
        links = {r.house.code: r.id for r in db.scalars(select(PersonRole))}
    assert set(links) == {"TS-DF-1", "TS-DF-2"}
    form = editor.get(edit).get_data(as_text=True)
    unlink = f"/staff/people/{person_id}/links/{links['TS-DF-1']}/unlink"
    assert unlink in form
    assert post(editor, unlink, {}, page=edit).status_code == 302
    assert "Kwan Sung Cheong" not in editor.get("/houses/TS-DF-1").get_data(as_text=True)
    assert "Kwan Sung Cheong" in editor.get("/houses/TS-DF-2").get_data(as_text=True)
    with state.db.session(write=False) as db:
        assert [r.house.code for r in db.scalars(select(PersonRole))] == ["TS-DF-2"]
        assert db.scalar(select(func.count()).select_from(Person)) == 1
        event = db.scalar(select(AuditEvent).where(AuditEvent.action == "unlink"))
        assert event is not None and event.changes == {"role": ["builder @ TS-DF-1", None]}
    # Another person's link, or one already gone, is not found (and nothing changes).
    assert post(editor, unlink, {}, page=edit).status_code == 404


def test_record_factory_feeds_house_page(state: ArchiveState, client: FlaskClient) -> None:
    make_house(state, "TS-DF-1")
    make_record(state, "TS-DF-1", title="碑刻拓片", kind="inscription")
    body = client.get("/houses/TS-DF-1?lang=en").get_data(as_text=True)
    assert "碑刻拓片" in body and "Inscription" in body
