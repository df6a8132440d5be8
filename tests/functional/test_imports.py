"""Imports through the CLI: dry run, import, re-import, undo round-trip; photo folders; texts."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from PIL import Image
from sqlalchemy import select, text

from archive.models import AuditEvent, House, ImportBatch, Photo, Record
from archive.services.searching import STAFF, run_search
from archive.state import ArchiveState
from search import SearchQuery
from tests.conftest import make_house
from tests.unit.media.conftest import make_picture

HOUSES_CSV = """编号,名称,英文名,区县,镇街,村社区,纬度,经度,坐标系,建造年代,建筑风格,层数,保护级别,危房等级,产权人,公开
KP-TK-ZL-001,铭石楼,Mingshi Lou,开平市,塘口镇,自力村,22.3567,112.5712,,民国十四年,碉楼,6,全国重点文物保护单位,B,方润文后人,是
KP-TK-ZL-002,云幻楼,Yunhuan Lou,开平市,塘口镇,自力村,22.3561,112.5720,gcj02,光绪甲辰年,碉樓,5,省级文物保护单位,C,,是
TS-DF-MJ-001,梅家大院,,台山市,端芬镇,梅家村,,,,1931,骑楼,2,历史建筑,A,,否
"""
RECORDS_CSV = """房屋编号,类型,标题,内容,日期,公开
KP-TK-ZL-001,侨批,方润文寄家书,父亲大人膝下：兹付上港币……,民國三十年,是
KP-TK-ZL-002,口述,村民回忆云幻楼,據村民回憶，華(huá)僑(qiáo)黄璧秀建此樓。,1990年代,否
"""
CATALOGUE = ("house", "record", "record_houses", "person", "person_role", "photo")


def write(tmp_path: Path, name: str, content: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode(encoding))
    return path


def dump(state: ArchiveState) -> dict[str, list[Any]]:
    """Every row of the catalogue tables, for an exact before/after comparison."""
    with state.db.engine.connect() as conn:
        return {t: sorted(map(tuple, conn.execute(text(f"SELECT * FROM {t}"))), key=repr) for t in CATALOGUE}


def run(runner: Any, *args: str) -> Any:
    return runner.invoke(args=[*args, "--lang", "en"] if args[0] == "import" and args[1] not in ("undo", "redo") else list(args))


def test_dry_run_import_reimport_undo_round_trip(state: ArchiveState, runner: Any, tmp_path: Path) -> None:
    make_house(state, "KP-TK-ZL-002", name_zh="旧名", published=False)
    before = dump(state)
    houses = write(tmp_path, "houses.csv", HOUSES_CSV, "gb18030")
    records = write(tmp_path, "records.csv", RECORDS_CSV)

    dry = run(runner, "import", "sheet", str(houses), "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "created   house  row 2: KP-TK-ZL-001" in dry.output
    assert "updated   house  row 3: KP-TK-ZL-002" in dry.output and "name_zh" in dry.output
    assert "dry run, nothing written: would be 2 created, 1 updated" in dry.output
    assert dump(state) == before

    first = run(runner, "import", "sheet", str(houses))
    assert first.exit_code == 0, first.output
    assert "2 created, 1 updated, 0 unchanged, 0 skipped, 0 errors; batch" in first.output
    batch = first.output.rsplit("batch ", 1)[1].split()[0]
    rec = run(runner, "import", "sheet", str(records))
    assert rec.exit_code == 0 and "2 created" in rec.output, rec.output
    record_batch = rec.output.rsplit("batch ", 1)[1].split()[0]

    with state.db.session(write=False) as db:
        house = db.scalar(select(House).where(House.code == "KP-TK-ZL-002"))
        assert house is not None and house.name_zh == "云幻楼" and house.built_from == 1904
        assert house.lat is not None and abs(house.lat - 22.3561) > 1e-4  # GCJ-02 converted to WGS84
        letter = db.scalar(select(Record).where(Record.title == "方润文寄家书"))
        assert letter is not None and (letter.date_from, letter.kind) == (1941, "letter")
        oral = db.scalar(select(Record).where(Record.kind == "oral_history"))
        assert oral is not None and oral.body == "據村民回憶，華僑黄璧秀建此樓。"  # annotations removed, script kept

    again = run(runner, "import", "sheet", str(houses))
    assert "0 created, 0 updated, 3 unchanged" in again.output and "batch" not in again.output
    history_before_undo = dump(state)
    assert history_before_undo != before

    assert run(runner, "import", "undo", record_batch).exit_code == 0
    undo = run(runner, "import", "undo", batch)
    assert undo.exit_code == 0 and "2 removed, 1 restored" in undo.output, undo.output
    assert dump(state) == before
    with state.db.session(write=False) as db:
        assert {b.status for b in db.scalars(select(ImportBatch))} == {"undone"}
        assert db.scalar(select(AuditEvent).where(AuditEvent.action == "undo-update")) is not None
    twice = run(runner, "import", "undo", batch)
    assert twice.exit_code == 1 and "already undone" in twice.output


def test_houses_and_records_csv_in_one_command(state: ArchiveState, runner: Any, tmp_path: Path) -> None:
    """`import sheet records.csv houses.csv`: one import, whatever the order (records may name the
    new houses), one batch, and one undo takes both files' rows back out."""
    before = dump(state)
    houses = write(tmp_path, "houses.csv", HOUSES_CSV, "gb18030")
    records = write(tmp_path, "records.csv", RECORDS_CSV)
    both = run(runner, "import", "sheet", str(records), str(houses))
    assert both.exit_code == 0, both.output
    assert "5 created, 0 updated, 0 unchanged, 0 skipped, 0 errors; batch" in both.output
    with state.db.session(write=False) as db:
        letter = db.scalar(select(Record).where(Record.title == "方润文寄家书"))
        assert letter is not None and [h.code for h in letter.houses] == ["KP-TK-ZL-001"]
        batches = list(db.scalars(select(ImportBatch)))
        assert len(batches) == 1 and str(records) in batches[0].source and str(houses) in batches[0].source
    hits = run_search(state, STAFF, SearchQuery("方润文寄家书"))  # a record's title, from the second file
    assert hits is not None and {hit.house_code for hit in hits.hits} == {"KP-TK-ZL-001"}
    batch = both.output.rsplit("batch ", 1)[1].split()[0]
    undo = run(runner, "import", "undo", batch)
    assert undo.exit_code == 0 and "5 removed" in undo.output, undo.output
    assert dump(state) == before


