"""Text cleanup: web-converter pinyin, invisible and look-alike characters; nothing else changes."""

from __future__ import annotations

import unicodedata

import pytest

from importers import Change, clean_text
from importers.textclean import merge_changes


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ("僑聯(lián)", "僑聯"),
        ("社區(qū)", "社區"),
        ("華(huá)僑(qiáo)", "華僑"),
        ("华侨(huá qiáo)新村", "华侨新村"),
        ("华侨(huaqiao)", "华侨"),
        ("华侨(hua2 qiao2)", "华侨"),
        ("绿(lü)化", "绿化"),
        ("绿(lv4)化", "绿化"),
        ("東華（dōng huá）醫院", "東華醫院"),
        ("區(ou)氏", "區氏"),  # a heteronym: 區 is also read ōu, as in the surname
    ],
)
def test_pinyin_annotations_are_removed(dirty: str, clean: str) -> None:
    result = clean_text(dirty)
    assert result.text == clean
    assert [c.kind for c in result.changes] == ["pinyin_annotation"]


@pytest.mark.parametrize(
    "text",
    [
        "僑團(社)",
        "黄兴(Wong Hing)",
        "李文(Li Wen)",  # a romanised name someone wrote on purpose
        "(1926)",
        "建于民国(1926)",
        "洋楼(villa)",
        "華(huǎ)",  # wrong tone: not what a converter writes
        "中(guo)",  # a reading of another character
        "abc(abc)",
        "民國三十年（1941）",
    ],
)
def test_real_parentheses_stay(text: str) -> None:
    result = clean_text(text)
    assert (result.text, result.changes) == (text, [])


def test_counts_each_annotation() -> None:
    result = clean_text("華(huá)僑(qiáo)聯(lián)合會")
    assert result.text == "華僑聯合會"
    assert result.changes == [Change("pinyin_annotation", 3)]


@pytest.mark.parametrize(
    ("dirty", "clean", "kind"),
    [
        ("李\u200b氏\u200c洋\u200d楼\ufeff\u2060", "李氏洋楼", "zero_width"),
        ("李氏\xa0洋楼\u2003开平", "李氏 洋楼 开平", "space"),
        ("A&amp;B", "A&B", "html_entity"),
        ("&#20390;&#x4FA8;", "侦侨", "html_entity"),
        ("李氏&nbsp;洋楼", "李氏 洋楼", "html_entity"),
        ("⾦⼭", "金山", "kangxi_radical"),
        ("\uf9b4村", "\u9818村", "compat_ideograph"),
        ("李\x07氏", "李氏", "control_char"),
        ("Cafe\u0301", "Café", "unicode_nfc"),
    ],
)
def test_invisible_and_look_alike_characters_are_folded(dirty: str, clean: str, kind: str) -> None:
    result = clean_text(dirty)
    assert result.text == clean
    assert kind in [c.kind for c in result.changes]
    assert unicodedata.is_normalized("NFC", result.text)


def test_counts_are_per_character() -> None:
    assert clean_text("a\u200bb\u200bc\ufeff").changes == [Change("zero_width", 3)]


@pytest.mark.parametrize(
    "text",
    [
        "李氏洋楼，建于民国十五年（1926）：三层。",  # full-width punctuation is not NFKC-ed to ASCII
        "　　段首缩进保留",  # ideographic spaces are Chinese typography
        "繁體與简体不互相轉換",
        "AT&T 与 R&D",  # an ampersand that is no entity
        "第一行\n第二行\t制表",
        "",
    ],
)
def test_ordinary_text_is_left_alone(text: str) -> None:
    result = clean_text(text)
    assert (result.text, result.changes, result.changed) == (text, [], False)


def test_windows_line_breaks_become_newlines_silently() -> None:
    assert clean_text("一\r\n二\r三") == clean_text("一\n二\n三")


def test_double_escaped_entity_is_decoded_once() -> None:
    assert clean_text("&amp;nbsp;").text == "&nbsp;"


def test_merge_changes_adds_up_kinds() -> None:
    merged = merge_changes([Change("space", 1), Change("zero_width", 2)], [Change("space", 3)])
    assert merged == [Change("space", 4), Change("zero_width", 2)]
