"""Original file names, kept for display and never used to name anything on disk.

The name is shown as uploaded (``照片.jpg`` and ``照片.JPG`` stay distinct; Werkzeug's
``secure_filename`` would turn both into ``jpg``), minus what makes it dangerous or misleading:
path components, control characters and bidi tricks. Storage paths come from the SHA-256 only.
"""

from __future__ import annotations

import re

from media.text import remove_unsafe_characters

MAX_NAME_LENGTH = 200
FALLBACK_NAME = "unnamed"
# Long enough for ".jpeg" or ".heics"; anything longer is not an extension worth keeping whole.
_MAX_EXTENSION_LENGTH = 16
_PATH_SEPARATORS = re.compile(r"[/\\]")
_WHITESPACE_RUN = re.compile(r"\s+")


def clean_original_name(name: str) -> str:
    """The display form of an uploaded file's name: last path component, NFC, no control or bidi
    characters, at most ``MAX_NAME_LENGTH`` characters, never empty.

    >>> clean_original_name("../../etc/passwd")
    'passwd'
    >>> clean_original_name("C:\\\\Users\\\\陈\\\\照片.JPG")
    '照片.JPG'
    """
    # Clean first so that a separator hidden behind a control character is still seen as one.
    cleaned = _WHITESPACE_RUN.sub(" ", remove_unsafe_characters(name))
    last = _PATH_SEPARATORS.split(cleaned)[-1].strip()
    if last.strip(".") == "":
        return FALLBACK_NAME
    return _cap_length(last)


def _cap_length(name: str) -> str:
    """Shorten the stem rather than the extension, so a capped name still says what it is."""
    if len(name) <= MAX_NAME_LENGTH:
        return name
    stem, dot, extension = name.rpartition(".")
    if dot and stem and len(extension) <= _MAX_EXTENSION_LENGTH:
        keep = MAX_NAME_LENGTH - len(extension) - 1
        return f"{stem[:keep].rstrip()}.{extension}"
    return name[:MAX_NAME_LENGTH].rstrip()
