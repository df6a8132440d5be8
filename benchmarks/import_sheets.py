"""Benchmark: how fast `importers.read_survey` reads a province-sized survey.

Generates 10,000 houses and 80,000 records (Chinese content in both scripts, English, the date
notations field staff use, web-converter pinyin in some texts, GCJ-02 coordinates in some rows)
as one .xlsx workbook and as two CSV files (houses in GB18030 with traditional headers, records
in UTF-8 with a BOM and English keys), then times the parse of each and prints rows per second.

Run from the repository root:

    python -m benchmarks.import_sheets                  # full size, files in a temporary folder
    python -m benchmarks.import_sheets --houses 1000 --records 8000 --dir /tmp/survey  # kept

`generate_survey(directory)` is reusable: the database-apply phase (archive side) can time
itself on the same files. The import goal is >= 2,000 rows/s for parse + apply together.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from openpyxl import Workbook

from importers import SurveyResult, read_survey, read_survey_files
from importers.rowreader import column_letter

HOUSE_HEADERS_ZH = [
    "编号", "名称", "英文名", "别名", "省", "市", "区县", "镇街", "村社区", "地址", "纬度", "经度",
    "坐标系", "位置公开", "建造年代", "建造者", "家族", "侨居地", "建筑风格", "结构材料", "层数",
    "保护级别", "危房等级", "现状用途", "托管情况", "产权人", "联系电话", "简介", "英文简介", "公开",
]  # fmt: skip
HOUSE_HEADERS_HANT = [
    "編號", "名稱", "英文名", "別名", "省", "市", "區縣", "鎮街", "村社區", "地址", "緯度", "經度",
    "坐標系", "位置公開", "建造年代", "建造者", "家族", "僑居地", "建築風格", "結構材料", "層數",
    "保護級別", "危房等級", "現狀用途", "託管情況", "產權人", "聯繫電話", "簡介", "英文簡介", "公開",
]  # fmt: skip
RECORD_HEADERS_ZH = ["房屋编号", "类型", "标题", "内容", "日期", "来源", "公开"]
RECORD_HEADERS_EN = ["house_code", "kind", "title", "body", "date", "source", "public"]

VOCAB: dict[str, dict[str, str]] = {
    "style": {"碉楼": "diaolou", "庐": "villa", "骑楼": "arcade", "洋楼": "western",
              "中西合璧": "mixed", "三间两廊": "sanjian"},
    "protection_level": {"全国重点文物保护单位": "national", "省级文物保护单位": "provincial",
                         "市县级文物保护单位": "municipal", "历史建筑": "historic",
                         "不可移动文物": "immovable", "未定级": "ungraded"},
    "kind": {"口述": "oral_history", "文书": "document", "侨批": "letter", "族谱": "genealogy",
             "碑刻": "inscription", "调查记录": "survey_note", "报道": "news", "其他": "other"},
}  # fmt: skip

_PLACES = [
    ("广东省", "江门市", "开平市", "塘口镇", "自力村"),
    ("广东省", "江门市", "台山市", "斗山镇", "浮石村"),
    ("廣東省", "中山市", "南區", "馬嶺", "馬嶺村"),
    ("福建省", "泉州市", "晋江市", "金井镇", "福全村"),
    ("云南省", "保山市", "腾冲市", "和顺镇", "水碓村"),
]
_FAMILIES = ["李", "陳", "黄", "关", "司徒", "谢", "方", "余", "伍", "邝"]
_DESTINATIONS = ["美国旧金山", "加拿大温哥华", "马来西亚槟城", "新加坡", "秘魯利馬", "澳大利亞墨爾本"]
_DATES = [
    "1926", "1926年", "民国十五年", "民國15年", "光绪三十年", "光緒甲辰年", "宣统元年", "1920年代",
    "约1925", "c. 1925", "1921-1925", "民国初年", "二十年代", "1931年3月", "1936-05-04", "清末民初",
]  # fmt: skip
_SENTENCES = [
    "该楼由旅美华侨{f}氏兄弟汇款兴建，为钢筋混凝土结构，外墙饰以西式山花与罗马柱。",
    "此樓由旅居加拿大的{f}氏族人集資興建，樓頂設有燕子窩與槍眼，用以防範匪患。",
    "据村中老人口述，建楼时的水泥与钢材均由香港经江门运入，工匠来自本地。",
    "The house was built with remittances from {f} family members in San Francisco.",
    "抗战期间屋主一家避居澳门，战后返乡，屋内保存有侨批、族谱与家具若干。",
]
# Text copied from web converters, as in about 5% of real records (research/search.md).
_PINYIN_SENTENCE = "華(huá)僑(qiáo){f}氏捐資修建村中學堂，並留有碑刻記其事。"
_KINDS = list(VOCAB["kind"])


@dataclass(frozen=True)
class SurveyFiles:
    """The generated files and the house codes they hold."""

    xlsx: Path  # as Excel writes it: shared strings, <dimension>
    xlsx_streamed: Path  # as openpyxl's streaming writer does: inline strings, no <dimension>
    houses_csv: Path
    records_csv: Path
    house_codes: list[str]
    houses: int
    records: int


def generate_survey(directory: Path, *, houses: int = 10_000, records: int = 80_000, seed: int = 1926) -> SurveyFiles:
    """Write survey.xlsx, survey-streamed.xlsx, houses.csv and records.csv into `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    codes = [f"JM-{i // 1000:02d}-{i % 1000:03d}" for i in range(houses)]
    house_rows = [_house_row(rng, code) for code in codes]
    record_rows = [_record_row(rng, rng.choice(codes), i) for i in range(records)]
    xlsx = write_excel_like_xlsx(
        directory / "survey.xlsx",
        [("房屋", [HOUSE_HEADERS_ZH, *house_rows]), ("信息", [RECORD_HEADERS_ZH, *record_rows])],
    )
    streamed = directory / "survey-streamed.xlsx"
    _write_xlsx(streamed, house_rows, record_rows)
    houses_csv, records_csv = directory / "houses.csv", directory / "records.csv"
    _write_csv(houses_csv, HOUSE_HEADERS_HANT, house_rows, "gb18030")
    _write_csv(records_csv, RECORD_HEADERS_EN, record_rows, "utf-8-sig")
    return SurveyFiles(xlsx, streamed, houses_csv, records_csv, codes, houses, records)


def _house_row(rng: random.Random, code: str) -> list[object]:
    province, city, county, township, village = rng.choice(_PLACES)
    family = rng.choice(_FAMILIES)
    gcj = rng.random() < 0.3
    summary = _paragraph(rng, family, rng.randint(2, 6))
    return [
        code, f"{family}氏{rng.choice(['洋楼', '碉樓', '庐', '骑楼'])}{code[-3:]}",
        f"{family} Family House", f"{family}家楼；{family}氏大屋", province, city, county,
        township, village, f"{village}{rng.randint(1, 200)}号",
        round(rng.uniform(21.5, 25.5), 6), round(rng.uniform(98.5, 119.0), 6),
        "gcj02" if gcj else "wgs84", rng.choice(["是", "否", "yes"]), rng.choice(_DATES),
        f"{family}{rng.choice(['荣', '華', '国', '金'])}{rng.choice(['昌', '泰', '興', '元'])}",
        family, "；".join(rng.sample(_DESTINATIONS, 2)), rng.choice(list(VOCAB["style"])),
        "钢筋混凝土、青砖", rng.choice([2, 3, 4, "3", "五"]),
        rng.choice(list(VOCAB["protection_level"])), rng.choice("ABCD"), "空置",
        "托管给村委会", f"{family}某某", f"1380013{rng.randint(0, 9999):04d}", summary,
        "A villa built with remittances.", rng.choice(["是", "否"]),
    ]  # fmt: skip


def _record_row(rng: random.Random, code: str, index: int) -> list[object]:
    body = _paragraph(rng, rng.choice(_FAMILIES), rng.randint(1, 8))
    return [
        code, rng.choice(_KINDS), f"第{index}号记录：{rng.choice(['访谈', '侨批', '族谱摘录'])}",
        body, rng.choice(_DATES), rng.choice(["村委会提供", "屋主口述", "江门五邑华侨华人博物馆"]),
        rng.choice(["是", "否"]),
    ]  # fmt: skip


def _paragraph(rng: random.Random, family: str, sentences: int) -> str:
    chosen = [rng.choice(_SENTENCES) for _ in range(sentences)]
    if rng.random() < 0.05:
        chosen.append(_PINYIN_SENTENCE)
    return "".join(sentence.format(f=family) for sentence in chosen)


def _write_xlsx(path: Path, house_rows: list[list[object]], record_rows: list[list[object]]) -> None:
    workbook = Workbook(write_only=True)
    for title, header, rows in (
        ("房屋", HOUSE_HEADERS_ZH, house_rows),
        ("信息", RECORD_HEADERS_ZH, record_rows),
    ):
        sheet = workbook.create_sheet(title)
        sheet.append(header)
        for row in rows:
            sheet.append(row)
    workbook.save(path)


def _write_csv(path: Path, header: list[str], rows: list[list[object]], encoding: str) -> None:
    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_STYLES = (
    f'<styleSheet xmlns="{_MAIN_NS}"><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font>'
    '</fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill '
    'patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/>'
    '<diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" '
    'borderId="0"/></cellStyleXfs><cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" '
    'borderId="0" xfId="0"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" '
    'builtinId="0"/></cellStyles></styleSheet>'
)


def write_excel_like_xlsx(path: Path, sheets: list[tuple[str, list[list[object]]]]) -> Path:
    """Write a workbook the way Excel and WPS do: shared strings and a <dimension> per sheet.

    openpyxl's streaming writer stores every string inline and omits <dimension>; both make a
    read-only reader markedly slower than on the files field staff actually send, so the
    realistic timing uses this minimal writer (benchmark code only, not part of the importers).
    """
    strings: dict[str, int] = {}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for number, (_title, rows) in enumerate(sheets, start=1):
            archive.writestr(f"xl/worksheets/sheet{number}.xml", _sheet_xml(rows, strings))
        items = "".join(f'<si><t xml:space="preserve">{escape(text)}</t></si>' for text in strings)
        archive.writestr(
            "xl/sharedStrings.xml",
            f'<sst xmlns="{_MAIN_NS}" uniqueCount="{len(strings)}">{items}</sst>',
        )
        archive.writestr("xl/styles.xml", _STYLES)
        _write_package_parts(archive, [title for title, _rows in sheets])
    return path


def _sheet_xml(rows: list[list[object]], strings: dict[str, int]) -> str:
    width = max(len(row) for row in rows)
    parts = [f'<worksheet xmlns="{_MAIN_NS}"><dimension ref="A1:{column_letter(width - 1)}{len(rows)}"/><sheetData>']
    for r, row in enumerate(rows, start=1):
        parts.append(f'<row r="{r}">')
        for c, value in enumerate(row):
            ref = f"{column_letter(c)}{r}"
            if isinstance(value, int | float):
                parts.append(f'<c r="{ref}"><v>{value}</v></c>')
            else:
                index = strings.setdefault(str(value), len(strings))
                parts.append(f'<c r="{ref}" t="s"><v>{index}</v></c>')
        parts.append("</row>")
    parts.append("</sheetData></worksheet>")
    return "".join(parts)


def _write_package_parts(archive: zipfile.ZipFile, titles: list[str]) -> None:
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{_CT}.worksheet+xml"/>'
        for n in range(1, len(titles) + 1)
    )
    archive.writestr(
        "[Content_Types].xml",
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>{overrides}'
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_CT}.sharedStrings+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{_CT}.styles+xml"/></Types>',
    )
    archive.writestr(
        "_rels/.rels",
        f'<Relationships xmlns="{_PKG_REL_NS}"><Relationship Id="rId1" '
        f'Type="{_REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    )
    sheets = "".join(
        f'<sheet name="{escape(title)}" sheetId="{n}" r:id="rId{n}"/>' for n, title in enumerate(titles, 1)
    )
    archive.writestr(
        "xl/workbook.xml",
        f'<workbook xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}"><sheets>{sheets}</sheets></workbook>',
    )
    rels = "".join(
        f'<Relationship Id="rId{n}" Type="{_REL_NS}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, len(titles) + 1)
    )
    extra = len(titles)
    rels += f'<Relationship Id="rId{extra + 1}" Type="{_REL_NS}/sharedStrings" Target="sharedStrings.xml"/>'
    rels += f'<Relationship Id="rId{extra + 2}" Type="{_REL_NS}/styles" Target="styles.xml"/>'
    archive.writestr("xl/_rels/workbook.xml.rels", f'<Relationships xmlns="{_PKG_REL_NS}">{rels}</Relationships>')


@dataclass(frozen=True)
class Timing:
    """One timed read. CPU time is given beside wall time: on a shared machine it varies less."""

    label: str
    rows: int
    seconds: float
    cpu_seconds: float
    result: SurveyResult

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds


def time_reads(files: SurveyFiles) -> Iterator[Timing]:
    """Time each way of reading the survey; each result must hold every row, without errors."""
    runs: list[tuple[str, Callable[[], SurveyResult]]] = [
        ("xlsx as Excel writes it", lambda: read_survey(files.xlsx, vocab=VOCAB)),
        ("xlsx from openpyxl's streaming writer", lambda: read_survey(files.xlsx_streamed, vocab=VOCAB)),
        (
            "csv, houses GB18030 + records UTF-8",
            lambda: read_survey_files([files.houses_csv, files.records_csv], vocab=VOCAB),
        ),
    ]
    for label, run in runs:
        started, cpu_started = time.perf_counter(), time.process_time()
        result = run()
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        rows = len(result.houses) + len(result.records)
        if not result.ok or rows != files.houses + files.records:
            raise SystemExit(f"{label}: read {rows} rows, errors: {result.errors[:3]}")
        yield Timing(label, rows, seconds, cpu, result)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--houses", type=int, default=10_000)
    parser.add_argument("--records", type=int, default=80_000)
    parser.add_argument("--dir", type=Path, help="write (and keep) the files here; default: a temporary folder")
    args = parser.parse_args(argv)
    print("command:", "python -m benchmarks.import_sheets", *(argv if argv is not None else sys.argv[1:]))
    with tempfile.TemporaryDirectory(prefix="survey-bench-") as tmp:
        directory = args.dir or Path(tmp)
        started = time.perf_counter()
        files = generate_survey(directory, houses=args.houses, records=args.records)
        elapsed = time.perf_counter() - started
        print(f"generated {args.houses:,} houses + {args.records:,} records in {elapsed:.1f} s")
        for timing in time_reads(files):
            cleanups = sum(timing.result.cleanup_counts().values())
            print(
                f"{timing.label:38} {timing.rows:>7,} rows {timing.seconds:6.1f} s "
                f"{timing.rows_per_second:>7,.0f} rows/s (CPU {timing.cpu_seconds:5.1f} s, "
                f"{timing.rows / timing.cpu_seconds:>7,.0f} rows/s)  "
                f"{len(timing.result.warnings):,} warnings, {cleanups:,} cleanups"
            )
        if args.dir:
            print("files kept in", directory)
    return 0


if __name__ == "__main__":
    sys.exit(main())
