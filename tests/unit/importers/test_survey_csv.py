"""Reading survey CSV files: encodings (detected with evidence or refused), shape, bad input."""

from __future__ import annotations

import codecs
from collections.abc import Callable
from pathlib import Path

import pytest

from importers import SurveyResult, read_survey, read_survey_files, render

HOUSES_SIMPLIFIED = [
    ["编号", "名称", "建筑风格"],
    ["ZS-NQ-ML-001", "李氏洋楼", "碉楼"],
    ["ZS-NQ-ML-002", "陈家碉楼", "庐"],
]
HOUSES_TRADITIONAL = [
    ["編號", "名稱", "建築風格"],
    ["ZS-NQ-ML-001", "李氏洋樓", "碉樓"],
    ["ZS-NQ-ML-002", "陳家碉樓", "廬"],
]

WriteCsv = Callable[..., Path]


def codes(result: SurveyResult) -> list[str]:
    return [house.code for house in result.houses]


def problem_codes(result: SurveyResult) -> list[str]:
    return [p.code for p in result.problems]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_simplified_sheet_is_read_in_its_encoding(write_csv: WriteCsv, vocab: dict, encoding: str) -> None:
    result = read_survey(write_csv(HOUSES_SIMPLIFIED, encoding), vocab=vocab)
    assert result.ok, result.problems
    assert [h.name_zh for h in result.houses] == ["李氏洋楼", "陈家碉楼"]
    assert result.houses[0].style == "diaolou"


def test_utf8_bom_before_the_first_header_is_not_part_of_it(write_csv: WriteCsv, vocab: dict) -> None:
    path = write_csv(HOUSES_SIMPLIFIED, "utf-8-sig")
    assert path.read_bytes().startswith(codecs.BOM_UTF8)
    result = read_survey(path, vocab=vocab)
    assert result.ok
    assert result.encoding == "utf-8-sig"
    assert not [p for p in result.problems if p.code == "header.unknown"]
    assert codes(result) == ["ZS-NQ-ML-001", "ZS-NQ-ML-002"]


def test_big5_sheet_is_read_as_big5(write_csv: WriteCsv, vocab: dict) -> None:
    result = read_survey(write_csv(HOUSES_TRADITIONAL, "big5"), vocab=vocab)
    assert result.ok, result.problems
    assert result.encoding == "big5"
    assert [h.name_zh for h in result.houses] == ["李氏洋樓", "陳家碉樓"]
    assert [h.style for h in result.houses] == ["diaolou", "villa"]  # 碉樓/廬 fold to the 碉楼/庐 labels


def test_gbk_file_that_also_decodes_as_big5_is_read_as_gbk(write_csv: WriteCsv, vocab: dict) -> None:
    path = write_csv(HOUSES_SIMPLIFIED, "gbk")
    misread = path.read_bytes().decode("big5hkscs")  # decodes "successfully" into nonsense
    assert "编号" not in misread
    result = read_survey(path, vocab=vocab)
    assert result.encoding == "gb18030"
    assert result.houses[0].name_zh == "李氏洋楼"


def test_big5_file_that_also_decodes_as_gb18030_is_read_as_big5(write_csv: WriteCsv, vocab: dict) -> None:
    path = write_csv(HOUSES_TRADITIONAL, "big5")
    misread = path.read_bytes().decode("gb18030")
    assert "編號" not in misread
    result = read_survey(path, vocab=vocab)
    assert result.encoding == "big5"
    assert result.houses[1].name_zh == "陳家碉樓"


def test_english_header_with_gbk_body_is_decided_by_plausibility(write_csv: WriteCsv, vocab: dict) -> None:
    rows = [["code", "name_zh", "summary_zh"]] + [
        [f"C-{i}", "李氏洋楼", "该楼由旅美华侨李氏兄弟汇款兴建，为钢筋混凝土结构，外墙饰以西式山花与罗马柱。"]
        for i in range(5)
    ]
    result = read_survey(write_csv(rows, "gbk"), vocab=vocab)
    assert result.encoding == "gb18030"
    assert result.houses[0].summary_zh is not None
    assert result.houses[0].summary_zh.startswith("该楼由旅美华侨")


def test_unsure_encoding_stops_and_names_the_choices(write_csv: WriteCsv, vocab: dict) -> None:
    # English headers and four characters that are also four Big5 characters: too little to tell.
    path = write_csv([["code", "name_zh"], ["C-1", "李氏洋楼"]], "gbk")
    assert "燠庌栥瞼" in path.read_bytes().decode("big5hkscs")
    result = read_survey(path, vocab=vocab)
    assert not result.ok
    [problem] = result.errors
    assert problem.code == "encoding.ambiguous"
    assert set(problem.params["choices"]) == {"gb18030", "big5"}
    assert "--encoding" in render(problem, "en")
    assert "gb18030" in render(problem, "zh-Hans")


