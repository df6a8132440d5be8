"""Chinese dates: the text is kept, the years are read as documented in importers.dates."""

from __future__ import annotations

import pytest

from importers.dates import REIGNS, ganzhi, parse_date


@pytest.mark.parametrize(
    ("text", "year_from", "year_to"),
    [
        ("1926", 1926, 1926),
        ("1926年", 1926, 1926),
        ("１９２６年", 1926, 1926),
        ("一九二六年", 1926, 1926),
        ("公元1926年", 1926, 1926),
        ("1926年3月", 1926, 1926),
        ("1926年3月5日", 1926, 1926),
        ("1926-03-05", 1926, 1926),
        ("1926/3", 1926, 1926),
        ("1926年建成", 1926, 1926),
        ("1920年代", 1920, 1929),
        ("1920s", 1920, 1929),
        ("20世纪20年代", 1920, 1929),
        ("二十世紀二十年代", 1920, 1929),
        ("1920年代初", 1920, 1923),
        ("1920年代末期", 1927, 1929),
        ("19世纪", 1800, 1899),
        ("19世紀末", 1880, 1899),
        ("20世纪上半叶", 1900, 1949),
        ("1921-1925", 1921, 1925),
        ("1921-25", 1921, 1925),
        ("1921至1925", 1921, 1925),
        ("1921～1925", 1921, 1925),
        ("1921—1925", 1921, 1925),
        ("1921 ~ 1925年", 1921, 1925),
        ("1920年代-1930年代", 1920, 1939),
        ("民国十五年", 1926, 1926),
        ("民國15年", 1926, 1926),
        ("中华民国十五年", 1926, 1926),
        ("民國三十年", 1941, 1941),
        ("民国元年", 1912, 1912),
        ("民国初年", 1912, 1916),
        ("民国二十年代", 1931, 1940),
        ("民国十五至十八年", 1926, 1929),
        ("民國一百一十三年", 2024, 2024),
        ("民国甲子年", 1924, 1924),
        ("道光元年", 1821, 1821),
        ("咸豐三年", 1853, 1853),
        ("同治十三年", 1874, 1874),
        ("光绪三十年", 1904, 1904),
        ("光緒卅年", 1904, 1904),
        ("清光绪三十年三月", 1904, 1904),
        ("光绪甲辰年", 1904, 1904),
        ("光緒甲辰", 1904, 1904),
        ("光绪岁次甲辰", 1904, 1904),
        ("宣统元年", 1909, 1909),
        ("宣統三年", 1911, 1911),
        ("光绪年间", 1875, 1908),
        ("光绪末年", 1904, 1908),
        ("光绪二十至二十五年", 1894, 1899),
        ("19世纪甲辰年", 1844, 1844),
        ("清末", 1875, 1911),
        ("清末民初", 1875, 1916),
    ],
)
def test_dates_read(text: str, year_from: int, year_to: int) -> None:
    parsed = parse_date(text)
    assert (parsed.ok, parsed.year_from, parsed.year_to, parsed.text) == (True, year_from, year_to, text)
    assert parsed.warning_code is None
    assert not parsed.approximate


@pytest.mark.parametrize(
    ("text", "year_from", "year_to"),
    [
        ("约1925", 1923, 1927),
        ("約1925年", 1923, 1927),
        ("大约1925年", 1923, 1927),
        ("c. 1925", 1923, 1927),
        ("ca.1925", 1923, 1927),
        ("circa 1925", 1923, 1927),
        ("1925年左右", 1923, 1927),
        ("1925年前后", 1923, 1927),
        ("1925?", 1923, 1927),
        ("约民国十五年", 1924, 1928),
        ("约1920年代", 1918, 1931),
    ],
)
def test_approximate_dates_are_widened_by_two_years(text: str, year_from: int, year_to: int) -> None:
    parsed = parse_date(text)
    assert (parsed.ok, parsed.approximate, parsed.year_from, parsed.year_to) == (True, True, year_from, year_to)


@pytest.mark.parametrize(
    ("text", "year_from"), [("二十年代", 1920), ("20年代", 1920), ("'20s", 1920), ("上世纪三十年代", 1930)]
)
def test_decade_without_century_assumes_the_twentieth_and_says_so(text: str, year_from: int) -> None:
    parsed = parse_date(text)
    assert (parsed.ok, parsed.year_from, parsed.year_to) == (True, year_from, year_from + 9)
    assert parsed.warning_code == "date.century_assumed"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "date.empty"),
        ("   ", "date.empty"),
        ("祖父那一辈", "date.unrecognised"),
        ("26年", "date.unrecognised"),
        ("宣统五年", "date.reign_year_out_of_range"),
        ("甲辰年", "date.ganzhi_ambiguous"),
        ("光绪甲子年", "date.ganzhi_not_in_span"),
        ("3000年", "date.implausible_year"),
        ("1925-1921", "date.range_reversed"),
        ("1920年代上半叶", "date.unrecognised"),
    ],
)
def test_unreadable_dates_keep_their_text(text: str, code: str) -> None:
    parsed = parse_date(text)
    assert (parsed.ok, parsed.warning_code, parsed.text, parsed.year_from, parsed.year_to) == (
        False,
        code,
        text,
        None,
        None,
    )


def test_sexagenary_cycle() -> None:
    assert [ganzhi(y) for y in (1904, 1924, 1911, 1984)] == ["甲辰", "甲子", "辛亥", "甲子"]


@pytest.mark.parametrize("reign", sorted(REIGNS))
def test_first_year_of_each_reign(reign: str) -> None:
    assert parse_date(f"{reign}元年").year_from == REIGNS[reign][0]