def test_reimport_of_fewer_columns_keeps_the_rest(state: ArchiveState, runner: Any, tmp_path: Path) -> None:
    """A sheet without some columns updates what it has and leaves every other field (and extra) alone."""
    full = HOUSES_CSV.replace("产权人,公开", "产权人,公开,修缮记录").replace("方润文后人,是", "方润文后人,是,2001年修缮")
    assert run(runner, "import", "sheet", str(write(tmp_path, "houses.csv", full))).exit_code == 0
    assert run(runner, "import", "sheet", str(write(tmp_path, "records.csv", RECORDS_CSV))).exit_code == 0
    narrow = write(tmp_path, "narrow.csv", "编号,名称,层数,备注人\nKP-TK-ZL-001,铭石楼,7,李四\n")
    result = run(runner, "import", "sheet", str(narrow))
    assert result.exit_code == 0 and "0 created, 1 updated" in result.output, result.output
    with state.db.session(write=False) as db:
        house = db.scalar(select(House).where(House.code == "KP-TK-ZL-001"))
        assert house is not None and house.storeys == 7
        assert (house.owner, house.published, house.county, house.built_text) == ("方润文后人", True, "开平市", "民国十四年")
        assert house.lat is not None and house.style == "diaolou" and house.protection_level is not None
        assert house.extra == {"修缮记录": "2001年修缮", "备注人": "李四"}
    # A records sheet without a date column finds the one record of that title and keeps its date.
    bodies = write(tmp_path, "bodies.csv", "房屋编号,标题,内容\nKP-TK-ZL-001,方润文寄家书,新的释文\n")
    result = run(runner, "import", "sheet", str(bodies))
    assert result.exit_code == 0 and "0 created, 1 updated" in result.output, result.output
    with state.db.session(write=False) as db:
        letter = db.scalar(select(Record).where(Record.title == "方润文寄家书"))
        assert letter is not None and (letter.body, letter.date_text, letter.kind, letter.public) == (
            "新的释文", "民國三十年", "letter", True)
    # An empty cell under a present column keeps its field too; a lone "-" clears it.
    blank = write(tmp_path, "blank.csv", "编号,名称,产权人\nKP-TK-ZL-001,铭石楼,\n")
    assert "0 updated, 1 unchanged" in run(runner, "import", "sheet", str(blank)).output
    cleared = write(tmp_path, "cleared.csv", "编号,名称,产权人\nKP-TK-ZL-001,铭石楼,-\n")
    assert run(runner, "import", "sheet", str(cleared)).exit_code == 0
    with state.db.session(write=False) as db:
        house = db.scalar(select(House).where(House.code == "KP-TK-ZL-001"))
        assert house is not None and house.owner is None and house.storeys == 7


