"""Reading a survey file (spec/survey-sheet.md) into validated rows and a report.

The format is decided by content, not by the file name: a zip is an .xlsx workbook (if it holds
one), an OLE2 file is an old .xls or a password-protected workbook (refused, with what to do),
anything else is CSV text. Houses sheets are read before records sheets, so a record may point at
a house anywhere in the same workbook (or, with `read_survey_files`, in any of the files).
"""

from __future__ import annotations

import dataclasses
import io
import zipfile
from collections.abc import Collection, Mapping, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import Literal

from importers.csvfile import read_csv
from importers.headers import SheetKind
from importers.problems import Problem, UnreadableFile, error, warning
from importers.rowreader import ImportContext, prepare_vocab
from importers.rows import SurveyResult
from importers.sheets import LocatedSheet, RawSheet, locate_header
from importers.validate import read_sheet_rows
from importers.workbook import DEFAULT_LIMITS, SheetLimits, open_workbook

VOCAB_FIELDS = ("style", "protection_level", "condition", "kind")
# The spec fixes condition grades as A-D; a caller may still pass its own labels (甲, 乙 ...).
DEFAULT_VOCAB: dict[str, dict[str, str]] = {"condition": {"A": "A", "B": "B", "C": "C", "D": "D"}}
_ZIP = b"PK\x03\x04"
_EMPTY_ZIP = b"PK\x05\x06"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_KIND_ORDER: tuple[SheetKind, ...] = ("houses", "records")


def read_survey(
    path: Path,
    *,
    vocab: Mapping[str, Mapping[str, str]],
    known_house_codes: Collection[str] = (),
    encoding: str | None = None,
    limits: SheetLimits = DEFAULT_LIMITS,
) -> SurveyResult:
    """Read one survey file (.xlsx workbook or one CSV sheet).

    `vocab` maps each of style, protection_level, kind (and optionally condition) to
    {accepted label: canonical key}; `known_house_codes` are the codes already in the archive;
    `encoding` forces the codec of a CSV instead of detecting it; `limits` bounds what a file may
    unpack to (refused with a problem before anything is inflated).
    """
    return read_survey_files([path], vocab=vocab, known_house_codes=known_house_codes, encoding=encoding,
                             limits=limits)


def read_survey_files(
    paths: Sequence[Path],
    *,
    vocab: Mapping[str, Mapping[str, str]],
    known_house_codes: Collection[str] = (),
    encoding: str | None = None,
    limits: SheetLimits = DEFAULT_LIMITS,
) -> SurveyResult:
    """Read several survey files as one import (e.g. houses.csv and records.csv together)."""
    ctx = ImportContext(
        vocab=prepare_vocab({**DEFAULT_VOCAB, **vocab}, VOCAB_FIELDS),
        known_codes={code.casefold(): code for code in known_house_codes},
    )
    result = SurveyResult(problems=ctx.problems)
    with ExitStack() as stack:
        located: list[LocatedSheet] = []
        for path in paths:
            try:
                located += _open(path, encoding, result, stack, ctx, limits)
            except UnreadableFile as exc:
                ctx.problems.append(_in_file(exc.problem, path, len(paths) > 1))
        for kind in _KIND_ORDER:
            for sheet in (s for s in located if s.kind == kind):
                try:
                    read_sheet_rows(sheet, kind, ctx, result)
                except UnreadableFile as exc:
                    # A file that breaks off (damaged, or past the row limit) is not imported in
                    # part, not even with --skip-invalid: its rows so far are a fragment.
                    ctx.problems.append(exc.problem)
                    result.houses.clear()
                    result.records.clear()
    if not located and result.ok:
        ctx.problems.append(error("sheet.none_recognised"))
    return result


def _open(
    path: Path, encoding: str | None, result: SurveyResult, stack: ExitStack, ctx: ImportContext,
    limits: SheetLimits,
) -> list[LocatedSheet]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableFile(error("file.unreadable", detail=str(exc))) from None
    file_format = _sniff(data)
    result.file_format = file_format
    if file_format == "xlsx":
        sheets = stack.enter_context(open_workbook(path, limits))
        return _locate(sheets, ctx, is_csv=False)
    sheet, used = read_csv(path, data, encoding=encoding, max_rows=limits.max_rows)
    result.encoding = used
    return _locate([sheet], ctx, is_csv=True)


def _sniff(data: bytes) -> Literal["xlsx", "csv"]:
    if not data:
        raise UnreadableFile(error("file.empty"))
    if data.startswith(_OLE2):
        raise UnreadableFile(error("file.xls_legacy"))
    if data.startswith((_ZIP, _EMPTY_ZIP)):
        if not _holds_workbook(data):
            raise UnreadableFile(error("file.not_xlsx"))
        return "xlsx"
    return "csv"


def _holds_workbook(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def _locate(sheets: list[RawSheet], ctx: ImportContext, *, is_csv: bool) -> list[LocatedSheet]:
    found = []
    for raw in sheets:
        located = locate_header(raw)
        if located is None:
            if is_csv:
                ctx.problems.append(error("file.empty", sheet=raw.name))
            continue  # an empty extra sheet (Sheet2) says nothing
        if located.ambiguous:
            ctx.problems.append(error("sheet.ambiguous", sheet=raw.name))
        elif located.kind is None:
            # A workbook may hold other sheets (instructions, lists); a CSV is only ever a sheet.
            unknown = error if is_csv else warning
            code = "sheet.kind_unknown" if is_csv else "sheet.ignored"
            ctx.problems.append(unknown(code, sheet=raw.name))
        else:
            if located.rows_above_header:
                ctx.problems.append(
                    warning(
                        "sheet.rows_above_header",
                        sheet=raw.name,
                        row=located.header_row,
                        count=located.rows_above_header,
                    )
                )
            found.append(located)
    return found


def _in_file(problem: Problem, path: Path, several: bool) -> Problem:
    if several and problem.sheet is None:
        return dataclasses.replace(problem, sheet=path.name)
    return problem
