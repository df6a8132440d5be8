"""The demonstration workbook: counts, headers per the spec, vocabulary, dates, privacy, determinism."""

from __future__ import annotations

import datetime
import hashlib
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

from openpyxl import load_workbook

from archive.demo import DemoSource, write_demo_source
from archive.demo.dataset import HOUSE_HEADERS, HOUSES_SHEET, RECORD_HEADERS, RECORDS_SHEET

Row = dict[str, object]

# the Chinese headers the spec (spec/survey-sheet.md) allows for each key
SPEC_HEADERS = {
    "code": {"编号", "編號"}, "name_zh": {"名称", "名稱"}, "name_en": {"英文名"}, "aliases": {"别名", "別名"},
    "province": {"省"}, "city": {"市"}, "county": {"区县", "區縣"}, "township": {"镇街", "鎮街"},
    "village": {"村社区", "村社區"}, "address": {"地址"}, "lat": {"纬度", "緯度"}, "lon": {"经度", "經度"},
    "coord_system": {"坐标系", "坐標系"}, "location_public": {"位置公开", "位置公開"}, "built": {"建造年代"},
    "builder": {"建造者"}, "family": {"家族"}, "destinations": {"侨居地", "僑居地"},
    "style": {"建筑风格", "建築風格"}, "materials": {"结构材料", "結構材料"}, "storeys": {"层数", "層數"},
    "protection_level": {"保护级别", "保護級別"}, "condition": {"危房等级", "危房等級"},
    "current_use": {"现状用途", "現狀用途"}, "custody": {"托管情况", "託管情況"},
    "owner": {"产权人", "產權人"}, "owner_contact": {"联系电话", "聯繫電話"}, "summary_zh": {"简介", "簡介"},
    "summary_en": {"英文简介", "英文簡介"}, "public": {"公开", "公開"},
    "house_code": {"房屋编号", "房屋編號"}, "kind": {"类型", "類型"}, "title": {"标题", "標題"},
    "body": {"内容", "內容"}, "date": {"日期"}, "source": {"来源", "來源"},
}  # fmt: skip
STYLES = {"碉楼", "庐", "骑楼", "洋楼", "中西合璧", "三间两廊"}
LEVELS = {
    "全国重点文物保护单位",
    "省级文物保护单位",
    "市县级文物保护单位",
    "历史建筑",
    "不可移动文物",
    "未定级",
}
KINDS = {"口述", "文书", "侨批", "族谱", "碑刻", "调查记录", "报道", "其他"}
CODE = re.compile(r"^[A-Z]{2}-[A-Z]{2,3}-[A-Z]{2,3}-\d{3}$")
# one pattern per built-date notation the spec and the brief name
BUILT_NOTATIONS = {
    "1926": r"^\d{4}$", "民国十五年": r"^民国[一二三四五六七八九十]+年$", "民國15年": r"^民國\d{1,2}年$",
    "光绪三十年": r"^光绪[一二三四五六七八九十]+年$",
    "光緒甲辰年": r"^光緒[甲乙丙丁戊己庚辛壬癸][子丑寅卯辰巳午未申酉戌亥]年$",
    "宣统元年": r"^宣统[元二三]年$", "1920年代": r"^\d{3}0年代$", "20世纪30年代": r"^20世纪\d0年代$",
    "约1925": r"^约\d{4}$", "c. 1925": r"^c\. \d{4}$", "1921-1925": r"^\d{4}-\d{4}$",
    "1921至1925": r"^\d{4}至\d{4}$", "民国初年": r"^民国初年$", "不详": r"^(不详|不詳|待考)$",
}  # fmt: skip
FAKE_PHONE = re.compile(r"13[789]-0000-\d{4}|\+1 \d{3}-555-01\d{2}|\+61 2 5550 \d{4}|\+852 0000 \d{4}")
TRADITIONAL_ONLY = set("於為樓廬華僑鎮區國們這說來時會後記屬")
REGIONS = {
    "广东省": (21.5, 23.0, 112.0, 113.8),
    "福建省": (24.4, 25.3, 118.2, 118.8),
    "云南省": (24.8, 25.2, 98.3, 98.6),
}


