"""Reading survey workbooks: sheets by name or header, merged cells, formulas, damaged files."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

from importers import SurveyResult, read_survey, render

WriteXlsx = Callable[..., Path]
PatchCell = Callable[[Path, int, str, str], None]

HOUSES = [
    ["编号", "名称", "建造年代"],
    ["ZS-NQ-ML-001", "李氏洋楼", "民国十五年"],
    ["ZS-NQ-ML-002", "陈家碉楼", "1920年代"],
]
RECORDS = [["房屋编号", "标题", "类型"], ["ZS-NQ-ML-002", "侨批一封", "侨批"]]


def codes(result: SurveyResult) -> list[str]:
    return [p.code for p in result.problems]


def test_houses_and_records_sheets_by_name(write_xlsx: WriteXlsx, vocab: dict) -> None:
    # Records come first in the workbook and still find their house in the later sheet.
    path = write_xlsx({"records": RECORDS, "houses": HOUSES})
    result = read_survey(path, vocab=vocab)
    assert result.ok, result.problems
    assert result.file_format == "xlsx"
    assert [h.code for h in result.houses] == ["ZS-NQ-ML-001", "ZS-NQ-ML-002"]
    assert [(r.house_code, r.kind, r.row, r.sheet) for r in result.records] == [
        ("ZS-NQ-ML-002", "letter", 2, "records")
    ]
    assert result.houses[0].built is not None and result.houses[0].built.year_from == 1926


def test_chinese_sheet_names_and_sheets_known_by_header(write_xlsx: WriteXlsx, vocab: dict) -> None:
    path = write_xlsx({"房屋": HOUSES, "Sheet2": RECORDS, "说明": [["请填写下列各表"]]})
    result = read_survey(path, vocab=vocab)
    assert [s.kind for s in result.sheets] == ["houses", "records"]
    assert len(result.records) == 1
    [note] = result.warnings
    assert (note.code, note.sheet) == ("sheet.ignored", "说明")


def test_workbook_without_a_survey_sheet_is_an_error(write_xlsx: WriteXlsx, vocab: dict) -> None:
    result = read_survey(write_xlsx({"Sheet1": [["a", "b"], [1, 2]], "Sheet2": []}), vocab=vocab)
    assert codes(result) == ["sheet.ignored", "sheet.none_recognised"]
    assert not result.ok


def test_empty_workbook_is_an_error(write_xlsx: WriteXlsx, vocab: dict) -> None:
    result = read_survey(write_xlsx({"houses": []}), vocab=vocab)
    assert codes(result) == ["sheet.none_recognised"]


def test_header_only_sheet_is_a_note(write_xlsx: WriteXlsx, vocab: dict) -> None:
    result = read_survey(write_xlsx({"houses": [["编号", "名称"]]}), vocab=vocab)
    assert result.ok
    assert codes(result) == ["sheet.no_rows"]


def test_title_row_above_the_header_is_skipped_and_reported(write_xlsx: WriteXlsx, vocab: dict) -> None:
    rows = [["马岭村侨房调查表"], [], *HOUSES]
    result = read_survey(write_xlsx({"房屋": rows}, merge={"房屋": ["A1:C1"]}), vocab=vocab)
    assert [(h.code, h.row) for h in result.houses] == [("ZS-NQ-ML-001", 4), ("ZS-NQ-ML-002", 5)]
    [note] = result.warnings
    assert (note.code, note.row, note.params["count"]) == ("sheet.rows_above_header", 3, 1)


def test_merged_cells_and_blank_rows(write_xlsx: WriteXlsx, vocab: dict) -> None:
    rows = [
        ["编号", "名称", "简介"],
        ["A-1", "李氏洋楼", "同一段简介"],
        ["A-2", None, None],
        [],
        [None, None],
        ["A-3", "三", "x"],
    ]
    path = write_xlsx({"houses": rows}, merge={"houses": ["B2:B3", "C2:C3"]})
    result = read_survey(path, vocab=vocab)
    # The merged value sits in the top-left cell only, as read-only openpyxl gives it.
    assert [(h.code, h.summary_zh) for h in result.houses] == [("A-1", "同一段简介"), ("A-3", "x")]
    [missing] = result.errors
    assert (missing.code, missing.row, missing.column) == ("cell.required", 3, "名称")


def test_formula_with_cached_value_imports_the_value(write_xlsx: WriteXlsx, patch_cell: PatchCell, vocab: dict) -> None:
    path = write_xlsx({"houses": [["编号", "名称", "层数"], ["A-1", "x", 1]]})
    patch_cell(path, 1, "B2", '<c r="B2" t="str"><f>CONCATENATE("李氏","洋楼")</f><v>李氏洋楼</v></c>')
    patch_cell(path, 1, "C2", '<c r="C2"><f>1+2</f><v>3</v></c>')
    result = read_survey(path, vocab=vocab)
    assert result.ok, result.problems
    assert (result.houses[0].name_zh, result.houses[0].storeys) == ("李氏洋楼", 3)


def test_formula_without_cached_value_is_an_error_never_its_text(write_xlsx: WriteXlsx, vocab: dict) -> None:
    rows = [["编号", "名称", "地址"], ["A-1", '=UPPER("li")', '=A2&"号"'], ["A-2", "陈", "村"]]
    result = read_survey(write_xlsx({"houses": rows}), vocab=vocab)
    assert [(p.code, p.row, p.column) for p in result.errors] == [
        ("cell.formula_no_value", 2, "名称"),
        ("cell.formula_no_value", 2, "地址"),
    ]
    assert [h.code for h in result.houses] == ["A-2"]
    assert "公式" in render(result.errors[0], "zh-Hans")


def test_cached_excel_error_is_an_error(write_xlsx: WriteXlsx, patch_cell: PatchCell, vocab: dict) -> None:
    path = write_xlsx({"houses": [["编号", "名称", "纬度", "经度"], ["A-1", "x", 22.1, 113.2]]})
    patch_cell(path, 1, "C2", '<c r="C2" t="e"><f>1/0</f><v>#DIV/0!</v></c>')
    result = read_survey(path, vocab=vocab)
    assert [(p.code, p.row, p.column, p.params["value"]) for p in result.errors] == [
        ("cell.excel_error", 2, "纬度", "#DIV/0!")
    ]
    assert result.houses == []


def test_typed_cells_numbers_dates_and_booleans(write_xlsx: WriteXlsx, vocab: dict) -> None:
    rows = [
        ["编号", "名称", "建造年代", "层数", "联系电话", "公开", "纬度", "经度"],
        ["A-1", "李", 1926, 3.0, 13800138000, True, 22.5, 113],
        ["A-2", "陈", dt.datetime(1931, 3, 5), "三层", "020-1234", False, None, None],
    ]
    result = read_survey(write_xlsx({"houses": rows}), vocab=vocab)
    assert result.ok, result.problems
    first, second = result.houses
    assert (first.built and first.built.text, first.storeys, first.owner_contact, first.public) == (
        "1926",
        3,
        "13800138000",
        True,
    )
    assert (first.lat, first.lon) == (22.5, 113.0)
    assert (second.built and second.built.text, second.built and second.built.year_from) == (
        "1931-03-05",
        1931,
    )
    assert (second.storeys, second.public) == (3, False)


def test_file_named_csv_but_holding_a_workbook_is_read_as_xlsx(write_xlsx: WriteXlsx, vocab: dict) -> None:
    path = write_xlsx({"houses": HOUSES}, name="houses.csv")
    result = read_survey(path, vocab=vocab)
    assert result.file_format == "xlsx"
    assert len(result.houses) == 2


def test_old_xls_or_encrypted_workbook_is_refused_with_advice(tmp_path: Path, vocab: dict) -> None:
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    result = read_survey(path, vocab=vocab)
    assert codes(result) == ["file.xls_legacy"]
    assert ".xlsx" in render(result.errors[0], "zh-Hant")


def test_zip_that_is_not_a_workbook_is_refused(tmp_path: Path, vocab: dict) -> None:
    path = tmp_path / "survey.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
    assert codes(read_survey(path, vocab=vocab)) == ["file.not_xlsx"]


def test_damaged_workbook_is_an_error_not_a_crash(write_xlsx: WriteXlsx, vocab: dict) -> None:
    path = write_xlsx({"houses": HOUSES})
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"][:-200]  # cut off mid-sheet
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    result = read_survey(path, vocab=vocab)
    assert "file.xlsx_unreadable" in codes(result)
    assert not result.ok


def test_truncated_zip_is_an_error(write_xlsx: WriteXlsx, vocab: dict) -> None:
    path = write_xlsx({"houses": HOUSES})
    path.write_bytes(path.read_bytes()[:300])
    result = read_survey(path, vocab=vocab)
    assert not result.ok
    assert codes(result)[0] in {"file.not_xlsx", "file.xlsx_unreadable"}


def test_wrong_dimension_in_the_sheet_does_not_lose_columns(write_xlsx: WriteXlsx, vocab: dict) -> None:
    path = write_xlsx({"houses": HOUSES})
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    parts["xl/worksheets/sheet1.xml"] = re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:A1"', sheet).encode()
    assert '<dimension ref="A1:A1"' in parts["xl/worksheets/sheet1.xml"].decode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    result = read_survey(path, vocab=vocab)
    assert [h.name_zh for h in result.houses] == ["李氏洋楼", "陈家碉楼"]
