"""Issue 11, items 6-8: the imports list, the import preview and a house's history read as a person writes."""

from __future__ import annotations

import io
from pathlib import Path

from flask.testing import FlaskClient
from sqlalchemy import select

from archive.models import ImportBatch
from archive.services import Actor
from archive.services.photo_import import import_photo_folder
from archive.state import ArchiveState
from tests.conftest import csrf_token, make_house
from tests.functional.test_imports import HOUSES_CSV, _jpeg


def _upload(editor: FlaskClient, content: bytes, name: str) -> str:
    token = csrf_token(editor, "/staff/imports")
    upload = editor.post("/staff/imports/sheet", data={"csrf_token": token, "file": (io.BytesIO(content), name)},
                         content_type="multipart/form-data")
    assert upload.status_code == 302
    return str(upload.headers["Location"])


def test_imports_list_shows_the_name_as_uploaded_who_when_and_a_result(
    state: ArchiveState, editor: FlaskClient, tmp_path: Path
) -> None:
    make_house(state, "KP-1")
    preview = _upload(editor, HOUSES_CSV.encode(), "2026 开平调查.csv")
    token_name = preview.rsplit("/", 1)[1].split("?")[0]
    assert "2026 开平调查.csv" in editor.get(preview + "?lang=en").get_data(as_text=True)
    assert editor.post(preview, data={"csrf_token": csrf_token(editor, "/staff/imports")}).status_code == 302
    folder = tmp_path / "相册"
    folder.mkdir()
    (folder / "KP-1_门.jpg").write_bytes(_jpeg(1))
    (folder / "KP-1_copy.jpg").write_bytes(_jpeg(1))
    import_photo_folder(state, Actor("摄影组"), folder, workers=1)
    listing = editor.get("/staff/imports?lang=en").get_data(as_text=True)
    assert "2026 开平调查.csv" in listing and token_name not in listing
    sheet_row = listing.split("2026 开平调查.csv", 1)[1].split("</tr>", 1)[0]
    assert "editor" in sheet_row and "new 3" in sheet_row
    photo_row = listing.split(str(folder), 1)[1].split("</tr>", 1)[0]
    assert "摄影组" in photo_row and "new 1" in photo_row and "skipped 1" in photo_row
    with state.db.session(write=False) as db:
        batch = db.scalar(select(ImportBatch).where(ImportBatch.kind == "sheet"))
        assert batch is not None and batch.file_name == "2026 开平调查.csv" and batch.source.startswith(token_name)
        batch_id = batch.id
    confirm = editor.get(f"/staff/imports/{batch_id}/undo?lang=en").get_data(as_text=True)
    assert "from 2026 开平调查.csv." in confirm and token_name not in confirm


def test_uploaded_name_keeps_the_file_name_only() -> None:
    from archive.web.staff_imports import uploaded_name

    assert uploaded_name("C:\\调查\\2026 开平调查.csv") == "2026 开平调查.csv"
    assert uploaded_name("a/b/名单\x07.xlsx") == "名单.xlsx"
    assert uploaded_name("\x00") == "upload"


def test_import_preview_labels_fields_and_lists_new_rows_values(state: ArchiveState, editor: FlaskClient) -> None:
    make_house(state, "KP-TK-ZL-001", name_zh="铭石楼", storeys=5, lon=112.5)
    body = editor.get(_upload(editor, HOUSES_CSV.encode(), "h.csv") + "?lang=en").get_data(as_text=True)
    assert '<span class="field-name">lon</span>' not in body
    updated = body.split('class="plan-updated"', 1)[1].split("</tr>", 1)[0]
    assert '<span class="field-name">longitude</span>: <span class="old">112.5</span>' in updated
    assert '<span class="field-name">storeys</span>: <span class="old">5</span> → <span class="new">6</span>' in updated
    # A new row lists what it brings, vocabulary as labels and yes/no in words.
    created = body.split('class="plan-created"', 1)[1].split("</tr>", 1)[0]
    assert "KP-TK-ZL-002" in created
    assert '<span class="field-name">Chinese name</span>: <span class="new">云幻楼</span>' in created
    assert '<span class="field-name">style</span>: <span class="new">Diaolou (watchtower)</span>' in created
    assert '<span class="field-name">published</span>: <span class="new">Yes</span>' in created
    zh = editor.get(_upload(editor, HOUSES_CSV.encode(), "h.csv") + "?lang=zh_Hans").get_data(as_text=True)
    assert '<span class="field-name">经度</span>' in zh and '<span class="field-name">层数</span>' in zh
    assert "storeys" not in zh and '<span class="new">碉楼</span>' in zh


