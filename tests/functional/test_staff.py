"""Staff editing: forms validate in the user's language, nothing half-saved, every change audited."""

from __future__ import annotations

import io
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
        actions = list(db.scalars(select(AuditEvent.action).where(AuditEvent.entity_type == "house")
                                  .order_by(AuditEvent.id)))
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


def _deleted(state: ArchiveState, model: Any, key: Any) -> bool:
    with state.db.session(write=False) as db:
        obj = db.get(model, key)
        return obj is not None and obj.deleted_at is not None


def test_delete_buttons_lead_to_a_confirmation_that_names_what_goes(state: ArchiveState,
                                                                    editor: FlaskClient) -> None:
    house_id = make_house(state, "TS-DF-1", name_zh="梅家大院")
    record_id = make_record(state, "TS-DF-1", title="村民回忆")
    make_record(state, "TS-DF-1", title="侨批一封")
    with state.transaction() as db:
        person = Person(name_zh="梅伯")
        db.add(person)
        db.flush()
        db.add(PersonRole(person_id=person.id, house_id=house_id, role="builder"))
        person_id = person.id
    house_page = editor.get("/houses/TS-DF-1?lang=en").get_data(as_text=True)
    # The page's Delete is a link to the confirmation, not a form that acts.
    assert 'href="/staff/houses/TS-DF-1/delete"' in house_page
    assert 'action="/staff/houses/TS-DF-1/delete"' not in house_page
    confirm = editor.get("/staff/houses/TS-DF-1/delete?lang=en").get_data(as_text=True)
    assert "Delete house TS-DF-1?" in confirm and "It holds 2 records; they go and come back with it." in confirm
    assert 'method="post" action="/staff/houses/TS-DF-1/delete"' in confirm
    assert not _deleted(state, House, house_id)  # looking is not deleting
    record_page = editor.get(f"/staff/records/{record_id}/delete?lang=en").get_data(as_text=True)
    assert "«村民回忆» moves to the trash; it leaves the pages of TS-DF-1." in record_page
    person_page = editor.get(f"/staff/people/{person_id}/delete?lang=en").get_data(as_text=True)
    assert "梅伯 moves to the trash and leaves the pages of 1 house." in person_page
    assert not _deleted(state, Record, record_id) and not _deleted(state, Person, person_id)
    assert post(editor, "/staff/houses/TS-DF-1/delete", {}, page="/staff/").status_code == 302
    assert _deleted(state, House, house_id)


def test_import_undo_asks_first_with_counts_and_an_undone_batch_can_be_redone(
    state: ArchiveState, editor: FlaskClient, tmp_path: Any
) -> None:
    from archive.models import ImportBatch
    from tests.functional.test_imports import HOUSES_CSV

    make_house(state, "KP-TK-ZL-002", name_zh="旧名")
    token = csrf_token(editor, "/staff/imports")
    upload = editor.post("/staff/imports/sheet", data={"csrf_token": token, "file": (io.BytesIO(
        HOUSES_CSV.encode()), "houses.csv")}, content_type="multipart/form-data")
    preview = upload.headers["Location"]
    assert editor.post(preview, data={"csrf_token": token}).status_code == 302
    with state.db.session(write=False) as db:
        batch = db.scalar(select(ImportBatch))
        assert batch is not None
        batch_id = batch.id
    listing = editor.get("/staff/imports?lang=en").get_data(as_text=True)
    assert f'href="/staff/imports/{batch_id}/undo"' in listing
    confirm = editor.get(f"/staff/imports/{batch_id}/undo?lang=en").get_data(as_text=True)
    assert "Removes what it created: 2 houses." in confirm
    assert "Puts back the values from before the import in what it updated: 1 house." in confirm
    assert house_count(state) == 3  # nothing removed by looking
    assert editor.post(f"/staff/imports/{batch_id}/undo", data={"csrf_token": token}).status_code == 302
    assert house_count(state) == 1
    listing = editor.get("/staff/imports?lang=en").get_data(as_text=True)
    assert f'href="/staff/imports/{batch_id}/redo"' in listing
    redo = editor.get(f"/staff/imports/{batch_id}/redo?lang=en").get_data(as_text=True)
    assert "Puts back what it had created: 2 houses." in redo and house_count(state) == 1
    done = editor.post(f"/staff/imports/{batch_id}/redo?lang=en", data={"csrf_token": token},
                       follow_redirects=True).get_data(as_text=True)
    assert f"Import {batch_id} redone: 2 put back, 1 updated again." in done
    with state.db.session(write=False) as db:
        assert db.scalar(select(House.name_zh).where(House.code == "KP-TK-ZL-002")) == "云幻楼"
    assert house_count(state) == 3


def test_import_preview_shows_clears_apart_from_changes(state: ArchiveState, editor: FlaskClient) -> None:
    make_house(state, "KP-1", name_zh="树德楼", summary_zh="树德楼位于塘口镇……", storeys=3)
    token = csrf_token(editor, "/staff/imports")
    sheet = "编号,名称,简介,层数\nKP-1,树德楼,-,4\n".encode()
    upload = editor.post("/staff/imports/sheet", data={"csrf_token": token, "file": (io.BytesIO(sheet), "h.csv")},
                         content_type="multipart/form-data")
    body = editor.get(upload.headers["Location"] + "?lang=en").get_data(as_text=True)
    clear = body.split('<li class="change clear" data-clear>', 1)[1].split("</li>", 1)[0]
    assert clear == ('<span class="field-name">summary (Chinese)</span>: <span class="old">树德楼位于塘口镇……</span> → '
                     '<span class="new">cleared</span>')
    assert '<li class="change"><span class="field-name">storeys</span>: <span class="old">3</span>' in body
    assert "a cell holding only - clears it" in body


@pytest.mark.parametrize(("word", "public"), [("y", True), ("on", True), ("0", False), ("off", False)])
def test_form_checkboxes_read_yes_and_no_words(state: ArchiveState, editor: FlaskClient, word: str,
                                               public: bool) -> None:
    assert post(editor, "/staff/houses/new", {**VALID, "location_public": word}).status_code == 302
    with state.db.session(write=False) as db:
        assert db.scalar(select(House.location_public).where(House.code == "TS-DF-1")) is public


def test_form_checkbox_with_another_word_is_refused(state: ArchiveState, editor: FlaskClient) -> None:
    response = post(editor, "/staff/houses/new?lang=en", {**VALID, "location_public": "maybe"})
    assert response.status_code == 400
    assert "Exact location is public must be yes or no" in response.get_data(as_text=True)
    assert house_count(state) == 0


def test_dashboard_counts_recent_changes_and_trash(state: ArchiveState, editor: FlaskClient) -> None:
    from archive.services import SYSTEM
    from archive.services.houses import delete_house, get_house
    from archive.services.overview import live_counts, recent_changes, trashed

    make_house(state, "KP-1")
    make_house(state, "KP-2")
    make_record(state, "KP-1")
    with state.transaction() as db:
        delete_house(db, SYSTEM, get_house(db, "KP-2"))
    with state.db.session(write=False) as db:
        assert live_counts(db) == {"houses": 1, "records": 1, "people": 0}
        recent = recent_changes(db)
        assert recent[0].action == "delete" and recent[0].label == "KP-2"
        assert not {e.action for e in recent} & {"login", "logout", "login_failed"}  # the editor logged in
        assert [h.code for h in db.scalars(trashed("houses"))] == ["KP-2"]
        assert list(db.scalars(trashed("records"))) == []
    page = editor.get("/staff/").get_data(as_text=True)
    assert "<dd>1</dd>" in page and "KP-2" in page
