"""Reading the cells of one row by field name, collecting that row's problems as it goes.

Every text passes the same gate in the same order: formula without a cached value or an Excel
error value -> length cap (checked before anything else touches a 10 MB cell) -> `clean_text`
(changes reported as a `text.cleaned` warning) -> no U+FFFD or private-use characters, which
mean the file was decoded or converted wrongly somewhere and are never stored as data.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from importers.cells import (
    CLEAR_MARKERS,
    EXCEL_ERRORS,
    Bad,
    cell_text,
    shown,
    split_list,
    to_float,
    to_whole,
    to_yes_no,
    unescape_cell,
    unquote_clear_marker,
)
from importers.dates import ParsedDate, parse_date
from importers.encoding import BAD_CHARS
from importers.folding import fold_label
from importers.problems import ParamValue, Problem, Severity, make_problem
from importers.sheets import CellValue, RawSheet
from importers.textclean import MAYBE_DIRTY, clean_text

_T = TypeVar("_T")
# Anything clean_text might change or a cell must not hold; most cells contain none of it.
_NEEDS_ATTENTION = re.compile(f"{MAYBE_DIRTY.pattern}|{BAD_CHARS.pattern}")
SHORT_LIMIT = 500
# Excel's own limit for a cell: anything longer cannot have been typed or kept by Excel.
LONG_LIMIT = 32_767


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """Accepted values of one field: folded label -> canonical key, and the labels to list."""

    lookup: dict[str, str]
    labels: tuple[str, ...]


@dataclass(slots=True)
class ImportContext:
    """State shared by all sheets of one import: vocabularies, known and seen codes, problems."""

    vocab: dict[str, Vocabulary]
    known_codes: dict[str, str]  # casefolded -> as the archive spells it
    problems: list[Problem] = field(default_factory=list)
    file_codes: dict[str, tuple[str, int]] = field(default_factory=dict)  # -> (code, first row)
    record_keys: dict[tuple[str, str, str], int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Column:
    index: int
    header: str  # as written in the header row, stripped


@dataclass(slots=True)
class Bindings:
    """Which column holds which field, the unknown columns kept as extras, and blank headers."""

    fields: dict[str, Column]
    extras: dict[str, Column]  # name in `extra` -> column
    width: int  # cells in the header row; data beyond it has no header
    blank: frozenset[int]  # columns whose header cell is empty
    blank_reported: bool = False


class RowReader:
    """The cells of one data row, read by field key."""

    def __init__(
        self,
        ctx: ImportContext,
        sheet: RawSheet,
        number: int,
        values: Sequence[CellValue],
        bindings: Bindings,
    ) -> None:
        self.ctx = ctx
        self.sheet = sheet
        self.number = number
        self.values = values
        self.bindings = bindings
        self.failed = False
        self.error_columns: set[str | None] = set()

    def report(self, severity: Severity, code: str, column: str | None, /, **params: ParamValue) -> None:
        problem = make_problem(code, severity, row=self.number, column=column, sheet=self.sheet.name, **params)
        self.ctx.problems.append(problem)
        if severity == "error":
            self.failed = True
            self.error_columns.add(column)

    def column(self, key: str) -> str | None:
        """The header of the column holding `key`, as written."""
        column = self.bindings.fields.get(key)
        return column.header if column else None

    def present(self, key: str) -> bool:
        """Whether the cell holds a value (not empty, not the clear marker)."""
        text = cell_text(self._value(key))
        return text is not None and text not in CLEAR_MARKERS

    def cleared(self, key: str) -> bool:
        return cell_text(self._value(key)) in CLEAR_MARKERS

    def given_fields(self) -> frozenset[str]:
        """The fields this row gives a value for or clears: a re-import changes these and no others."""
        return frozenset(key for key in self.bindings.fields if cell_text(self._value(key)) is not None)

    def given_extras(self) -> frozenset[str]:
        return frozenset(name for name, column in self.bindings.extras.items()
                         if column.index < len(self.values) and cell_text(self.values[column.index]) is not None)

    def raw(self, key: str) -> CellValue:
        """The cell's value, after refusing uncached formulas and Excel error values."""
        column = self.bindings.fields.get(key)
        return None if column is None else self._checked(column)

    def text(self, key: str, *, required: bool = False, limit: int = SHORT_LIMIT) -> str | None:
        column = self.bindings.fields.get(key)
        value = None if column is None else self._clean(self._checked(column), column, limit)
        if value is None and required and self.column(key) not in self.error_columns:
            self.report("error", "cell.required", self.column(key), field=key)
        return value

    def listing(self, key: str) -> list[str]:
        return split_list(self.text(key))

    def number_value(self, key: str) -> float | None:
        return self._convert(key, to_float)

    def whole(self, key: str) -> int | None:
        return self._convert(key, to_whole)

    def yes_no(self, key: str, *, default: bool) -> bool:
        value = self._convert(key, to_yes_no)
        return default if value is None else value

    def vocab(self, key: str) -> str | None:
        text = self.text(key)
        if text is None:
            return None
        vocabulary = self.ctx.vocab[key]
        canonical = vocabulary.lookup.get(fold_label(text))
        if canonical is None:
            self.report(
                "error", "value.unknown_vocab", self.column(key),
                field=key, value=shown(text), choices=vocabulary.labels,
            )  # fmt: skip
        return canonical

    def date(self, key: str) -> ParsedDate | None:
        text = self.text(key)
        if text is None:
            return None
        parsed = parse_date(text)
        if parsed.warning_code:
            self.report("warning", parsed.warning_code, self.column(key), value=shown(text))
        return parsed

    def extra(self) -> dict[str, str]:
        """Values of the unknown columns, by header; data under no header is reported once."""
        extra = {}
        for name, column in self.bindings.extras.items():
            text = self._clean(self._checked(column), column, LONG_LIMIT)
            if text is not None:
                extra[name] = text
        self._check_headerless()
        return extra

    def _convert(self, key: str, convert: Callable[[CellValue], _T | Bad]) -> _T | None:
        value = self.raw(key)
        if cell_text(value) is None:
            return None
        result = convert(value)
        if isinstance(result, Bad):
            self.report("error", result.code, self.column(key), **result.params)
            return None
        return result

    def _value(self, key: str) -> CellValue:
        column = self.bindings.fields.get(key)
        if column is None or column.index >= len(self.values):
            return None
        return self.values[column.index]

    def _checked(self, column: Column) -> CellValue:
        raw = self.values[column.index] if column.index < len(self.values) else None
        # '- (a quoted dash, as our CSV and .xlsx exports write a stored "-") is the text "-", not
        # the clear marker; a CSV also unquotes formulas (importers.cells).
        value = unescape_cell(raw) if self.sheet.escaped_formulas else unquote_clear_marker(raw)
        if value is None:
            formulas = self.sheet.formula_cells
            if formulas and (self.number, column.index) in formulas:
                self.report("error", "cell.formula_no_value", column.header)
            return None
        if isinstance(value, str) and value[:1] == "#" and value in EXCEL_ERRORS:
            self.report("error", "cell.excel_error", column.header, value=value)
            return None
        if isinstance(raw, str) and raw.strip() in CLEAR_MARKERS:
            return None  # read as empty; given_fields() still names it, so a re-import clears it
        return value

    def _clean(self, value: CellValue, column: Column, limit: int) -> str | None:
        text = cell_text(value)
        if text is None:
            return None
        if len(text) > limit:
            self.report("error", "cell.too_long", column.header, length=len(text), limit=limit)
            return None
        if _NEEDS_ATTENTION.search(text) is None and unicodedata.is_normalized("NFC", text):
            return text  # the common case: nothing to clean, nothing to refuse
        cleaned = clean_text(text)
        if cleaned.changes:
            counts = {change.kind: change.count for change in cleaned.changes}
            self.report("warning", "text.cleaned", column.header, **counts)
        bad = BAD_CHARS.search(cleaned.text)
        if bad is not None:
            char = f"U+{ord(bad.group()):04X}"
            self.report("error", "cell.bad_char", column.header, char=char, position=bad.start() + 1)
            return None
        return cleaned.text.strip() or None

    def _check_headerless(self) -> None:
        bindings = self.bindings
        if bindings.blank_reported or (len(self.values) <= bindings.width and not bindings.blank):
            return
        for index, value in enumerate(self.values):
            if (index >= bindings.width or index in bindings.blank) and cell_text(value) is not None:
                bindings.blank_reported = True
                self.report("warning", "header.blank_with_data", None, letter=column_letter(index))
                return


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column index: 0 -> A, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def prepare_vocab(vocab: Mapping[str, Mapping[str, str]], fields: Sequence[str]) -> dict[str, Vocabulary]:
    """Fold the caller's vocabularies for lookup; canonical keys are accepted as labels too."""
    prepared = {}
    for name in fields:
        labels = vocab.get(name)
        if labels is None:
            raise ValueError(f"no vocabulary for {name!r}: pass vocab[{name!r}] = {{label: key}}")
        lookup = {fold_label(key): key for key in labels.values()}
        lookup.update({fold_label(label): key for label, key in labels.items()})
        prepared[name] = Vocabulary(lookup, tuple(labels))
    return prepared
