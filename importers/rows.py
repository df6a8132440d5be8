"""The plain, validated rows an import produces, and the result that carries them with the report.

Rows hold only values that passed validation: canonical vocabulary keys, WGS84 coordinates,
parsed dates next to the text as written, cleaned text. A row with any error is left out of
`houses` / `records` (its problems say why), so `SurveyResult.ok` is the archive's cue that the
whole file may be applied; the archive applies all of it or none of it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

from importers.dates import ParsedDate
from importers.headers import SheetKind
from importers.problems import Problem


@dataclass(slots=True)
class HouseRow:
    """One house as read from a `houses` sheet."""

    code: str
    name_zh: str
    row: int
    name_en: str | None = None
    aliases: list[str] = field(default_factory=list)
    province: str | None = None
    city: str | None = None
    county: str | None = None
    township: str | None = None
    village: str | None = None
    address: str | None = None
    lat: float | None = None  # WGS84, converted when the sheet said gcj02
    lon: float | None = None
    coord_system: str = "wgs84"  # the system the sheet's coordinates were given in
    location_public: bool = True
    built: ParsedDate | None = None
    builder: str | None = None
    family: str | None = None
    destinations: list[str] = field(default_factory=list)
    style: str | None = None  # vocabulary key
    materials: str | None = None
    storeys: int | None = None
    protection_level: str | None = None  # vocabulary key
    condition: str | None = None  # vocabulary key
    current_use: str | None = None
    custody: str | None = None
    owner: str | None = None
    owner_contact: str | None = None
    summary_zh: str | None = None
    summary_en: str | None = None
    public: bool = False  # unpublished unless the sheet says 是
    sheet: str | None = None
    extra: dict[str, str] = field(default_factory=dict)  # unknown columns: header -> value
    # The field keys (and unknown-column names) this row fills in or clears with a lone `-`; None
    # means every field. A re-import updates only these: a sheet without an owner column, or with
    # an empty owner cell, keeps the stored owner.
    columns: frozenset[str] | None = None
    extra_columns: frozenset[str] = frozenset()


@dataclass(slots=True)
class RecordRow:
    """One information item as read from a `records` sheet."""

    house_code: str
    title: str
    row: int
    kind: str = "other"  # vocabulary key; `other` when the cell is blank
    body: str | None = None
    date: ParsedDate | None = None
    source: str | None = None
    public: bool = False
    sheet: str | None = None
    extra: dict[str, str] = field(default_factory=dict)
    columns: frozenset[str] | None = None  # as for HouseRow
    extra_columns: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class SheetInfo:
    """One sheet (or CSV file) that was read: its kind, header row and number of data rows."""

    name: str
    kind: SheetKind
    header_row: int
    data_rows: int


@dataclass(slots=True)
class SurveyResult:
    """Everything read from a survey file: valid rows and the problems found."""

    houses: list[HouseRow] = field(default_factory=list)
    records: list[RecordRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    file_format: Literal["xlsx", "csv"] | None = None
    encoding: str | None = None  # the codec a CSV was read with; None for xlsx
    sheets: list[SheetInfo] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        """True when no problem is an error: the file may be applied as a whole."""
        return not any(p.severity == "error" for p in self.problems)

    def cleanup_counts(self) -> dict[str, int]:
        """How many text cleanups of each kind were made (e.g. {"pinyin_annotation": 12})."""
        counts: Counter[str] = Counter()
        for problem in self.problems:
            if problem.code == "text.cleaned":
                for kind, count in problem.params.items():
                    if isinstance(count, int):
                        counts[kind] += count
        return dict(counts)
