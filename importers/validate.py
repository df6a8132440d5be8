"""Checking every row of a located sheet and turning the good ones into HouseRow / RecordRow.

Rules beyond single cells live here: required columns, duplicate and unknown headers, codes
(no spaces or slashes, since a code also names photo folders and file names; unique in the
file, compared without case), latitude/longitude ranges and "both or neither", GCJ-02
conversion, records pointing at a known house, and records repeating (house, title, date), the
key by which a re-import finds them.
"""

from __future__ import annotations

import re

from importers.cells import Bad, shown, to_coord_system
from importers.coords import gcj02_to_wgs84
from importers.headers import HEADERS, REQUIRED, SheetKind, header_key
from importers.problems import error, warning
from importers.rowreader import LONG_LIMIT, Bindings, Column, ImportContext, RowReader, column_letter
from importers.rows import HouseRow, RecordRow, SheetInfo, SurveyResult
from importers.sheets import LocatedSheet, is_blank

CODE_LIMIT = 64
DEFAULT_RECORD_KIND = "other"
_CODE = re.compile(r"^[^\s/\\]+$")


def read_sheet_rows(located: LocatedSheet, kind: SheetKind, ctx: ImportContext, result: SurveyResult) -> None:
    """Validate every data row of `located` into `result`, problems into `ctx.problems`."""
    bindings = bind_columns(located, kind, ctx)
    if bindings is None:
        result.sheets.append(SheetInfo(located.raw.name, kind, located.header_row, 0))
        return
    count = 0
    for number, values in located.rows:
        if is_blank(values):
            continue
        count += 1
        reader = RowReader(ctx, located.raw, number, values, bindings)
        if kind == "houses":
            house = read_house(reader)
            if house is not None:
                # What the row fills in (or clears with `-`): a re-import updates those, keeps the rest.
                house.columns, house.extra_columns = reader.given_fields(), reader.given_extras()
                result.houses.append(house)
        else:
            record = read_record(reader)
            if record is not None:
                record.columns, record.extra_columns = reader.given_fields(), reader.given_extras()
                result.records.append(record)
    result.sheets.append(SheetInfo(located.raw.name, kind, located.header_row, count))
    if count == 0:
        ctx.problems.append(warning("sheet.no_rows", sheet=located.raw.name))


def bind_columns(located: LocatedSheet, kind: SheetKind, ctx: ImportContext) -> Bindings | None:
    """Map header cells to fields; None (with an error) when a required column is missing."""
    sheet = located.raw.name
    fields: dict[str, Column] = {}
    extras: dict[str, Column] = {}
    blank = set()
    for index, header in enumerate(located.header):
        if not header:
            blank.add(index)
            continue
        column = Column(index, header)
        key = header_key(header, kind)
        if key is None:
            name = header if header not in extras else f"{header} ({column_letter(index)})"
            extras[name] = column
            ctx.problems.append(warning("header.unknown", sheet=sheet, column=header))
        elif key in fields:
            first = fields[key].header
            ctx.problems.append(error("header.duplicate", sheet=sheet, column=header, field=key, first=first))
        else:
            fields[key] = column
    missing = [key for key in REQUIRED[kind] if key not in fields]
    for key in missing:
        accepted = (key, *HEADERS[kind][key])
        ctx.problems.append(error("header.missing", sheet=sheet, field=key, choices=accepted))
    if missing:
        return None
    return Bindings(fields, extras, len(located.header), frozenset(blank))


def read_house(r: RowReader) -> HouseRow | None:
    """One houses row; None when it has an error (its problems are already reported)."""
    code = r.text("code", required=True, limit=CODE_LIMIT)
    code = claim_house_code(r, code) if code else None
    name_zh = r.text("name_zh", required=True)
    lat, lon, system = read_coordinates(r)
    house = HouseRow(
        code=code or "",
        name_zh=name_zh or "",
        row=r.number,
        sheet=r.sheet.name,
        name_en=r.text("name_en"),
        aliases=r.listing("aliases"),
        province=r.text("province"),
        city=r.text("city"),
        county=r.text("county"),
        township=r.text("township"),
        village=r.text("village"),
        address=r.text("address"),
        lat=lat,
        lon=lon,
        coord_system=system,
        location_public=r.yes_no("location_public", default=True),
        built=r.date("built"),
        builder=r.text("builder"),
        family=r.text("family"),
        destinations=r.listing("destinations"),
        style=r.vocab("style"),
        materials=r.text("materials"),
        storeys=r.whole("storeys"),
        protection_level=r.vocab("protection_level"),
        condition=r.vocab("condition"),
        current_use=r.text("current_use"),
        custody=r.text("custody"),
        owner=r.text("owner"),
        owner_contact=r.text("owner_contact"),
        summary_zh=r.text("summary_zh", limit=LONG_LIMIT),
        summary_en=r.text("summary_en", limit=LONG_LIMIT),
        public=r.yes_no("public", default=False),
        extra=r.extra(),
    )
    return None if r.failed else house