def test_valid_two_byte_utf8_is_no_proof_of_utf8(write_csv: WriteCsv, vocab: dict) -> None:
    # GBK 露 is the bytes C2 B6, which are also UTF-8 for ¶: refused rather than guessed.
    path = write_csv([["code", "name_zh"], ["C-1", "露"]], "gbk")
    assert path.read_bytes().decode("utf-8").endswith("¶\r\n")
    result = read_survey(path, vocab=vocab)
    assert problem_codes(result) == ["encoding.ambiguous"]
    assert "utf-8" in result.errors[0].params["choices"]


def test_explicit_encoding_overrides_detection(write_csv: WriteCsv, vocab: dict) -> None:
    path = write_csv([["code", "name_zh"], ["C-1", "李氏洋楼"]], "gbk")
    assert read_survey(path, vocab=vocab, encoding="gbk").houses[0].name_zh == "李氏洋楼"
    assert read_survey(path, vocab=vocab, encoding="big5").houses[0].name_zh == "燠庌栥瞼"


def test_explicit_encoding_that_cannot_decode_is_an_error_with_the_line(write_csv: WriteCsv, vocab: dict) -> None:
    result = read_survey(write_csv(HOUSES_SIMPLIFIED, "gbk"), vocab=vocab, encoding="utf-8")
    [problem] = result.errors
    assert problem.code == "encoding.decode_failed"
    assert problem.params["line"] == 1


def test_unknown_encoding_name_is_an_error(write_csv: WriteCsv, vocab: dict) -> None:
    result = read_survey(write_csv(HOUSES_SIMPLIFIED), vocab=vocab, encoding="klingon")
    assert problem_codes(result) == ["encoding.unknown_name"]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_with_bom_are_read(write_csv: WriteCsv, vocab: dict, encoding: str) -> None:
    path = write_csv(HOUSES_SIMPLIFIED, "utf-16")
    if encoding != "utf-16":  # Python writes a BOM only for the plain codec names
        text = path.read_bytes().decode("utf-16")
        bom = codecs.BOM_UTF16_BE if encoding == "utf-16-be" else b""
        path.write_bytes(bom + text.encode(encoding))
    result = read_survey(path, vocab=vocab)
    assert result.ok, result.problems
    assert [h.name_zh for h in result.houses] == ["李氏洋楼", "陈家碉楼"]


def test_utf16_without_bom_is_refused_with_advice(write_csv: WriteCsv, vocab: dict) -> None:
    path = write_csv(HOUSES_SIMPLIFIED, "utf-16-le")
    result = read_survey(path, vocab=vocab)
    assert problem_codes(result) == ["encoding.nul_bytes"]
    assert "utf-16-le" in render(result.errors[0], "en")
    assert read_survey(path, vocab=vocab, encoding="utf-16-le").ok


def test_replacement_and_private_use_characters_are_errors(write_csv: WriteCsv, vocab: dict) -> None:
    rows = [["编号", "名称", "地址"], ["A-1", "李\ufffd楼", "x"], ["A-2", "陈家", "村\ue000"]]
    result = read_survey(write_csv(rows), vocab=vocab)
    assert result.houses == []
    bad = [(p.row, p.column, p.params["char"]) for p in result.errors]
    assert bad == [(2, "名称", "U+FFFD"), (3, "地址", "U+E000")]


def test_empty_file_is_an_error(tmp_path: Path, vocab: dict) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    result = read_survey(path, vocab=vocab)
    assert problem_codes(result) == ["file.empty"]
    assert render(result.errors[0], "zh-Hans") == "文件是空的。"


def test_file_of_blank_lines_is_an_error(tmp_path: Path, vocab: dict) -> None:
    path = tmp_path / "blank.csv"
    path.write_bytes(b"\r\n ,, \r\n\r\n")
    assert problem_codes(read_survey(path, vocab=vocab)) == ["file.empty"]


def test_header_only_file_is_a_note_not_a_crash(write_csv: WriteCsv, vocab: dict) -> None:
    result = read_survey(write_csv([["编号", "名称"]]), vocab=vocab)
    assert result.ok
    assert problem_codes(result) == ["sheet.no_rows"]
    assert result.sheets[0].data_rows == 0


