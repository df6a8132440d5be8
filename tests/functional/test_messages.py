"""One catalogue of refusal texts (archive.messages) for the web and the CLI, covering every code."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask_babel import force_locale

from archive.messages import (
    cli_message,
    cli_refusal,
    media_message,
    media_messages,
    service_message,
    service_messages,
)
from archive.services import NotFound, ServiceError
from archive.web.uploads import MEDIA_STATUS
from media import MediaError

ARCHIVE = Path(__file__).resolve().parents[2] / "archive"
PARAMS: dict[str, Any] = {"min": 1, "max": 9, "value": "castle", "code": "KP-1", "chinese": "黄", "spelling": "Wong",
                          "name": "正门.jpg", "batch": "b1", "username": "ed", "item": "KP-2", "what": "name_zh",
                          "detail": "row 2", "format": "GIF", "key": "KP-1"}
CJK = re.compile(r"[\u4e00-\u9fff]")


def raised_service_codes() -> set[str]:
    """Every code the archive raises as a ServiceError (NotFound is not_found), read from the source."""
    codes = set()
    for path in ARCHIVE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
                continue
            if node.func.id == "NotFound" and node.args:
                codes.add("not_found")
            elif (node.func.id == "ServiceError" and node.args and isinstance(node.args[0], ast.Constant)
                  and isinstance(node.args[0].value, str)):
                codes.add(node.args[0].value)
    return codes


def test_the_source_scan_finds_the_codes() -> None:
    codes = raised_service_codes()
    assert {"not_found", "duplicate_code", "last_admin", "redo_conflict", "demo_invalid"} <= codes


@pytest.mark.parametrize("code", sorted(raised_service_codes()))
def test_every_service_code_has_its_text_in_every_language(app: Flask, code: str) -> None:
    exc = ServiceError(code, None, **PARAMS)
    assert code in service_messages(exc)
    with app.test_request_context():
        texts = {}
        for locale in ("en", "zh_Hans", "zh_Hant"):
            with force_locale(locale):
                texts[locale] = service_message(exc)
        assert f"({code})" not in texts["en"]  # not the fallback "The change was refused (code)."
        assert "%(" not in "".join(texts.values())  # every placeholder filled
        for locale in ("zh_Hans", "zh_Hant"):
            assert texts[locale] != texts["en"] and CJK.search(texts[locale]), (locale, texts)


@pytest.mark.parametrize("code", sorted(MEDIA_STATUS))
def test_every_refused_upload_has_its_text_in_every_language(app: Flask, code: str) -> None:
    exc = MediaError(code, "technical detail", {"format": "GIF"})
    assert code in media_messages(exc)
    with app.test_request_context():
        with force_locale("en"):
            english = media_message(exc)
        assert "technical detail" not in english and f"({code})" not in english
        for locale in ("zh_Hans", "zh_Hant"):
            with force_locale(locale):
                assert CJK.search(media_message(exc)), locale


def test_the_cli_says_what_the_web_says(app: Flask) -> None:
    exc = ServiceError("last_admin", "role", username="ed")
    with app.test_request_context("/?lang=en"), force_locale("en"):
        web = service_message(exc)
    with app.app_context():
        assert cli_message(exc, "en") == web == "ed is the last active administrator; make another one first."
        assert cli_message(exc, "zh-Hans") != web and "ed" in cli_message(exc, "zh-Hans")
        # A sentence that does not say what it is about gets the field or the item in front.
        assert cli_message(ServiceError("required", "username"), "en") == "username: This field is required."
        assert cli_message(NotFound("token", 7), "en") == "token 7: Not found."
        assert cli_refusal("not_image", {}, "en") == "This is not an image file."
        assert cli_refusal("unknown_house", {"code": "KP-9"}, "en") == "No house has the code KP-9."


def test_cli_language_comes_from_the_environment(app: Flask, runner: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QIAOFANG_LANG", "zh_CN.UTF-8")
    result = runner.invoke(["user", "role", "nobody", "editor"])
    assert result.exit_code == 1 and "nobody" in result.output and CJK.search(result.output), result.output
    monkeypatch.setenv("QIAOFANG_LANG", "en_US.UTF-8")
    result = runner.invoke(["user", "role", "nobody", "editor"])
    assert result.exit_code == 1 and "error: There is no user named nobody." in result.output, result.output
