"""Column headers of the survey sheets (spec/survey-sheet.md) and how a sheet's kind is recognised.

Each column may be headed by its English key or its Chinese name, simplified or traditional, in
any order. Headers are matched after folding (NFKC, casefold, traditional -> simplified, spaces
including U+3000 removed), so `編號`, ` 编号　`, `ＣＯＤＥ` and `code` all name the same column.
A required-field mark (`*编号`) or a trailing note in brackets (`纬度(WGS84)`) is tolerated.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from importers.folding import fold_label

SheetKind = Literal["houses", "records"]

HOUSE_HEADERS: dict[str, tuple[str, ...]] = {
    "code": ("编号", "編號"),
    "name_zh": ("名称", "名稱"),
    "name_en": ("英文名",),
    "aliases": ("别名", "別名"),
    "province": ("省",),
    "city": ("市",),
    "county": ("区县", "區縣"),
    "township": ("镇街", "鎮街"),
    "village": ("村社区", "村社區"),
    "address": ("地址",),
    "lat": ("纬度", "緯度"),
    "lon": ("经度", "經度"),
    "coord_system": ("坐标系", "坐標系"),
    "location_public": ("位置公开", "位置公開"),
    "built": ("建造年代",),
    "builder": ("建造者",),
    "family": ("家族",),
    "destinations": ("侨居地", "僑居地"),
    "style": ("建筑风格", "建築風格"),
    "materials": ("结构材料", "結構材料"),
    "storeys": ("层数", "層數"),
    "protection_level": ("保护级别", "保護級別"),
    "condition": ("危房等级", "危房等級"),
    "current_use": ("现状用途", "現狀用途"),
    "custody": ("托管情况", "託管情況"),
    "owner": ("产权人", "產權人"),
    "owner_contact": ("联系电话", "聯繫電話"),
    "summary_zh": ("简介", "簡介"),
    "summary_en": ("英文简介", "英文簡介"),
    "public": ("公开", "公開"),
}
RECORD_HEADERS: dict[str, tuple[str, ...]] = {
    "house_code": ("房屋编号", "房屋編號"),
    "kind": ("类型", "類型"),
    "title": ("标题", "標題"),
    "body": ("内容", "內容"),
    "date": ("日期",),
    "source": ("来源", "來源"),
    "public": ("公开", "公開"),
}
HEADERS: dict[SheetKind, dict[str, tuple[str, ...]]] = {
    "houses": HOUSE_HEADERS,
    "records": RECORD_HEADERS,
}
SHEET_TITLES: dict[str, SheetKind] = {
    "houses": "houses",
    "房屋": "houses",
    "records": "records",
    "信息": "records",
}
REQUIRED: dict[SheetKind, tuple[str, ...]] = {
    "houses": ("code", "name_zh"),
    "records": ("house_code", "title"),
}

_MARKS = re.compile(r"^[*＊\s]+|[*＊:：\s]+$")
_NOTE = re.compile(r"\s*[(（][^()（）]*[)）]$")


def _index(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    index = {}
    for key, names in table.items():
        for name in (key, *names):
            index[_squeeze(fold_label(name))] = key
    return index


def _squeeze(label: str) -> str:
    return re.sub(r"[\s\-]+", "_" if label.isascii() else "", label)


_LOOKUP: dict[SheetKind, dict[str, str]] = {kind: _index(table) for kind, table in HEADERS.items()}


def header_key(header: str, kind: SheetKind) -> str | None:
    """The field key that `header` names in a sheet of `kind`, or None for an unknown column."""
    label = _MARKS.sub("", fold_label(header))
    lookup = _LOOKUP[kind]
    key = lookup.get(_squeeze(label))
    if key is None and _NOTE.search(label):
        key = lookup.get(_squeeze(_NOTE.sub("", label)))
    return key


def kind_from_title(title: str) -> SheetKind | None:
    """The kind a sheet's name announces (`houses`, `房屋`, `records`, `信息`), if any."""
    return SHEET_TITLES.get(fold_label(title))


@dataclass(frozen=True, slots=True)
class HeaderMatch:
    """What a candidate header row says: which kinds it could head and how many cells are known."""

    houses: bool
    records: bool
    known: int


def match_header(cells: Sequence[str]) -> HeaderMatch:
    """Whether `cells` hold a houses key column (`code`), a records one (`house_code`), and how
    many cells are known column names of either kind (used to tell encodings apart)."""
    houses = records = False
    known = 0
    for cell in cells:
        as_house = header_key(cell, "houses") if cell.strip() else None
        as_record = header_key(cell, "records") if cell.strip() else None
        houses = houses or as_house == "code"
        records = records or as_record == "house_code"
        known += as_house is not None or as_record is not None
    return HeaderMatch(houses, records, known)