def test_sheet_with_errors_imports_nothing(state: ArchiveState, runner: Any, tmp_path: Path) -> None:
    bad = HOUSES_CSV.replace("22.3567", "91").replace("云幻楼", "")
    path = write(tmp_path, "bad.csv", bad)
    result = run(runner, "import", "sheet", str(path))
    assert result.exit_code == 1
    assert "row 2" in result.output and "纬度" in result.output
    assert "nothing imported" in result.output
    with state.db.session(write=False) as db:
        assert list(db.scalars(select(House))) == []
    partial = run(runner, "import", "sheet", str(path), "--skip-invalid")
    assert partial.exit_code == 1 and "1 created" in partial.output
    with state.db.session(write=False) as db:
        assert list(db.scalars(select(House.code))) == ["TS-DF-MJ-001"]


def _jpeg(seed: int) -> bytes:
    out = io.BytesIO()
    make_picture((320, 240), seed).save(out, "JPEG")
    return out.getvalue()


def test_photo_folder_import(state: ArchiveState, runner: Any, tmp_path: Path) -> None:
    make_house(state, "KP-1")
    make_house(state, "KP-2")
    folder = tmp_path / "photos"
    (folder / "KP-1").mkdir(parents=True)
    (folder / "KP-1" / "正门.jpg").write_bytes(_jpeg(1))
    (folder / "KP-1" / "侧面.JPG").write_bytes(_jpeg(2))
    (folder / "KP-2_远景.jpg").write_bytes(_jpeg(3))
    (folder / "KP-2_copy.jpg").write_bytes(_jpeg(3))  # same bytes as another file
    (folder / "KP-1" / "notes.txt").write_text("not a photo")
    (folder / "KP-1" / "empty.jpg").write_bytes(b"")
    (folder / "XX-9_lost.jpg").write_bytes(_jpeg(4))
    Image.new("RGB", (10, 10)).save(folder / "KP-2_fake.jpg", "PNG")

    result = run(runner, "import", "photos", str(folder), "--workers", "2")
    assert result.exit_code == 1, result.output  # the unmatched and empty files are errors
    assert "XX-9_lost.jpg" in result.output
    with state.db.session(write=False) as db:
        names = sorted(db.scalars(select(Photo.original_name)))
    # The two files with the same bytes are stored once (the first in name order wins).
    assert names == ["KP-2_copy.jpg", "KP-2_fake.jpg", "侧面.JPG", "正门.jpg"]
    assert "skipped" in result.output
    again = run(runner, "import", "photos", str(folder))
    assert "0 created" in again.output
    with state.db.session(write=False) as db:
        assert len(list(db.scalars(select(Photo)))) == 4


