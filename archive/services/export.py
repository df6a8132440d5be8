"""Exports: the survey-sheet format (re-importable, round-trips) and JSON, in a viewer's view."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from archive import access
from archive.models import House
from archive.services.vocab import labels
from importers.cells import quote_clear_marker

HOUSE_COLUMNS = (
    ("code", "编号"), ("name_zh", "名称"), ("name_en", "英文名"), ("aliases", "别名"), ("province", "省"),
    ("city", "市"), ("county", "区县"), ("township", "镇街"), ("village", "村社区"), ("address", "地址"),
    ("lat", "纬度"), ("lon", "经度"), ("location_public", "位置公开"), ("built_text", "建造年代"),
    ("builder", "建造者"), ("family", "家族"), ("destinations", "侨居地"), ("style", "建筑风格"),
    ("materials", "结构材料"), ("storeys", "层数"), ("protection_level", "保护级别"), ("condition", "危房等级"),
    ("current_use", "现状用途"), ("custody", "托管情况"), ("owner", "产权人"), ("owner_contact", "联系电话"),
    ("summary_zh", "简介"), ("summary_en", "英文简介"), ("published", "公开"),
)
RECORD_COLUMNS = (
    ("house_code", "房屋编号"), ("kind", "类型"), ("title", "标题"), ("body", "内容"), ("date_text", "日期"),
    ("source", "来源"), ("public", "公开"),
)
VOCAB_COLUMNS = {"style": "style", "protection_level": "protection_level", "kind": "record_kind"}


def _houses(db: Session, viewer: access.Viewer) -> Iterator[House]:
    stmt = (select(House).where(access.house_filter(viewer)).order_by(House.code)
            .options(selectinload(House.records)))
    yield from db.scalars(stmt)


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "；".join(str(v) for v in value)
    if isinstance(value, str):
        return quote_clear_marker(value)  # a stored "-" must not read back as "clear this field"
    return value


def house_rows(db: Session, viewer: access.Viewer) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
    for house in _houses(db, viewer):
        data = access.house_data(viewer, house)
        records = [{**access.record_data(viewer, r), "house_code": house.code}
                   for r in house.records if access.record_visible(viewer, r)]
        yield data, records


def export_sheet(db: Session, viewer: access.Viewer, path: Path) -> tuple[int, int]:
    """Write the survey-sheet workbook; vocabulary values as their Chinese labels, as field staff write them."""
    names = labels(db, "zh_Hans")
    workbook = Workbook()
    houses = workbook.active
    assert houses is not None
    houses.title = "房屋"
    houses.append([header for _, header in HOUSE_COLUMNS])
    records_sheet = workbook.create_sheet("信息")
    records_sheet.append([header for _, header in RECORD_COLUMNS])
    counts = [0, 0]
    for data, records in house_rows(db, viewer):
        row = []
        for key, _header in HOUSE_COLUMNS:
            value = data.get(key)
            if key in VOCAB_COLUMNS and value:
                value = names.get(VOCAB_COLUMNS[key], {}).get(value, value)
            row.append(_cell(value))
        _append_text(houses, row)
        counts[0] += 1
        for record in records:
            values = [record.get(k) for k, _h in RECORD_COLUMNS]
            values[1] = names.get("record_kind", {}).get(str(values[1]), values[1])
            _append_text(records_sheet, [_cell(v) for v in values])
            counts[1] += 1
    workbook.save(path)
    return counts[0], counts[1]


def _append_text(sheet: Any, values: list[Any]) -> None:
    """Append a row whose strings stay strings: a cell starting with '=' must never become a formula."""
    # `sheet.append` then fixing the types: looking the row up by `sheet.max_row` scans every cell,
    # which made an export of n houses take time in n squared (5,000 houses: minutes).
    sheet.append(values)
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row=sheet._current_row, column=column)  # the row just appended
        if isinstance(value, str):
            cell.data_type = "s"


def export_json(db: Session, viewer: access.Viewer, path: Path) -> tuple[int, int]:
    counts = [0, 0]
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("[\n")
        for data, records in house_rows(db, viewer):
            if counts[0]:
                fh.write(",\n")
            json.dump({**data, "records": records}, fh, ensure_ascii=False, default=str)
            counts[0] += 1
            counts[1] += len(records)
        fh.write("\n]\n")
    return counts[0], counts[1]


def records_csv_path(path: Path) -> Path:
    """Where the records sheet of a CSV export goes: `houses.csv` -> `houses-records.csv`."""
    return path.with_name(f"{path.stem}-records{path.suffix}")


def export_sheet_csv(db: Session, viewer: access.Viewer, path: Path) -> tuple[int, int]:
    """The survey sheet as two CSV files (houses at `path`, records beside it), UTF-8 with a BOM.

    One CSV per sheet, as the survey-sheet format allows; texts that would run as formulas in a
    spreadsheet carry a leading apostrophe, which the CSV importer takes off again.
    """
    from archive.services.open_data import house_csv_rows, house_query, record_csv_rows

    counts = []
    for target, rows in ((path, house_csv_rows), (records_csv_path(path), record_csv_rows)):
        lines = -1  # the header
        with open(target, "w", encoding="utf-8", newline="") as fh:
            for line in rows(db, viewer, house_query(viewer)):
                fh.write(line)
                lines += 1
        counts.append(lines)
    return counts[0], counts[1]
