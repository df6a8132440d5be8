"""Reading one survey sheet from a CSV file: encoding detection, delimiter, rows.

A row number is the record's position in the file, as a spreadsheet shows it (a quoted cell
spanning lines is still one row). Parsing is strict: a stray quote that would silently swallow
the rest of the file into one cell is an error with its row, not data.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Generator
from pathlib import Path

from importers.encoding import decode_bytes
from importers.headers import match_header
from importers.problems import UnreadableFile, error
from importers.sheets import HEADER_SEARCH_ROWS, NumberedRow, RawSheet, header_text

# Big enough to read (and then refuse, with its row and column) any cell a person could paste;
# the csv module's default of 128 KiB would fail on the whole file instead.
_FIELD_LIMIT = 64 * 1024 * 1024
_DELIMITERS = (",", "\t", ";")
_SNIFF_CHARS = 64 * 1024


def read_csv(path: Path, data: bytes, *, encoding: str | None, max_rows: int | None = None) -> tuple[RawSheet, str]:
    """The CSV at `path` (its bytes `data`) as a raw sheet, and the encoding it was read with."""
    decoded = decode_bytes(data, encoding=encoding, header_score=header_score)
    text = decoded.text
    if not text.strip():
        raise UnreadableFile(error("file.empty"))
    delimiter = _delimiter(text)
    sheet = RawSheet(path.name, _rows(text, delimiter, path.name, max_rows), escaped_formulas=True)
    return sheet, decoded.encoding


def header_score(text: str) -> int:
    """The most known column names in any of the first rows of `text` read as CSV."""
    sample = text[:_SNIFF_CHARS]
    reader = csv.reader(io.StringIO(sample, newline=""), delimiter=_delimiter(sample))
    best = 0
    try:
        for number, cells in enumerate(reader):
            best = max(best, match_header([header_text(c) for c in cells]).known)
            if number >= HEADER_SEARCH_ROWS:
                break
    except csv.Error:
        pass  # a cut-off sample may end inside a quoted cell; what was read still counts
    return best


def _delimiter(text: str) -> str:
    first_line = next((line for line in text[:_SNIFF_CHARS].splitlines() if line.strip()), "")
    counts = {d: first_line.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] > counts[","] else ","


def _rows(text: str, delimiter: str, name: str, max_rows: int | None) -> Generator[NumberedRow, None, None]:
    if csv.field_size_limit() < _FIELD_LIMIT:
        csv.field_size_limit(_FIELD_LIMIT)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            if max_rows is not None and number > max_rows:
                raise UnreadableFile(error("file.too_many_rows", sheet=name, limit=max_rows))
            yield number, cells
    except csv.Error as exc:
        raise UnreadableFile(error("csv.malformed", sheet=name, row=number + 1, detail=str(exc))) from None
