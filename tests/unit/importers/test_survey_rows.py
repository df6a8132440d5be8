"""Validation of survey rows: required fields, vocabularies, coordinates, codes, records, caps."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from importers import SurveyResult, read_survey, render
from importers.coords import distance_m, wgs84_to_gcj02

WriteCsv = Callable[..., Path]


@pytest.fixture
def read_houses(write_csv: WriteCsv, vocab: dict) -> Callable[..., SurveyResult]:
    """read_houses(header, *rows, known=()) -> result of a houses CSV"""

    def read(header: list[str], *rows: list[object], known: tuple[str, ...] = ()) -> SurveyResult:
        return read_survey(write_csv([header, *rows]), vocab=vocab, known_house_codes=known)

    return read


def located(result: SurveyResult) -> list[tuple[str, int | None, str | None]]:
    return [(p.code, p.row, p.column) for p in result.errors]


def test_a_full_house_row(read_houses: Callable[..., SurveyResult]) -> None:
    header = ["编号", "名称", "英文名", "别名", "省", "市", "区县", "镇街", "村社区", "地址",
              "纬度", "经度", "坐标系", "位置公开", "建造年代", "建造者", "家族", "侨居地", "建筑风格",
              "结构材料", "层数", "保护级别", "危房等级", "现状用途", "托管情况", "产权人", "联系电话",
              "简介", "英文简介", "公开"]  # fmt: skip
    row = ["ZS-NQ-ML-001", "李氏洋楼", "Lee House", "李家楼；大屋、洋房", "广东省", "中山市", "南区", "马岭",
           "马岭村", "马岭村十号", "22.48", "113.39", "WGS84", "否", "民國15年", "李荣", "李",
           "美国旧金山; 加拿大", "中西合璧", "钢筋混凝土", "3", "历史建筑", "b", "空置", "村委会托管",
           "李某", "13800138000", "三层洋楼。", "A villa.", "是"]  # fmt: skip
    result = read_houses(header, row)
    assert result.ok, result.problems
    house = result.houses[0]
    assert (house.code, house.name_zh, house.name_en, house.row) == ("ZS-NQ-ML-001", "李氏洋楼", "Lee House", 2)
    assert house.aliases == ["李家楼", "大屋", "洋房"]
    assert house.destinations == ["美国旧金山", "加拿大"]
    assert (house.lat, house.lon, house.coord_system, house.location_public) == (22.48, 113.39, "wgs84", False)
    assert house.built is not None and (house.built.text, house.built.year_from) == ("民國15年", 1926)
    assert (house.style, house.protection_level, house.condition, house.storeys) == ("mixed", "historic", "B", 3)
    assert (house.owner, house.owner_contact, house.public) == ("李某", "13800138000", True)
    assert house.extra == {}


def test_defaults_when_cells_are_blank(read_houses: Callable[..., SurveyResult]) -> None:
    house = read_houses(["编号", "名称", "公开", "位置公开"], ["A-1", "李", "", ""]).houses[0]
    assert (house.public, house.location_public, house.lat, house.built, house.aliases) == (False, True, None, None, [])


def test_required_fields_and_required_columns(
    read_houses: Callable[..., SurveyResult], write_csv: WriteCsv, vocab: dict
) -> None:
    result = read_houses(["编号", "名称"], ["", "李"], ["A-2", ""])
    assert located(result) == [("cell.required", 2, "编号"), ("cell.required", 3, "名称")]
    assert result.houses == []
    no_column = read_houses(["编号", "地址"], ["A-1", "x"])
    [problem] = no_column.errors
    assert (problem.code, problem.params["field"]) == ("header.missing", "name_zh")
    assert "名称" in render(problem, "zh-Hans") and "名稱" in render(problem, "zh-Hant")
    records = read_survey(write_csv([["房屋编号", "内容"], ["A-1", "x"]]), vocab=vocab, known_house_codes=["A-1"])
    assert [p.params["field"] for p in records.errors] == ["title"]


@pytest.mark.parametrize(
    ("lat", "lon", "expected"),
    [
        ("91", "113", [("value.lat_range", 2, "纬度")]),
        ("-90.5", "113", [("value.lat_range", 2, "纬度")]),
        ("22", "181", [("value.lon_range", 2, "经度")]),
        ("22", "", [("coords.half", 2, "经度")]),
        ("", "113", [("coords.half", 2, "纬度")]),
        ("北纬22度", "113", [("value.not_number", 2, "纬度")]),
        ("nan", "113", [("value.not_number", 2, "纬度")]),
    ],
)
def test_bad_coordinates(read_houses: Callable[..., SurveyResult], lat: str, lon: str, expected: list) -> None:
    result = read_houses(["编号", "名称", "纬度", "经度"], ["A-1", "李", lat, lon])
    assert located(result) == expected
    assert result.houses == []


def test_latitude_91_message_in_three_languages(read_houses: Callable[..., SurveyResult]) -> None:
    [problem] = read_houses(["编号", "名称", "纬度", "经度"], ["A-1", "李", "91", "113"]).errors
    assert render(problem, "zh-Hans") == "工作表「sheet.csv」第 2 行「纬度」列：纬度 91 超出 -90 到 90 的范围。"
    assert render(problem, "zh-Hant") == "工作表「sheet.csv」第 2 列「纬度」欄：緯度 91 超出 -90 到 90 的範圍。"
    assert render(problem, "en") == "sheet “sheet.csv”, row 2, column “纬度”: Latitude 91 is outside -90 to 90."


def test_full_width_and_degree_coordinates_are_read(read_houses: Callable[..., SurveyResult]) -> None:
    house = read_houses(["编号", "名称", "纬度", "经度"], ["A-1", "李", "２２．５", "113.25°"]).houses[0]
    assert (house.lat, house.lon) == (22.5, 113.25)


def test_gcj02_coordinates_are_converted_to_wgs84(read_houses: Callable[..., SurveyResult]) -> None:
    wgs = (22.5212, 113.3921)
    gcj = wgs84_to_gcj02(*wgs)
    house = read_houses(
        ["编号", "名称", "纬度", "经度", "坐标系"], ["A-1", "李", repr(gcj[0]), repr(gcj[1]), "GCJ-02"]
    ).houses[0]
    assert house.coord_system == "gcj02"
    assert house.lat is not None and house.lon is not None
    assert distance_m(house.lat, house.lon, *wgs) < 0.5
    assert distance_m(*gcj, *wgs) > 100  # the shift is real, so the conversion did something


def test_unknown_and_baidu_coordinate_systems(read_houses: Callable[..., SurveyResult]) -> None:
    result = read_houses(
        ["编号", "名称", "纬度", "经度", "坐标系"],
        ["A-1", "李", "22", "113", "bd09"],
        ["A-2", "陈", "22", "113", "utm"],
    )
    assert [p.code for p in result.errors] == ["value.coord_system_baidu", "value.coord_system"]


@pytest.mark.parametrize(("written", "storeys"), [("3", 3), ("3.0", 3), ("０", 0), ("三", 3), ("3层", 3), ("十二", 12)])
def test_storeys_accepted(read_houses: Callable[..., SurveyResult], written: str, storeys: int) -> None:
    assert read_houses(["编号", "名称", "层数"], ["A-1", "李", written]).houses[0].storeys == storeys


@pytest.mark.parametrize("written", ["-3", "2.5", "many", "1e9", "three"])
def test_storeys_refused(read_houses: Callable[..., SurveyResult], written: str) -> None:
    result = read_houses(["编号", "名称", "层数"], ["A-1", "李", written])
    assert located(result) == [("value.not_whole", 2, "层数")]


@pytest.mark.parametrize(
    ("written", "public"),
    [("是", True), ("否", False), ("YES", True), ("n", False), ("True", True), ("0", False), (" y ", True)],
)
def test_yes_no_values(read_houses: Callable[..., SurveyResult], written: str, public: bool) -> None:
    assert read_houses(["编号", "名称", "公开"], ["A-1", "李", written]).houses[0].public is public


def test_yes_no_refused(read_houses: Callable[..., SurveyResult]) -> None:
    [problem] = read_houses(["编号", "名称", "公開"], ["A-1", "李", "可能"]).errors
    assert (problem.code, problem.column) == ("value.not_yes_no", "公開")
    assert "是、否" in render(problem, "zh-Hans")


def test_condition_grades(read_houses: Callable[..., SurveyResult]) -> None:
    result = read_houses(["编号", "名称", "危房等级"], ["A-1", "李", "a"], ["A-2", "陈", "E"])
    assert [h.condition for h in result.houses] == ["A"]
    [problem] = result.errors
    assert (problem.code, problem.params["choices"]) == ("value.unknown_vocab", ("A", "B", "C", "D"))


def test_vocabulary_labels_are_folded_and_keys_accepted(read_houses: Callable[..., SurveyResult]) -> None:
    result = read_houses(
        ["编号", "名称", "建筑风格", "保护级别"],
        ["A-1", "李", " 碉樓 ", "歷史建築"],
        ["A-2", "陈", "DIAOLOU", "ungraded"],
        ["A-3", "黄", "villa", "省級文物保護單位"],
    )  # fmt: skip
    assert result.ok, result.problems
    assert [(h.style, h.protection_level) for h in result.houses] == [
        ("diaolou", "historic"), ("diaolou", "ungraded"), ("villa", "provincial")
    ]  # fmt: skip


def test_unknown_vocabulary_value_names_the_accepted_ones(read_houses: Callable[..., SurveyResult]) -> None:
    [problem] = read_houses(["编号", "名称", "建筑风格"], ["A-1", "李", "城堡"]).errors
    assert problem.params["field"] == "style"
    assert (
        render(problem, "zh-Hans", location=False)
        == "“城堡”不是可用的建筑风格，可填：碉楼、庐、骑楼、中西合璧、Diaolou。"
    )
    assert "not an accepted style; use one of: 碉楼, 庐" in render(problem, "en")


def test_missing_vocabulary_is_a_programming_error(write_csv: WriteCsv) -> None:
    with pytest.raises(ValueError, match="kind"):
        read_survey(write_csv([["编号", "名称"], ["A-1", "李"]]), vocab={"style": {}, "protection_level": {}})


def test_duplicate_codes_in_one_file_ignoring_case(read_houses: Callable[..., SurveyResult]) -> None:
    result = read_houses(["编号", "名称"], ["A-1", "李"], ["B-1", "陈"], ["a-1", "黄"])
    assert located(result) == [("code.duplicate", 4, "编号")]
    assert result.errors[0].params["first_row"] == 2
    assert [h.code for h in result.houses] == ["A-1", "B-1"]


def test_codes_with_spaces_or_slashes_are_refused(read_houses: Callable[..., SurveyResult]) -> None:
    result = read_houses(["编号", "名称"], ["A 1", "李"], ["A/2", "陈"], ["A-3", "黄"])
    assert located(result) == [("code.invalid", 2, "编号"), ("code.invalid", 3, "编号")]


def test_house_code_spelt_as_the_archive_spells_it(read_houses: Callable[..., SurveyResult]) -> None:
    result = read_houses(["编号", "名称"], ["zs-nq-ml-001", "李"], known=("ZS-NQ-ML-001",))
    assert result.houses[0].code == "ZS-NQ-ML-001"
    assert [p.code for p in result.warnings] == ["code.case_differs"]


def test_records_point_at_known_houses(write_csv: WriteCsv, vocab: dict) -> None:
    rows = [
        ["房屋编号", "标题", "类型", "日期", "公开"],
        ["ZS-1", "访谈", "", "光绪甲辰年", ""],
        ["zs-1", "族谱", "其他", "", "是"],
        ["ZS-9", "侨批", "侨批", "", ""],
    ]
    result = read_survey(write_csv(rows), vocab=vocab, known_house_codes=["ZS-1"])
    assert located(result) == [("record.unknown_house", 4, "房屋编号")]
    assert "ZS-9" in render(result.errors[0], "en")
    first, second = result.records
    assert (first.house_code, first.kind, first.public) == ("ZS-1", "other", False)
    assert first.date is not None and (first.date.year_from, first.date.year_to) == (1904, 1904)
    assert (second.house_code, second.public) == ("ZS-1", True)


def test_record_repeating_house_title_and_date_is_refused(write_csv: WriteCsv, vocab: dict) -> None:
    rows = [["房屋编号", "标题", "日期"], ["A-1", "侨批", "1926"], ["A-1", "侨批", "1927"], ["A-1", "侨批", "1926"]]
    result = read_survey(write_csv(rows), vocab=vocab, known_house_codes=["A-1"])
    assert located(result) == [("record.duplicate", 4, "标题")]
    assert len(result.records) == 2


def test_length_caps(read_houses: Callable[..., SurveyResult]) -> None:
    result = read_houses(
        ["编号", "名称", "地址", "简介"], ["A-1", "李", "村" * 501, "楼" * 32_767], ["A-2", "陈", "村", "楼" * 32_768]
    )
    assert located(result) == [("cell.too_long", 2, "地址"), ("cell.too_long", 3, "简介")]
    assert result.errors[0].params == {"length": 501, "limit": 500}


def test_unknown_and_duplicate_headers(read_houses: Callable[..., SurveyResult]) -> None:
    result = read_houses(["编号", "名称", "备注", "名稱", "备注"], ["A-1", "李", "一", "李二", "二"])
    assert [(p.code, p.column) for p in result.problems] == [
        ("header.unknown", "备注"), ("header.duplicate", "名稱"), ("header.unknown", "备注"),
    ]  # fmt: skip
    assert not result.ok  # which name is meant is the user's decision, not the importer's
    assert [(h.name_zh, h.extra) for h in result.houses] == [("李", {"备注": "一", "备注 (E)": "二"})]


def test_unknown_columns_kept_as_extra(read_houses: Callable[..., SurveyResult]) -> None:
    house = read_houses(["编号", "名称", "备注", "Notes "], ["A-1", "李", "二楼漏水", ""]).houses[0]
    assert house.extra == {"备注": "二楼漏水"}


def test_data_under_no_header_is_reported_once(read_houses: Callable[..., SurveyResult]) -> None:
    result = read_houses(["编号", "名称"], ["A-1", "李", "stray"], ["A-2", "陈", "more"])
    assert [(p.code, p.params["letter"]) for p in result.warnings] == [("header.blank_with_data", "C")]
    assert len(result.houses) == 2


def test_text_is_cleaned_and_cleanups_reported(read_houses: Callable[..., SurveyResult]) -> None:
    result = read_houses(["编号", "名称", "简介"], ["A-1", "僑聯(lián)大廈", "華(huá)僑(qiáo)&amp;\u200b僑眷"])
    house = result.houses[0]
    assert (house.name_zh, house.summary_zh) == ("僑聯大廈", "華僑&僑眷")
    assert result.ok
    assert [(p.code, p.column) for p in result.warnings] == [("text.cleaned", "名称"), ("text.cleaned", "简介")]
    assert result.cleanup_counts() == {"pinyin_annotation": 3, "html_entity": 1, "zero_width": 1}
    assert "拼音 2 处" in render(result.warnings[1], "zh-Hans")


def test_unparsed_date_is_kept_with_a_warning(read_houses: Callable[..., SurveyResult]) -> None:
    result = read_houses(["编号", "名称", "建造年代"], ["A-1", "李", "祖父那一辈"])
    assert result.ok
    built = result.houses[0].built
    assert built is not None and (built.text, built.ok, built.year_from) == ("祖父那一辈", False, None)
    assert [p.code for p in result.warnings] == ["date.unrecognised"]


def test_long_bad_values_are_cut_short_in_messages(read_houses: Callable[..., SurveyResult]) -> None:
    [problem] = read_houses(["编号", "名称", "层数"], ["A-1", "李", "很多" * 5_000]).errors
    assert problem.code == "value.not_whole"
    assert len(str(problem.params["value"])) == 60
    assert str(problem.params["value"]).endswith("…")


def test_a_lone_dash_clears_and_an_empty_cell_is_not_given(read_houses: Callable[..., SurveyResult]) -> None:
    header = ["编号", "名称", "简介", "层数", "产权人", "修缮记录", "别名"]
    result = read_houses(header, ["KP-1", "树德楼", "-", "", "－", "-", ""], ["KP-2", "云幻楼", "", "3", "", "", ""])
    assert result.ok, result.problems
    first, second = result.houses
    assert (first.summary_zh, first.storeys, first.owner, first.extra) == (None, None, None, {})
    # Given = filled in or cleared: a re-import changes these fields and keeps every other one.
    assert first.columns == {"code", "name_zh", "summary_zh", "owner"} and first.extra_columns == {"修缮记录"}
    assert second.columns == {"code", "name_zh", "storeys"} and second.extra_columns == frozenset()


def test_clearing_half_a_point_or_a_required_field_is_an_error(read_houses: Callable[..., SurveyResult]) -> None:
    half = read_houses(["编号", "名称", "纬度", "经度"], ["KP-1", "树德楼", "-", "113.1"], ["KP-2", "云幻楼", "-", ""])
    assert [p[0] for p in located(half)] == ["coords.half", "coords.half"]
    both = read_houses(["编号", "名称", "纬度", "经度"], ["KP-1", "树德楼", "-", "-"])
    assert both.ok and both.houses[0].lat is None and {"lat", "lon"} <= (both.houses[0].columns or set())
    required = read_houses(["编号", "名称"], ["KP-1", "-"])
    assert [p[0] for p in located(required)] == ["cell.required"]