def test_history_shows_labels_terms_lists_and_yes_no(state: ArchiveState, editor: FlaskClient) -> None:
    from tests.functional.test_staff import VALID, post

    assert post(editor, "/staff/houses/new", {**VALID, "destinations": "墨西哥、古巴"}).status_code == 302
    edited = {**VALID, "style": "yanglou", "destinations": "墨西哥、古巴、秘鲁", "owner_public": "y"}
    assert post(editor, "/staff/houses/TS-DF-1/edit", edited, page="/staff/houses/TS-DF-1/edit").status_code == 302
    en = editor.get("/staff/houses/TS-DF-1/history?lang=en").get_data(as_text=True)
    assert "yanglou" not in en and "True" not in en and "[&#39;" not in en and "['" not in en
    assert '<td class="old">Qilou (arcade shophouse)</td>' in en
    assert '<td class="new">Western-style house</td>' in en
    assert '<td class="new">墨西哥, 古巴, 秘鲁</td>' in en
    assert '<td class="field-name">destinations</td>' in en
    assert '<td class="old">No</td>' in en and '<td class="new">Yes</td>' in en
    zh = editor.get("/staff/houses/TS-DF-1/history?lang=zh_Hans").get_data(as_text=True)
    assert '<td class="new">墨西哥、古巴、秘鲁</td>' in zh and '<td class="field-name">侨居地</td>' in zh
    assert '<td class="new">洋楼</td>' in zh and '<td class="new">是</td>' in zh


def test_houses_and_records_files_uploaded_together_are_one_import(state: ArchiveState, editor: FlaskClient) -> None:
    """Two CSV files chosen together (records first): one preview naming both as uploaded, one batch,
    one undo; a problem in the records file names that file as uploaded, not as it is kept."""
    from tests.functional.test_imports import RECORDS_CSV

    token = csrf_token(editor, "/staff/imports")
    records = RECORDS_CSV + "KP-TK-ZL-001,侨批,无日期的信,内容,某年,是\n"  # a date that is not one: a warning
    upload = editor.post("/staff/imports/sheet", data={"csrf_token": token, "file": [
        (io.BytesIO(records.encode()), "信息表.csv"), (io.BytesIO(HOUSES_CSV.encode()), "房屋表.csv")]},
        content_type="multipart/form-data")
    assert upload.status_code == 302
    preview_url = str(upload.headers["Location"])
    preview = editor.get(preview_url + "?lang=en").get_data(as_text=True)
    assert "信息表.csv + 房屋表.csv" in preview
    kept = preview_url.rsplit("/", 1)[1].split("?")[0]
    assert "sheet “信息表.csv”, row 4, column “日期”: Cannot read the date “某年”" in preview
    assert kept not in preview.split("<main", 1)[1].split("<form", 1)[0]  # not the name it is kept under
    assert editor.post(preview_url, data={"csrf_token": csrf_token(editor, "/staff/imports")}).status_code == 302
    with state.db.session(write=False) as db:
        batches = list(db.scalars(select(ImportBatch)))
        assert len(batches) == 1 and batches[0].file_name == "信息表.csv + 房屋表.csv"
        assert batches[0].summary["created"] == 6
    listing = editor.get("/staff/imports?lang=en").get_data(as_text=True)
    assert "信息表.csv + 房屋表.csv" in listing


def test_more_than_ten_files_are_refused(editor: FlaskClient) -> None:
    token = csrf_token(editor, "/staff/imports")
    files = [(io.BytesIO(HOUSES_CSV.encode()), f"{n}.csv") for n in range(11)]
    response = editor.post("/staff/imports/sheet", data={"csrf_token": token, "file": files},
                           content_type="multipart/form-data", follow_redirects=True)
    assert "一次导入最多选择 10 个文件。" in response.get_data(as_text=True)