def read_record(r: RowReader) -> RecordRow | None:
    """One records row; None when it has an error."""
    house_code = r.text("house_code", required=True, limit=CODE_LIMIT)
    house_code = resolve_house_code(r, house_code) if house_code else None
    title = r.text("title", required=True)
    record = RecordRow(
        house_code=house_code or "",
        title=title or "",
        row=r.number,
        sheet=r.sheet.name,
        kind=r.vocab("kind") or DEFAULT_RECORD_KIND,
        body=r.text("body", limit=LONG_LIMIT),
        date=r.date("date"),
        source=r.text("source"),
        public=r.yes_no("public", default=False),
        extra=r.extra(),
    )
    if house_code and title:
        claim_record_key(r, record)
    return None if r.failed else record


def read_coordinates(r: RowReader) -> tuple[float | None, float | None, str]:
    """Latitude and longitude in range, both or neither, converted to WGS84 when given as GCJ-02."""
    lat, lon = r.number_value("lat"), r.number_value("lon")
    if lat is not None and not -90 <= lat <= 90:
        r.report("error", "value.lat_range", r.column("lat"), value=shown(lat))
        lat = None
    if lon is not None and not -180 <= lon <= 180:
        r.report("error", "value.lon_range", r.column("lon"), value=shown(lon))
        lon = None
    system = "wgs84"
    given = r.text("coord_system")
    if given is not None:
        checked = to_coord_system(given)
        if isinstance(checked, Bad):
            r.report("error", checked.code, r.column("coord_system"), **checked.params)
        else:
            system = checked
    if r.present("lat") != r.present("lon") or r.cleared("lat") != r.cleared("lon"):
        # Half a point, or half of one cleared, would leave a point that was never surveyed.
        missing = "lon" if r.present("lat") or r.cleared("lat") else "lat"
        r.report(
            "error",
            "coords.half",
            r.column(missing) or r.column("lat" if missing == "lon" else "lon"),
            field=missing,
        )
    if lat is None or lon is None:
        return None, None, system
    if system == "gcj02":
        lat, lon = gcj02_to_wgs84(lat, lon)
    return lat, lon, system


def claim_house_code(r: RowReader, code: str) -> str:
    """Check a house code and register it as in this file; the archive's spelling wins."""
    if not _CODE.match(code):
        r.report("error", "code.invalid", r.column("code"), value=shown(code))
    folded = code.casefold()
    known = r.ctx.known_codes.get(folded)
    if known is not None and known != code:
        r.report("warning", "code.case_differs", r.column("code"), value=code, code=known)
        code = known
    first = r.ctx.file_codes.get(folded)
    if first is not None:
        r.report("error", "code.duplicate", r.column("code"), value=code, first_row=first[1])
    else:
        r.ctx.file_codes[folded] = (code, r.number)
    return code


def resolve_house_code(r: RowReader, code: str) -> str | None:
    """The house a record points at, spelt as its house row or the archive spells it."""
    folded = code.casefold()
    in_file = r.ctx.file_codes.get(folded)
    canonical = in_file[0] if in_file else r.ctx.known_codes.get(folded)
    if canonical is None:
        r.report("error", "record.unknown_house", r.column("house_code"), value=shown(code))
        return None
    if canonical != code:
        r.report("warning", "code.case_differs", r.column("house_code"), value=code, code=canonical)
    return canonical


def claim_record_key(r: RowReader, record: RecordRow) -> None:
    """Refuse a second record with the same house, title and date: a re-import could not tell them apart."""
    date_text = record.date.text if record.date else ""
    key = (record.house_code.casefold(), record.title, date_text)
    first = r.ctx.record_keys.get(key)
    if first is not None:
        r.report("error", "record.duplicate", r.column("title"), first_row=first)
    else:
        r.ctx.record_keys[key] = r.number
