"""Fixtures for the importer tests: a vocabulary, and writers that build survey files in tmp_path.

Files are generated in code, never committed: CSV bytes in a chosen encoding, workbooks with
openpyxl, and (for what openpyxl cannot write, such as a formula with a cached value) a small
patch of the saved XML.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from openpyxl import Workbook

Rows = Sequence[Sequence[object]]

VOCAB: dict[str, dict[str, str]] = {
    "style": {"碉楼": "diaolou", "庐": "villa", "骑楼": "arcade", "中西合璧": "mixed", "Diaolou": "diaolou"},
    "protection_level": {"历史建筑": "historic", "未定级": "ungraded", "省级文物保护单位": "provincial"},
    "kind": {"口述": "oral_history", "文书": "document", "侨批": "letter", "其他": "other"},
}


@pytest.fixture
def vocab() -> dict[str, dict[str, str]]:
    return {field: dict(labels) for field, labels in VOCAB.items()}


def csv_bytes(rows: Rows, encoding: str = "utf-8", delimiter: str = ",") -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


@pytest.fixture
def write_csv(tmp_path: Path) -> Callable[..., Path]:
    """write_csv(rows, encoding="utf-8", name="sheet.csv", delimiter=",") -> path"""

    def write(rows: Rows, encoding: str = "utf-8", name: str = "sheet.csv", delimiter: str = ",") -> Path:
        path = tmp_path / name
        path.write_bytes(csv_bytes(rows, encoding, delimiter))
        return path

    return write


@pytest.fixture
def write_xlsx(tmp_path: Path) -> Callable[..., Path]:
    """write_xlsx({"房屋": rows, ...}, name="survey.xlsx", merge={"房屋": ["A2:A3"]}) -> path"""

    def write(sheets: dict[str, Rows], name: str = "survey.xlsx", merge: dict[str, list[str]] | None = None) -> Path:
        workbook = Workbook()
        workbook.remove(workbook.active)
        for title, rows in sheets.items():
            sheet = workbook.create_sheet(title)
            for row in rows:
                sheet.append(list(row))
            for cell_range in (merge or {}).get(title, []):
                sheet.merge_cells(cell_range)
        path = tmp_path / name
        workbook.save(path)
        return path

    return write


def patch_cell_xml(path: Path, sheet_number: int, ref: str, cell_xml: str) -> None:
    """Replace the XML of cell `ref` in sheet `sheet_number` (1-based) of a saved workbook."""
    member = f"xl/worksheets/sheet{sheet_number}.xml"
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info.filename) for info in archive.infolist()}
    xml = parts[member].decode()
    pattern = re.compile(rf'<c r="{ref}"[^>]*?(?:/>|>.*?</c>)')
    assert pattern.search(xml), f"no cell {ref} in {member}"
    parts[member] = pattern.sub(lambda _m: cell_xml, xml, count=1).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for filename, data in parts.items():
            archive.writestr(filename, data)


@pytest.fixture
def patch_cell() -> Callable[[Path, int, str, str], None]:
    return patch_cell_xml