def test_blank_rows_are_skipped_and_rows_numbered_as_the_spreadsheet_shows(write_csv: WriteCsv, vocab: dict) -> None:
    rows = [["编号", "名称"], ["A-1", "一"], [], ["", "  "], ["A-2", "二"], ["A-3", ""]]
    result = read_survey(write_csv(rows), vocab=vocab)
    assert [(h.code, h.row) for h in result.houses] == [("A-1", 2), ("A-2", 5)]
    [missing] = result.errors
    assert (missing.code, missing.row, missing.column) == ("cell.required", 6, "名称")


def test_multiline_cell_counts_as_one_row(write_csv: WriteCsv, vocab: dict) -> None:
    rows = [["编号", "名称", "简介"], ["A-1", "一", "第一行\n第二行"], ["A-2", "二", "x"]]
    result = read_survey(write_csv(rows), vocab=vocab)
    assert [h.row for h in result.houses] == [2, 3]
    assert result.houses[0].summary_zh == "第一行\n第二行"


def test_headers_in_any_order_script_and_spacing(write_csv: WriteCsv, vocab: dict) -> None:
    rows = [
        ["\u3000名稱 ", " Code\u200b", "紬度", "NAME_EN", "*緯度", "經度（WGS84）"],
        ["李", "A-1", "x", "Lee", "22.5", "113.1"],
    ]
    result = read_survey(write_csv(rows), vocab=vocab)
    house = result.houses[0]
    assert (house.code, house.name_zh, house.name_en, house.lat, house.lon) == (
        "A-1",
        "李",
        "Lee",
        22.5,
        113.1,
    )
    assert house.extra == {"紬度": "x"}
    assert [(p.code, p.column) for p in result.warnings] == [("header.unknown", "紬度")]


def test_tab_separated_file_is_read(write_csv: WriteCsv, vocab: dict) -> None:
    result = read_survey(write_csv(HOUSES_SIMPLIFIED, delimiter="\t"), vocab=vocab)
    assert codes(result) == ["ZS-NQ-ML-001", "ZS-NQ-ML-002"]


def test_ten_megabyte_cell_is_an_error_not_data(write_csv: WriteCsv, vocab: dict) -> None:
    rows = [["编号", "名称", "简介"], ["A-1", "李", "楼" * 10_000_000], ["A-2", "陈", "短"]]
    result = read_survey(write_csv(rows), vocab=vocab)
    [problem] = result.errors
    assert (problem.code, problem.row, problem.column) == ("cell.too_long", 2, "简介")
    assert problem.params["length"] == 10_000_000
    assert codes(result) == ["A-2"]


def test_unmatched_quote_is_an_error_with_its_row(tmp_path: Path, vocab: dict) -> None:
    path = tmp_path / "bad.csv"
    path.write_text('编号,名称\nA-1,"李"氏\nA-2,陈\n', encoding="utf-8")
    result = read_survey(path, vocab=vocab)
    [problem] = result.errors
    assert (problem.code, problem.row) == ("csv.malformed", 2)


def test_csv_whose_kind_cannot_be_told_is_an_error(write_csv: WriteCsv, vocab: dict) -> None:
    result = read_survey(write_csv([["名字", "地方"], ["x", "y"]]), vocab=vocab)
    assert problem_codes(result) == ["sheet.kind_unknown"]


def test_records_csv_is_recognised_by_its_house_code_column(write_csv: WriteCsv, vocab: dict) -> None:
    rows = [["標題", "房屋編號", "類型"], ["訪談", "A-1", "口述"]]
    result = read_survey(write_csv(rows, "big5"), vocab=vocab, known_house_codes=["A-1"])
    assert result.ok, result.problems
    [record] = result.records
    assert (record.house_code, record.title, record.kind) == ("A-1", "訪談", "oral_history")


def test_records_file_may_point_at_houses_file_of_the_same_import(write_csv: WriteCsv, vocab: dict) -> None:
    records = write_csv([["房屋编号", "标题"], ["ZS-NQ-ML-002", "侨批一封"]], name="records.csv")
    houses = write_csv(HOUSES_SIMPLIFIED, "gbk", name="houses.csv")
    result = read_survey_files([records, houses], vocab=vocab)
    assert result.ok, result.problems
    assert [r.house_code for r in result.records] == ["ZS-NQ-ML-002"]
    alone = read_survey(records, vocab=vocab)
    assert [p.code for p in alone.errors] == ["record.unknown_house"]


def test_file_named_xlsx_but_holding_csv_is_read_as_csv(write_csv: WriteCsv, vocab: dict) -> None:
    result = read_survey(write_csv(HOUSES_SIMPLIFIED, name="survey.xlsx"), vocab=vocab)
    assert result.file_format == "csv"
    assert len(result.houses) == 2
