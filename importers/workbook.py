"""Reading .xlsx workbooks with openpyxl in read-only mode, values only, formulas never evaluated.

`data_only=True` gives each formula cell the value Excel cached when it last saved the file. A
formula without a cached value (a file written by a program that does not calculate) reads as
empty, indistinguishable from a blank cell; to tell them apart the workbook is read a second
time without `data_only`, but only when a worksheet holds a formula at all, which a quick scan of
the zipped XML decides. Merged cells give their value in the top-left cell only; the others read
as empty, as the spreadsheet shows them.

A workbook is a zip, so a 3 MB upload can hold sheet XML that inflates to gigabytes (openpyxl
keeps the whole shared-strings part in memory: such a file took 3.3 GB). `SheetLimits` is checked
before anything is inflated: the sizes the zip's directory declares (Python's zipfile never
inflates a member past its declared size, and members compressed other than stored or deflated,
which no spreadsheet program writes, are refused because their decompressors cannot be bounded),
then, in the same streaming pass that looks for formulas, cell references beyond the column limit,
and while rows are read, the row count (a single `<row r="1048576">` makes openpyxl yield every
missing row before it).
"""

from __future__ import annotations

import itertools
import re
import warnings
import zipfile
import zlib
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO
from xml.etree.ElementTree import ParseError

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from importers.headers import kind_from_title
from importers.problems import UnreadableFile, error
from importers.sheets import NumberedRow, RawSheet

_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
# A cell reference with two or three column letters (AA1, XFD1048576); one-letter columns are
# always within the limit.
_WIDE_CELL = re.compile(rb'<(?:\w+:)?c\s[^>]*?\br="([A-Z]{2,3})\d')
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


@dataclass(frozen=True)
class SheetLimits:
    """How large a sheet may be. The defaults take a province's survey with room to spare: 10,000
    houses and 80,000 records inflate to 70-165 MB of XML (benchmarks/import_sheets.py), the
    survey format has about 40 columns, and Excel itself stops at 1,048,576 rows."""

    max_inflated_bytes: int = 512 * 1024 * 1024
    max_rows: int = 500_000
    max_columns: int = 200


DEFAULT_LIMITS = SheetLimits()


@contextmanager
def open_workbook(path: Path, limits: SheetLimits = DEFAULT_LIMITS) -> Iterator[list[RawSheet]]:
    """The worksheets of the workbook at `path` as raw sheets, valid while the context is open."""
    _check_declared_sizes(path, limits)
    formulas = _formula_cells(path) if _scan_worksheets(path, limits) else {}
    with open(path, "rb") as handle:
        workbook = _load(handle, data_only=True)
        sheets = _raw_sheets(workbook, formulas, limits)
        try:
            yield sheets
        finally:
            for sheet in sheets:
                sheet.rows.close()  # release the zip members of sheets not read to the end
            workbook.close()


def _raw_sheets(
    workbook: Any, formulas: dict[str, frozenset[tuple[int, int]]], limits: SheetLimits
) -> list[RawSheet]:
    return [
        RawSheet(
            name=sheet.title,
            rows=_rows(sheet, limits.max_rows),
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


def _rows(sheet: Any, max_rows: int) -> Generator[NumberedRow, None, None]:
    # Some writers record a wrong size (A1:A1) in the sheet; read every row and cell instead.
    sheet.reset_dimensions()
    # One row past the limit is read, to tell a sheet of exactly `max_rows` rows from a longer one.
    numbered = enumerate(itertools.islice(sheet.iter_rows(values_only=True), max_rows + 1), start=1)
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
        if batch[-1][0] > max_rows:
            raise UnreadableFile(error("file.too_many_rows", sheet=sheet.title, limit=max_rows))
        yield from batch


def _check_declared_sizes(path: Path, limits: SheetLimits) -> None:
    """Refuse a workbook whose parts would inflate past the limit; reads only the zip's directory."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise UnreadableFile(error("file.xlsx_unreadable", detail=_describe(exc))) from None
    inflated = sum(member.file_size for member in members)
    unbounded = [m.filename for m in members if m.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)]
    if inflated > limits.max_inflated_bytes:
        raise UnreadableFile(error("file.too_large_inflated", size_mb=_megabytes(inflated),
                                   limit_mb=_megabytes(limits.max_inflated_bytes)))
    if unbounded:
        raise UnreadableFile(error("file.xlsx_unreadable", detail=f"unsupported compression in {unbounded[0]}"))


def _scan_worksheets(path: Path, limits: SheetLimits) -> bool:
    """Stream every worksheet's XML once: refuse cells beyond the column limit; say whether any
    cell holds a formula."""
    found_formula = False
    try:
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                    with archive.open(name) as member:
                        found_formula |= _scan_member(member, name, limits.max_columns)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as exc:
        raise UnreadableFile(error("file.xlsx_unreadable", detail=_describe(exc))) from None
    return found_formula


def _scan_member(member: Any, name: str, max_columns: int) -> bool:
    found_formula = False
    tail = b""
    while chunk := member.read(_SCAN_CHUNK):
        window = tail + chunk
        found_formula = found_formula or bool(_FORMULA_TAG.search(window))
        for letters in _WIDE_CELL.findall(window):
            if _column_number(letters) > max_columns:
                raise UnreadableFile(error("file.too_many_columns", letter=letters.decode(), limit=max_columns))
        tail = chunk[-256:]  # a tag may straddle two chunks (rescanning a tail only finds it again)
    return found_formula


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - ord("A") + 1
    return number


def _megabytes(size: int) -> int:
    return -(-size // (1024 * 1024))


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
