"""Configuration: defaults, then QIAOFANG_* variables, then the create_app argument."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive.config import load_config


def test_layers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QIAOFANG_DATA", str(tmp_path / "from-env"))
    monkeypatch.setenv("QIAOFANG_MAX_UPLOAD_MB", "7")
    monkeypatch.setenv("QIAOFANG_SECURE_COOKIES", "yes")
    config = load_config()
    assert config["DATA"] == tmp_path / "from-env"
    assert config["MAX_UPLOAD_MB"] == 7 and config["SECURE_COOKIES"] is True
    assert config["DATABASE_URL"] == f"sqlite:///{tmp_path / 'from-env' / 'qiaofang.db'}"
    explicit = load_config({"DATA": tmp_path / "arg", "MAX_UPLOAD_MB": 3})
    assert explicit["DATA"] == tmp_path / "arg" and explicit["MAX_UPLOAD_MB"] == 3


def test_secret_key_is_kept_per_data_folder(tmp_path: Path) -> None:
    first = load_config({"DATA": tmp_path})["SECRET_KEY"]
    second = load_config({"DATA": tmp_path})["SECRET_KEY"]
    assert first == second and len(first) == 64
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
