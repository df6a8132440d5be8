"""The demonstration data set: a survey workbook and a folder of photos, written deterministically.

`write_demo_source(target)` writes `target/survey.xlsx` (sheets 房屋 and 信息, headers as field staff
write them: mostly simplified Chinese, a few traditional, one with stray spaces) and
`target/photos/`. The same call writes the same bytes every time: seeded random, fixed workbook
timestamps, fixed zip entry dates. Every house summary ends with （示范数据） / (Demonstration data.)
and every record's source with （示范数据） or (demonstration data), so the set is never taken for real.

Run `python -m archive.demo DIR` to write it by hand.
"""

from __future__ import annotations

import datetime
import io
import os
import random
import re
import sys
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from archive.demo.houses import House, build_houses
from archive.demo.photos import find_cjk_font, write_photos
from archive.demo.records import Record, build_records

SEED = 20070628  # the day the Kaiping diaolou were inscribed on the World Heritage List
FIXED_TIME = datetime.datetime(2024, 1, 1, 0, 0, 0)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
HOUSES_SHEET, RECORDS_SHEET = "房屋", "信息"

# field key -> header written in the sheet (the spec's Chinese names; traditional ones on purpose)
HOUSE_HEADERS: dict[str, str] = {
    "code": "编号", "name_zh": "名称", "name_en": "英文名", "aliases": "別名",
    "province": "省", "city": "市", "county": "区县", "township": "镇街", "village": "村社区",
    "address": "地址", "lat": "緯度", "lon": "經度", "coord_system": "坐标系", "location_public": "位置公开",
    "built": " 建造年代 ", "builder": "建造者", "family": "家族", "destinations": "僑居地",
    "style": "建筑风格", "materials": "结构材料", "storeys": "層數", "protection_level": "保护级别",
    "condition": "危房等级", "current_use": "现状用途", "custody": "託管情況", "owner": "产权人",
    "owner_contact": "联系电话", "summary_zh": "简介", "summary_en": "英文简介", "public": "公开",
}  # fmt: skip
RECORD_HEADERS: dict[str, str] = {
    "house_code": "房屋编号", "kind": "类型", "title": "标题", "body": "內容", "date": "日期",
    "source": "來源", "public": "公开",
}  # fmt: skip
COLUMN_WIDTHS = {"name_en": 24, "address": 36, "summary_zh": 60, "summary_en": 60, "title": 30, "body": 80}


@dataclass(frozen=True)
class DemoSource:
    """Where the demonstration data was written, and how much of it there is."""

    sheet: Path
    photos: Path
    house_count: int
    record_count: int
    photo_count: int


def demo_rows() -> tuple[list[House], list[Record]]:
    """The houses and records of the demonstration set, without writing anything."""
    rng = random.Random(SEED)
    houses = build_houses(rng)
    return houses, build_records(houses, rng)


def write_demo_source(target: Path) -> DemoSource:
    """Write the survey workbook and the photo folder under target (created if missing)."""
    houses, records = demo_rows()
    target.mkdir(parents=True, exist_ok=True)
    sheet = target / "survey.xlsx"
    write_workbook(sheet, houses, records)
    photos = target / "photos"
    photo_count = write_photos(photos, houses, random.Random(SEED + 1), find_cjk_font())
    return DemoSource(sheet, photos, len(houses), len(records), photo_count)


def write_workbook(path: Path, houses: list[House], records: list[Record]) -> None:
    """The survey workbook, byte for byte the same for the same rows."""
    workbook = Workbook()
    house_sheet = workbook.active
    house_sheet.title = HOUSES_SHEET
    _fill(house_sheet, HOUSE_HEADERS, [h.row for h in houses])
    record_sheet = workbook.create_sheet(RECORDS_SHEET)
    _fill(record_sheet, RECORD_HEADERS, [_record_row(r) for r in records])
    for row in record_sheet.iter_rows(min_row=2):
        date_cell = row[list(RECORD_HEADERS).index("date")]
        if isinstance(date_cell.value, datetime.date):
            date_cell.number_format = "yyyy-mm-dd"  # a date typed into Excel, as staff do
    workbook.properties.creator = "Qiaofang Archive demo"
    workbook.properties.title = "侨房档案示范数据 / Qiaofang Archive demonstration data"
    workbook.properties.created = FIXED_TIME
    workbook.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    workbook.save(buffer)
    _write_atomically(path, _normalise_zip(buffer.getvalue()))


def _record_row(record: Record) -> dict[str, object]:
    return {
        "house_code": record.house_code, "kind": record.kind, "title": record.title, "body": record.body,
        "date": record.date, "source": record.source, "public": "是" if record.public else "否",
    }  # fmt: skip


def _fill(sheet: Worksheet, headers: dict[str, str], rows: list[dict[str, object]]) -> None:
    sheet.append(list(headers.values()))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([row[key] for key in headers])
    sheet.freeze_panes = "A2"
    for index, key in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = COLUMN_WIDTHS.get(key, 12)


def _normalise_zip(data: bytes) -> bytes:
    """Rewrite the xlsx with fixed entry dates; openpyxl stamps the save time into it otherwise."""
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>" + stamp + rb"\2",
                    content,
                )
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            target.writestr(entry, content)
    return out.getvalue()


def _write_atomically(path: Path, data: bytes) -> None:
    temporary = path.with_name(path.name + ".tmp")
    with open(temporary, "wb") as stream:
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())
    temporary.replace(path)


def main(argv: list[str]) -> int:
    """`python -m archive.demo DIR`: write the set and say how long it took."""
    if len(argv) != 1:
        print("usage: python -m archive.demo DIR", file=sys.stderr)
        return 2
    started = time.perf_counter()
    source = write_demo_source(Path(argv[0]))
    print(
        f"{source.house_count} houses, {source.record_count} records, {source.photo_count} photos "
        f"in {time.perf_counter() - started:.1f} s -> {source.sheet.parent}"
    )
    return 0
