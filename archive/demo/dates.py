"""Dates as surveyors and letter writers wrote them: reign years, Republican years, decades, ranges.

Each built date is generated from a true year in one of the notations the survey sheet allows, with
the phrase a summary would use for it, so the text and the year parsed from it agree.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

DIGITS = "〇一二三四五六七八九"
STEMS = "甲乙丙丁戊己庚辛壬癸"
BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
MONTHS = ("正", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二")

# every notation of the spec, plus unparseable ones; each appears at least once in the demo
BUILT_NOTATIONS = (
    "year",
    "minguo",
    "minguo_digits",
    "guangxu",
    "guangxu_ganzhi",
    "xuantong",
    "decade",
    "century_decade",
    "approx_zh",
    "approx_en",
    "range_dash",
    "range_zhi",
    "minguo_early",
    "unknown",
)
BUILT_WEIGHTS = (14, 14, 4, 3, 2, 2, 6, 3, 5, 3, 3, 2, 2, 2)


@dataclass(frozen=True)
class BuiltDate:
    """A built date as written, with a summary phrase and the year it stands for (None if unknown)."""

    text: str | int  # a bare year goes into the sheet as a number, as Excel users type it
    phrase_zh: str
    phrase_en: str
    year: int | None


def chinese_number(n: int) -> str:
    """1..99 in Chinese numerals as used in reign years: 元 is handled by the caller."""
    tens, units = divmod(n, 10)
    if tens == 0:
        return DIGITS[units]
    head = "" if tens == 1 else DIGITS[tens]
    return head + "十" + (DIGITS[units] if units else "")


def reign_year(n: int) -> str:
    """The n-th year of a reign: 元年, 二年 … 三十四年."""
    return "元年" if n == 1 else chinese_number(n) + "年"


def ganzhi(year: int) -> str:
    """The sexagenary name of a year, e.g. 1904 -> 甲辰."""
    return STEMS[(year - 4) % 10] + BRANCHES[(year - 4) % 12]


def minguo(year: int) -> str:
    """民国十五年 for 1926."""
    return "民国" + reign_year(year - 1911)


def era_year(year: int) -> str:
    """A year as a Chinese writer of the time would name it: 光绪三十年, 宣统元年, 民国十五年, 1953年."""
    if year <= 1908:
        return "光绪" + reign_year(year - 1874)
    if year <= 1911:
        return "宣统" + reign_year(year - 1908)
    return minguo(year) if year < 1949 else f"{year}年"


def lunar_day(day: int) -> str:
    """初六, 十五, 廿三 … as letters date themselves."""
    if day <= 10:
        return "初" + ("十" if day == 10 else DIGITS[day])
    if day < 20:
        return "十" + DIGITS[day - 10]
    if day == 20:
        return "二十"
    if day < 30:
        return "廿" + DIGITS[day - 20]
    return "三十"


def built_date(notation: str, rng: random.Random) -> BuiltDate:
    """A built date in the given notation, with a plausible year for it."""
    if notation == "guangxu":
        year = rng.randint(1895, 1908)
        text = "光绪" + reign_year(year - 1874)
        return BuiltDate(text, text, f"in {year}", year)
    if notation == "guangxu_ganzhi":
        year = rng.randint(1896, 1908)
        return BuiltDate(f"光緒{ganzhi(year)}年", f"光绪{ganzhi(year)}年（{year}年）", f"in {year}", year)
    if notation == "xuantong":
        year = rng.randint(1909, 1911)
        text = "宣统" + reign_year(year - 1908)
        return BuiltDate(text, text, f"in {year}", year)
    if notation == "minguo_early":
        return BuiltDate("民国初年", "民国初年", "in the first years of the Republic", None)
    if notation == "unknown":
        return BuiltDate(rng.choice(("不详", "待考", "不詳")), "", "", None)
    year = rng.choices(range(1912, 1949), weights=[_era_weight(y) for y in range(1912, 1949)])[0]
    decade = year // 10 * 10
    if notation == "year":
        return BuiltDate(year, f"{year}年", f"in {year}", year)
    if notation == "minguo":
        return BuiltDate(minguo(year), minguo(year), f"in {year}", year)
    if notation == "minguo_digits":
        return BuiltDate(f"民國{year - 1911}年", minguo(year), f"in {year}", year)
    if notation == "decade":
        return BuiltDate(f"{decade}年代", f"{decade}年代", f"in the {decade}s", year)
    if notation == "century_decade":
        tens = chinese_number(decade % 100 // 10 * 10)
        return BuiltDate(f"20世纪{decade % 100}年代", f"二十世纪{tens}年代", f"in the {decade}s", year)
    if notation in ("approx_zh", "approx_en"):
        text = f"约{year}" if notation == "approx_zh" else f"c. {year}"
        return BuiltDate(text, f"{year}年前后", f"around {year}", year)
    end = min(year + rng.randint(2, 5), 1948)
    separator = "-" if notation == "range_dash" else "至"
    return BuiltDate(f"{year}{separator}{end}", f"{year}年至{end}年间", f"between {year} and {end}", year)


def _era_weight(year: int) -> int:
    """Most emigrant houses went up in the 1920s and early 1930s, before the Depression and the war."""
    if 1920 <= year <= 1933:
        return 6
    if year <= 1937:
        return 3
    return 1 if year < 1920 else 0 if year < 1946 else 1


def letter_date(year: int, rng: random.Random) -> tuple[str, str]:
    """(sheet date, date line of the letter) for a remittance letter of the given year."""
    month = rng.randint(1, 12)
    day = rng.randint(1, 30)
    line = f"{era_year(year)}{MONTHS[month - 1]}月{lunar_day(day)}日"
    form = rng.random()
    if year < 1912 or form < 0.25:
        return f"{year}年{month}月", line
    if form < 0.35:
        return f"民国廿{chinese_number(year - 1931)}年" if 1931 < year < 1941 else minguo(year), line
    if form < 0.45:
        return f"民國{year - 1911}年", line
    return minguo(year), line
