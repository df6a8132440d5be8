"""The one exception that media raises for input it refuses.

Every refusal carries a stable ``code`` (the archive maps it to a translated message and a 4xx
status), an English ``message`` for logs and command-line tools, and ``params`` holding the values
a translated message needs (a format name, a limit), so that no caller has to parse the English.
"""

from __future__ import annotations

from collections.abc import Mapping

# The codes media itself raises. Callers may raise MediaError with codes of their own (the archive
# does, e.g. for a missing original), so the constructor does not insist on this list.
ERROR_CODES: Mapping[str, str] = {
    "empty": "the upload holds no bytes",
    "too_large": "the upload holds more bytes than the caller allows",
    "hash_mismatch": "the bytes do not have the SHA-256 the caller expected",
    "invalid_hash": "a SHA-256 given to the store or a derivative path is not 64 hex digits",
    "not_found": "the store holds no blob with that SHA-256",
    "not_image": "the bytes are not an image at all (HTML, SVG, PDF, ZIP, text, video...)",
    "format_not_allowed": "an image, but in a format outside the allowlist (GIF, BMP, PSD, EPS...)",
    "decompression_bomb": "the declared pixel count is above the limit for that format",
    "unreadable": "the magic bytes name an allowed format but the header cannot be parsed",
    "store_unavailable": "a replica's folder or server cannot be reached or written (down, unmounted, full)",
    "source_corrupt": "an original to be replicated does not hash to its name in the primary store",
    "verify_failed": "a replica's copy, read back, did not hash to the original's name",
}


class MediaError(Exception):
    """A refusal with a stable code; see ``ERROR_CODES`` for what each code means."""

    def __init__(self, code: str, message: str, params: Mapping[str, str | int] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.params: Mapping[str, str | int] = dict(params or {})

    def __repr__(self) -> str:
        return f"MediaError({self.code!r}, {self.message!r})"
