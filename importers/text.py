"""Reading a plain-text article (a news report, a transcript) to attach to a house as a record.

The first non-empty line is the title, the rest is the body; both go through `clean_text`.
The encoding is found as for CSV files (see `importers.encoding`), except that a text has no
header to vote with, so when it is not UTF-8 the decision rests on plausibility alone and an
unclear case asks for `--encoding`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from importers.encoding import BAD_CHARS, decode_bytes
from importers.problems import UnreadableFile, error
from importers.textclean import Change, clean_text, merge_changes

TITLE_LIMIT = 500
_BINARY_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"%PDF", b"{\\rtf")


@dataclass(frozen=True, slots=True)
class Article:
    """A title, a body (possibly empty) and the cleanups made to them."""

    title: str
    body: str
    changes: list[Change] = field(default_factory=list)
    encoding: str = "utf-8"


def read_text_article(source: Path | str | bytes, *, encoding: str | None = None) -> Article:
    """Read an article from a file (`Path` or path string) or from the bytes of an upload.

    Raises `UnreadableFile` for an empty file, a binary one (.docx, .pdf, ...), text that cannot
    be decoded with certainty, U+FFFD or private-use characters, or a first line too long to be
    a title.
    """
    data = source if isinstance(source, bytes) else _read(Path(source))
    if data.startswith(_BINARY_MAGIC):
        raise UnreadableFile(error("text.binary"))
    decoded = decode_bytes(data, encoding=encoding)
    lines = decoded.text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    non_blank = [i for i, line in enumerate(lines) if line.strip()]
    if not non_blank:
        raise UnreadableFile(error("file.empty"))
    title = clean_text(lines[non_blank[0]].strip())
    # The body keeps its layout, including a first-line indent of ideographic spaces (　　).
    body_lines = lines[non_blank[1] :] if len(non_blank) > 1 else []
    body = clean_text("\n".join(body_lines).rstrip())
    for part in (title, body):
        bad = BAD_CHARS.search(part.text)
        if bad is not None:
            raise UnreadableFile(error("text.bad_char", char=f"U+{ord(bad.group()):04X}"))
    title_text = title.text.strip()
    if len(title_text) > TITLE_LIMIT:
        raise UnreadableFile(error("text.title_too_long", length=len(title_text), limit=TITLE_LIMIT))
    return Article(title_text, body.text, merge_changes(title.changes, body.changes), decoded.encoding)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise UnreadableFile(error("file.unreadable", detail=str(exc))) from None