def test_text_import(state: ArchiveState, runner: Any, tmp_path: Path) -> None:
    make_house(state, "KP-1")
    article = write(tmp_path, "news.txt", "開平碉樓申遺成功\n\n2007年，開平碉樓與村落&amp;列入世界遺產。僑聯(lián)表示祝賀。\n",
                    "utf-8-sig")
    result = run(runner, "import", "text", str(article), "--house", "KP-1", "--kind", "news")
    assert result.exit_code == 0, result.output
    with state.db.session(write=False) as db:
        record = db.scalar(select(Record))
        assert record is not None and record.title == "開平碉樓申遺成功"
        assert record.body is not None and "僑聯表示" in record.body and "&amp;" not in record.body
    missing = run(runner, "import", "text", str(article), "--house", "NOPE")
    assert missing.exit_code == 1 and "NOPE" in missing.output


def test_redo_puts_an_undone_batch_back_exactly(state: ArchiveState, runner: Any, tmp_path: Path) -> None:
    make_house(state, "KP-TK-ZL-002", name_zh="旧名", published=False)
    houses = write(tmp_path, "houses.csv", HOUSES_CSV)
    batch = run(runner, "import", "sheet", str(houses)).output.rsplit("batch ", 1)[1].split()[0]
    records = run(runner, "import", "sheet", str(write(tmp_path, "records.csv", RECORDS_CSV)))
    record_batch = records.output.rsplit("batch ", 1)[1].split()[0]
    imported = dump(state)

    assert run(runner, "import", "undo", record_batch).exit_code == 0
    assert run(runner, "import", "undo", batch).exit_code == 0
    assert dump(state) != imported
    redo = run(runner, "import", "redo", batch)
    assert redo.exit_code == 0 and "2 put back, 1 updated again" in redo.output, redo.output
    assert run(runner, "import", "redo", record_batch).exit_code == 0
    assert dump(state) == imported  # the same rows under the same ids, links and all
    with state.db.session(write=False) as db:
        assert {b.status for b in db.scalars(select(ImportBatch))} == {"applied"}
        actions = set(db.scalars(select(AuditEvent.action).where(AuditEvent.batch_id == batch)))
        assert {"create", "update", "undo-create", "undo-update", "redo-create", "redo-update"} <= actions
    # Undo works again after a redo, and so does a second redo.
    assert run(runner, "import", "undo", record_batch).exit_code == 0
    assert run(runner, "import", "undo", batch).exit_code == 0
    assert run(runner, "import", "redo", batch).exit_code == 0
    assert run(runner, "import", "redo", record_batch).exit_code == 0
    assert dump(state) == imported
    again = run(runner, "import", "redo", batch)
    assert again.exit_code == 1 and "not undone" in again.output


def test_redo_refuses_when_the_archive_moved_on(state: ArchiveState, runner: Any, tmp_path: Path) -> None:
    from archive.services import SYSTEM
    from archive.services.houses import get_house, update_house

    make_house(state, "KP-TK-ZL-002", name_zh="旧名", published=False)
    batch = run(runner, "import", "sheet", str(write(tmp_path, "h.csv", HOUSES_CSV))).output.rsplit(
        "batch ", 1)[1].split()[0]
    assert run(runner, "import", "undo", batch).exit_code == 0
    with state.transaction() as db:  # someone edits the house the batch had updated
        update_house(db, SYSTEM, get_house(db, "KP-TK-ZL-002"), {"name_zh": "后来改的名"})
    edited = dump(state)
    refused = run(runner, "import", "redo", batch)
    assert refused.exit_code == 1 and "KP-TK-ZL-002 was edited after the undo" in refused.output
    assert dump(state) == edited  # nothing half-redone
    with state.transaction() as db:
        update_house(db, SYSTEM, get_house(db, "KP-TK-ZL-002"), {"name_zh": "旧名"})
    make_house(state, "KP-TK-ZL-001", name_zh="同号的新房")  # the code a created house had is taken
    taken = run(runner, "import", "redo", batch)
    assert taken.exit_code == 1 and "KP-TK-ZL-001 has been taken or removed" in taken.output


