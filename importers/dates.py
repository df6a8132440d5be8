"""Dates as field staff write them (民国十五年, 光緒甲辰年, 1920年代, c. 1925) -> a range of years.

The text is always kept as written; the years are an index for searching and sorting. What is
read, and the choices made where usage is loose:

- Gregorian years `1926`, `1926年`, `一九二六年`, `公元1926年`; full dates `1926年3月5日`,
  `1926-03-05`, `1926/3` give that year. Years outside 1000-2100 are refused.
- Decades `1920年代`, `1920s`, `20世纪20年代`; with no century (`20年代`, `二十年代`, `'20s`)
  the 20th century is assumed and flagged `date.century_assumed`. Early / mid / late decade
  (`1920年代初`, `中期`, `末`) = years 0-3 / 3-6 / 7-9.
- Centuries `19世纪` = 1800-1899 (the everyday reading, consistent with decades); `初` = first
  20 years, `中叶` = 40-60, `末` = last 20, `上半叶` / `下半叶` = halves. `上世纪` = the 20th
  (flagged `date.century_assumed`: it depends on when it was written).
- Republic years `民国十五年` = 1926 (year n = 1911 + n, no upper limit: 民國 years are still
  in use in Taiwan); `民国二十年代` = 民国 20-29 = 1931-1940; `民国年间` / `民国时期` = 1912-1949.
- Qing reigns 乾隆 1736, 嘉庆 1796, 道光 1821, 咸丰 1851, 同治 1862, 光绪 1875, 宣统 1909 (year n
  = start + n - 1, 元年 = 1; a year beyond the reign's length is refused); `光绪年间` = the
  whole reign; `初年` / `末年` (also `民国初年`) = its first / last five years.
- Sexagenary years with a reign, 民国 or century (`光绪甲辰年` = 1904): the one year in that
  span with that stem-branch; none or several -> not read.
- Named periods: 清末 / 晚清 = 1875-1911 (光绪 and 宣统, when remittance-built houses began),
  民初 = 1912-1916, 清末民初 = 1875-1916.
- Ranges `1921-1925`, `1921-25`, `1921至1925`, `1921～1925`, `1921—1925`, `民国十五至十八年`.
- Approximate: `约` `大约` `大概` `c.` `ca.` `circa` `approx.` `about` before, `左右` `前后`
  `许` `?` after: the range is widened by two years on each side and `approximate` is set.
- Traditional script (民國, 光緒, 咸豐, 宣統, 約) is folded before reading; so are full-width
  digits.

Anything else gives ok=False with a warning code and the text kept.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from importers.folding import fold_t2s
from importers.numerals import CHINESE_NUMBER_CHARS, parse_number

APPROX_WIDENING = 2
MIN_YEAR, MAX_YEAR = 1000, 2100

# name -> (first year, number of years); 民国 has no last year (see module docstring) but its
# mainland span bounds 年间 and stem-branch lookups.
REIGNS: dict[str, tuple[int, int]] = {
    "乾隆": (1736, 60),
    "嘉庆": (1796, 25),
    "道光": (1821, 30),
    "咸丰": (1851, 11),
    "同治": (1862, 13),
    "光绪": (1875, 34),
    "宣统": (1909, 3),
    "民国": (1912, 38),
}
PERIODS: dict[str, tuple[int, int]] = {
    "清末": (1875, 1911),
    "晚清": (1875, 1911),
    "清末民初": (1875, 1916),
    "晚清民初": (1875, 1916),
    "民初": (1912, 1916),
    "民国时期": (1912, 1949),
    "民国": (1912, 1949),
}
STEMS = "甲乙丙丁戊己庚辛壬癸"
BRANCHES = "子丑寅卯辰巳午未申酉戌亥"

_N = f"[{CHINESE_NUMBER_CHARS}]+"
_GZ = f"[{STEMS}][{BRANCHES}]"
_REIGN = "|".join(REIGNS)
_PART = "(?P<part>初期|初|早期|中期|中叶|中|末期|末|后期|晚期|上半叶|下半叶)?"
_MONTH_DAY = (
    "(?:[0-9一二三四五六七八九十正冬腊]{1,3}月(?:[0-9一二三四五六七八九十廿卅初]{1,3}[日号])?"
    "|[春夏秋冬]季?|初|底|末|中|间)?"
)
_APPROX_BEFORE = re.compile(r"^(?:大约|大概|约于|约在|约|估计|circa|approx\.?|about|ca\.?|c\.?|~)")
_APPROX_AFTER = re.compile(r"(?:左右|前后|许|\?)$")
_BUILT_BEFORE = re.compile(r"^(?:始建于|建于|建成于|落成于|公元)")
_BUILT_AFTER = re.compile(r"(?:建成|落成|竣工|始建|建造|建)$")
_DYNASTY = re.compile(f"^(?:大清|清朝|清代|清)(?=(?:{_REIGN}))")
_FULL_DATE = re.compile(r"^(\d{4})[-/.](\d{1,2})(?:[-/.](\d{1,2}))?$")

_RE_REIGN = re.compile(
    f"^(?P<reign>{_REIGN})(?:(?P<n>{_N})年代|(?P<y>{_N})年?|(?P<gz>{_GZ})年?"
    f"|(?P<whole>年间|时期)|(?P<first>初年|初期)|(?P<last>末年|末期)){_MONTH_DAY}$"
)
_RE_CENTURY_DECADE = re.compile(f"^(?:(?P<c>{_N})世纪|(?P<prev>上世纪))(?P<d>{_N})年代{_PART}$")
_RE_CENTURY = re.compile(f"^(?:(?P<c>{_N})世纪|(?P<prev>上世纪)){_PART}$")
_RE_CENTURY_GZ = re.compile(f"^(?P<c>{_N})世纪(?P<gz>{_GZ})年?$")
_RE_DECADE = re.compile(f"^(?:(?P<d>{_N})年代|'?(?P<s>\\d{{2}}|\\d{{4}})'?s){_PART}$")
_RE_YEAR = re.compile(f"^(?P<y>{_N})年?{_MONTH_DAY}$")
_RE_GZ_ALONE = re.compile(f"^(?:岁次)?{_GZ}年?$")

_DECADE_PARTS = {"初": (0, 3), "早": (0, 3), "中": (3, 6), "末": (7, 9), "后": (7, 9), "晚": (7, 9)}
_CENTURY_PARTS = {
    "初": (0, 19), "早": (0, 19), "中": (40, 60), "末": (80, 99), "后": (80, 99), "晚": (80, 99),
    "上半叶": (0, 49), "下半叶": (50, 99),
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class ParsedDate:
    """A date as written and the years it covers; `ok` is False when the text could not be read."""

    text: str
    year_from: int | None
    year_to: int | None
    ok: bool
    warning_code: str | None = None
    approximate: bool = False


@dataclass(frozen=True, slots=True)
class _Span:
    start: int
    end: int
    note: str | None = None


@dataclass(frozen=True, slots=True)
class _Fail:
    code: str


_Outcome = _Span | _Fail | None  # None: "not this kind of date", try the next reader


@lru_cache(maxsize=16384)
def parse_date(text: str) -> ParsedDate:
    """Read `text` as described in the module docstring; never raises, never drops the text."""
    work = _normalise(text)
    if not work:
        return ParsedDate(text, None, None, ok=False, warning_code="date.empty")
    work, approximate = _strip_qualifiers(work)
    outcome = _parse_range(work) or _Fail("date.unrecognised")
    if isinstance(outcome, _Fail):
        return ParsedDate(text, None, None, ok=False, warning_code=outcome.code)
    if outcome.start > outcome.end:
        return ParsedDate(text, None, None, ok=False, warning_code="date.range_reversed")
    if outcome.start < MIN_YEAR or outcome.end > MAX_YEAR:
        return ParsedDate(text, None, None, ok=False, warning_code="date.implausible_year")
    widen = APPROX_WIDENING if approximate else 0
    return ParsedDate(text, outcome.start - widen, outcome.end + widen, True, outcome.note, approximate)


def ganzhi(year: int) -> str:
    """The stem-branch (干支) name of a Gregorian year: ganzhi(1904) == "甲辰"."""
    return STEMS[(year - 4) % 10] + BRANCHES[(year - 4) % 12]


def _normalise(text: str) -> str:
    work = fold_t2s(unicodedata.normalize("NFKC", text)).casefold()
    work = re.sub(r"\s+", "", work)
    work = re.sub("[〜—–‒―−至到]|--", "~", work)
    return work.replace("中华民国", "民国").replace("岁次", "")


def _strip_qualifiers(work: str) -> tuple[str, bool]:
    approximate = False
    previous = None
    while previous != work:
        previous = work
        for pattern, is_approx in (
            (_APPROX_BEFORE, True),
            (_APPROX_AFTER, True),
            (_BUILT_BEFORE, False),
            (_BUILT_AFTER, False),
            (_DYNASTY, False),
        ):
            stripped = pattern.sub("", work)
            if stripped != work and stripped:
                approximate = approximate or is_approx
                work = stripped
    return work, approximate


def _parse_range(work: str) -> _Outcome:
    full = _parse_full_date(work)
    if full is not None:
        return full
    if "~" not in work and "-" in work.strip("-"):
        work = work.replace("-", "~", 1)
    if "~" not in work:
        return _parse_single(work)
    left_text, _, right_text = work.partition("~")
    left = _parse_single(left_text)
    if not isinstance(left, _Span):
        return left
    right = _parse_single(right_text) or _parse_right_in_context(left_text, right_text, left)
    if not isinstance(right, _Span):
        return right
    return _Span(left.start, right.end, left.note or right.note)


def _parse_full_date(work: str) -> _Outcome:
    match = _FULL_DATE.match(work)
    if match is None:
        return None
    year, month, day = int(match[1]), int(match[2]), int(match[3] or 1)
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None  # 1921-25 is a range, not the 25th month
    return _Span(year, year)


def _parse_right_in_context(left_text: str, right_text: str, left: _Span) -> _Outcome:
    """Read the end of a range that leans on its start: 1921-25, 民国十五至十八年."""
    if re.fullmatch(r"\d{2}年?", right_text) and re.fullmatch(r"\d{4}年?", left_text):
        year = left.start // 100 * 100 + int(right_text.rstrip("年"))
        return _Span(year, year)
    reign = re.match(f"^(?:{_REIGN})", left_text)
    if reign is not None:
        return _parse_single(reign.group() + right_text)
    return None


def _parse_single(work: str) -> _Outcome:
    if work in PERIODS:
        start, end = PERIODS[work]
        return _Span(start, end)
    for reader in (_read_reign, _read_century_decade, _read_century, _read_decade, _read_year):
        outcome = reader(work)
        if outcome is not None:
            return outcome
    if _RE_GZ_ALONE.match(work):
        return _Fail("date.ganzhi_ambiguous")
    return None


def _read_reign(work: str) -> _Outcome:
    match = _RE_REIGN.match(work)
    if match is None:
        return None
    first, length = REIGNS[match["reign"]]
    last = first + length - 1
    if match["whole"]:
        return _Span(first, last)
    if match["first"]:
        return _Span(first, first + 4)
    if match["last"]:
        return _Span(last - 4, last)
    if match["gz"]:
        return _year_by_ganzhi(match["gz"], first, last)
    number = parse_number(match["n"] or match["y"])
    if number is None or number < 1:
        return _Fail("date.unrecognised")
    if match["n"]:
        return _Span(first + number - 1, first + number + 8)
    if match["reign"] != "民国" and number > length:
        return _Fail("date.reign_year_out_of_range")
    return _Span(first + number - 1, first + number - 1)


def _year_by_ganzhi(name: str, first: int, last: int) -> _Outcome:
    years = [year for year in range(first, last + 1) if ganzhi(year) == name]
    if len(years) == 1:
        return _Span(years[0], years[0])
    return _Fail("date.ganzhi_ambiguous" if years else "date.ganzhi_not_in_span")


def _century_start(match: re.Match[str]) -> tuple[int | None, str | None]:
    if match["prev"]:
        return 1900, "date.century_assumed"
    century = parse_number(match["c"])
    return (None, None) if century is None or century < 1 else ((century - 1) * 100, None)


def _read_century_decade(work: str) -> _Outcome:
    match = _RE_CENTURY_DECADE.match(work)
    if match is None:
        return None
    start, note = _century_start(match)
    decade = parse_number(match["d"])
    if start is None or decade is None or decade % 10 or decade > 90:
        return _Fail("date.unrecognised")
    return _with_part(start + decade, 9, match["part"], _DECADE_PARTS, note)


def _read_century(work: str) -> _Outcome:
    match = _RE_CENTURY_GZ.match(work)
    if match is not None:
        century = parse_number(match["c"])
        if century is None or century < 1:
            return _Fail("date.unrecognised")
        return _year_by_ganzhi(match["gz"], (century - 1) * 100, (century - 1) * 100 + 99)
    match = _RE_CENTURY.match(work)
    if match is None:
        return None
    start, note = _century_start(match)
    if start is None:
        return _Fail("date.unrecognised")
    return _with_part(start, 99, match["part"], _CENTURY_PARTS, note)


def _read_decade(work: str) -> _Outcome:
    match = _RE_DECADE.match(work)
    if match is None:
        return None
    value = parse_number(match["d"] or match["s"])
    if value is None or value % 10:
        return _Fail("date.unrecognised")
    note = None
    if value < 100:
        value, note = 1900 + value, "date.century_assumed"
    return _with_part(value, 9, match["part"], _DECADE_PARTS, note)


def _read_year(work: str) -> _Outcome:
    match = _RE_YEAR.match(work)
    if match is None:
        return None
    year = parse_number(match["y"])
    if year is None:
        return _Fail("date.unrecognised")
    if year < 100:
        return None  # 26年 could be 民国26年 or 1926: not guessed
    return _Span(year, year)


def _with_part(
    start: int, length: int, part: str | None, parts: dict[str, tuple[int, int]], note: str | None
) -> _Outcome:
    if not part:
        return _Span(start, start + length, note)
    key = part if part in parts else part[0]
    if key not in parts:
        return _Fail("date.unrecognised")  # 上半叶 of a decade
    low, high = parts[key]
    return _Span(start + low, start + high, note)
