"""One reading of yes/no values for forms, query strings and QIAOFANG_* environment variables."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive.config import load_config
from archive.flags import parse_flag


@pytest.mark.parametrize("word", ["1", "true", "yes", "on", "y", "TRUE", " Yes ", "On"])
def test_yes_words(word: str) -> None:
    assert parse_flag(word) is True


@pytest.mark.parametrize("word", ["", "0", "false", "no", "off", "n", "False", " OFF "])
def test_no_words(word: str) -> None:
    assert parse_flag(word) is False


def test_not_sent_is_the_default() -> None:
    assert parse_flag(None) is False
    assert parse_flag(None, default=True) is True
    assert parse_flag("0", default=True) is False


@pytest.mark.parametrize("word", ["maybe", "2", "是", "checked", "-1"])
def test_other_words_are_refused(word: str) -> None:
    with pytest.raises(ValueError):
        parse_flag(word)


def test_environment_flags(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QIAOFANG_SECURE_COOKIES", "off")
    assert load_config({"DATA": tmp_path})["SECURE_COOKIES"] is False
    monkeypatch.setenv("QIAOFANG_SECURE_COOKIES", "On")
    assert load_config({"DATA": tmp_path})["SECURE_COOKIES"] is True
    monkeypatch.setenv("QIAOFANG_SECURE_COOKIES", "sure")
    with pytest.raises(ValueError, match="QIAOFANG_SECURE_COOKIES='sure'"):
        load_config({"DATA": tmp_path})