SUMMARY_CSV = """编号,名称,简介,别名,层数,纬度,经度,修缮记录,公开
KP-1,树德楼,树德楼位于塘口镇……,树德;德楼,3,22.3567891,112.5712345,2001年修缮,是
"""


def test_empty_cells_keep_and_a_lone_dash_clears(state: ArchiveState, runner: Any, tmp_path: Path) -> None:
    assert run(runner, "import", "sheet", str(write(tmp_path, "first.csv", SUMMARY_CSV))).exit_code == 0
    blanks = write(tmp_path, "blanks.csv", "编号,名称,简介,别名,层数,纬度,经度,修缮记录\nKP-1,树德楼,,,,,,\n")
    dry = run(runner, "import", "sheet", str(blanks), "--dry-run")
    assert "0 created, 0 updated, 1 unchanged" in dry.output, dry.output
    dashes = write(tmp_path, "dashes.csv", "编号,名称,简介,别名,层数,纬度,经度,修缮记录\nKP-1,树德楼,-,－,-,-,-,-\n")
    result = run(runner, "import", "sheet", str(dashes))
    assert "0 created, 1 updated" in result.output, result.output
    with state.db.session(write=False) as db:
        house = db.scalar(select(House).where(House.code == "KP-1"))
        assert house is not None
        assert (house.summary_zh, house.aliases, house.storeys, house.lat, house.lon, house.extra) == (
            None, [], None, None, None, {})
        assert house.name_zh == "树德楼"
    # Undo puts every cleared value back.
    batch = result.output.rsplit("batch ", 1)[1].split()[0]
    assert run(runner, "import", "undo", batch).exit_code == 0
    with state.db.session(write=False) as db:
        house = db.scalar(select(House).where(House.code == "KP-1"))
        assert house is not None and house.summary_zh == "树德楼位于塘口镇……" and house.aliases == ["树德", "德楼"]
        assert house.extra == {"修缮记录": "2001年修缮"} and house.lat == 22.3567891


def test_dash_for_a_new_house_means_empty_and_half_a_cleared_point_is_an_error(
    state: ArchiveState, runner: Any, tmp_path: Path
) -> None:
    new = write(tmp_path, "new.csv", "编号,名称,简介,层数\nKP-9,新楼,-,-\n")
    assert run(runner, "import", "sheet", str(new)).exit_code == 0
    with state.db.session(write=False) as db:
        house = db.scalar(select(House).where(House.code == "KP-9"))
        assert house is not None and (house.summary_zh, house.storeys) == (None, None)
    half = write(tmp_path, "half.csv", "编号,名称,纬度,经度\nKP-9,新楼,-,\n")
    refused = run(runner, "import", "sheet", str(half))
    assert refused.exit_code == 1 and "nothing imported" in refused.output
    required = write(tmp_path, "required.csv", "编号,名称\nKP-9,-\n")
    assert run(runner, "import", "sheet", str(required)).exit_code == 1


