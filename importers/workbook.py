"""Reading .xlsx workbooks with openpyxl in read-only mode, values only, formulas never evaluated.

`data_only=True` gives each formula cell the value Excel cached when it last saved the file. A
formula without a cached value (a file written by a program that does not calculate) reads as
empty, indistinguishable from a blank cell; to tell them apart the workbook is read a second
time without `data_only`, but only when a worksheet holds a formula at all, which a quick scan of
the zipped XML decides. Merged cells give their value in the top-left cell only; the others read
as empty, as the spreadsheet shows them.
"""

from __future__ import annotations

import itertools
import re
import warnings
import zipfile
import zlib
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO
from xml.etree.ElementTree import ParseError

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from importers.headers import kind_from_title
from importers.problems import UnreadableFile, error
from importers.sheets import NumberedRow, RawSheet

_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
_SCAN_CHUNK = 1 << 20
_BATCH_ROWS = 512
# What a damaged or non-Excel zip makes openpyxl or the libraries under it raise.
_BROKEN = (
    InvalidFileException,
    zipfile.BadZipFile,
    zlib.error,
    ParseError,
    KeyError,
    ValueError,
    TypeError,
    EOFError,
    OSError,
)


@contextmanager
def open_workbook(path: Path) -> Iterator[list[RawSheet]]:
    """The worksheets of the workbook at `path` as raw sheets, valid while the context is open."""
    formulas = _formula_cells(path) if _has_formulas(path) else {}
    with open(path, "rb") as handle:
        workbook = _load(handle, data_only=True)
        sheets = _raw_sheets(workbook, formulas)
        try:
            yield sheets
        finally:
            for sheet in sheets:
                sheet.rows.close()  # release the zip members of sheets not read to the end
            workbook.close()


def _raw_sheets(workbook: Any, formulas: dict[str, frozenset[tuple[int, int]]]) -> list[RawSheet]:
    return [
        RawSheet(
            name=sheet.title,
            rows=_rows(sheet),
            title_kind=kind_from_title(sheet.title),
            formula_cells=formulas.get(sheet.title, frozenset()),
        )
        for sheet in workbook.worksheets
    ]


def _load(handle: BinaryIO, *, data_only: bool) -> Any:
    # A file object, not a path: openpyxl refuses paths by their extension, and the format was
    # already decided by content (a workbook saved as "survey.csv" is still a workbook).
    try:
        with warnings.catch_warnings():
            # openpyxl warns about workbook features it drops (styles, data validation
            # extensions); none of them matter for reading values.
            warnings.filterwarnings("ignore", category=UserWarning, module="openpyxl")
            return openpyxl.load_workbook(handle, read_only=True, data_only=data_only)
    except _BROKEN as exc:
        raise UnreadableFile(error("file.xlsx_unreadable", detail=_describe(exc))) from None


def _rows(sheet: Any) -> Generator[NumberedRow, None, None]:
    # Some writers record a wrong size (A1:A1) in the sheet; read every row and cell instead.
    sheet.reset_dimensions()
    numbered = enumerate(sheet.iter_rows(values_only=True), start=1)
    while True:
        # Rows are fetched in batches so that the warning filter is never held across a
        # `yield`: a generator left suspended would restore stale filters whenever it is closed.
        try:
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", category=UserWarning, module="openpyxl")
                batch = list(itertools.islice(numbered, _BATCH_ROWS))
        except _BROKEN as exc:
            raise UnreadableFile(error("file.xlsx_unreadable", sheet=sheet.title, detail=_describe(exc))) from None
        if not batch:
            return
        yield from batch


def _has_formulas(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                    with archive.open(name) as member:
                        if _stream_has_formula(member):
                            return True
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as exc:
        raise UnreadableFile(error("file.xlsx_unreadable", detail=_describe(exc))) from None
    return False


def _stream_has_formula(member: Any) -> bool:
    tail = b""
    while chunk := member.read(_SCAN_CHUNK):
        if _FORMULA_TAG.search(tail + chunk):
            return True
        tail = chunk[-16:]  # a tag may straddle two chunks
    return False


def _formula_cells(path: Path) -> dict[str, frozenset[tuple[int, int]]]:
    with open(path, "rb") as handle:
        workbook = _load(handle, data_only=False)
        try:
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", category=UserWarning, module="openpyxl")
                return {sheet.title: _sheet_formula_cells(sheet) for sheet in workbook.worksheets}
        except _BROKEN as exc:
            raise UnreadableFile(error("file.xlsx_unreadable", detail=_describe(exc))) from None
        finally:
            workbook.close()


def _sheet_formula_cells(sheet: Any) -> frozenset[tuple[int, int]]:
    sheet.reset_dimensions()
    return frozenset(
        (cell.row, cell.column - 1)
        for row in sheet.iter_rows()
        for cell in row
        if getattr(cell, "data_type", None) == "f"
    )


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:300]
