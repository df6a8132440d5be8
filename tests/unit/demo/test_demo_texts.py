"""The pieces the demonstration texts are made from: Chinese dates, map shifts, traditional script."""

from __future__ import annotations

import math
import random

from archive.demo.dates import (
    BUILT_NOTATIONS,
    built_date,
    chinese_number,
    era_year,
    ganzhi,
    letter_date,
    minguo,
)
from archive.demo.places import wgs84_to_gcj02
from archive.demo.script import to_traditional


def test_reign_and_republican_years() -> None:
    assert (minguo(1912), minguo(1926), minguo(1934)) == ("民国元年", "民国十五年", "民国二十三年")
    assert (era_year(1904), era_year(1909), era_year(1953)) == ("光绪三十年", "宣统元年", "1953年")
    assert (ganzhi(1904), ganzhi(1911)) == ("甲辰", "辛亥")
    assert [chinese_number(n) for n in (3, 10, 15, 20, 36)] == ["三", "十", "十五", "二十", "三十六"]


def test_built_dates_agree_with_their_year() -> None:
    rng = random.Random(7)
    for notation in BUILT_NOTATIONS:
        for _ in range(20):
            built = built_date(notation, rng)
            if built.year is None:
                assert notation in ("minguo_early", "unknown")
                continue
            assert 1895 <= built.year <= 1948
            if notation == "guangxu_ganzhi":
                assert ganzhi(built.year) in str(built.text)
            if notation == "minguo":
                assert built.text == minguo(built.year)


def test_letter_dates_name_the_same_year_as_their_date_line() -> None:
    rng = random.Random(8)
    for year in range(1900, 1949):
        written, line = letter_date(year, rng)
        assert line.startswith(era_year(year).removesuffix("年"))
        assert written in (f"{year}年{written[5:]}", minguo(year), f"民國{year - 1911}年") or "廿" in written


def test_gcj02_shift_is_a_few_hundred_metres_in_kaiping() -> None:
    lat, lon = 22.3652, 112.5647
    shifted = wgs84_to_gcj02(lat, lon)
    north, east = (shifted[0] - lat) * 111_000, (shifted[1] - lon) * 111_000 * math.cos(math.radians(lat))
    metres = math.hypot(north, east)
    assert 100 < metres < 800


def test_traditional_script_keeps_the_surname_yu() -> None:
    assert to_traditional("余氏后人余惠芳说：其余乡亲十余人") == "余氏後人余惠芳説：其餘鄉親十餘人"
    assert to_traditional("村里的后生", "tw") == "村裡的後生"