def test_counts_match_what_the_source_reports(
    demo_source: DemoSource, house_rows: list[Row], record_rows: list[Row]
) -> None:
    assert (demo_source.house_count, demo_source.record_count) == (86, 672)
    assert (len(house_rows), len(record_rows)) == (86, 672)
    assert demo_source.sheet.name == "survey.xlsx"


def test_headers_are_the_spec_names_with_both_scripts(demo_source: DemoSource) -> None:
    workbook = load_workbook(demo_source.sheet, read_only=True)
    try:
        assert workbook.sheetnames == [HOUSES_SHEET, RECORDS_SHEET] == ["房屋", "信息"]
        for sheet, headers in ((HOUSES_SHEET, HOUSE_HEADERS), (RECORDS_SHEET, RECORD_HEADERS)):
            written = next(workbook[sheet].iter_rows(max_row=1, values_only=True))
            assert list(written) == list(headers.values())
            for key, header in headers.items():
                assert header.strip() in SPEC_HEADERS[key], key
    finally:
        workbook.close()
    names = list(HOUSE_HEADERS.values()) + list(RECORD_HEADERS.values())
    assert {"別名", "緯度", "內容"} <= set(names) and {"编号", "名称", "房屋编号"} <= set(names)
    assert any(name != name.strip() for name in names)  # stray spaces, which the spec says to ignore


def test_codes_are_unique_and_shaped_county_township_village_number(house_rows: list[Row]) -> None:
    codes = [str(row["code"]) for row in house_rows]
    assert len(set(codes)) == 86
    assert all(CODE.match(code) for code in codes)
    assert "KP-TK-ZL-001" in codes and any(code.startswith("ZS-NQ-ML-") for code in codes)


def test_every_record_belongs_to_a_house_in_the_workbook(
    house_rows: list[Row], record_rows: list[Row]
) -> None:
    codes = {row["code"] for row in house_rows}
    assert {row["house_code"] for row in record_rows} <= codes


def test_every_built_date_notation_appears(house_rows: list[Row]) -> None:
    written = [str(row["built"]) for row in house_rows if row["built"] is not None]
    for example, pattern in BUILT_NOTATIONS.items():
        assert any(re.match(pattern, text) for text in written), example
    assert any(isinstance(row["built"], int) for row in house_rows)  # a year typed as a number


def test_vocabulary_stays_within_the_allowed_values(house_rows: list[Row], record_rows: list[Row]) -> None:
    assert {row["style"] for row in house_rows} <= STYLES
    assert {row["protection_level"] for row in house_rows} <= LEVELS
    assert {row["condition"] for row in house_rows} <= set("ABCD")
    assert {row["coord_system"] for row in house_rows} == {None, "wgs84", "gcj02"}
    flags = {row["public"] for row in house_rows} | {row["location_public"] for row in house_rows}
    assert flags == {"是", "否"}
    assert all(isinstance(row["storeys"], int) and 1 <= row["storeys"] <= 7 for row in house_rows)
    assert {row["kind"] for row in record_rows} == KINDS
    assert {row["public"] for row in record_rows} == {"是", "否"}


def test_houses_stand_in_their_provinces(house_rows: list[Row]) -> None:
    located = [row for row in house_rows if row["lat"] is not None]
    assert len(located) >= 80
    for row in located:
        south, north, west, east = REGIONS[str(row["province"])]
        lat, lon = float(str(row["lat"])), float(str(row["lon"]))
        assert south <= lat <= north and west <= lon <= east, row["code"]
    assert {row["province"] for row in house_rows} == set(REGIONS)


def test_publication_and_hidden_locations(house_rows: list[Row]) -> None:
    public = Counter(row["public"] for row in house_rows)
    assert public == {"是": 75, "否": 11}
    hidden = [row for row in house_rows if row["location_public"] == "否"]
    assert any(row["public"] == "是" for row in hidden) and any(row["public"] == "否" for row in hidden)


