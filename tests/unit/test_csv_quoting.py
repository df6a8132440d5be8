"""Formula quoting of CSV exports and its undoing on import: exact for every text."""

from __future__ import annotations

import itertools

from archive.services.open_data import escape_cell
from importers.cells import FORMULA_STARTS, unescape_cell

PIECES = ("", "'", "''", "=", "+", "-", "@", "\t", "\r", "－", "a", "楼", " ", "1")


def test_every_short_text_round_trips_and_never_starts_like_a_formula() -> None:
    for parts in itertools.product(PIECES, repeat=3):
        text = "".join(parts)
        written = escape_cell(text)
        assert unescape_cell(written) == text, repr(text)
        assert written[:1] not in FORMULA_STARTS, repr(text)


def test_examples() -> None:
    assert escape_cell('=HYPERLINK("x")') == '\'=HYPERLINK("x")'
    assert escape_cell("-") == "'-" and escape_cell("'=x") == "''=x" and escape_cell("'plain") == "'plain"
    assert escape_cell("开平楼") == "开平楼" and unescape_cell("'plain") == "'plain"
    assert unescape_cell(None) is None and unescape_cell(3.5) == 3.5
