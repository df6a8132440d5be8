"""A sheet as rows of raw cell values, whatever file it came from, and finding its header row.

Both readers (xlsx, CSV) produce `RawSheet`s: numbered rows of raw values, numbered as the
spreadsheet shows them (the first row is 1, blank rows count). The header is the first row that
holds a key column (`code` / `house_code` under any of its names) among the first
`HEADER_SEARCH_ROWS` non-blank rows, so a title row above the header ("马岭村侨房调查表") is
tolerated and reported rather than taken for the header.
"""

from __future__ import annotations

import itertools
from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from importers.headers import SheetKind, match_header

CellValue = str | int | float | bool | datetime | date | time | timedelta | None
NumberedRow = tuple[int, Sequence[CellValue]]
HEADER_SEARCH_ROWS = 10


@dataclass(slots=True)
class RawSheet:
    """Rows of one sheet or CSV file. `formula_cells` holds (row, column index) of formula cells."""

    name: str
    rows: Generator[NumberedRow, None, None]
    title_kind: SheetKind | None = None
    formula_cells: frozenset[tuple[int, int]] = field(default_factory=frozenset)
    # CSV: texts may carry the apostrophe that neutralises a formula (`importers.cells.unescape_cell`).
    escaped_formulas: bool = False


@dataclass(slots=True)
class LocatedSheet:
    """A sheet whose header row has been found; `rows` continues after the header."""

    raw: RawSheet
    kind: SheetKind | None
    ambiguous: bool  # the header holds both `code` and `house_code` and the name does not decide
    header_row: int
    header: list[str]
    rows_above_header: int
    rows: Iterator[NumberedRow]


def is_blank(values: Sequence[CellValue]) -> bool:
    """A row with nothing but empty cells or whitespace; skipped without comment."""
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def header_text(value: CellValue) -> str:
    """A header cell as written, without surrounding spaces (including U+3000)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def locate_header(sheet: RawSheet) -> LocatedSheet | None:
    """Find the header row of `sheet`; None if the sheet has no non-blank row at all."""
    seen: list[NumberedRow] = []
    for number, values in sheet.rows:
        if is_blank(values):
            continue
        cells = [header_text(v) for v in values]
        match = match_header(cells)
        if match.houses or match.records:
            kind, ambiguous = _decide_kind(sheet.title_kind, match.houses, match.records)
            return LocatedSheet(sheet, kind, ambiguous, number, cells, len(seen), sheet.rows)
        seen.append((number, values))
        if len(seen) >= HEADER_SEARCH_ROWS:
            break
    if not seen:
        return None
    # No key column anywhere near the top: the first non-blank row is the header, and the rows
    # read past it go back in front of the rest.
    number, values = seen[0]
    rest = itertools.chain(seen[1:], sheet.rows)
    cells = [header_text(v) for v in values]
    return LocatedSheet(sheet, sheet.title_kind, False, number, cells, 0, rest)


def _decide_kind(title_kind: SheetKind | None, houses: bool, records: bool) -> tuple[SheetKind | None, bool]:
    if houses and records:
        return title_kind, title_kind is None
    return ("houses" if houses else "records"), False