def test_the_set_is_marked_as_demonstration_data(house_rows: list[Row], record_rows: list[Row]) -> None:
    assert all(str(row["summary_zh"]).endswith("（示范数据）") for row in house_rows)
    assert all(str(row["summary_en"]).endswith("(Demonstration data.)") for row in house_rows)
    assert all(re.search(r"示范数据|demonstration data", str(row["source"])) for row in record_rows)


def test_private_fields_are_plainly_fictional(house_rows: list[Row]) -> None:
    contacts = [str(row["owner_contact"]) for row in house_rows if row["owner_contact"]]
    assert len(contacts) > 60
    assert all(FAKE_PHONE.search(contact) for contact in contacts)
    heir_abroad = re.compile(r"（[A-Z][a-zé]+ [A-Z][a-z-]+，")  # 关伟明（Raymond Kwan，美国旧金山）
    assert any(heir_abroad.search(str(row["owner"])) for row in house_rows)


def test_a_fifth_of_summaries_are_in_traditional_script(house_rows: list[Row]) -> None:
    traditional = sum(1 for row in house_rows if TRADITIONAL_ONLY & set(str(row["summary_zh"])))
    assert 8 <= traditional <= 26


def test_records_are_unique_by_house_title_and_date(record_rows: list[Row]) -> None:
    keys = [(row["house_code"], row["title"], str(row["date"] or "")) for row in record_rows]
    assert len(set(keys)) == len(keys)


def test_records_spread_unevenly_with_bodies_of_survey_length(record_rows: list[Row]) -> None:
    per_house = Counter(row["house_code"] for row in record_rows)
    assert min(per_house.values()) == 2 and max(per_house.values()) >= 20
    assert all(80 <= len(str(row["body"])) <= 600 for row in record_rows)
    private = [row for row in record_rows if row["public"] == "否"]
    assert 0.12 <= len(private) / len(record_rows) <= 0.28
    assert all(re.search("仅限内部|僅限內部|暂不公开|暫不公開", str(row["body"])) for row in private)


def test_records_carry_the_mess_of_real_sources(record_rows: list[Row]) -> None:
    bodies = [str(row["body"]) for row in record_rows]
    assert sum("華(huá)僑(qiáo)" in body or "僑聯(lián)" in body for body in bodies) >= 3
    assert sum("僑團(社)" in body for body in bodies) >= 2
    english = " ".join(body for body in bodies if body.isascii())
    for name in ("Wong", "Hoiping", "Gold Mountain", "UNESCO"):
        assert name in english, name
    assert any(re.search(r"(Chan|Szeto|Toishan)", body) for body in bodies)
    assert any("父亲大人膝下" in body for body in bodies)
    dates = [row["date"] for row in record_rows]
    assert any(isinstance(date, datetime.datetime) for date in dates)  # typed into Excel as dates
    assert any(isinstance(date, str) and date.startswith("民国") for date in dates)


def _digests(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_writing_twice_gives_identical_bytes(demo_source: DemoSource, tmp_path: Path) -> None:
    again = write_demo_source(tmp_path / "again")
    first, second = _digests(demo_source.sheet.parent), _digests(again.sheet.parent)
    assert len(first) == demo_source.photo_count + 1
    assert first == second


def test_the_workbook_does_not_depend_on_the_hash_seed(demo_source: DemoSource, tmp_path: Path) -> None:
    repo = Path(__file__).resolve().parents[3]
    script = (
        "import sys; from pathlib import Path; from archive.demo.dataset import demo_rows, write_workbook; "
        "houses, records = demo_rows(); write_workbook(Path(sys.argv[1]), houses, records)"
    )
    other = tmp_path / "other.xlsx"
    env = {**os.environ, "PYTHONHASHSEED": "12345", "PYTHONPATH": str(repo)}
    subprocess.run([sys.executable, "-c", script, str(other)], env=env, cwd=repo, check=True)
    assert other.read_bytes() == demo_source.sheet.read_bytes()
