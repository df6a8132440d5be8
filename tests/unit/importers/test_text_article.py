"""Plain-text articles: title from the first non-empty line, cleaned body, encoding detected."""

from __future__ import annotations

from pathlib import Path

import pytest

from importers import Change, UnreadableFile, read_text_article, render

ARTICLE = "\n\n  侨批里的家国  \n\n　　民国十五年，旅美华侨李荣汇款回乡，在马岭村兴建三层洋楼。\n楼成之后，一家人……\n\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_title_and_body(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "article.txt"
    path.write_bytes(ARTICLE.encode(encoding))
    article = read_text_article(path)
    assert article.title == "侨批里的家国"
    assert article.body == "　　民国十五年，旅美华侨李荣汇款回乡，在马岭村兴建三层洋楼。\n楼成之后，一家人……"
    assert article.changes == []


def test_big5_article_given_as_a_path_string(tmp_path: Path) -> None:
    path = tmp_path / "報道.txt"
    path.write_bytes(
        "開平碉樓與村落\r\n\r\n開平碉樓是中西合璧的鄉土建築，多建於民國時期，由旅居海外的僑胞出資興建。".encode("big5")
    )
    article = read_text_article(str(path))
    assert (article.title, article.encoding) == ("開平碉樓與村落", "big5")
    assert article.body.startswith("開平碉樓是中西合璧")


def test_bytes_of_an_upload_and_cleanup_report() -> None:
    data = "華(huá)僑(qiáo)新村\n社區(qū)&nbsp;活動中心\u200b".encode()
    article = read_text_article(data)
    assert (article.title, article.body) == ("華僑新村", "社區 活動中心")
    assert sorted(article.changes, key=lambda c: c.kind) == [
        Change("html_entity", 1), Change("pinyin_annotation", 3), Change("space", 1), Change("zero_width", 1)
    ]  # fmt: skip


def test_title_only_article_has_an_empty_body() -> None:
    article = read_text_article("只有标题\n".encode())
    assert (article.title, article.body) == ("只有标题", "")


def test_explicit_encoding(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes("标题\n正文".encode("gbk"))
    assert read_text_article(path, encoding="gbk").body == "正文"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "file.empty"),
        (b"\n  \n\t\n", "file.empty"),
        (b"PK\x03\x04" + b"\x00" * 40, "text.binary"),
        (b"%PDF-1.7\n", "text.binary"),
        ("标题\n正文\ue000".encode(), "text.bad_char"),
        (("很长" * 300).encode(), "text.title_too_long"),
        ("李氏".encode("gbk"), "encoding.ambiguous"),
    ],
)
def test_unreadable_articles_say_why(data: bytes, code: str) -> None:
    with pytest.raises(UnreadableFile) as caught:
        read_text_article(data)
    assert caught.value.problem.code == code
    assert render(caught.value.problem, "zh-Hant")


def test_missing_file_is_unreadable(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFile) as caught:
        read_text_article(tmp_path / "nowhere.txt")
    assert caught.value.problem.code == "file.unreadable"
