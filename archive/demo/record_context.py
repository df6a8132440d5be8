"""The slots a record template is filled from: the house's facts plus per-record people and numbers."""

from __future__ import annotations

import random

from archive.demo import people
from archive.demo import record_texts_en as en
from archive.demo import record_texts_more as more
from archive.demo.dates import chinese_number, era_year
from archive.demo.house_texts import STYLE_NOUN_ZH
from archive.demo.houses import House

SURVEYORS = ("陈晓东", "梁敏仪", "谭志坚", "林雅琪", "司徒颖", "黄嘉俊", "吴秀芬")
ORIGINS = {
    "wuyi": "自宋末由南雄珠玑巷南迁，几经辗转，至明初定居本村",
    "zhongshan": "自宋末由南雄珠玑巷南迁香山，明初定居本村",
    "minnan": "自唐末随王审知由河南光州固始入闽，明初定居本村",
    "tengchong": "于明洪武年间随军由南京应天府入滇，屯田腾越，定居本村",
}
# (salutation, greeting, how the writer signs, short name of the recipient, recipient on the cover)
RELATIONS = (
    ("父亲大人膝下", "敬禀者，", "儿", "父亲", "{family}老太爷"),
    ("母亲大人尊前", "敬禀者，", "儿", "母亲", "{family}门李氏太君"),
    ("贤妻妆次", "启者，", "夫", "妻", "{family}门黄氏"),
    ("吾弟如晤", "启者，", "兄", "弟", "{family}府"),
)
GOLD_MOUNTAIN_COUNTRIES = ("美国", "加拿大", "澳大利亚", "新西兰")


def record_context(house: House, rng: random.Random) -> dict[str, str]:
    """Every slot a template may use, filled for one record of this house (dates are added later)."""
    numbers = _numbers(house, rng)
    return _names(house, rng) | _places(house, rng) | _building(house, numbers, rng) | numbers


def _names(house: House, rng: random.Random) -> dict[str, str]:
    b, region = house.builder, house.county.region
    kin = [g for g, _ in rng.sample(people.GIVEN_NAMES[people.GIVEN_STYLE[region]], 4)]
    village_surname = rng.choice(house.village.lineages)
    salutation, greeting, sign, rel_short, recipient = rng.choice(RELATIONS)
    surveyors = rng.sample(SURVEYORS, 2)
    return {
        "family": b.surname,
        "family_rom": people.romanise(b.surname, region),
        "builder": b.name,
        "given": b.given,
        "rom": b.romanised,
        "rom_upper": b.romanised.upper(),
        "trade": b.trade_zh,
        "trade_en": b.trade_en,
        "trade_en_noun": people.TRADE_NOUNS[b.trade_en],
        "informant": f"{village_surname}某",
        "keeper": f"{village_surname}伯",
        "seller": f"{village_surname}{kin[0]}",
        "heir": house.heir[0],
        "heir_abroad": house.heir[1],
        "heir_first": house.heir[1].split()[0],
        "relative": rng.choice(("胞弟", "堂兄", "叔父")) + b.surname + kin[0],
        "wife": rng.choice(("李", "黄", "陈", "张", "林", "周")),
        "zi": rng.choice(("子良", "仲卿", "伯谦", "少山")),
        "c1": b.surname + kin[1],
        "c2": b.surname + kin[2],
        "c3": b.surname + kin[3],
        "surveyor": surveyors[0],
        "surveyor2": surveyors[1],
        "reporter": rng.choice(("李文", "周敏", "何嘉")),
        "contractor": rng.choice(people.CONTRACTORS),
        "remit_house": rng.choice(people.REMITTANCE_HOUSES[region]),
        "salutation": salutation,
        "greeting": greeting,
        "sign": sign,
        "rel_short": rel_short,
        "recipient": recipient.format(family=b.surname),
    }


