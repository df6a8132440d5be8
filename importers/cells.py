"""Turning one raw cell value into a typed value, or saying why it cannot be.

These functions know nothing of rows or columns: they return the value or a `Bad` carrying a
problem code and its parameters, and the row reader adds where the cell is.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time

from importers.folding import fold_label
from importers.numerals import parse_number
from importers.problems import ParamValue
from importers.sheets import CellValue

EXCEL_ERRORS = frozenset(
    {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
     "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#UNKNOWN!"}
)  # fmt: skip
YES = frozenset({"是", "yes", "y", "true", "1"})
NO = frozenset({"否", "no", "n", "false", "0"})
YES_NO_CHOICES = ("是", "否", "yes", "no", "y", "n", "true", "false", "1", "0")
COORD_SYSTEMS = {"wgs84": "wgs84", "wgs-84": "wgs84", "wgs 84": "wgs84", "gps": "wgs84",
                 "gcj02": "gcj02", "gcj-02": "gcj02", "gcj 02": "gcj02", "火星坐标": "gcj02"}  # fmt: skip
BAIDU_SYSTEMS = frozenset({"bd09", "bd-09", "bd 09", "百度", "百度坐标"})
LIST_SEPARATORS = re.compile("[;；、]")
MAX_STOREYS = 200
SHOWN_LIMIT = 60
_STOREY_SUFFIX = re.compile("(?:层|層|楼|樓|f)$")


@dataclass(frozen=True, slots=True)
class Bad:
    """Why a cell cannot be read: a problem code and the parameters of its message."""

    code: str
    params: dict[str, ParamValue] = field(default_factory=dict)


def cell_text(value: CellValue) -> str | None:
    """The cell as text without surrounding spaces, or None when it is empty.

    Whole floats lose their `.0` (a year or phone number typed into Excel is stored as 1926.0);
    dates are written as ISO dates, with the time only if it is not midnight.
    """
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, float):
        text = str(int(value)) if value.is_integer() else repr(value)
    elif isinstance(value, datetime):
        text = value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    elif isinstance(value, date | time):
        text = value.isoformat()
    else:
        text = str(value)
    return text or None


# A CSV cell starting with one of these would run as a formula in a spreadsheet; our CSV export
# writes one apostrophe before it (archive.services.open_data.escape_cell), taken off here. The
# full-width dash is quoted too: alone in a cell it means "clear this field" on re-import.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "－")


def needs_quote(text: str) -> bool:
    """Whether a text, after any apostrophes it starts with, starts like a formula (or a clear marker)."""
    rest = text.lstrip("'")
    return bool(rest) and rest[0] in FORMULA_STARTS


# A cell holding only this clears its field on re-import (an empty cell keeps the stored value).
# The full-width form is what a Chinese input method types in full-width mode.
CLEAR_MARKERS = frozenset({"-", "－"})


def quote_clear_marker(text: str) -> str:
    """A workbook text as our .xlsx export writes it: one apostrophe before a text that, after any
    apostrophes, is a clear marker (`-` -> `'-`, `'-` -> `''-`), so that a stored dash is not read
    back as "clear this field". :func:`unquote_clear_marker` takes exactly that one off."""
    return "'" + text if text.lstrip("'").strip() in CLEAR_MARKERS else text


def unquote_clear_marker(value: CellValue) -> CellValue:
    """A workbook cell without the apostrophe :func:`quote_clear_marker` put there. A workbook's
    other texts keep a leading apostrophe: a spreadsheet program keeps the one typed before a
    formula out of the cell's value, so one in the value was written there on purpose."""
    if isinstance(value, str) and value[:1] == "'" and value.lstrip("'").strip() in CLEAR_MARKERS:
        return value[1:]
    return value


def unescape_cell(value: CellValue) -> CellValue:
    """A CSV text without the apostrophe put before a formula-like text: `'=1+2` -> `=1+2`, `''-` -> `'-`."""
    if isinstance(value, str) and value[:1] == "'" and needs_quote(value):
        return value[1:]
    return value


def shown(value: CellValue) -> str:
    """A cell's value for a message: as written, cut short if long (a pasted page, a 10 MB cell)."""
    text = cell_text(value) or ""
    return text if len(text) <= SHOWN_LIMIT else text[: SHOWN_LIMIT - 1] + "…"


def to_float(value: CellValue) -> float | Bad:
    """A decimal number, as typed into Excel or written in text (full-width digits, a trailing °)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    else:
        text = unicodedata.normalize("NFKC", cell_text(value) or "").rstrip("°").strip()
        try:
            number = float(text)
        except ValueError:
            return Bad("value.not_number", {"value": shown(value)})
    if not math.isfinite(number):
        return Bad("value.not_number", {"value": shown(value)})
    return number


def to_whole(value: CellValue) -> int | Bad:
    """A whole number from 0 to MAX_STOREYS: 3, 3.0, "3", "３", "三", "3层"; not -3 or 2.5."""
    bad = Bad("value.not_whole", {"value": shown(value), "max": MAX_STOREYS})
    if isinstance(value, bool):
        return bad
    number: float
    if isinstance(value, int | float):
        number = value
    else:
        written = cell_text(value) or ""
        text = _STOREY_SUFFIX.sub("", unicodedata.normalize("NFKC", written).casefold()).strip()
        parsed = parse_number(text)
        try:
            number = float(text) if parsed is None else parsed
        except ValueError:
            return bad
    if not (math.isfinite(number) and float(number).is_integer() and 0 <= number <= MAX_STOREYS):
        return bad
    return int(number)


def to_yes_no(value: CellValue) -> bool | Bad:
    """是/否, yes/no, y/n, true/false, 1/0 (any case, either script), or an Excel TRUE/FALSE."""
    if isinstance(value, bool):
        return value
    text = fold_label(cell_text(value) or "")
    if text in YES:
        return True
    if text in NO:
        return False
    return Bad("value.not_yes_no", {"value": shown(value), "choices": YES_NO_CHOICES})


def to_coord_system(text: str) -> str | Bad:
    """`wgs84` or `gcj02` from the ways people write them; Baidu's BD-09 is refused by name."""
    folded = fold_label(text)
    if folded in COORD_SYSTEMS:
        return COORD_SYSTEMS[folded]
    if folded in BAIDU_SYSTEMS:
        return Bad("value.coord_system_baidu", {"value": shown(text)})
    return Bad("value.coord_system", {"value": shown(text), "choices": ("wgs84", "gcj02")})


def split_list(text: str | None) -> list[str]:
    """Items separated by `;`, `；` or `、`, stripped, empty ones dropped."""
    if not text:
        return []
    return [item.strip() for item in LIST_SEPARATORS.split(text) if item.strip()]
