"""The 672 demonstration records: spread unevenly over the houses, written from each house's facts.

Titles are unique per house and date (the re-import key is house code + title + date). About one in
five records is private; about one in five Chinese texts is in traditional script.
"""

from __future__ import annotations

import dataclasses
import datetime
import random
from dataclasses import dataclass

from archive.demo import record_texts as rt
from archive.demo import record_texts_en as en
from archive.demo import record_texts_more as more
from archive.demo.dates import chinese_number, era_year, letter_date
from archive.demo.houses import House
from archive.demo.record_context import record_context
from archive.demo.script import to_traditional

RECORD_COUNT = 672
MIN_PER_HOUSE, MAX_PER_HOUSE = 2, 30
KINDS = ("口述", "文书", "侨批", "族谱", "碑刻", "调查记录", "报道", "其他")
KIND_WEIGHTS = (16, 10, 24, 8, 8, 7, 9, 5)
PRIVATE_SHARE, WITHHELD_SHARE, ENGLISH_SHARE = 0.15, 0.07, 0.11
BODY_MIN, BODY_MAX = 80, 600
MARK_ZH, MARK_EN = "（示范数据）", " (demonstration data)"
ANNOTATED_RECORDS, PARENTHESES_RECORDS = 5, 3
ONE_OFF_DATES = ("none", "built", "1953", "paper", "photo", "deed")  # a house has one foundation stone

TEMPLATES: dict[str, tuple[rt.Template, ...]] = {
    "口述": rt.ORAL, "文书": rt.DOCUMENTS, "侨批": rt.LETTERS, "族谱": rt.GENEALOGY,
    "碑刻": more.INSCRIPTIONS, "调查记录": more.SURVEYS, "报道": more.NEWS, "其他": more.OTHER,
}  # fmt: skip


@dataclass(frozen=True)
class Record:
    """One row of the records sheet."""

    house_code: str
    kind: str
    title: str
    body: str
    date: str | datetime.date
    source: str
    public: bool


def build_records(houses: list[House], rng: random.Random) -> list[Record]:
    """All demonstration records, grouped by house in code order."""
    counts = allocate(len(houses), RECORD_COUNT, rng)
    records: list[Record] = []
    for house, count in zip(houses, counts, strict=True):
        seen: set[tuple[str, str]] = set()
        used: set[rt.Template] = set()
        for index in range(count):
            records.append(_record(house, index, seen, used, rng))
    _plant_mess(records, rng)
    return records


def allocate(house_count: int, total: int, rng: random.Random) -> list[int]:
    """Uneven counts: a few houses are well documented, most have a handful of items."""
    weights = [rng.paretovariate(1.1) for _ in range(house_count)]
    counts = [MIN_PER_HOUSE] * house_count
    for _ in range(total - MIN_PER_HOUSE * house_count):
        open_houses = [i for i in range(house_count) if counts[i] < MAX_PER_HOUSE]
        counts[rng.choices(open_houses, [weights[i] for i in open_houses])[0]] += 1
    return counts


def _choose_template(
    house: House, index: int, used: set[rt.Template], rng: random.Random
) -> tuple[rt.Template, bool]:
    """The template, and whether a public template's record is withheld at the informant's wish."""
    if index == 0:
        return more.SURVEYS[0], False  # every house was visited at least once
    roll = rng.random()
    if roll < PRIVATE_SHARE:
        return rng.choice(more.PRIVATE), True
    if roll < PRIVATE_SHARE + ENGLISH_SHARE:
        fitting = [t for t in en.ENGLISH if _fits(t, house, used)]
        if fitting:
            return rng.choice(fitting), False
    kind = rng.choices(KINDS, KIND_WEIGHTS)[0]
    fitting = [t for t in TEMPLATES[kind] if _fits(t, house, used)] or list(rt.LETTERS)
    return rng.choice(fitting), rng.random() < WITHHELD_SHARE / (1 - PRIVATE_SHARE)


def _fits(template: rt.Template, house: House, used: set[rt.Template]) -> bool:
    """Whether the template suits the house's region, and is not a one-off item it already has."""
    if template.date in ONE_OFF_DATES and template in used:
        return False
    return not template.regions or bool({house.county.region, house.county.code} & set(template.regions))


def _record(
    house: House, index: int, seen: set[tuple[str, str]], used: set[rt.Template], rng: random.Random
) -> Record:
    template, withheld = _choose_template(house, index, used, rng)
    used.add(template)
    ctx = record_context(house, rng)
    date = _date(template.date, house, ctx, rng)
    english = template in en.ENGLISH
    title = template.title.format_map(ctx)
    body = _compose(template, ctx, rng)
    if withheld and not template.private:
        body += "（受访人要求暂不公开）" if template.kind == "口述" else "（家属要求暂不公开）"
    if not english and rng.random() < (0.6 if house.traditional else 0.1):
        title, body = to_traditional(title), to_traditional(body, rng.choice(("hk", "hk", "tw")))
    title = _unique_title(title, str(date), seen)
    source = template.source.format_map(ctx) + (MARK_EN if english else MARK_ZH)
    return Record(house.code, template.kind, title, body, date, source, not (template.private or withheld))


