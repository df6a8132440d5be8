"""The 86 demonstration houses: one seeded pass over the villages, producing survey-sheet rows.

Besides the sheet columns each house keeps the facts its records are written from (builder's given
name and romanised name, the year, the trade abroad), so letters and oral histories agree with it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from archive.demo import house_texts as ht
from archive.demo import people
from archive.demo.dates import BUILT_NOTATIONS, BUILT_WEIGHTS, BuiltDate, built_date
from archive.demo.places import COUNTIES, County, Township, Village, wgs84_to_gcj02
from archive.demo.script import to_traditional

PRIVATE_HOUSES = 11
HIDDEN_LOCATIONS_PUBLIC = 6  # published houses whose exact point is withheld (empty, easy to rob)
TRADITIONAL_SHARE = 0.2
ZH_MARK, EN_MARK = "（示范数据）", " (Demonstration data.)"


@dataclass
class Builder:
    """The emigrant who paid for the house, as family and clerks abroad wrote his name."""

    surname: str
    given: str
    romanised: str  # surname first, the way it appears on passports: Kwan Sung Cheong
    trade_zh: str
    trade_en: str

    @property
    def name(self) -> str:
        return self.surname + self.given


@dataclass
class House:
    """One row of the houses sheet, plus the facts records are written from."""

    code: str
    name_zh: str
    name_en: str
    county: County
    township: Township
    village: Village
    builder: Builder
    built: BuiltDate
    year: int
    style: str
    destinations: list[tuple[str, str]]
    traditional: bool
    heir: tuple[str, str] = ("", "")  # a descendant: Chinese name, name used abroad (Raymond Kwan)
    row: dict[str, object] = field(default_factory=dict)

    @property
    def public(self) -> bool:
        return self.row["public"] == "是"


def build_houses(rng: random.Random) -> list[House]:
    """All demonstration houses, in code order, every built-date notation used at least once."""
    slots = [(c, t, v) for c in COUNTIES for t, v in _village_slots(c, rng)]
    notations = list(BUILT_NOTATIONS) + rng.choices(
        BUILT_NOTATIONS, BUILT_WEIGHTS, k=len(slots) - len(BUILT_NOTATIONS)
    )
    rng.shuffle(notations)
    stems = list(ht.NAME_STEMS)
    rng.shuffle(stems)
    counters: dict[str, int] = {}
    used_names: set[str] = set()
    houses = []
    for (county, township, village), notation in zip(slots, notations, strict=True):
        prefix = f"{county.code}-{township.code}-{village.code}"
        counters[prefix] = counters.get(prefix, 0) + 1
        houses.append(
            _house(
                f"{prefix}-{counters[prefix]:03d}",
                county,
                township,
                village,
                notation,
                stems,
                used_names,
                rng,
            )
        )
    _choose_private(houses, rng)
    return houses


def _village_slots(county: County, rng: random.Random) -> list[tuple[Township, Village]]:
    villages = [(t, v) for t in county.townships for v in t.villages]
    slots = list(villages)  # every village gets at least one house
    slots += rng.choices(villages, k=county.house_count - len(villages))
    slots.sort(key=lambda tv: (county.townships.index(tv[0]), tv[0].villages.index(tv[1])))
    return slots


def _house(
    code: str,
    county: County,
    township: Township,
    village: Village,
    notation: str,
    stems: list[tuple[str, str]],
    used: set[str],
    rng: random.Random,
) -> House:
    region = county.region
    style = rng.choices(list(ht.STYLE_WEIGHTS[region]), list(ht.STYLE_WEIGHTS[region].values()))[0]
    if notation in ("guangxu", "guangxu_ganzhi", "xuantong") and style == "骑楼":
        style = "三间两廊"  # arcade streets came with the Republic's road building
    built = built_date(notation, rng)
    year = built.year or (1914 if notation == "minguo_early" else rng.randint(1915, 1935))
    surname = rng.choice(village.lineages)
    given, given_rom = rng.choice(people.GIVEN_NAMES[people.GIVEN_STYLE[region]])
    trade = rng.choice(people.TRADES[region])
    builder = Builder(surname, given, f"{people.romanise(surname, region)} {given_rom}", *trade)
    destinations = rng.sample(people.DESTINATIONS[region], k=rng.choice((1, 1, 1, 2, 2, 3)))
    name_zh, name_en = _names(style, builder, region, stems, used, rng)
    house = House(
        code,
        name_zh,
        name_en,
        county,
        township,
        village,
        builder,
        built,
        year,
        style,
        destinations,
        rng.random() < TRADITIONAL_SHARE,
    )
    heir, english, hispanic = rng.choice(people.GIVEN_FOR_HEIRS)
    first = hispanic if destinations[0][0].startswith(people.HISPANIC_COUNTRIES) else english
    house.heir = (surname + heir, f"{first} {people.romanise(surname, region)}")
    house.row = _row(house, rng)
    return house


def _names(
    style: str,
    builder: Builder,
    region: str,
    stems: list[tuple[str, str]],
    used: set[str],
    rng: random.Random,
) -> tuple[str, str]:
    """A name in the pattern usual for the style; never one already used in the demo."""
    family_en = people.romanise(builder.surname, region)
    candidates: list[tuple[str, str]] = []
    if style == "骑楼":
        candidates += [
            (f"{stem}号骑楼", f"{pinyin} Arcade Shop") for stem, pinyin in rng.sample(ht.SHOP_STEMS, 3)
        ]
    if style == "三间两廊" or (style == "中西合璧" and rng.random() < 0.3):
        candidates.append((f"{builder.name}旧居", f"Former Residence of {builder.romanised}"))
    if style in ("洋楼", "中西合璧") and rng.random() < 0.25:
        candidates.append((f"{builder.surname}氏别墅", f"{family_en} Family Villa"))
    fresh = [c for c in candidates if c[0] not in used]
    if fresh:
        name_zh, name_en = fresh[0]
    else:
        stem, pinyin = stems.pop()
        if style == "碉楼":
            name_zh, name_en = f"{stem}楼", f"{pinyin} {rng.choice(('Lou', 'Tower'))}"
        elif style == "庐":
            name_zh, name_en = f"{stem}庐", f"{pinyin} {rng.choice(('Lu', 'Villa'))}"
        else:
            suffix, english = rng.choice((("楼", "House"), ("居", "Residence"), ("别墅", "Villa")))
            name_zh, name_en = f"{stem}{suffix}", f"{pinyin} {english}"
    used.add(name_zh)
    return name_zh, name_en


def _row(house: House, rng: random.Random) -> dict[str, object]:
    condition = rng.choices("ABCD", (3, 5, 4, 2))[0]
    use = rng.choice(("空置", "空置", "闲置待修")) if condition == "D" else rng.choice(list(ht.CURRENT_USES))
    custody = rng.choice(list(ht.CUSTODY))
    if use in ("托管开放参观", "景区展示"):
        custody = rng.choice(("已托管", "景区公司托管"))
    level = rng.choices(ht.PROTECTION_LEVELS, ht.PROTECTION_WEIGHTS)[0]
    if level == "全国重点文物保护单位" and house.county.code not in ("KP", "TS"):
        level = "省级文物保护单位"  # the national listings here are the Kaiping and Taishan towers
    lo, hi = ht.STOREYS[house.style]
    materials = ht.MATERIALS[house.style]
    if house.county.region == "tengchong":
        materials = ht.TENGCHONG_MATERIALS
    if house.year < 1912:  # reinforced concrete reached the villages only with the Republic
        materials = tuple(m for m in materials if "混" not in m) or ("青砖",)
    lat, lon, coord_system = _coordinates(house.village, rng)
    name_zh = to_traditional(house.name_zh) if house.traditional and rng.random() < 0.5 else house.name_zh
    return (
        {
            "code": house.code,
            "name_zh": name_zh,
            "name_en": house.name_en,
            "aliases": _aliases(house, rng),
            "province": house.county.province,
            "city": house.county.city,
            "county": house.county.name,
            "township": house.township.name,
            "village": house.village.name,
            "address": _address(house, rng),
            "lat": lat,
            "lon": lon,
            "coord_system": coord_system,
            "location_public": "是",
            "built": house.built.text,
            "builder": _builder_cell(house, rng),
            "family": house.builder.surname,
            "destinations": _destinations_cell(house, rng),
            "style": house.style,
            "materials": rng.choice(materials),
            "storeys": rng.randint(lo, hi),
            "protection_level": level,
            "condition": condition,
            "current_use": use,
            "custody": custody,
            "owner": "",
            "owner_contact": "",
            "summary_zh": "",
            "summary_en": "",
            "public": "是",
        }
        | _owner(house, rng)
        | _summaries(house, condition, use, custody, rng)
    )


def _coordinates(village: Village, rng: random.Random) -> tuple[float | str, float | str, str]:
    if rng.random() < 0.03:
        return "", "", ""  # not yet located
    lat = village.lat + rng.gauss(0, 0.0012)
    lon = village.lon + rng.gauss(0, 0.0015)
    coord_system = rng.choices(("", "wgs84", "gcj02"), (70, 16, 14))[0]
    if coord_system == "gcj02":
        lat, lon = wgs84_to_gcj02(lat, lon)
    digits = 4 if rng.random() < 0.15 else 6
    return round(lat, digits), round(lon, digits), coord_system


def _aliases(house: House, rng: random.Random) -> str:
    count = rng.choices((0, 1, 2, 3), (4, 4, 2, 1))[0]
    names = {
        pattern.format(
            family=house.builder.surname,
            given=house.builder.given,
            builder=house.builder.name,
            village=house.village.name.removesuffix("村"),
            n=rng.randint(1, 12),
        )
        for pattern in rng.sample(ht.ALIAS_PATTERNS, k=count)
    }
    return rng.choice(("；", "、", ";")).join(sorted(names))


def _address(house: House, rng: random.Random) -> str:
    tail = rng.choice(ht.ADDRESS_TAILS).format(n=rng.randint(1, 40))
    place = f"{house.county.name or house.county.city}{house.township.name}{house.village.name}"
    return (house.county.province + house.county.city + place if rng.random() < 0.3 else place) + tail


def _builder_cell(house: House, rng: random.Random) -> str:
    b = house.builder
    form = rng.random()
    if form < 0.05:
        return ""
    if form < 0.35:
        return f"{b.name} ({b.romanised})"
    if form < 0.45:
        brother = rng.choice(people.GIVEN_NAMES[people.GIVEN_STYLE[house.county.region]])[0]
        return f"{b.name}、{b.surname}{brother}" if brother != b.given else b.name
    if form < 0.5:
        return f"{b.name}兄弟集资"
    return b.name


def _destinations_cell(house: House, rng: random.Random) -> str:
    return rng.choice(("；", "; ", "、")).join(zh for zh, _ in house.destinations)


def _owner(house: House, rng: random.Random) -> dict[str, object]:
    heir_zh, heir_abroad = house.heir
    form = rng.random()
    local_phone = f"{rng.choice(('138', '139', '137'))}-0000-{rng.randint(0, 9999):04d}"
    if form < 0.4:
        return {"owner": heir_zh, "owner_contact": local_phone}
    if form < 0.7:
        dest_zh, _ = house.destinations[0]
        phone = _overseas_phone(dest_zh, rng) if rng.random() < 0.7 else local_phone
        return {"owner": f"{heir_zh}（{heir_abroad}，{dest_zh}）", "owner_contact": phone}
    if form < 0.9:
        return {
            "owner": f"{house.builder.surname}氏后人共有（{rng.randint(3, 14)}户）",
            "owner_contact": f"代管人 {heir_zh} {local_phone}",
        }
    return {"owner": "产权待确认", "owner_contact": ""}


def _overseas_phone(destination: str, rng: random.Random) -> str:
    """Numbers from the ranges set aside for fiction, so no real subscriber is ever printed."""
    if destination.startswith(("美国", "加拿大")):
        area = next(code for place, code in people.PHONE_AREAS.items() if destination.endswith(place))
        return f"+1 {area}-555-01{rng.randint(0, 99):02d}"
    if destination.startswith("澳大利亚"):
        return f"+61 2 5550 {rng.randint(0, 9999):04d}"
    return f"+852 0000 {rng.randint(0, 9999):04d}"


def _summaries(house: House, condition: str, use: str, custody: str, rng: random.Random) -> dict[str, object]:
    b, county = house.builder, house.county
    dest_zh, dest_en = house.destinations[0]
    when_zh = f"于{house.built.phrase_zh}" if house.built.phrase_zh else ""
    when_en = f" {house.built.phrase_en}" if house.built.phrase_en else ""
    zh = [
        f"{house.name_zh}位于{county.name or county.city}{house.township.name}{house.village.name}，"
        f"为旅居{dest_zh}{b.trade_zh}的{b.name}{when_zh}出资兴建的{ht.STYLE_NOUN_ZH[house.style]}"
    ]
    en = [
        f"{house.name_en} is a {ht.STYLE_EN[house.style]} in {house.village.name_en}, "
        f"{county.name_en}, built{when_en} by {b.romanised}, who {b.trade_en} in {dest_en}"
    ]
    if not house.built.phrase_zh:
        zh[0] += "，建造年代不详"
    feature_zh, feature_en = rng.choice(ht.FEATURES[house.style])
    state_zh, state_en = rng.choice(ht.STATES[condition])
    extra = rng.choice((0, 1, 2, 2))
    if extra >= 1:
        zh.append(feature_zh)
        en.append(feature_en[0].upper() + feature_en[1:])
    if extra == 2:
        zh.append(f"{state_zh}，{ht.USE_PHRASES_ZH[use]}")
        en.append(f"{state_en}; it is {ht.CURRENT_USES[use]} and {ht.CUSTODY[custody]}")
    summary_zh = "。".join(zh) + "。"
    if house.traditional:
        summary_zh = to_traditional(summary_zh, rng.choice(("hk", "hk", "tw")))
    return {"summary_zh": summary_zh + ZH_MARK, "summary_en": ". ".join(en) + "." + EN_MARK}


def _choose_private(houses: list[House], rng: random.Random) -> None:
    """Unpublished houses are mostly the fragile ones; a few published ones hide their exact point."""
    fragile = [h for h in houses if h.row["condition"] in ("C", "D")]
    others = [h for h in houses if h.row["condition"] not in ("C", "D")]
    private = rng.sample(fragile, k=8) + rng.sample(others, k=PRIVATE_HOUSES - 8)
    for house in private:
        house.row["public"] = "否"
    for house in rng.sample(private, k=6):
        house.row["location_public"] = "否"
    empty = [h for h in fragile if h.public and h.row["current_use"] in ("空置", "闲置待修")]
    for house in rng.sample(empty, k=min(HIDDEN_LOCATIONS_PUBLIC, len(empty))):
        house.row["location_public"] = "否"