def test_coordinates_copied_from_the_house_page_are_unchanged(state: ArchiveState, runner: Any, client: Any,
                                                              tmp_path: Path) -> None:
    assert run(runner, "import", "sheet", str(write(tmp_path, "first.csv", SUMMARY_CSV))).exit_code == 0
    page = client.get("/houses/KP-1").get_data(as_text=True)
    lat, lon = page.split('<dd class="coords">', 1)[1].split("</dd>", 1)[0].split(", ")
    assert (lat, lon) == ("22.35679", "112.57123")  # 5 decimals shown, 7 stored
    copied = write(tmp_path, "copied.csv", f"编号,名称,纬度,经度,层数\nKP-1,树德楼,{lat},{lon},4\n")
    result = run(runner, "import", "sheet", str(copied))
    assert "0 created, 1 updated" in result.output and "(storeys)" in result.output, result.output
    with state.db.session(write=False) as db:
        house = db.scalar(select(House).where(House.code == "KP-1"))
        assert house is not None and (house.lat, house.lon, house.storeys) == (22.3567891, 112.5712345, 4)
        changes = db.scalars(select(AuditEvent.changes).where(AuditEvent.action == "update")).all()
        assert [sorted(c) for c in changes] == [["storeys"]]
    moved = write(tmp_path, "moved.csv", "编号,名称,纬度,经度\nKP-1,树德楼,22.35680,112.57123\n")
    assert "(lat)" in run(runner, "import", "sheet", str(moved), "--dry-run").output


def test_export_of_empty_fields_reimports_unchanged(state: ArchiveState, runner: Any, tmp_path: Path) -> None:
    make_house(state, "KP-1", name_zh="树德楼", summary_zh=None, owner=None)
    make_house(state, "KP-2", name_zh="云幻楼", summary_zh="有简介", lat=22.1234567, lon=112.7654321)
    out = tmp_path / "export.xlsx"
    assert runner.invoke(args=["export", "sheet", str(out)]).exit_code == 0
    before = dump(state)
    again = run(runner, "import", "sheet", str(out))
    assert "0 created, 0 updated" in again.output, again.output
    assert dump(state) == before



def test_bulk_inserted_rows_are_what_the_orm_would_store(state: ArchiveState, runner: Any, tmp_path: Path) -> None:
    """Imports insert houses, records and their audit events in bulk: each row and event must be
    the one the services' ORM path (create_house, create_record) stores for the same values."""
    from archive.services import Actor
    from archive.services.houses import create_house
    from archive.services.imports import house_values, record_values
    from archive.services.records import create_record
    from archive.services.sheets import read_survey_for_archive

    houses = write(tmp_path, "houses.csv", HOUSES_CSV, "gb18030")
    records = write(tmp_path, "records.csv", RECORDS_CSV)
    assert run(runner, "import", "sheet", str(houses)).exit_code == 0
    assert run(runner, "import", "sheet", str(records)).exit_code == 0

    def columns(obj: Any) -> dict[str, Any]:
        return {c.key: getattr(obj, c.key) for c in type(obj).__table__.columns
                if c.key not in ("id", "created_at", "updated_at")}

    def created_event(db: Any, obj: House | Record) -> tuple[Any, ...]:
        event = db.scalar(select(AuditEvent).where(AuditEvent.entity_type == type(obj).__name__.lower(),
                                                   AuditEvent.entity_id == obj.id, AuditEvent.action == "create"))
        assert event is not None
        return event.actor, event.label, event.changes, event.batch_id is not None

    with state.transaction() as db:
        for row in read_survey_for_archive(state, [houses]).houses:
            imported = db.scalar(select(House).where(House.code == row.code))
            assert imported is not None
            stored, stored_event = columns(imported), created_event(db, imported)
            db.delete(imported)
            db.flush()
            made = create_house(db, Actor(stored_event[0]), house_values(row), batch_id="b")
            assert columns(made) == stored
            assert created_event(db, made) == stored_event
        db.rollback()
    with state.transaction() as db:
        for rec in read_survey_for_archive(state, [records]).records:
            imported_record = db.scalar(select(Record).where(Record.title == rec.title))
            assert imported_record is not None and [h.code for h in imported_record.houses] == [rec.house_code]
            stored_event = created_event(db, imported_record)
            made_record = create_record(db, Actor(stored_event[0]), imported_record.houses, record_values(rec),
                                        batch_id="b")
            assert columns(made_record) == columns(imported_record)
            assert created_event(db, made_record) == stored_event
        db.rollback()