def _compose(template: rt.Template, ctx: dict[str, str], rng: random.Random) -> str:
    """Head, an ordered sample of middles, tail; kept within the body length bounds."""
    middles = list(template.middles)
    keep = sorted(rng.sample(range(len(middles)), k=rng.randint(min(1, len(middles)), len(middles))))
    chosen = [middles[i] for i in keep]
    body = ""
    for _ in range(len(middles) + 1):
        body = (template.head + "".join(chosen) + template.tail).format_map(ctx)
        if len(body) > BODY_MAX and chosen:
            chosen.pop()
        elif len(body) < BODY_MIN and len(chosen) < len(middles):
            chosen = middles[: len(chosen) + 1]
        else:
            break
    return body


def _unique_title(title: str, date: str, seen: set[tuple[str, str]]) -> str:
    candidate, n = title, 1
    while (candidate, date) in seen:
        n += 1
        candidate = f"{title}（其{chinese_number(n)}）"
    seen.add((candidate, date))
    return candidate


def _date(kind: str, house: House, ctx: dict[str, str], rng: random.Random) -> str | datetime.date:
    """The record's date as written, in the notation its kind usually has; fills date slots in ctx."""
    day = datetime.date(rng.randint(2009, 2024), rng.randint(1, 12), rng.randint(1, 28))
    ctx["iyear"] = str(day.year)
    ctx["idate"] = f"{day.year}年{day.month}月{day.day}日"
    ctx["sdate_text"] = ctx["idate"]
    if kind == "interview":
        return day.isoformat() if rng.random() < 0.6 else f"{day.year}年{day.month}月"
    if kind == "survey":
        return day if rng.random() < 0.4 else day.isoformat() if rng.random() < 0.7 else ctx["idate"]
    if kind == "letter":
        year = max(1890, min(1948, house.year + rng.randint(-4, 8)))
        text, ctx["letter_line"] = letter_date(year, rng)
        return text
    if kind == "built":
        return str(house.built.text) if house.built.year else ""
    simple = _SIMPLE_DATES.get(kind)
    if simple:
        return simple(house, ctx, rng)
    return ""


def _custody_date(house: House, ctx: dict[str, str], rng: random.Random) -> str:
    ctx["tyear"] = str(rng.randint(2001, 2022))
    return f"{ctx['tyear']}年"


def _genealogy_date(house: House, ctx: dict[str, str], rng: random.Random) -> str:
    pu_year = rng.choice((1936, 1947, 1989, 1998, 2006))
    ctx["pu_year"] = str(pu_year)
    return era_year(pu_year) if pu_year < 1949 else str(pu_year)


def _news_en_date(house: House, ctx: dict[str, str], rng: random.Random) -> str:
    if house.county.code == "KP" and rng.random() < 0.4:
        return rng.choice(("2007-06-28", "2017-06-28"))  # the inscription and its tenth anniversary
    return datetime.date(rng.randint(2008, 2024), rng.randint(1, 12), rng.randint(1, 28)).isoformat()


_SIMPLE_DATES = {
    "document": lambda h, c, r: era_year(h.year + r.randint(2, 15)),
    "deed": lambda h, c, r: era_year(h.year - r.randint(1, 3)),
    "1953": lambda h, c, r: "1953年",
    "custody": _custody_date,
    "genealogy": _genealogy_date,
    "news": lambda h, c, r: datetime.date(
        r.randint(2005, 2024), r.randint(1, 12), r.randint(1, 28)
    ).isoformat(),
    "news_en": _news_en_date,
    "photo": lambda h, c, r: f"约{c['photo_year']}年",
    "paper": lambda h, c, r: str(h.year - r.randint(5, 15)),
    "theft": lambda h, c, r: f"{c['theft_year']}年",
}


def _plant_mess(records: list[Record], rng: random.Random) -> None:
    """Plant converter pinyin annotations and genuine parentheses in a few traditional texts."""
    longest = max(len(text) for text in en.ANNOTATED + en.REAL_PARENTHESES)
    candidates = [
        i for i, r in enumerate(records) if _traditional_story(r) and len(r.body) + longest <= BODY_MAX
    ]
    picked = rng.sample(candidates, k=ANNOTATED_RECORDS + PARENTHESES_RECORDS)
    for n, i in enumerate(picked):
        extra = en.ANNOTATED[n % 3] if n < ANNOTATED_RECORDS else en.REAL_PARENTHESES[n % 2]
        head, stop, rest = records[i].body.partition("。")  # pasted in after the first sentence
        records[i] = dataclasses.replace(records[i], body=head + stop + extra + rest)


def _traditional_story(record: Record) -> bool:
    """A news report or oral history in traditional script (樓, 僑 … never occur in simplified text)."""
    return record.kind in ("报道", "口述") and any(ch in record.body for ch in "們這國對說來時為會樓華僑")
