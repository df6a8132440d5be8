"""Every problem has a message in 简体中文, 繁體中文 and English, located as the user sees it."""

from __future__ import annotations

import re
import string

import pytest

from importers import render
from importers.messages import CHANGE_LABELS, FIELD_LABELS, MESSAGES
from importers.problems import error, make_problem, resolve_lang, warning

SAMPLE = {
    "value": "91", "field": "lat", "choices": ("utf-8", "gb18030"), "detail": "x", "encoding": "gbk",
    "line": 3, "position": 7, "count": 2, "first": "名称", "letter": "C", "length": 600, "limit": 500,
    "char": "U+FFFD", "max": 200, "code": "A-1", "first_row": 2, "path": "a/b.jpg", "size_mb": 600,
    "limit_mb": 512,
}  # fmt: skip


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_every_code_renders_in_every_language(code: str) -> None:
    texts = MESSAGES[code]
    fields = {name for text in texts for _, name, _, _ in string.Formatter().parse(text) if name}
    assert fields <= set(SAMPLE) | {"changes", "column"}, f"{code} uses an unknown parameter"
    problem = make_problem(
        code, "error", row=5, column="名称", sheet="房屋", **{k: SAMPLE[k] for k in fields if k in SAMPLE}
    )
    rendered = {lang: render(problem, lang) for lang in ("zh-Hans", "zh-Hant", "en")}
    assert "?" not in rendered["en"].replace("#NAME?", "")
    assert re.search("[\u4e00-\u9fff]", rendered["zh-Hans"])
    assert re.search("[\u4e00-\u9fff]", rendered["zh-Hant"])
    assert len(set(rendered.values())) == 3 or code == "text.cleaned"


def test_every_field_and_change_has_three_labels() -> None:
    assert all(len(texts) == 3 and all(texts) for texts in [*FIELD_LABELS.values(), *CHANGE_LABELS.values()])


def test_location_prefix_per_language() -> None:
    problem = error("cell.required", row=7, column="名称", sheet="房屋", field="name_zh")
    assert render(problem, "zh-Hans") == "工作表「房屋」第 7 行「名称」列：“名称”必填。"
    assert render(problem, "zh-Hant") == "工作表「房屋」第 7 列「名称」欄：「名稱」必填。"
    assert render(problem, "en") == "sheet “房屋”, row 7, column “名称”: Chinese name is required."
    assert render(problem, "en", location=False) == "Chinese name is required."


def test_file_level_problem_has_no_location() -> None:
    assert render(error("file.empty"), "en") == "The file is empty."


def test_cleanup_message_lists_the_changes() -> None:
    problem = warning("text.cleaned", pinyin_annotation=2, zero_width=1)
    assert render(problem, "en", location=False) == (
        "Cleaned: removed 2 web-converter pinyin annotation(s); removed 1 zero-width character(s)."
    )
    assert render(problem, "zh-Hans", location=False) == "已清理：删除网页转换器加注的拼音 2 处；删除零宽字符 1 个。"


@pytest.mark.parametrize(
    ("lang", "resolved"),
    [("zh-Hans", "zh-Hans"), ("zh_CN", "zh-Hans"), ("zh", "zh-Hans"), ("zh-Hant", "zh-Hant"),
     ("zh_Hant_TW", "zh-Hant"), ("zh-HK", "zh-Hant"), ("zh_TW", "zh-Hant"), ("en", "en"),
     ("en_US", "en"), ("fr", "en")],
)  # fmt: skip
def test_locales_map_to_message_languages(lang: str, resolved: str) -> None:
    assert resolve_lang(lang) == resolved


def test_unknown_code_is_refused() -> None:
    with pytest.raises(KeyError):
        error("no.such.problem")


def test_problem_params_keep_their_types() -> None:
    problem = error("code.duplicate", row=4, column="编号", value="A-1", first_row=2)
    assert (problem.params, problem.severity, problem.is_error) == ({"value": "A-1", "first_row": 2}, "error", True)
