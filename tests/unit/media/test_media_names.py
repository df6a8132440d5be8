"""Original file names: shown as uploaded, minus what is dangerous or misleading."""

from __future__ import annotations

import unicodedata

import pytest

from media import clean_original_name
from media.names import MAX_NAME_LENGTH


@pytest.mark.parametrize(
    ("uploaded", "shown"),
    [
        ("照片.jpg", "照片.jpg"),
        ("照片.JPG", "照片.JPG"),
        ("台山碉楼 2024.HEIC", "台山碉楼 2024.HEIC"),
        ("../../etc/passwd", "passwd"),
        ("..\\x.jpg", "x.jpg"),
        ("C:\\Users\\陈\\Pictures\\開平.jpeg", "開平.jpeg"),
        ("/var/www/../house.png", "house.png"),
        ("photo\x00.jpg", "photo.jpg"),
        ("line\nbreak\r.jpg", "line break .jpg"),
        ("escape\x1b[31m.jpg", "escape[31m.jpg"),
        ("photo\u202egpj.exe", "photogpj.exe"),
        ("\u2066evil\u2069\u200e\u200f.jpg", "evil.jpg"),
        ("\u202a\u202b\u202c\u202d.png", ".png"),
        ("  spaced  .jpg  ", "spaced .jpg"),
        ("", "unnamed"),
        ("..", "unnamed"),
        ("dir/", "unnamed"),
        ("\x00\x01\u202e", "unnamed"),
        ("/..\\../", "unnamed"),
    ],
)
def test_clean_original_name(uploaded: str, shown: str) -> None:
    assert clean_original_name(uploaded) == shown


def test_names_are_normalised_to_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Café Lâm.jpg")
    cleaned = clean_original_name(decomposed)
    assert cleaned == unicodedata.normalize("NFC", "Café Lâm.jpg")
    assert cleaned != decomposed


def test_long_names_are_capped_keeping_the_extension() -> None:
    cleaned = clean_original_name("侨" * 500 + ".jpeg")
    assert len(cleaned) == MAX_NAME_LENGTH
    assert cleaned.endswith("侨.jpeg")


def test_long_names_without_an_extension_are_capped() -> None:
    assert clean_original_name("x" * 1000) == "x" * MAX_NAME_LENGTH
