"""People linked to the demonstration houses, and captions for the demonstration photos.

The survey format has no people sheet and the photo-folder import no captions, so these are
planned here from the same seeded houses and photo plans and loaded through the services
(`archive.services.demo_people`). Deterministic: the same houses give the same people and captions.
Every person's notes and every caption say they are demonstration data.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from archive.demo import people
from archive.demo.houses import House
from archive.demo.photos import VIEWS, plan_photos

MARK_ZH, MARK_EN = "（示范数据）", "(demonstration data)"


@dataclass(frozen=True)
class DemoPerson:
    """One person and their link to one house."""

    house_code: str
    role: str  # a person_role key: builder, owner, informant
    name_zh: str
    names_romanised: str | None
    destinations: tuple[str, ...]
    dates_text: str | None
    notes: str
    public: bool


@dataclass(frozen=True)
class DemoCaption:
    house_code: str
    file_name: str  # the photo's original name
    caption_zh: str
    caption_en: str


def demo_people(houses: list[House], seed: int) -> list[DemoPerson]:
    """A builder for every house, the heir who owns it now, and an informant for about half of them."""
    out: list[DemoPerson] = []
    for house in houses:
        rng = random.Random(f"{seed}:{house.code}")
        builder = house.builder
        born = house.year - rng.randint(28, 45)
        abroad = tuple(zh for zh, _ in house.destinations)
        out.append(DemoPerson(
            house.code, "builder", builder.name, builder.romanised, abroad,
            f"{born}–{born + rng.randint(55, 85)}",
            f"侨居{abroad[0]}，{builder.trade_zh}，回乡建{house.name_zh}。{MARK_ZH}", True))
        heir_zh, heir_abroad = house.heir
        # A living descendant: kept off the public pages.
        out.append(DemoPerson(house.code, "owner", heir_zh, heir_abroad, abroad[:1], None,
                              f"{builder.name}后人，现居{abroad[0]}。{MARK_ZH}", False))
        if rng.random() < 0.5:
            surname = rng.choice(house.village.lineages)
            given = rng.choice(people.GIVEN_NAMES[people.GIVEN_STYLE[house.county.region]])[0]
            went = rng.choice((None, None, rng.choice(people.DESTINATIONS[house.county.region])[0]))
            age = rng.randint(68, 92)
            story = f"曾侨居{went}，晚年回乡" if went else "一直住在村里"
            out.append(DemoPerson(house.code, "informant", surname + given, None, (went,) if went else (),
                                  None, f"{house.village.name}村民，受访时{age}岁，{story}。{MARK_ZH}", True))
    return out


def demo_captions(houses: list[House], photo_seed: int) -> list[DemoCaption]:
    """A caption for every planned photo (the same plan `write_photos` draws with this seed)."""
    captions = []
    for plan in plan_photos(houses, random.Random(photo_seed)):
        zh, _, en = VIEWS[plan.view]
        house = plan.house
        captions.append(DemoCaption(
            house.code, plan.relative.rsplit("/", 1)[-1], f"{house.name_zh}{zh}。{MARK_ZH}",
            f"{house.name_en or house.code}: {en} {MARK_EN}"))
    return captions
