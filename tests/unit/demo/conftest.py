"""The demonstration data set, written once per session, and its sheets read back as plain rows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from archive.demo import DemoSource, write_demo_source
from archive.demo.dataset import HOUSE_HEADERS, HOUSES_SHEET, RECORD_HEADERS, RECORDS_SHEET

Row = dict[str, Any]


@pytest.fixture(scope="session")
def demo_source(tmp_path_factory: pytest.TempPathFactory) -> DemoSource:
    return write_demo_source(tmp_path_factory.mktemp("demo"))


def _sheet_rows(path: Path, sheet: str, headers: dict[str, str]) -> list[Row]:
    workbook = load_workbook(path, read_only=True)
    try:
        rows = list(workbook[sheet].iter_rows(values_only=True))
    finally:
        workbook.close()
    keys = {header: key for key, header in headers.items()}
    columns = [keys[str(h)] for h in rows[0]]
    return [dict(zip(columns, row, strict=True)) for row in rows[1:]]


@pytest.fixture(scope="session")
def house_rows(demo_source: DemoSource) -> list[Row]:
    return _sheet_rows(demo_source.sheet, HOUSES_SHEET, HOUSE_HEADERS)


@pytest.fixture(scope="session")
def record_rows(demo_source: DemoSource) -> list[Row]:
    return _sheet_rows(demo_source.sheet, RECORDS_SHEET, RECORD_HEADERS)
