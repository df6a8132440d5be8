"""Problems found while importing, and how they are told to the user in their language.

A problem is data, not text: a stable `code`, the `params` that fill its message, and where it
is (sheet, row as the spreadsheet shows it with the header on row 1, column as headed). The
archive stores, filters and counts problems by code; `render` turns one into a sentence in
zh-Hans, zh-Hant or English at the last moment.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from importers.messages import CHANGE_LABELS, FIELD_LABELS, LOCATIONS, MESSAGES

Severity = Literal["error", "warning"]
ParamValue = str | int | float | tuple[str, ...]
Lang = Literal["zh-Hans", "zh-Hant", "en"]
_LANG_INDEX: dict[Lang, int] = {"zh-Hans": 0, "zh-Hant": 1, "en": 2}


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with (error) or worth knowing about (warning) an imported file."""

    code: str
    severity: Severity
    params: Mapping[str, ParamValue] = field(default_factory=dict)
    row: int | None = None
    column: str | None = None
    sheet: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


class UnreadableFile(Exception):  # noqa: N818 - it names the situation, as FileNotFoundError does
    """The whole file cannot be read; `problem` says why, in a form `render` can show."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(render(problem, "en"))
        self.problem = problem


def make_problem(
    code: str,
    severity: Severity,
    /,
    *,
    row: int | None = None,
    column: str | None = None,
    sheet: str | None = None,
    **params: ParamValue,
) -> Problem:
    """Build a problem, refusing codes that have no message (so none reaches a user unexplained)."""
    if code not in MESSAGES:
        raise KeyError(f"problem code without a message: {code}")
    return Problem(code, severity, params, row, column, sheet)


def error(code: str, /, **kwargs: ParamValue | None) -> Problem:
    """An error: the file must be corrected before it is imported."""
    return _build(code, "error", kwargs)


def warning(code: str, /, **kwargs: ParamValue | None) -> Problem:
    """A warning: the import can go ahead, but the user should know."""
    return _build(code, "warning", kwargs)


def _build(code: str, severity: Severity, kwargs: dict[str, ParamValue | None]) -> Problem:
    row = kwargs.pop("row", None)
    column = kwargs.pop("column", None)
    sheet = kwargs.pop("sheet", None)
    params = {k: v for k, v in kwargs.items() if v is not None}
    return make_problem(
        code,
        severity,
        row=row if isinstance(row, int) else None,
        column=column if isinstance(column, str) else None,
        sheet=sheet if isinstance(sheet, str) else None,
        **params,
    )


def resolve_lang(lang: str) -> Lang:
    """Map a locale as the web or CLI has it (zh_Hant_TW, zh-CN, en_US, ...) to a message language."""
    tag = lang.replace("_", "-").casefold()
    if not tag.startswith("zh"):
        return "en"
    if "hant" in tag or tag.split("-")[-1] in {"tw", "hk", "mo"}:
        return "zh-Hant"
    return "zh-Hans"


def render(problem: Problem, lang: str = "en", *, location: bool = True) -> str:
    """The problem as a sentence in `lang`, prefixed with where it is unless `location` is False."""
    which = _LANG_INDEX[resolve_lang(lang)]
    values = {key: _format_param(key, value, which) for key, value in problem.params.items()}
    if problem.code == "text.cleaned":
        values["changes"] = _describe_changes(problem.params, which)
    values.setdefault("column", problem.column or "")
    message = MESSAGES[problem.code][which].format_map(_Lenient(values))
    if not location:
        return message
    return _location(problem, which) + message


def _format_param(key: str, value: ParamValue, which: int) -> str:
    separator = ", " if which == 2 else "、"
    if isinstance(value, tuple):
        return separator.join(value)
    if key == "field" and isinstance(value, str) and value in FIELD_LABELS:
        return FIELD_LABELS[value][which]
    return str(value)


def _describe_changes(params: Mapping[str, ParamValue], which: int) -> str:
    separator = "; " if which == 2 else "；"
    parts = [CHANGE_LABELS[kind][which].format(count=count) for kind, count in params.items() if kind in CHANGE_LABELS]
    return separator.join(parts)


def _location(problem: Problem, which: int) -> str:
    sheet, row, column, joiner, end = LOCATIONS[which]
    parts = []
    if problem.sheet:
        parts.append(sheet.format(problem.sheet))
    if problem.row is not None:
        parts.append(row.format(problem.row))
    if problem.column:
        parts.append(column.format(problem.column))
    return joiner.join(parts) + end if parts else ""


class _Lenient(dict[str, str]):
    # A message never fails to render for want of a parameter: the gap shows as "?".
    def __missing__(self, key: str) -> str:
        return "?"
