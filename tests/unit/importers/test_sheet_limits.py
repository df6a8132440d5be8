"""Workbooks that would take all memory are refused before anything is inflated (issue 10, item 5)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from importers import SheetLimits, SurveyResult, read_survey, render
from tests.unit.importers.test_survey_xlsx import HOUSES
from tests.unit.importers.zipbombs import write_bomb_workbook

WriteXlsx = Callable[..., Path]
PatchCell = Callable[[Path, int, str, str], None]


def codes(result: SurveyResult) -> list[str]:
    return [p.code for p in result.problems]


def test_a_3_gb_bomb_is_refused_by_its_declared_size(tmp_path: Path, vocab: dict) -> None:
    bomb = write_bomb_workbook(tmp_path / "survey.xlsx", 3 * 1024**3)
    assert bomb.stat().st_size < 4 * 1024 * 1024
    result = read_survey(bomb, vocab=vocab)
    assert codes(result) == ["file.too_large_inflated"]
    problem = result.problems[0]
    assert problem.params["size_mb"] == 3073 and problem.params["limit_mb"] == 512
    assert render(problem, "en") == (
        "The workbook unpacks to 3073 MB, over the limit of 512 MB; it was not read. "
        "Split the data into several files, or save it as CSV.")
    assert "解压后有 3073 MB" in render(problem, "zh-Hans")


def test_the_limit_decides_not_the_shape(tmp_path: Path, vocab: dict) -> None:
    # The same 20 MB of sheet XML: refused under a 10 MB limit, read (and judged on its cells) above.
    bomb = write_bomb_workbook(tmp_path / "survey.xlsx", 20 * 1024**2)
    refused = read_survey(bomb, vocab=vocab, limits=SheetLimits(max_inflated_bytes=10 * 1024**2))
    assert codes(refused) == ["file.too_large_inflated"]
    read = read_survey(bomb, vocab=vocab, limits=SheetLimits(max_inflated_bytes=64 * 1024**2))
    assert "file.too_large_inflated" not in codes(read)
    assert read.problems, "a 20 MB cell is not a house row"


def test_rows_beyond_the_limit_are_refused(write_xlsx: WriteXlsx, patch_cell: PatchCell, vocab: dict) -> None:
    # More rows than one batch of reading (512), so that rows before the limit were already read.
    rows = HOUSES + [[f"ZS-NQ-ML-{n:03d}", "楼"] for n in range(3, 700)]
    path = write_xlsx({"房屋": rows})
    assert read_survey(path, vocab=vocab, limits=SheetLimits(max_rows=len(rows))).ok
    result = read_survey(path, vocab=vocab, limits=SheetLimits(max_rows=len(rows) - 1))
    assert codes(result) == ["file.too_many_rows"]
    assert render(result.problems[0], "en").endswith(
        f"More than {len(rows) - 1} rows; nothing was imported. Split the data into several files.")
    assert result.houses == []


def test_a_far_away_row_number_does_not_make_a_million_rows(
    write_xlsx: WriteXlsx, patch_cell: PatchCell, vocab: dict
) -> None:
    # openpyxl yields every missing row before a row numbered 1,048,576: the limit stops it early.
    path = write_xlsx({"房屋": HOUSES})
    patch_cell(path, 1, "B3", '<c r="B3" t="inlineStr"><is><t>陈家碉楼</t></is></c></row>'
                              '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c>')
    assert codes(read_survey(path, vocab=vocab, limits=SheetLimits(max_rows=1000))) == ["file.too_many_rows"]


def test_cells_beyond_the_column_limit_are_refused(
    write_xlsx: WriteXlsx, patch_cell: PatchCell, vocab: dict
) -> None:
    path = write_xlsx({"房屋": HOUSES})
    patch_cell(path, 1, "A3", '<c r="A3" t="inlineStr"><is><t>ZS-NQ-ML-002</t></is></c>'
                              '<c r="XFD3" t="inlineStr"><is><t>far</t></is></c>')
    result = read_survey(path, vocab=vocab)
    assert codes(result) == ["file.too_many_columns"]
    assert result.problems[0].params == {"letter": "XFD", "limit": 200}
    assert "第 XFD 列超出了 200 列的上限" in render(result.problems[0], "zh-Hans")


def test_the_last_column_within_the_limit_is_read(
    write_xlsx: WriteXlsx, patch_cell: PatchCell, vocab: dict
) -> None:
    path = write_xlsx({"房屋": HOUSES})
    # GR is column 200: allowed; one more (GS) is not.
    patch_cell(path, 1, "A3", '<c r="A3" t="inlineStr"><is><t>ZS-NQ-ML-002</t></is></c>'
                              '<c r="GR3" t="inlineStr"><is><t>edge</t></is></c>')
    assert "file.too_many_columns" not in codes(read_survey(path, vocab=vocab))
    assert codes(read_survey(path, vocab=vocab, limits=SheetLimits(max_columns=199))) == ["file.too_many_columns"]


def test_csv_rows_beyond_the_limit_are_refused(tmp_path: Path, vocab: dict) -> None:
    path = tmp_path / "houses.csv"
    path.write_text("编号,名称\n" + "".join(f"ZS-NQ-ML-{n:03d},楼\n" for n in range(1, 30)), encoding="utf-8")
    assert read_survey(path, vocab=vocab, limits=SheetLimits(max_rows=30)).ok
    assert codes(read_survey(path, vocab=vocab, limits=SheetLimits(max_rows=29))) == ["file.too_many_rows"]