def _places(house: House, rng: random.Random) -> dict[str, str]:
    county, region = house.county, house.county.region
    dest_zh, dest_en = rng.choice(house.destinations)
    country = next((c for c in en.IMMIGRATION_PAPERS if dest_zh.startswith(c)), "")
    country_zh = next((c for c in people.COUNTRIES if dest_zh.startswith(c)), "")
    paper_title, paper_en = en.IMMIGRATION_PAPERS.get(country, en.DEFAULT_PAPER)
    gold_mountain = ""  # what Cantonese emigrants called America, and Australia the "new" one
    if region in ("wuyi", "zhongshan") and country in GOLD_MOUNTAIN_COUNTRIES:
        gold_mountain = "New Gold Mountain" if country == "澳大利亚" else "Gold Mountain"
    return {
        "village": house.village.name,
        "village_short": house.village.name.removesuffix("村"),
        "village_en": house.village.name_en,
        "township": house.township.name,
        "county": county.name or county.city,
        "county_en": county.name_en,
        "county_old": county.old_en,
        "origin": ORIGINS[region],
        "dest": dest_zh,
        "dest_short": dest_zh.removeprefix(country_zh) or dest_zh,
        "dest_en": dest_en,
        "dest_upper": dest_en.upper(),
        "abroad_en": f"{gold_mountain} ({dest_en})" if gold_mountain else dest_en,
        "paper_title": paper_title,
        "paper_en": paper_en,
        "outlet": rng.choice(more.NEWS_OUTLETS),
        "plot": rng.choice(("后园", "塘基", "山边")),
        "facing": rng.choice(("北向南", "东北向西南", "西北向东南", "东向西")),
    }


def _building(house: House, numbers: dict[str, str], rng: random.Random) -> dict[str, str]:
    condition = str(house.row["condition"])
    notes = [note.format_map(numbers) for note in more.SURVEY_NOTES[condition]]
    couplet = rng.choice(more.COUPLETS)
    return {
        "house": house.name_zh,
        "house_en": house.name_en,
        "name_len": chinese_number(len(house.name_zh)),
        "year": str(house.year),
        "built_phrase": era_year(house.year),
        "built_en": house.built.phrase_en or "long ago",
        "style_noun": STYLE_NOUN_ZH[house.style],
        "storeys_zh": chinese_number(int(str(house.row["storeys"]))),
        "material": str(house.row["materials"]),
        "structure": str(house.row["materials"]).removesuffix("结构") + "结构",
        "condition": condition,
        "note1": notes[0],
        "note2": notes[1],
        "note3": notes[2],
        "advice": more.ADVICE[condition],
        "couplet1": couplet[0],
        "couplet2": couplet[1],
    }


def _numbers(house: House, rng: random.Random) -> dict[str, str]:
    generation = rng.randint(16, 21)
    n = rng.randint(2, 9)
    return {
        "age": str(rng.randint(68, 94)),
        "currency": people.CURRENCIES[house.county.region],
        "amount": rng.choice(("一百", "二百", "三百", "五百", "八百")),
        "part": rng.choice(("五十", "八十", "一百", "一百五十")),
        "amount2": str(rng.randrange(1500, 12000, 100)),
        "amount3": str(rng.randint(20, 300)),
        "n": str(n),
        "n_zh": chinese_number(n),
        "n2": str(rng.randint(10, 60)),
        "gen": chinese_number(generation),
        "gen2": chinese_number(generation + 1),
        "birth": era_year(max(1866, house.year - rng.randint(28, 45))),
        "h": str(rng.randint(40, 80)),
        "w": str(rng.randint(30, 60)),
        "mm": str(rng.randint(1, 5)),
        "mm2": str(rng.randint(10, 40)),
        "area": str(rng.randint(2, 30)),
        "photo_year": str(min(house.year + rng.randint(0, 6), 1948)),
        "letter_year": str(min(house.year + rng.randint(-8, 8), 1948)),
        "phone": f"{rng.choice(('138', '139'))}-0000-{rng.randint(0, 9999):04d}",
        "theft_year": str(rng.randint(2012, 2023)),
    }
