"""Workbooks that are zip bombs: a few MB on disk whose sheet XML inflates to gigabytes.

The deflate stream is one compressed block repeated: a block flushed with Z_FULL_FLUSH refers to
nothing before it, so N copies of it are a valid stream of N copies of the text, and building a
3 GB bomb costs one compression of 1 MiB plus the CRC over the whole (about a second), never 3 GB
of memory. Every size and CRC is honest: a reader that inflates the member gets all of it.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path

from openpyxl import Workbook

CHUNK = 1024 * 1024


def _full_flushed(data: bytes, *, last: bool = False) -> bytes:
    """`data` as deflate blocks that refer to nothing before them (so they can be repeated)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(zlib.Z_FINISH if last else zlib.Z_FULL_FLUSH)


def _zip_with(parts: dict[str, bytes], bomb_name: str, bomb: tuple[bytes, int, int]) -> bytes:
    """A zip of `parts` (deflated normally) plus one member given as (deflated bytes, crc, size)."""
    out = bytearray()
    directory = bytearray()
    entries = [(name, zlib.compressobj(6, zlib.DEFLATED, -15), data) for name, data in parts.items()]
    members: list[tuple[str, bytes, int, int]] = []
    for name, compressor, data in entries:
        members.append((name, compressor.compress(data) + compressor.flush(), zlib.crc32(data), len(data)))
    members.append((bomb_name, bomb[0], bomb[1], bomb[2]))
    for name, payload, crc, size in members:
        encoded = name.encode()
        zip64 = size >= 0xFFFFFFFF
        extra = struct.pack("<HHQQ", 1, 16, size, len(payload)) if zip64 else b""
        shown_size = 0xFFFFFFFF if zip64 else size
        shown_comp = 0xFFFFFFFF if zip64 else len(payload)
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 45, 0, 8, 0, 0x21, crc, shown_comp, shown_size,
                           len(encoded), len(extra)) + encoded + extra + payload
        central_extra = struct.pack("<HHQQ", 1, 16, size, len(payload)) if zip64 else b""
        directory += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 45, 45, 0, 8, 0, 0x21, crc, shown_comp,
                                 shown_size, len(encoded), len(central_extra), 0, 0, 0, 0, offset)
        directory += encoded + central_extra
    start = len(out)
    out += directory
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(directory), start, 0)
    return bytes(out)


def write_bomb_workbook(path: Path, inflated_bytes: int) -> Path:
    """An .xlsx whose first sheet's XML inflates to about `inflated_bytes` of one huge shared string."""
    template = path.with_suffix(".template.xlsx")
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "房屋"
    sheet.append(["编号", "名称"])
    sheet.append(["ZS-NQ-ML-001", "炸弹"])
    workbook.save(template)
    with zipfile.ZipFile(template) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    template.unlink()
    # The bomb replaces the sheet: the header row, then one row whose cell is gigabytes of text.
    head = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>\xe7\xbc\x96\xe5'
            b'\x8f\xb7</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>')
    tail = b"</t></is></c></row></sheetData></worksheet>"
    unit = b"A" * CHUNK
    copies = max(1, inflated_bytes // CHUNK)
    body = _full_flushed(head) + _full_flushed(unit) * copies + _full_flushed(tail, last=True)
    crc = zlib.crc32(head)
    for _ in range(copies):
        crc = zlib.crc32(unit, crc)
    crc = zlib.crc32(tail, crc)
    size = len(head) + copies * CHUNK + len(tail)
    member = "xl/worksheets/sheet1.xml"
    parts.pop(member)
    path.write_bytes(_zip_with(parts, member, (body, crc, size)))
    return path
